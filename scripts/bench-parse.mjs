#!/usr/bin/env node
// Benchmark: preprocess and parse the whole p4_16_samples corpus in one process
// (the parser is built once). Prints the time of each stage. Run `npm run build` first.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { preprocess } from "../dist/compiler/preprocessor/index.js";
import { parseP4 } from "../dist/grammar/parse.js";
import { SourceFiles } from "../dist/compiler/source.js";
import { DiagnosticBag } from "../dist/compiler/diagnostics/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const dir = path.join(corpus, "p4_16_samples");
const inc = path.join(corpus, "p4include-ref");
const readFile = (p) => { try { return fs.readFileSync(p, "utf8"); } catch { return undefined; } };
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".p4")).sort();

let ppMs = 0, parseMs = 0, ok = 0;
const t0 = performance.now();
for (const f of files) {
  const diags = new DiagnosticBag();
  const a = performance.now();
  const pp = preprocess({ file: path.join(dir, f), includePaths: [dir], builtinIncludeDir: inc, readFile, files: new SourceFiles(), diags });
  const b = performance.now();
  parseP4(pp.text, pp.locate, diags);
  parseMs += performance.now() - b;
  ppMs += b - a;
  if (!diags.hasErrors()) ok++;
}
const total = performance.now() - t0;
console.log(`bench:parse  ${files.length} programs (${ok} parsed)  preprocess ${(ppMs / 1000).toFixed(2)} s  parse ${(parseMs / 1000).toFixed(2)} s  total ${(total / 1000).toFixed(2)} s`);
