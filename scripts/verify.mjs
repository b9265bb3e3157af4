#!/usr/bin/env node
// npm run verify: every corpus program and sample, compiled, built with the
// P4TC emulation and loaded into the running kernel (the real verifier):
// pass/fail per program, with the tail of the verifier's log for failures.
// Needs root, bpftool and a clang with the BPF target. Uses dist/.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { compile } = await import(path.join(root, "dist/compiler/compile.js"));
const { findClang, isClangFound, buildObjects } = await import(path.join(root, "dist/build/index.js"));
const { EmulatedPipeline, bpfUnavailableReason } = await import(path.join(root, "dist/targets/emulation/loader.js"));

const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const only = process.argv.slice(2);
const dirs = [path.join(corpus, "p4tc/programs"), path.join(corpus, "p4tc-stf"), ...fs.readdirSync(path.join(root, "samples")).map((d) => path.join(root, "samples", d))];
const programs = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".p4") && !f.endsWith("_errors.p4")).map((f) => path.join(d, f)))
  .filter((p) => only.length === 0 || only.includes(path.basename(p, ".p4")));

const why = bpfUnavailableReason();
const clang = findClang({ env: process.env });
if (why || !isClangFound(clang)) {
  console.log(`verify: skipped: ${why ?? clang.error}`);
  process.exit(process.env.P4TS_REQUIRE_TOOLS === "1" ? 1 : 0);
}
const flags = ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"];
let pass = 0;
const failed = [];
for (const file of programs) {
  const name = path.basename(file, ".p4");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-verify-"));
  try {
    const r = compile({ input: { file } });
    if (!r.ok) throw new Error(`p4ts:\n${r.format()}`);
    for (const [f, text] of Object.entries(r.outputs)) fs.writeFileSync(path.join(dir, f), text);
    const b = buildObjects(dir, name, clang, { extraFlags: flags });
    if (!b.ok) throw new Error(`clang:\n${b.diagnostics}`);
    const p = EmulatedPipeline.load(path.join(dir, `${name}_parser.o`), path.join(dir, `${name}_control_blocks.o`));
    p.close();
    pass++;
    console.log(`pass  ${name}`);
  } catch (e) {
    failed.push(name);
    const tail = String(e.message).trim().split("\n").slice(-12).map((l) => `      ${l}`).join("\n");
    console.log(`FAIL  ${name}\n${tail}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nverifier: ${pass}/${programs.length} programs loaded${failed.length ? `; failed: ${failed.join(", ")}` : ""}`);
process.exit(failed.length ? 1 : 0);
