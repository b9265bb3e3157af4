// The typed child table: forEachChild reaches every node a parsed program
// holds (found here by looking at every property of every object instead),
// once each, in source order.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { forEachChild, walk } from "../../../compiler/ast/forEachChild.js";
import type * as A from "../../../compiler/ast/nodes.js";
import { corpus } from "../../helpers/corpus.js";

// The corpus helpers register these tests as skipped when there is no corpus (P4TS_CORPUS).
const SAMPLES = path.join(corpus, "p4_16_samples");
/** Programs that between them hold every node kind (for loops, structured annotations, value sets, generics, entries, ...). */
const PROGRAMS = ["forloop1.p4", "structured-annotation.p4", "issue1955.p4", "table-entries-ternary-bmv2.p4", "generic-struct.p4", "issue1304.p4", "stack_complex-bmv2.p4"].filter((f) => fs.existsSync(path.join(SAMPLES, f)));

function parse(file: string): A.Program {
  const r = compile({ input: { file: path.join(SAMPLES, file) }, includePaths: [SAMPLES, path.join(SAMPLES, "../p4include-ref")], stopAfter: "parse" });
  expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  return r.ast!;
}

const isNode = (x: unknown): x is A.Node => typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string" && "span" in x;

/** Every node below `root` by its properties (annotation bodies, which are not program code, left out). */
function reflectiveNodes(root: A.Node, out: A.Node[] = []): A.Node[] {
  out.push(root);
  for (const [key, v] of Object.entries(root)) {
    if (key === "span" || (root.kind === "Annotation" && key === "body")) continue;
    for (const x of Array.isArray(v) ? v : [v]) if (isNode(x)) reflectiveNodes(x, out);
  }
  return out;
}

describe("forEachChild", () => {
  test("the programs are there", () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(5);
  });

  test.each(PROGRAMS)("%s: walk reaches every node of the tree once", (file) => {
    const program = parse(file);
    const seen: A.Node[] = [];
    walk(program, (n) => void seen.push(n));
    const all = reflectiveNodes(program);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(all.length);
    const reached = new Set(seen);
    expect(all.filter((n) => !reached.has(n)).map((n) => n.kind)).toEqual([]);
  });

  test.each(PROGRAMS)("%s: children come in source order", (file) => {
    const program = parse(file);
    const bad: string[] = [];
    walk(program, (n) => {
      const kids: A.Node[] = [];
      forEachChild(n, (c) => void kids.push(c));
      // Children from one file come in the order they are written (annotations aside: a key element's follow its expression).
      const sameFile = kids.filter((c) => c.kind !== "Annotation" && c.span.file === n.span.file);
      const ordered = [...sameFile].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
      if (sameFile.some((c, i) => c !== ordered[i])) bad.push(`${n.kind} at ${n.span.line}:${n.span.col}`);
    });
    expect(bad).toEqual([]);
  });

  test("returning false skips a node's children", () => {
    const program = parse(PROGRAMS[0]!);
    const kinds: string[] = [];
    walk(program, (n) => {
      kinds.push(n.kind);
      return n.kind !== "Program";
    });
    expect(kinds).toEqual(["Program"]);
  });
});
