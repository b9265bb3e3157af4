#!/usr/bin/env node
// Front-end measurement in one process: runs compile({stopAfter:"frontend"}) over
// the samples (must pass) and the errors corpus (must be rejected at the reference's
// line). Run `npm run build` first. Usage: node scripts/check-corpus.mjs [samples|errors|p4tc]... [-v]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../dist/compiler/compile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const inc = path.join(corpus, "p4include-ref");
const args = process.argv.slice(2);
const verbose = args.includes("-v");
const suites = args.filter((a) => !a.startsWith("-"));
const want = (s) => suites.length === 0 || suites.includes(s);
const p4 = (dir) => fs.readdirSync(dir).filter((f) => f.endsWith(".p4")).sort();
const first = (r) => r.diagnostics.find((d) => d.category === "error");
const show = (r) => { const d = first(r); return d ? `${d.span ? `${path.basename(d.span.file)}(${d.span.line})` : ""} ${d.message}` : ""; };

function run(file, includePaths, opts = {}) {
  try {
    return compile({ input: { file }, includePaths, stopAfter: "frontend", ...opts });
  } catch (e) {
    return { crash: e, ok: false, diagnostics: [] };
  }
}

if (want("samples")) {
  const dir = path.join(corpus, "p4_16_samples");
  let pass = 0, parseFail = 0; const fails = [];
  const t0 = performance.now();
  for (const f of p4(dir)) {
    const r = run(path.join(dir, f), [inc, dir]);
    if (r.ok) pass++;
    else if (r.diagnostics.some((d) => d.code >= 1000 && d.code < 3000)) parseFail++;
    else fails.push(`${f}: ${r.crash ? "CRASH " + r.crash.stack.split("\n").slice(0, 3).join(" ") : show(r)}`);
  }
  console.log(`samples: ${pass}/${p4(dir).length} pass the front end (${parseFail} fail before it) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (verbose) for (const x of fails) console.log("  " + x);
}
for (const [name, dirs] of [["p4tc", [path.join(corpus, "p4tc/programs"), path.join(corpus, "p4tc-stf"), path.join(root, "samples")]]]) {
  if (!want(name)) continue;
  let pass = 0, n = 0; const fails = [];
  const t0 = performance.now();
  for (const d of dirs) {
    const list = fs.existsSync(d) ? (fs.statSync(d).isDirectory() ? p4(d).map((f) => path.join(d, f)) : []) : [];
    const sub = d.endsWith("samples") ? fs.readdirSync(d).flatMap((s) => { const sd = path.join(d, s); return fs.statSync(sd).isDirectory() ? p4(sd).map((f) => path.join(sd, f)) : []; }) : [];
    for (const file of [...list, ...sub]) {
      if (file.endsWith("_errors.p4")) continue;
      n++;
      const r = run(file, [path.dirname(file)]);
      if (r.ok) pass++; else fails.push(`${path.basename(file)}: ${r.crash ? "CRASH " + r.crash.stack.split("\n").slice(0, 3).join(" ") : show(r)}`);
    }
  }
  console.log(`p4tc: ${pass}/${n} pass the front end in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (verbose) for (const x of fails) console.log("  " + x);
}
if (want("errors")) {
  const dir = path.join(corpus, "p4_16_errors");
  let rejected = 0, lineOk = 0, crashes = 0, located = 0, anyLine = 0; const missed = [], wrongLine = [];
  for (const f of p4(dir)) {
    const r = run(path.join(dir, f), [inc]);
    const exp = fs.readFileSync(path.join(dir, f + "-stderr"), "utf8").split("\n").find((l) => /error/.test(l)) ?? "";
    const m = /^([^\s(]+)\((\d+)\)/.exec(exp);
    if (r.crash) { crashes++; missed.push(`${f}: CRASH ${r.crash.stack.split("\n").slice(0, 3).join(" ")}`); continue; }
    if (r.ok) { missed.push(`${f}: want ${exp.slice(0, 150)}`); continue; }
    rejected++;
    // The looser measure of issue 10: among rejected programs whose reference
    // stderr names a line (error, warning or note), one of our errors is on a
    // line it names.
    const refLines = fs.readFileSync(path.join(dir, f + "-stderr"), "utf8").split("\n").flatMap((l) => { const x = /^([^\s(]+)\((\d+)\)/.exec(l); return x ? [`${path.basename(x[1])}:${x[2]}`] : []; });
    if (refLines.length > 0) {
      located++;
      if (r.diagnostics.some((e) => e.category === "error" && e.span && refLines.includes(`${path.basename(e.span.file)}:${e.span.line}`))) anyLine++;
    }
    const d = first(r);
    if (m && d?.span && path.basename(d.span.file) === m[1] && d.span.line === Number(m[2])) lineOk++;
    else wrongLine.push(`${f}: got ${show(r).slice(0, 120)} | want ${exp.slice(0, 150)}`);
  }
  const n = p4(dir).length;
  console.log(`errors: ${rejected}/${n} rejected, ${lineOk} at the reference's first error line, ${crashes} crashes; ${anyLine} of the ${located} rejected with a reference location have an error on a line the reference names`);
  if (verbose) { console.log("-- not rejected"); for (const x of missed) console.log("  " + x); console.log("-- other line"); for (const x of wrongLine) console.log("  " + x); }
}
