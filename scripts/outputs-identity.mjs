#!/usr/bin/env node
// Byte identity of every generated file: compiles the P4TC corpus, the STF
// programs and the samples in one process and prints one sha256 per output
// file. `--write FILE` saves the manifest, `--check FILE` compares against a
// saved one and exits 1 on any difference (a refactor must not move a byte).
// Run `npm run build` first.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../dist/compiler/compile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };

const programs = [];
const addDir = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith(".p4")) programs.push(path.join(dir, f));
};
addDir(path.join(corpus, "p4tc", "programs"));
addDir(path.join(corpus, "p4tc-stf"));
for (const s of fs.readdirSync(path.join(root, "samples")).sort()) addDir(path.join(root, "samples", s));

const lines = [];
for (const file of programs) {
  const rel = file.startsWith(root + path.sep) ? path.relative(root, file) : `corpus/${path.relative(corpus, file)}`;
  let r;
  try { r = compile({ input: { file }, includePaths: [path.dirname(file)] }); }
  catch (e) { lines.push(`${rel} CRASH ${String(e).split("\n")[0]}`); continue; }
  if (!r.ok) { lines.push(`${rel} REJECTED ${r.diagnostics.filter((d) => d.category === "error").length} errors`); continue; }
  for (const [name, text] of Object.entries(r.outputs).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(`${rel} ${name} ${crypto.createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
}
const manifest = lines.join("\n") + "\n";
const write = opt("--write"), check = opt("--check");
if (write) fs.writeFileSync(write, manifest);
if (check) {
  const old = fs.readFileSync(check, "utf8").split("\n");
  const now = new Set(lines);
  const before = new Set(old.filter(Boolean));
  const gone = [...before].filter((l) => !now.has(l)), added = lines.filter((l) => !before.has(l));
  for (const l of gone) console.log(`- ${l}`);
  for (const l of added) console.log(`+ ${l}`);
  console.log(`${programs.length} programs, ${lines.length} outputs: ${gone.length + added.length === 0 ? "byte-identical" : `${gone.length} changed or gone, ${added.length} new`}`);
  process.exitCode = gone.length + added.length === 0 ? 0 : 1;
} else if (!write) process.stdout.write(manifest);
else console.log(`${programs.length} programs, ${lines.length} outputs written to ${write}`);
