// The whole P4TC corpus through the public compile() entry point, in process:
// every program's NAME.template and NAME.json against the reference outputs
// (byte for byte, or the reference with exactly the deviations recorded in
// test/reference-deviations.md applied), every *_errors.p4 rejected with the
// reference's error message on the reference's line. The same comparison the
// scoreboard makes through the CLI.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { validateModel } from "../../compiler/ir/pipeline.js";
import { corpus, programsIn } from "../helpers/corpus.js";
import { JSON_DEVIATIONS, TEMPLATE_DEVIATIONS, type JsonObj } from "../helpers/referenceDeviations.js";
import { templateCommands } from "../unit/codegen/corpusFixtures.js";
import { bashSyntaxError, checkTemplate, shellcheck, SHELLCHECK, type IntrospectionLike } from "../helpers/tcTemplateGrammar.js";

const suites = [
  { dir: path.join(corpus, "p4tc", "programs"), expected: path.join(corpus, "p4tc", "expected") },
  { dir: path.join(corpus, "p4tc-stf"), expected: path.join(corpus, "p4tc-stf") },
];

const cases = suites.flatMap((s) => programsIn(s.dir).map((f) => ({ file: path.join(s.dir, f), base: f.replace(/\.p4$/, ""), expected: s.expected })));
const compiling = cases.filter((c) => fs.existsSync(path.join(c.expected, `${c.base}.json`)));
const failing = cases.filter((c) => c.base.endsWith("_errors"));

test("the corpus is where the tests expect it", () => {
  // 59 P4TC programs with a reference JSON plus the 3 STF programs; 16 programs the reference rejects.
  expect(compiling.length).toBe(62);
  expect(failing.length).toBe(16);
});

describe.each(compiling.map((c) => [c.base, c]))("%s", (_name, c) => {
  const r = compile({ input: { file: c.file } });

  test("compiles, with a valid pipeline model", () => {
    expect(r.format()).not.toMatch(/error/);
    expect(r.ok).toBe(true);
    expect(validateModel(r.pipeline!)).toEqual([]);
  });

  test("template", () => {
    const got = r.outputs![`${c.base}.template`]!;
    const want = fs.readFileSync(path.join(c.expected, `${c.base}.template`), "utf8");
    const deviate = TEMPLATE_DEVIATIONS[c.base];
    if (deviate) {
      // The documented deviations are in `$TC` commands; every other line (shebang, comments, set -e, TC=...) is the reference's.
      expect(templateCommands(got)).toEqual(deviate(templateCommands(want)));
      expect(otherLines(got)).toEqual(otherLines(want));
    } else expect(got).toBe(want);
  });

  test("the template is valid bash, clean under shellcheck, and follows the tc p4template grammar when run", () => {
    const script = r.outputs![`${c.base}.template`]!;
    const json = JSON.parse(r.outputs![`${c.base}.json`]!) as IntrospectionLike;
    expect(bashSyntaxError(script)).toBeNull();
    const sc = shellcheck(script);
    if (sc === null) {
      if (process.env.P4TS_REQUIRE_TOOLS === "1") throw new Error(`${SHELLCHECK} is required (P4TS_REQUIRE_TOOLS=1) but not installed`);
      console.warn(`${SHELLCHECK} not installed: shellcheck part skipped`);
    } else expect(sc).toBe("");
    const run = checkTemplate(script, json);
    expect(run.syntaxError).toBeNull();
    expect(run.errors).toEqual([]);
  });

  test("introspection JSON", () => {
    const got = r.outputs![`${c.base}.json`]!;
    const want = fs.readFileSync(path.join(c.expected, `${c.base}.json`), "utf8");
    const deviate = JSON_DEVIATIONS[c.base];
    if (deviate) {
      const doc = JSON.parse(want) as JsonObj;
      deviate(doc);
      expect(JSON.parse(got)).toEqual(doc);
    } else expect(got).toBe(want);
  });
});

/** The template's lines other than `$TC` commands (continuations joined), as written. */
function otherLines(text: string): string[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((l) => !l.trim().startsWith("$TC "));
}

/** The reference's first error: its message and, when it prints one, its line. */
function referenceError(base: string, dir: string): { message: string; line: number | null } {
  const text = fs.readFileSync(path.join(dir, `${base}.p4-stderr`), "utf8");
  const m = /^(?:\S+\((\d+)\): )?(?:\[--Werror=[\w-]+\] )?error: (.*)$/m.exec(text)!;
  return { message: m[2]!, line: m[1] ? Number(m[1]) : null };
}

describe.each(failing.map((c) => [c.base, c]))("%s", (_name, c) => {
  test("is rejected with the reference's error", () => {
    const r = compile({ input: { file: c.file } });
    expect(r.ok).toBe(false);
    expect(r.outputs).toBeUndefined();
    const ref = referenceError(c.base, c.expected);
    const errors = r.diagnostics.filter((d) => d.category === "error");
    const same = errors.find((d) => d.message === ref.message);
    expect(same?.message ?? errors.map((d) => d.message)).toBe(ref.message);
    if (ref.line !== null) expect(same!.span?.line).toBe(ref.line);
    expect(same!.span).toBeDefined();
  });
});
