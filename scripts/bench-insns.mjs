#!/usr/bin/env node
// npm run bench:insns: instruction slots of the generated p4tc/parse and
// p4tc/main sections for every program of the reference figures
// (../shared/corpus/baseline/reference-insn-slots.csv), built with clang-19
// -O2 --target=bpf -mcpu=v3 and counted as section size / 8, next to the
// reference's figures and the ratio. Uses the built package in dist/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { compile } = await import(path.join(root, "dist/compiler/compile.js"));
const { findClang, isClangFound, buildObjects, sectionInsnSlots } = await import(path.join(root, "dist/build/index.js"));

const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const csv = fs.readFileSync(path.join(corpus, "baseline/reference-insn-slots.csv"), "utf8").trim().split("\n").slice(1);
const dirs = [path.join(corpus, "p4tc/programs"), path.join(corpus, "p4tc-stf")];
const clang = findClang({ env: process.env });
if (!isClangFound(clang)) {
  console.error(`bench:insns: ${clang.error}`);
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-insns-"));
let [ours, ref, oursAll, refAll] = [0, 0, 0, 0];
const part = { parser: [0, 0], main: [0, 0] };
const missing = [];
const failed = [];
console.log(`${"program".padEnd(34)} ${"parse".padStart(6)} ${"ref".padStart(6)} ${"main".padStart(6)} ${"ref".padStart(6)} ${"ratio".padStart(6)}`);
for (const line of csv) {
  const [prog, rp, rm] = line.split(",");
  refAll += Number(rp) + Number(rm);
  const dir = dirs.find((d) => fs.existsSync(path.join(d, `${prog}.p4`)));
  if (!dir) {
    missing.push(prog);
    continue;
  }
  const r = compile({ input: { file: path.join(dir, `${prog}.p4`) } });
  if (!r.ok) {
    failed.push(`${prog} (p4ts)`);
    continue;
  }
  const out = path.join(tmp, prog);
  fs.mkdirSync(out, { recursive: true });
  for (const [f, text] of Object.entries(r.outputs)) fs.writeFileSync(path.join(out, f), text);
  const b = buildObjects(out, prog, clang.path, { extraFlags: [] });
  if (!b.ok) {
    failed.push(`${prog} (clang)`);
    continue;
  }
  const p = sectionInsnSlots(path.join(out, `${prog}_parser.o`))["p4tc/parse"] ?? 0;
  const m = sectionInsnSlots(path.join(out, `${prog}_control_blocks.o`))["p4tc/main"] ?? 0;
  const refTotal = Number(rp) + Number(rm);
  ours += p + m;
  part.parser[0] += p;
  part.parser[1] += Number(rp);
  part.main[0] += m;
  part.main[1] += Number(rm);
  ref += refTotal;
  console.log(`${prog.padEnd(34)} ${String(p).padStart(6)} ${rp.padStart(6)} ${String(m).padStart(6)} ${rm.padStart(6)} ${((p + m) / refTotal).toFixed(2).padStart(6)}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
oursAll = ours;
console.log(`\ntotal over ${csv.length - missing.length - failed.length} programs: p4ts ${ours} slots, reference ${ref} slots, ratio ${(ours / ref).toFixed(3)}`);
for (const [k, [o, r]] of Object.entries(part)) console.log(`${k}: p4ts ${o} slots, reference ${r} slots, ratio ${(o / r).toFixed(3)}`);
console.log(`reference total over all ${csv.length} programs of the baseline: ${refAll} slots (${oursAll} for p4ts on the ones it built)`);
if (missing.length) console.log(`not in this corpus (${missing.length}): ${missing.join(", ")}`);
if (failed.length) {
  console.log(`failed (${failed.length}): ${failed.join(", ")}`);
  process.exit(1);
}
