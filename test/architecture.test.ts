// The shape of the source tree, checked on the import graph read from the
// sources themselves: no import cycles, no import that points up the layers
// (the allowed dependencies of the project guide), no oversized source file.
// Type-only imports count: a cycle of types is still a cycle to untangle.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", "dist", "test", ".git"]);

/** Every TypeScript source file of the project (tests and build output excluded), relative to the root with `/`. */
function sourceFiles(dir = ROOT): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(path.relative(ROOT, p).split(path.sep).join("/"));
  }
  return out.sort();
}

/**
 * The module specifiers a file imports: `import … from`, `export … from`,
 * side-effect `import "…"`, and `import("…")` (dynamic or in a type). Comments
 * and strings other than specifiers are not parsed, so text that only looks
 * like an import inside a comment is skipped with the comments.
 */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[^]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

/** The project file a relative specifier names (`./x.js` → `x.ts`, `./dir` → `dir/index.ts`), or null for a package. */
function resolveImport(from: string, spec: string, files: ReadonlySet<string>): string | null {
  if (!spec.startsWith(".")) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const c of [base.replace(/\.js$/, ".ts"), `${base}.ts`, `${base}/index.ts`]) if (files.has(c)) return c;
  return null;
}

interface Graph {
  readonly files: readonly string[];
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Relative specifiers that name no source file. */
  readonly unresolved: readonly string[];
}

function importGraph(): Graph {
  const files = sourceFiles();
  const set = new Set(files);
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const f of files) {
    const to: string[] = [];
    for (const spec of importSpecifiers(fs.readFileSync(path.join(ROOT, f), "utf8"))) {
      const r = resolveImport(f, spec, set);
      if (r) to.push(r);
      else if (spec.startsWith(".") && !/\.(json|mjs|cjs)$/.test(spec)) unresolved.push(`${f} -> ${spec}`);
    }
    edges.set(f, [...new Set(to)]);
  }
  return { files, edges, unresolved };
}

/** The strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (;;) {
      const w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc.sort());
  }
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}

/** The layers: files under `from` may import, among the project's files, only those under one of `allowed` (and their own directory tree). */
const LAYERS: readonly { readonly from: string; readonly allowed: readonly string[]; readonly why: string }[] = [
  { from: "codegen/", allowed: ["codegen/", "compiler/ir/"], why: "the back ends see only the IR" },
  { from: "compiler/ir/", allowed: ["compiler/ir/", "compiler/ast/", "compiler/diagnostics/", "compiler/source.ts"], why: "the IR imports neither the mid-end, the front end nor the back ends" },
  { from: "grammar/", allowed: ["grammar/", "compiler/ast/", "compiler/diagnostics/", "compiler/source.ts"], why: "the parser builds the AST only" },
  { from: "sim/", allowed: ["sim/", "compiler/ast/", "compiler/frontend/", "compiler/diagnostics/", "compiler/source.ts", "compiler/compile.ts", "compiler/preprocessor/", "compiler/paths.ts", "grammar/"], why: "the interpreter is an oracle independent of the IR and the back ends" },
  { from: "targets/", allowed: ["targets/", "compiler/ir/", "compiler/ast/", "compiler/frontend/", "build/", "sim/"], why: "a target runs a built program (the interpreter's adapter reads the AST and the front end's tables)" },
];

/** Imports no file under `from` may make, whatever else it may. */
const FORBIDDEN: readonly { readonly from: string; readonly to: readonly string[] }[] = [
  { from: "compiler/ir/", to: ["compiler/midend/", "compiler/frontend/", "codegen/"] },
  { from: "sim/", to: ["compiler/ir/", "codegen/", "compiler/midend/"] },
  { from: "compiler/midend/", to: ["codegen/", "targets/", "stf/", "cli/", "build/"] },
  { from: "compiler/frontend/", to: ["compiler/midend/", "compiler/ir/", "codegen/", "targets/", "stf/", "cli/", "build/"] },
];

const MAX_LINES = 700;
const LONG_FILES_ALLOWED = new Set(["grammar/p4parser.ts"]);

const graph = importGraph();

describe("the import graph", () => {
  test("is read from the sources: every relative import names a source file", () => {
    expect(graph.files.length).toBeGreaterThan(50);
    expect(graph.files).toContain("compiler/compile.ts");
    expect(graph.edges.get("compiler/compile.ts")).toContain("compiler/midend/index.ts");
    expect(graph.unresolved).toEqual([]);
  });

  test("has no import cycles", () => {
    expect(cycles(graph.files, graph.edges).map((c) => c.join(" "))).toEqual([]);
  });

  test("no import points up the layers", () => {
    const bad: string[] = [];
    for (const [from, tos] of graph.edges) {
      for (const layer of LAYERS) {
        if (!from.startsWith(layer.from)) continue;
        for (const to of tos) if (!layer.allowed.some((a) => to === a || to.startsWith(a))) bad.push(`${from} -> ${to} (${layer.why})`);
      }
      for (const f of FORBIDDEN) if (from.startsWith(f.from)) for (const to of tos) if (f.to.some((x) => to.startsWith(x))) bad.push(`${from} -> ${to}`);
    }
    expect(bad).toEqual([]);
  });

  test(`no source file is over ${MAX_LINES} lines (the parser aside)`, () => {
    const long = graph.files
      .filter((f) => !LONG_FILES_ALLOWED.has(f))
      .map((f) => ({ f, n: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length - 1 }))
      .filter((x) => x.n > MAX_LINES)
      .map((x) => `${x.f}: ${x.n} lines`);
    expect(long).toEqual([]);
  });
});

describe("the checks themselves", () => {
  test("import specifiers: from, export-from, side effects, import types; not inside comments", () => {
    const text = [
      'import type { A } from "./a.js";',
      'import { b,\n  c } from "../b.js";',
      'export { d } from "./d.js";',
      'import "./e.js";',
      'type F = import("./f.js").F;',
      '// import { g } from "./g.js";',
      '/* import { h } from "./h.js"; */',
      'const s = "http://x"; import * as I from "./i.js";',
    ].join("\n");
    expect(importSpecifiers(text).sort()).toEqual(["../b.js", "./a.js", "./d.js", "./e.js", "./f.js", "./i.js"]);
  });

  test("cycles: found through several files and on a self-import, not on a diamond", () => {
    const e = new Map<string, string[]>([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["x", ["y", "z"]],
      ["y", ["w"]],
      ["z", ["w"]],
      ["w", []],
      ["s", ["s"]],
    ]);
    expect(cycles([...e.keys()], e)).toEqual([["a", "b", "c"], ["s"]]);
  });
});
