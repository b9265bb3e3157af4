#!/usr/bin/env node
// npm run fuzz -- [--seconds N] [--mutants N] [--programs N] [--seed S] [--save DIR] [--timeout MS]
// (--timeout: wall time after which an input is a hang, default 120 s: on a loaded machine an input
// of 2 s of CPU can take 30 s; an unbounded one still shows)
//                  [--jobs N] [--program-jobs N] [--batch N]   (mutant threads, program threads, programs per clang run)
// Generated programs must compile, build with clang and pass the kernel's
// verifier (the build and load stages are skipped, and said so, where clang,
// root or bpftool are missing); mutants of the corpus, the samples and
// generated programs must compile or get located errors, never crash or hang.
// Exit 1 when anything failed. Uses dist/ (npm run build first).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { fuzz } = await import(path.join(root, "dist/fuzz/run.js"));
const { findTools } = await import(path.join(root, "dist/fuzz/check.js"));

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const num = (name) => (opt(name) === undefined ? undefined : Number(opt(name)));
const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");
const seedDirs = [path.join(corpus, "p4tc/programs"), path.join(corpus, "p4tc-stf"), ...fs.readdirSync(path.join(root, "samples")).map((d) => path.join(root, "samples", d))];
const seeds = seedDirs.filter((d) => fs.existsSync(d)).flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith(".p4")).map((f) => path.join(d, f)));

const tools = findTools();
for (const m of tools.missing) console.log(`fuzz: skipped stage: ${m}`);
const seconds = num("seconds") ?? (num("mutants") === undefined && num("programs") === undefined ? 60 : undefined);
console.log(`fuzz: ${seeds.length} seed programs, seed ${num("seed") ?? 1}${seconds !== undefined ? `, ${seconds} s` : ""}`);
const s = await fuzz({ seconds, mutants: num("mutants"), programs: num("programs"), seed: num("seed") ?? 1, seeds, saveDir: opt("save"), jobs: num("jobs"), programJobs: num("program-jobs"), batch: num("batch"), timeoutMs: num("timeout") ?? 120000, log: (l) => console.log(l) });
const c = s.counts;
const n = (k) => c[k] ?? 0;
console.log(`\nfuzz: ${s.seconds.toFixed(0)} s`);
console.log(`  mutants:  ${s.mutants} (${n("mutant-compiled")} compiled, ${n("mutant-rejected")} rejected with located errors)`);
console.log(`  programs: ${s.programs} generated (${n("program-ok")} ok: compiled${tools.clang ? ", built" : ""}${tools.load ? ", loaded" : ""})`);
printCpu(s, seconds);
console.log(`  crashes ${n("crash")}, hangs ${n("hang")}, out of memory ${n("oom")}, unlocated errors ${n("unlocated")}, generated but rejected ${n("rejected-generated")}, accepted but unbuildable ${n("unbuildable")}, verifier rejections ${n("verifier")}`);
process.exit(s.failures.length > 0 ? 1 : 0);

/**
 * The CPU the run took, by phase, and what the same run would do on an idle
 * machine of this kind (2 cores), at the CPU per input measured here: on a
 * loaded machine the wall clock says little.
 */
function printCpu(s, seconds) {
  console.log(`  load average ${s.load.start} at the start, ${s.load.end} at the end`);
  const cpu = s.cpu;
  if (!cpu) return void console.log("  CPU: not measured (no /proc here)");
  const sec = (ms) => (ms / 1000).toFixed(1);
  const each = (ms, k) => (k > 0 ? `${(ms / k).toFixed(0)} ms each` : "none");
  const phases = (prefix, k) =>
    Object.entries(cpu.byPhase)
      .filter(([p]) => p.startsWith(prefix))
      .sort((a, b) => b[1] - a[1])
      .map(([p, ms]) => `${p.slice(prefix.length)} ${k > 0 ? (ms / k).toFixed(0) : sec(ms)}`)
      .join(", ");
  const cores = 2;
  console.log(`  CPU: ${sec(cpu.totalMs)} s in ${s.seconds.toFixed(0)} s (${(cpu.totalMs / 1000 / s.seconds).toFixed(2)} of ${cores} cores busy)`);
  console.log(`    mutants  ${sec(cpu.mutantsMs)} s, ${each(cpu.mutantsMs, s.mutants)} (ms each: ${phases("mutant ", s.mutants)})`);
  console.log(`    programs ${sec(cpu.programsMs)} s, ${each(cpu.programsMs, s.programs)} (ms each: ${phases("program ", s.programs)})`);
  console.log(`    (phases: the worker threads' own CPU and that of the children they waited for; the rest of the process's, V8's own threads, ${sec(cpu.totalMs - Object.values(cpu.byPhase).reduce((a, b) => a + b, 0))} s, goes with the JavaScript that ran)`);
  for (const t of [...new Set([seconds ?? Math.round(s.seconds), 600])]) {
    const f = (cores * t * 1000) / cpu.totalMs;
    console.log(`  on an idle ${cores}-core machine, ${t} s at this run's CPU per input and split: about ${Math.floor(s.mutants * f)} mutants and ${Math.floor(s.programs * f)} programs`);
  }
}
