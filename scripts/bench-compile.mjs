#!/usr/bin/env node
// npm run bench:compile: what one `p4ts` process costs. Runs bin/p4ts.js on
// each of the P4TC corpus programs (FILE.p4 -o DIR, a separate process each)
// under /usr/bin/time and prints CPU (user+sys) and wall time per file
// (median, p90, max) and the peak RSS; then `p4ts --version` alone and a bare
// `node -e 0` for the floor of this machine; then all programs compiled in one
// process with compile(), cold and warm. CPU time is what to compare on a
// shared machine: the load average is printed beside the figures.
//
//   node scripts/bench-compile.mjs [--runs N] [--unbundled]
// --unbundled runs the CLI from dist/cli/main.js (P4TS_UNBUNDLED=1) instead of
// the bundle, for a before/after comparison.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf("--runs") + 1]) || 1;
const env = { ...process.env, ...(argv.includes("--unbundled") ? { P4TS_UNBUNDLED: "1" } : {}) };
// NODE_EXTRA_CA_CERTS makes every Node start parse that certificate file (this
// machine's environment sets it): the figures are measured as the environment
// is, and, for reference, once more without it.
const caVar = env.NODE_EXTRA_CA_CERTS;
const envNoCa = { ...env };
delete envNoCa.NODE_EXTRA_CA_CERTS;
const timeBin = "/usr/bin/time";
if (!fs.existsSync(timeBin)) {
  console.error("bench:compile: needs /usr/bin/time (Debian package `time`)");
  process.exit(1);
}

const compileJs = path.join(root, "dist/compiler/compile.js");
if (!fs.existsSync(compileJs)) {
  console.error("bench:compile: no dist/ here: run `npm run build` first");
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-bench-compile-"));
const timeFile = path.join(tmp, "time");
/** One process under /usr/bin/time: CPU s, wall s, peak RSS MiB, and its exit status. */
function measure(args, withEnv = env) {
  const r = spawnSync(timeBin, ["-f", "%U %S %e %M", "-o", timeFile, process.execPath, ...args], { env: withEnv, stdio: ["ignore", "ignore", "pipe"] });
  const [u, s, e, m] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
  return { cpu: u + s, wall: e, rss: m / 1024, status: r.status, stderr: r.stderr.toString() };
}
// A figure is worth printing only for the run it claims to time: a CLI that
// fails to start (no dist/, say) is fast, and must not pass for a fast compiler.
const broken = [];
function expectStatus(what, m, ok) {
  if (!ok(m.status)) broken.push(`${what}: exit ${m.status}${m.stderr ? `\n    ${m.stderr.trim().split("\n").slice(0, 3).join("\n    ")}` : ""}`);
  return m;
}
/** A compile ends with 0, or with 1 after reporting the program's own errors; not with a crash's stack trace. */
function expectCompile(what, m) {
  const reported = /\berror:/.test(m.stderr) && !/^\s+at .+:\d+:\d+\)?$/m.test(m.stderr);
  return expectStatus(what, m, (st) => st === 0 || (st === 1 && reported));
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const stats = (xs) => `median ${quantile(xs, 0.5).toFixed(3)}  p90 ${quantile(xs, 0.9).toFixed(3)}  max ${Math.max(...xs).toFixed(3)}`;
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");

const dir = path.join(corpus, "p4tc/programs");
const programs = fs.readdirSync(dir).filter((f) => f.endsWith(".p4")).sort().map((f) => path.join(dir, f));
const bin = path.join(root, "bin/p4ts.js");
console.log(`bench:compile on ${os.cpus().length} CPUs, Node ${process.version}, ${env.P4TS_UNBUNDLED ? "unbundled" : "bundled"} CLI; load average ${load()}`);

// Per file, interleaved with --version and the bare node floor so that load changes hit all three alike.
const files = [], version = [], floor = [], filesNoCa = [], floorNoCa = [];
let rssMax = { rss: 0, file: "" };
for (let r = 0; r < runs; r++) {
  for (const [i, p] of programs.entries()) {
    const m = expectCompile(path.basename(p), measure([bin, p, "-o", path.join(tmp, "out")]));
    files.push(m);
    if (caVar !== undefined) filesNoCa.push(expectCompile(path.basename(p), measure([bin, p, "-o", path.join(tmp, "out")], envNoCa)));
    if (m.rss > rssMax.rss) rssMax = { rss: m.rss, file: path.basename(p) };
    if (i % 5 === 0) {
      version.push(expectStatus("--version", measure([bin, "--version"]), (st) => st === 0));
      floor.push(measure(["-e", "0"]));
      if (caVar !== undefined) floorNoCa.push(measure(["-e", "0"], envNoCa));
    }
  }
}
if (broken.length > 0) {
  console.error(`bench:compile: ${broken.length} runs did not do what they time, so no figures:\n  ${[...new Set(broken)].slice(0, 10).join("\n  ")}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
const cpu = (ms) => ms.map((m) => m.cpu);
const wall = (ms) => ms.map((m) => m.wall);
console.log(`\n${programs.length} programs x ${runs}, one process each (seconds)`);
console.log(`  per file  CPU  ${stats(cpu(files))}   (target: median <= 0.25)`);
console.log(`  per file  wall ${stats(wall(files))}`);
console.log(`  peak RSS  max ${rssMax.rss.toFixed(1)} MiB (${rssMax.file}), median ${quantile(files.map((m) => m.rss), 0.5).toFixed(1)} MiB   (target: <= 60)`);
console.log(`  --version CPU  ${stats(cpu(version))}   (target: median <= 0.12)`);
console.log(`  --version wall ${stats(wall(version))}`);
console.log(`  node -e 0 CPU  ${stats(cpu(floor))}   (the floor: Node's own start on this machine now)`);
if (caVar !== undefined) {
  console.log(`  for reference, with NODE_EXTRA_CA_CERTS (${caVar}) unset:`);
  console.log(`    per file  CPU  ${stats(cpu(filesNoCa))}`);
  console.log(`    node -e 0 CPU  ${stats(cpu(floorNoCa))}`);
}

// All programs in one process, through the library.
const { compile } = await import(compileJs);
let okInProcess = 0;
const pass = () => {
  okInProcess = 0;
  const t = process.cpuUsage();
  for (const p of programs) if (compile({ input: { file: p } }).ok) okInProcess++;
  const u = process.cpuUsage(t);
  return (u.user + u.system) / 1e6;
};
const cold = pass();
// The CLI and the library must agree on which programs compile: the timed processes did the same work.
const okCli = files.slice(0, programs.length).filter((m) => m.status === 0).length;
if (okCli !== okInProcess) {
  console.error(`bench:compile: the CLI compiled ${okCli} programs and compile() ${okInProcess}: the timed runs are not the same work`);
  process.exit(1);
}
const warm = Math.min(pass(), pass(), pass());
console.log(`\n${programs.length} programs in one process with compile() (${okInProcess} compile, the rest are rejected as the CLI rejects them): cold ${cold.toFixed(2)} s CPU, warm ${warm.toFixed(2)} s CPU (best of 3)   (target: warm < 1.5)`);
console.log(`load average at the end: ${load()}`);
fs.rmSync(tmp, { recursive: true, force: true });
