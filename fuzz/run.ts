/**
 * The fuzzer: generated programs (must compile, build and pass the verifier)
 * and mutants of seed programs (must compile or get located errors, never
 * crash or hang), each input in a worker thread with a timeout and a heap
 * limit. Seeded and deterministic in what it tries; the counts depend on the
 * time given.
 */
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { generateProgram, Rng } from "./generate.js";
import { mutate } from "./mutate.js";
import type { Job, JobResult } from "./worker.js";

export interface FuzzOptions {
  /** Stop after this long (default: when both counts are reached). */
  seconds?: number;
  /** Stop the mutant loop after this many (default unlimited when `seconds` is given). */
  mutants?: number;
  /** Stop the generator loop after this many. */
  programs?: number;
  seed?: number;
  /** Per-input timeout: longer is a hang (default 30 s). */
  timeoutMs?: number;
  /** Heap limit of a worker, MB (default 1024): more is a failure. */
  heapMb?: number;
  /** Seed programs for mutation: file paths. */
  seeds: string[];
  /** The worker script (dist/fuzz/worker.js). */
  workerFile?: string;
  /** Where failing inputs are written (default: not written). */
  saveDir?: string;
  log?: (line: string) => void;
}

export interface FuzzSummary {
  mutants: number;
  programs: number;
  counts: Record<string, number>;
  failures: { kind: string; name: string; op: string; detail: string }[];
  seconds: number;
}

const FAILURES = new Set(["crash", "hang", "unlocated", "unbuildable", "verifier", "rejected-generated", "oom"]);

class Runner {
  private worker?: Worker;
  constructor(
    private readonly file: string,
    private readonly heapMb: number,
  ) {}

  private spawn(): Worker {
    return new Worker(this.file, { resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
  }

  /** Runs one job; "hang" after `timeoutMs`, "oom" when the worker dies. */
  run(job: Job, timeoutMs: number): Promise<JobResult | { id: number; verdict: "hang" | "oom"; detail: string }> {
    const w = (this.worker ??= this.spawn());
    return new Promise((resolve) => {
      const done = (r: JobResult | { id: number; verdict: "hang" | "oom"; detail: string }) => {
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
        w.off("exit", onExit);
        resolve(r);
      };
      const kill = () => {
        this.worker = undefined;
        void w.terminate();
      };
      const timer = setTimeout(() => {
        kill();
        done({ id: job.id, verdict: "hang", detail: `no result after ${timeoutMs} ms` });
      }, timeoutMs);
      const onMessage = (r: JobResult) => done(r);
      const onError = (e: Error) => {
        kill();
        done({ id: job.id, verdict: "oom", detail: String(e?.message ?? e) });
      };
      const onExit = (code: number) => {
        this.worker = undefined;
        done({ id: job.id, verdict: "oom", detail: `worker exited (${code})` });
      };
      w.on("message", onMessage);
      w.on("error", onError);
      w.on("exit", onExit);
      w.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

export function defaultWorkerFile(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.js");
}

export async function fuzz(opts: FuzzOptions): Promise<FuzzSummary> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 1;
  const timeoutMs = opts.timeoutMs ?? 30000;
  const heapMb = opts.heapMb ?? 1024;
  const workerFile = opts.workerFile ?? defaultWorkerFile();
  const started = Date.now();
  const deadline = opts.seconds !== undefined ? started + opts.seconds * 1000 : Infinity;
  const maxMutants = opts.mutants ?? (opts.seconds !== undefined ? Infinity : 100);
  const maxPrograms = opts.programs ?? (opts.seconds !== undefined ? Infinity : 10);
  const counts: Record<string, number> = {};
  const failures: FuzzSummary["failures"] = [];
  const seeds = opts.seeds.map((f) => ({ name: path.basename(f, ".p4"), text: fs.readFileSync(f, "utf8") }));
  let mutants = 0, programs = 0;

  const record = (kind: string, name: string, op: string, detail: string, source: string, files?: Record<string, string>) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (!FAILURES.has(kind)) return;
    failures.push({ kind, name, op, detail });
    log(`FAIL ${kind} ${name} (${op})\n${detail.split("\n").slice(0, 8).map((l) => `    ${l}`).join("\n")}`);
    if (opts.saveDir) {
      fs.mkdirSync(opts.saveDir, { recursive: true });
      fs.writeFileSync(path.join(opts.saveDir, `${kind}-${name}.p4`), source);
      for (const [f, t] of Object.entries(files ?? {})) fs.writeFileSync(path.join(opts.saveDir, `${kind}-${name}-${f}`), t);
    }
  };

  const mutantLoop = async () => {
    if (seeds.length === 0) return;
    const runner = new Runner(workerFile, heapMb);
    const rng = new Rng(seed ^ 0x5eed);
    try {
      while (mutants < maxMutants && Date.now() < deadline) {
        const base = rng.chance(0.8) ? rng.pick(seeds) : { name: `gen${rng.int(0, 1 << 30)}`, text: generateProgram(rng.int(0, 1 << 30)).source };
        const m = mutate(base.text, rng);
        const name = "mutant";
        const r = await runner.run({ id: mutants, mode: "compile", name, source: m.source, files: m.files }, timeoutMs);
        mutants++;
        record(r.verdict === "ok" ? "mutant-compiled" : r.verdict === "rejected" ? "mutant-rejected" : r.verdict, `${base.name}-m${mutants}`, m.op, r.detail, m.source, m.files);
      }
    } finally {
      await runner.close();
    }
  };

  const programLoop = async () => {
    const runner = new Runner(workerFile, heapMb);
    try {
      while (programs < maxPrograms && Date.now() < deadline) {
        const p = generateProgram((seed * 100003 + programs) >>> 0);
        const r = await runner.run({ id: programs, mode: "check", name: p.name, source: p.source }, timeoutMs * 2);
        programs++;
        const kind = r.verdict === "ok" ? "program-ok" : r.verdict === "rejected" ? "rejected-generated" : r.verdict;
        record(kind, p.name, "generated", r.detail, p.source);
      }
    } finally {
      await runner.close();
    }
  };

  await Promise.all([mutantLoop(), programLoop()]);
  return { mutants, programs, counts, failures, seconds: (Date.now() - started) / 1000 };
}
