// Every compiling program of the P4TC corpus (and the samples): the generated
// C builds with a real clang (BPF target, -O2 -Wall -Werror, no warning), the
// two objects carry the p4tc/parse and p4tc/main sections, and compiling
// twice gives byte-identical outputs. Built with the P4TC emulation, both
// objects pass this kernel's verifier (loaded with bpftool).
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { buildObjects, probeClangWasm, sectionInsnSlots } from "../../build/index.js";
import { corpus, programsIn, repoRoot } from "../helpers/corpus.js";
import { clangMissing, cleanupTmpDirs, kernelMissing, realClang, testIf, tmpDir } from "../unit/build/tools.js";
import { mustRun } from "../helpers/skip.js";
import { EmulatedPipeline } from "../../targets/emulation/loader.js";

const dirs = [path.join(corpus, "p4tc", "programs"), path.join(corpus, "p4tc-stf"), ...fs.readdirSync(path.join(repoRoot, "samples")).map((d) => path.join(repoRoot, "samples", d))];
const programs = dirs.flatMap((d) => (fs.existsSync(d) && fs.statSync(d).isDirectory() ? programsIn(d) : []).filter((f) => !f.endsWith("_errors.p4")).map((f) => path.join(d, f)));

afterAll(cleanupTmpDirs);

// The optional clang-wasm npm package (a clang with the BPF target for machines
// without one) is not a dependency: it is used where installed beside p4ts, or
// where P4TS_CLANG_WASM_FROM names a directory it can be resolved from.
// Without it these tests are registered as skipped (jest counts them so); under CI
// (.ci/run installs it) they run, and fail if it cannot be found.
const wasm = probeClangWasm(process.env.P4TS_CLANG_WASM_FROM ?? repoRoot, process.env);
const wasmTest = wasm.found || mustRun ? test : test.skip;

test("the corpus and samples are found", () => {
  // 59 P4TC corpus programs (the _errors ones left out), the 3 STF programs and the 6 samples.
  expect(programs.length).toBe(68);
});

describe.each(programs.map((p) => [path.basename(p, ".p4"), p]))("%s", (name, file) => {
  test("compiles to the same C twice", () => {
    const r = compile({ input: { file } });
    expect(r.format()).not.toMatch(/error/);
    const again = compile({ input: { file } });
    expect(again.outputs).toEqual(r.outputs);
    for (const f of [`${name}_parser.h`, `${name}_parser.c`, `${name}_control_blocks.c`]) expect(Object.keys(r.outputs!)).toContain(f);
  });

  testIf(clangMissing(), "the generated C builds with clang -Wall -Werror into the two P4TC sections", () => {
    const r = compile({ input: { file } });
    const clang = realClang();
    const out = tmpDir("ebpf");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, name, clang!);
    expect(b.diagnostics).toBe("");
    expect(b.ok).toBe(true);
    expect(sectionInsnSlots(path.join(out, `${name}_parser.o`))["p4tc/parse"]).toBeGreaterThan(0);
    expect(sectionInsnSlots(path.join(out, `${name}_control_blocks.o`))["p4tc/main"]).toBeGreaterThan(0);
  });

  wasmTest(`the generated C also builds with the clang-wasm package's clang${wasm.found ? "" : ` (skipped: ${wasm.note})`}`, () => {
    if (!wasm.found) throw new Error(`clang-wasm is required here (CI): ${wasm.note}`);
    const r = compile({ input: { file } });
    const out = tmpDir("ebpf-wasm");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, name, wasm.found!.path);
    expect(b.diagnostics).toBe("");
    expect(b.ok).toBe(true);
  });

  testIf(kernelMissing(), "built with the P4TC emulation, parser and main pass the kernel's verifier", () => {
    const clang = realClang();
    const r = compile({ input: { file } });
    const out = tmpDir("verify");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, name, clang!, { extraFlags: ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"] });
    expect(b.diagnostics).toBe("");
    const p = EmulatedPipeline.load(path.join(out, `${name}_parser.o`), path.join(out, `${name}_control_blocks.o`));
    p.close();
  });
});
