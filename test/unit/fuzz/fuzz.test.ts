// Issue 11, item 3: a bounded, seeded slice of the fuzzer (npm run fuzz runs
// it for longer): mutants of the samples and of generated programs compile
// or get located errors, none crashes or hangs (each in a worker thread with
// a timeout); generated programs compile, build and load. Runs the built
// worker (dist/fuzz/worker.js: npm test builds first).
import fs from "node:fs";
import path from "node:path";
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
}, 600000);
