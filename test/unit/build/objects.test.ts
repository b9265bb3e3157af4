// buildObjects on a hand-written stand-in for generated output, and the
// instruction-slot counting the insns benchmark uses.
import fs from "node:fs";
import path from "node:path";
import {
  buildObjects,
  clangArgs,
  objectSections,
  parseReadelfSections,
  readElfSections,
  sectionInsnSlots,
  findReadelf,
  BPF_CFLAGS,
} from "../../../build/index.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { cleanupTmpDirs, fixturesDir, hasClang, missingOf, realClang, testIf, tmpDir } from "./tools.js";

afterAll(cleanupTmpDirs);

/** A copy of the "demo" program's generated files in a fresh OUTDIR. */
function demoOutDir(): string {
  const out = tmpDir("out");
  for (const f of fs.readdirSync(path.join(fixturesDir, "demo"))) fs.copyFileSync(path.join(fixturesDir, "demo", f), path.join(out, f));
  return out;
}

describe("clangArgs", () => {
  test("the fixed flags, runtime headers and OUTDIR on the include path", () => {
    expect(BPF_CFLAGS).toEqual(["-O2", "-g", "--target=bpf", "-mcpu=v3", "-Wall", "-Werror"]);
    expect(clangArgs("/o/p_parser.c", "/o/p_parser.o", "/o")).toEqual([
      ...BPF_CFLAGS,
      "-I",
      runtimeHeadersDir,
      "-I",
      "/o",
      "-c",
      "/o/p_parser.c",
      "-o",
      "/o/p_parser.o",
    ]);
    expect(fs.existsSync(path.join(runtimeHeadersDir, "p4ts_pna.h"))).toBe(true);
  });
});

describe("buildObjects", () => {
  testIf(missingOf(hasClang()), "compiles NAME_parser.c and NAME_control_blocks.c cleanly", () => {
    const clang = realClang()!;
    const out = demoOutDir();
    const r = buildObjects(out, "demo", { path: clang! });
    expect(r.diagnostics).toBe("");
    expect(r.ok).toBe(true);
    expect(r.objects).toEqual([path.join(out, "demo_parser.o"), path.join(out, "demo_control_blocks.o")]);
    expect(r.commands).toHaveLength(2);
    expect(r.commands[0]).toContain("--target=bpf -mcpu=v3 -Wall -Werror");

    const parse = sectionInsnSlots(r.objects[0]!);
    const main = sectionInsnSlots(r.objects[1]!);
    expect(parse["p4tc/parse"]).toBeGreaterThan(10);
    expect(main["p4tc/main"]).toBeGreaterThan(10);
    expect(Number.isInteger(parse["p4tc/parse"])).toBe(true);
    expect(parse["p4tc/main"]).toBeUndefined();
    // BTF is on (-g): P4TC loading needs it for the map and the kfuncs.
    expect(objectSections(r.objects[1]!, { readelf: false }).map((s) => s.name)).toEqual(expect.arrayContaining([".BTF", ".maps", "license"]));
  });

  testIf(missingOf(hasClang()), "a warning fails the build (-Werror) and is reported; the stale object is gone", () => {
    const clang = realClang()!;
    const out = demoOutDir();
    expect(buildObjects(out, "demo", clang!).ok).toBe(true);
    const main = path.join(out, "demo_control_blocks.c");
    fs.writeFileSync(main, fs.readFileSync(main, "utf8").replace("__u32 zero = 0;", "__u32 zero = 0, unused_here;"));
    const r = buildObjects(out, "demo", clang!);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toMatch(/demo_control_blocks\.c:\d+:\d+: error: unused variable 'unused_here'/);
    expect(r.objects).toEqual([path.join(out, "demo_parser.o")]);
    expect(fs.existsSync(path.join(out, "demo_control_blocks.o"))).toBe(false);
  });

  test("missing sources are reported by name", () => {
    const out = tmpDir("empty-out");
    const r = buildObjects(out, "nothere", "/bin/false");
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContain(`${path.join(out, "nothere_parser.c")}: no such file`);
    expect(r.diagnostics).toContain(`${path.join(out, "nothere_control_blocks.c")}: no such file`);
  });

  test("a clang that cannot run is reported", () => {
    const out = demoOutDir();
    const r = buildObjects(out, "demo", "/nonexistent/clang");
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toContain("cannot run /nonexistent/clang");
  });
});

describe("sectionInsnSlots", () => {
  const sample = [
    "There are 6 section headers, starting at offset 0x26d8:",
    "",
    "Section Headers:",
    "  [Nr] Name              Type            Address          Off    Size   ES Flg Lk Inf Al",
    "  [ 0]                   NULL            0000000000000000 000000 000000 00      0   0  0",
    "  [ 1] .strtab           STRTAB          0000000000000000 0025ab 00012c 00      0   0  1",
    "  [ 2] .text             PROGBITS        0000000000000000 000040 000000 00  AX  0   0  4",
    "  [ 3] p4tc/parse        PROGBITS        0000000000000000 000040 000418 00  AX  0   0  8",
    "  [ 4] .relp4tc/parse    REL             0000000000000000 001c88 000010 10   I 27   3  8",
    "  [ 5] .maps             PROGBITS        0000000000000000 000170 000028 00  WA  0   0  8",
  ].join("\n");

  test("parses llvm-readelf -S output", () => {
    const s = parseReadelfSections(sample);
    expect(s.map((x) => x.name)).toEqual([".strtab", ".text", "p4tc/parse", ".relp4tc/parse", ".maps"]);
    expect(s[2]).toEqual({ name: "p4tc/parse", type: "PROGBITS", size: 0x418, flags: "AX" });
    expect(s[0]!.flags).toBe("");
  });

  testIf(missingOf(hasClang(), [findReadelf() !== undefined, "llvm-readelf on PATH"]), "llvm-readelf and the built-in ELF reader agree", () => {
    const clang = realClang()!;
    const out = demoOutDir();
    const r = buildObjects(out, "demo", clang!);
    expect(r.ok).toBe(true);
    for (const obj of r.objects) {
      const viaTool = sectionInsnSlots(obj);
      const direct = sectionInsnSlots(obj, { readelf: false });
      expect(direct).toEqual(viaTool);
      const sizes = (xs: ReturnType<typeof readElfSections>) => xs.map((x) => [x.name, x.size]);
      expect(sizes(readElfSections(obj))).toEqual(sizes(objectSections(obj)));
    }
  });

  test("rejects a file that is not ELF", () => {
    const f = path.join(tmpDir("notelf"), "x.o");
    fs.writeFileSync(f, "not an object file at all, not even close to one..........................");
    expect(() => readElfSections(f)).toThrow(/not an ELF file/);
  });
});
