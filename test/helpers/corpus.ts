// Shared helpers for corpus tests: where the corpus is, and preprocess + parse in-process.
import fs from "node:fs";
import path from "node:path";
import { preprocess } from "../../compiler/preprocessor/index.js";
import { parseP4 } from "../../grammar/parse.js";
import { SourceFiles } from "../../compiler/source.js";
import { DiagnosticBag } from "../../compiler/diagnostics/index.js";
import type { Program } from "../../compiler/ast/nodes.js";
import { mustRun, skipEveryTest } from "./skip.js";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const corpus = process.env.P4TS_CORPUS ?? path.resolve(repoRoot, "../shared/corpus");
export const refInclude = path.join(corpus, "p4include-ref");

/** Why the corpus cannot be used here, or undefined when it is there. */
export const corpusMissing = fs.existsSync(path.join(corpus, "p4tc"))
  ? undefined
  : `no corpus at ${corpus} (put the shared corpus beside the checkout, or set P4TS_CORPUS)`;
// A suite that imports this file needs the corpus: without it (and outside CI)
// every test it declares is registered as skipped, naming the reason.
if (corpusMissing !== undefined && !mustRun) skipEveryTest(corpusMissing);
export const builtinInclude = path.join(repoRoot, "compiler", "p4include");

export function programsIn(dir: string): string[] {
  if (corpusMissing !== undefined && !mustRun && !fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".p4")).sort();
}

export function readFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The samples whose text is a path rather than P4: the reference repository
 * stores them as symbolic links to files outside the corpus.
 */
export function isSymlinkStub(file: string): boolean {
  const text = fs.readFileSync(file, "utf8").trim();
  return /^[./\w-]+\.p4$/.test(text) && !text.includes("\n");
}

export interface Parsed {
  program: Program;
  diags: DiagnosticBag;
  files: SourceFiles;
  text: string;
}

export function parseFile(file: string, includeDir = refInclude): Parsed {
  const diags = new DiagnosticBag();
  const files = new SourceFiles();
  const pp = preprocess({ file, includePaths: [path.dirname(file)], builtinIncludeDir: includeDir, readFile, files, diags });
  const program = parseP4(pp.text, pp.locate, diags);
  return { program, diags, files, text: pp.text };
}

/** Every STF test p4ts runs: the reference corpus's three, each sample's and test/fixtures/stf's. */
export function stfCases(): { name: string; p4: string; stf: string }[] {
  return [
    ...["arp_respond", "redirect_l2", "simple_l3"].map((n) => ({ name: n, p4: path.join(corpus, "p4tc-stf", `${n}.p4`), stf: path.join(corpus, "p4tc-stf", `${n}.stf`) })),
    ...fs.readdirSync(path.join(repoRoot, "samples")).map((n) => ({ name: n, p4: path.join(repoRoot, "samples", n, `${n}.p4`), stf: path.join(repoRoot, "samples", n, `${n}.stf`) })),
    ...fs
      .readdirSync(path.join(repoRoot, "test", "fixtures", "stf"))
      .filter((f) => f.endsWith(".p4"))
      .map((f) => ({ name: `fixture ${f}`, p4: path.join(repoRoot, "test", "fixtures", "stf", f), stf: path.join(repoRoot, "test", "fixtures", "stf", f.replace(/\.p4$/, ".stf")) })),
  ];
}
