// Prebuilt includes (compiler/prebuilt.ts): a compile that replays the
// snapshots of core.p4 and tc/pna.p4 gives exactly what processing them gives,
// and a snapshot is used only when it provably applies.
import fs from "node:fs";
import path from "node:path";
import { compile, type CompileOptions, type CompileResult } from "../../../compiler/compile.js";
import { recordPrebuiltIncludes, prebuiltFileText, readPrebuiltFile, checkPrebuilt, type PrebuiltIncludes } from "../../../compiler/prebuilt.js";
import { builtinIncludeDir } from "../../../compiler/paths.js";
import { corpus, corpusMissing, programsIn, repoRoot } from "../../helpers/corpus.js";
import { describeUnless } from "../../helpers/skip.js";

const set = recordPrebuiltIncludes();
/** The same set with no declarations: a compile that uses it has none of core.p4's and pna.p4's. */
const hollow: PrebuiltIncludes = { ...set, parsed: set.parsed.map((p) => ({ ...p, declarations: () => [] })) };

const bigints = (_k: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v);
/** Everything a compile gives, as text. */
function everything(r: CompileResult): string {
  return JSON.stringify({ ok: r.ok, diags: r.format(), pre: r.preprocessed, ast: r.ast, files: r.files.names(), outputs: r.outputs, pipeline: r.pipeline }, bigints);
}
const both = (opts: CompileOptions) => [compile({ ...opts, prebuiltIncludes: set }), compile({ ...opts, prebuiltIncludes: false })];

const addEntry = path.join(corpus, "p4tc/programs/add_entry_1_example.p4");

test("the snapshots are recorded for every include sequence and read back from their file, moved to another directory", () => {
  expect(set.includes.map((s) => path.relative(builtinIncludeDir, s.file))).toEqual(["core.p4", "tc/pna.p4", "tc/pna.p4", "pna.p4", "pna.p4"]);
  const { header, blobs } = prebuiltFileText(set, "id1");
  const blob = (start: number, length: number) => blobs.slice(start, start + length);
  expect(/^[\x00-\x7f]*$/.test(header + blobs)).toBe(true);
  expect(readPrebuiltFile(header, "id2", builtinIncludeDir, blob)).toBeUndefined();
  const back = readPrebuiltFile(header, "id1", builtinIncludeDir, blob)!;
  expect(checkPrebuilt(back)).toBe(true);
  expect(JSON.stringify(back.parsed.map((p) => p.declarations()), bigints)).toBe(JSON.stringify(set.parsed.map((p) => p.declarations()), bigints));
  const moved = readPrebuiltFile(header, "id1", "/elsewhere/p4include", blob)!;
  expect(moved.includes[1].reads.map((r) => r.file)).toEqual(["/elsewhere/p4include/tc/pna.p4", "/elsewhere/p4include/core.p4"]);
  expect(moved.includes[1].file).toBe("/elsewhere/p4include/tc/pna.p4");
  expect(moved.includes[1].output().files).toContain("/elsewhere/p4include/tc/pna.p4");
  expect(JSON.stringify(moved.parsed[1].declarations(), bigints)).toContain('"file":"/elsewhere/p4include/tc/pna.p4"');
  expect(JSON.stringify(moved.parsed[1].declarations(), bigints)).not.toContain(repoRoot);
});

describeUnless(corpusMissing, "with the corpus", () => {
  const inDir = (dir: string) => programsIn(dir).map((f) => path.join(dir, f));
  const samples = fs.readdirSync(path.join(repoRoot, "samples")).map((d) => path.join(repoRoot, "samples", d, `${d}.p4`)).filter((f) => fs.existsSync(f));
  const programs = [...inDir(path.join(corpus, "p4tc/programs")).filter((_, k) => k % 8 === 0), ...samples];

  test.each(programs.map((p) => [path.basename(p), p]))("%s: the same result with and without the snapshots", (_name, file) => {
    const [a, b] = both({ input: { file }, includePaths: [path.dirname(file)] });
    expect(everything(a)).toBe(everything(b));
    // And the snapshots were used: without their declarations the program has fewer.
    const h = compile({ input: { file }, includePaths: [path.dirname(file)], prebuiltIncludes: hollow, stopAfter: "parse" });
    expect(h.ast!.declarations.length).toBeLessThan(b.ast!.declarations.length);
  });

  test("a diagnostic located in tc/pna.p4 prints the same, its source line included", () => {
    const source = fs.readFileSync(addEntry, "utf8").replace("MainDeparserImpl()", "MainControlImpl()");
    const [a, b] = both({ input: { source, fileName: "wrong_arg.p4" } });
    expect(a.ok).toBe(false);
    expect(a.format()).toContain(`${path.join(builtinIncludeDir, "tc/pna.p4")}(346): [--Werror=type-error] error: 'package PNA_NIC'`);
    expect(a.format()).toContain("\npackage PNA_NIC<MH, MM>(MainParserT<MH, MM> main_parser,\n");
    expect(everything(a)).toBe(everything(b));
  });

  // Each case must not use the snapshots: with the hollow set the program is the one processing gives.
  const noReplay: [string, () => CompileOptions][] = [
    ["a macro the file's text could see is defined (-D)", () => ({ input: { file: addEntry }, defines: { NoAction: "NoAction" } })],
    ["a declaration comes before the includes", () => ({ input: { source: `const bit<8> FIRST = 1;\n${fs.readFileSync(addEntry, "utf8")}`, fileName: "first.p4" } })],
    ["core.p4 resolves to another file (-I)", () => ({
      input: { file: addEntry },
      includePaths: ["/virtual"],
      readFile: (p: string) => (p === "/virtual/core.p4" ? fs.readFileSync(path.join(builtinIncludeDir, "core.p4"), "utf8") : fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined),
    })],
    ["core.p4's text differs (tc/pna.p4 includes it too)", () => ({
      input: { file: addEntry },
      readFile: (p: string) => (p.endsWith("/core.p4") ? `${fs.readFileSync(p, "utf8")}\n` : fs.existsSync(p) ? fs.readFileSync(p, "utf8") : undefined),
    })],
  ];
  test.each(noReplay)("not used when %s", (_name, options) => {
    const h = compile({ ...options(), prebuiltIncludes: hollow, stopAfter: "parse" });
    const b = compile({ ...options(), prebuiltIncludes: false, stopAfter: "parse" });
    expect(everything(h)).toBe(everything(b));
    expect(b.ok).toBe(true);
  });
});
