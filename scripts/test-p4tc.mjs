#!/usr/bin/env node
// npm run test:p4tc: the kernel lane. Every lane program (corpus, reference
// STF programs, samples, STF fixtures) compiled with --p4tc-abi v13 --build
// and checked on the real P4TC kernel in ../shared/p4tc-vm (targets/p4tc-vm/lane.ts),
// batched into few boots. Exit status 0 when every program v13 can express
// loads, seals, matches its JSON, reads back and passes its STF test.
// Options: --only NAME[,NAME...]  --corpus (the corpus programs only)
//          --per-boot N (default 40)  --keep DIR
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { laneSources, prepareLane, runLane } = await import(path.join(root, "dist/stf/p4tc-lane.js"));
const { KNOWN_V13_FAILURES } = await import(path.join(root, "dist/targets/p4tc-vm/lane.js"));
const { vmUnavailable } = await import(path.join(root, "dist/targets/p4tc-vm/vm.js"));

const args = process.argv.slice(2);
const opt = (n) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const why = vmUnavailable();
if (why) {
  console.log(`test:p4tc: cannot run: ${why}`);
  process.exit(process.env.P4TS_REQUIRE_TOOLS === "1" ? 1 : 0);
}
const work = opt("--keep") ?? fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-lane-"));
const only = opt("--only")?.split(",");
const perBoot = Number(opt("--per-boot") ?? 40);
let sources = laneSources(root);
if (only) sources = sources.filter((s) => only.includes(path.basename(s.p4, ".p4")));
if (args.includes("--corpus")) sources = sources.filter((s) => s.p4.includes("/p4tc/programs/"));
const t0 = Date.now();
const { programs, rejected } = prepareLane(sources, path.join(work, "build"));
console.log(`compiled ${sources.length} programs with --p4tc-abi v13: ${programs.length} built, ${rejected.length} not expressible on v13`);
for (const r of rejected) console.log(`  rejected ${r.name}: ${r.reason}`);
const results = await runLane(programs, work, {
  perBoot,
  onBoot: (i, names, got) =>
    console.log(got ? `boot ${i} done, ${((Date.now() - t0) / 1000).toFixed(0)} s: ${got.map((r) => `${r.name} ${r.ok ? "ok" : "FAILED"}`).join(", ")}` : `boot ${i}: ${names.join(" ")}`),
});
let failed = 0;
let knownFailed = 0;
for (const r of results) {
  const prog = programs.find((p) => p.name === r.name);
  const known = Object.hasOwn(KNOWN_V13_FAILURES, r.name) ? KNOWN_V13_FAILURES[r.name] : null;
  // A known failure passes the lane only while it fails with its recorded message.
  const asKnown = known !== null && !r.ok && known.message.test(r.problems.join("\n"));
  const verdict = r.ok ? (known ? "FAIL (known failure now passes: remove it from KNOWN_V13_FAILURES)" : "PASS") : asKnown ? `KNOWN (${known.reason})` : "FAIL";
  console.log(`${verdict} ${r.name}${prog?.stf ? ` (+ STF ${path.basename(prog.stf)})` : ""}`);
  for (const p of r.problems) console.log(`    ${p}`);
  if (asKnown) knownFailed++;
  else if (!r.ok || known) failed++;
}
const corpus = results.filter((r) => sources.find((s) => path.basename(s.p4, ".p4") === r.name)?.p4.includes("/p4tc/programs/"));
console.log(`\ncorpus programs that load and seal under v13: ${corpus.filter((r) => r.ok).length}/${sources.filter((s) => s.p4.includes("/p4tc/programs/")).length}`);
console.log(`lane: ${results.length - failed - knownFailed}/${results.length} pass, ${knownFailed} known v13 failures, ${rejected.length} rejected as not expressible on v13, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
if (!opt("--keep")) fs.rmSync(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
