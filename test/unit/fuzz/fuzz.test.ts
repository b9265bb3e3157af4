// Issue 11, item 3: a bounded, seeded slice of the fuzzer (npm run fuzz runs
// it for longer): mutants of the samples and of generated programs compile
// or get located errors, none crashes or hangs (each in a worker thread with
// a timeout); generated programs compile, build and load. Runs the built
// worker (dist/fuzz/worker.js: npm test builds first).
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fuzz } from "../../../fuzz/run.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const workerFile = path.join(repo, "dist/fuzz/worker.js");
const samples = fs.readdirSync(path.join(repo, "samples")).map((d) => path.join(repo, "samples", d, `${d}.p4`)).filter((f) => fs.existsSync(f));

const run = fs.existsSync(workerFile) || process.env.P4TS_REQUIRE_TOOLS === "1" ? test : test.skip;

run("60 seeded mutants and 2 generated programs: no crash, hang or failure", async () => {
  const s = await fuzz({ mutants: 60, programs: 2, seed: 11, seeds: samples, workerFile, timeoutMs: 60000 });
  expect(s.failures).toEqual([]);
  expect(s.mutants).toBe(60);
  expect(s.programs).toBe(2);
  // The slice exercised both outcomes.
  expect(s.counts["mutant-rejected"]).toBeGreaterThan(0);
  // The CPU it took, by phase (Linux's /proc tells): each loop's phases ran,
  // and the two loops' shares add up to the whole.
  if (process.platform === "linux") {
    const cpu = s.cpu!;
    expect(cpu.byPhase["mutant compile"]).toBeGreaterThan(0);
    expect(cpu.byPhase["program compile"]).toBeGreaterThan(0);
    expect(cpu.mutantsMs).toBeGreaterThan(0);
    expect(cpu.programsMs).toBeGreaterThan(0);
    expect(cpu.mutantsMs + cpu.programsMs).toBeCloseTo(cpu.totalMs, 3);
  }
  expect(s.load.start).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/);
}, 600000);

// What `npm run fuzz` prints is the robustness acceptance's record: the
// counts of every outcome, the CPU by loop and what an idle machine would do.
const script = path.join(repo, "scripts/fuzz.mjs");
run("npm run fuzz prints the counts, the CPU and the load average", () => {
  const r = spawnSync(process.execPath, [script, "--mutants", "6", "--programs", "0", "--seed", "5"], { encoding: "utf8", env: { ...process.env, P4TS_CORPUS: path.join(repo, "no-corpus-here") } });
  // On a failure, the script's own words.
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
  const out = r.stdout;
  expect(out).toMatch(/^ {2}mutants: {2}6 \(\d+ compiled, \d+ rejected with located errors\)$/m);
  expect(out).toMatch(/^ {2}programs: 0 generated/m);
  expect(out).toMatch(/^ {2}crashes 0, hangs 0, out of memory 0, unlocated errors 0, generated but rejected 0, accepted but unbuildable 0, verifier rejections 0$/m);
  expect(out).toMatch(/^ {2}load average [\d.]+ [\d.]+ [\d.]+ at the start, [\d.]+ [\d.]+ [\d.]+ at the end$/m);
  if (process.platform === "linux") {
    expect(out).toMatch(/^ {2}CPU: \d+\.\d s in \d+ s \(\d+\.\d\d of 2 cores busy\)$/m);
    expect(out).toMatch(/^ {4}mutants +\d+\.\d s, \d+ ms each \(ms each: .*compile \d+/m);
    expect(out).toMatch(/^ {2}on an idle 2-core machine, 600 s at this run's CPU per input and split: about \d+ mutants and 0 programs$/m);
  }
}, 600000);
