/**
 * The fuzzer: generated programs (must compile, build and pass the verifier)
 * and mutants of seed programs (must compile or get located errors, never
 * crash or hang), each input in a worker thread with a timeout and a heap
 * limit. Seeded and deterministic in what it tries; the counts depend on the
 * time given.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { generateProgram, Rng } from "./generate.js";
import { mutate } from "./mutate.js";
import type { Job, JobResult } from "./worker.js";
import { mountBpffs, unmountBpffs } from "./check.js";
import { addCpu, childrenCpuMs, CpuClock, loadAverage, type CpuByPhase } from "./cpu.js";

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
  /**
   * Mutant workers (threads) running at once (default 1). With one mutant
   * worker and one program worker (whose thread waits while its clang or
   * bpftool runs) the run keeps two cores busy and no more.
   */
  jobs?: number;
  /**
   * Workers checking generated programs at once (default 1). The children's
   * CPU is told per process, so with more than one the split of the
   * programs' CPU between clang and load is approximate (the total is not).
   */
  programJobs?: number;
  /** Generated programs per clang run (default 8; fewer near the deadline). */
  batch?: number;
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
  /** CPU time used (absent where /proc does not tell) */
  cpu?: FuzzCpu;
  /** the load averages (1, 5, 15 min) at the start and at the end */
  load: { start: string; end: string };
}

export interface FuzzCpu {
  /** ms by phase: "mutant compile", "mutant make" (choosing and mutating, in the main thread), "program generate", "program compile", "program clang", "program load", "... worker start-up" */
  byPhase: CpuByPhase;
  /** the whole run: every thread of the process (with V8's own) and the children waited for, ms */
  totalMs: number;
  /** CPU ms spent on the mutant loop and on the generated programs, with the run's other CPU (V8's threads) shared in proportion to their threads' */
  mutantsMs: number;
  programsMs: number;
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
  const cpu0 = process.cpuUsage(), children0 = childrenCpuMs(), load0 = loadAverage();
  const clock = new CpuClock();
  const byPhase: CpuByPhase = {}, childrenByPhase: CpuByPhase = {};
  const addJobCpu = (r: { cpu?: { phases: CpuByPhase; children: CpuByPhase } }) => {
    if (!r.cpu) return;
    addCpu(byPhase, r.cpu.phases);
    addCpu(childrenByPhase, r.cpu.children);
  };
  const deadline = opts.seconds !== undefined ? started + opts.seconds * 1000 : Infinity;
  const maxMutants = opts.mutants ?? (opts.seconds !== undefined ? Infinity : 100);
  const maxPrograms = opts.programs ?? (opts.seconds !== undefined ? Infinity : 10);
  const counts: Record<string, number> = {};
  const failures: FuzzSummary["failures"] = [];
  const seeds = opts.seeds.map((f) => ({ name: path.basename(f, ".p4"), text: fs.readFileSync(f, "utf8") }));
  let mutants = 0, programs = 0;
  const jobs = opts.jobs ?? 1;
  const programJobs = opts.programJobs ?? 1;
  const batch = opts.batch ?? 8;

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

  // Mutant k comes from its own generator state, so the inputs tried do not
  // depend on how the workers interleave.
  let nextMutant = 0;
  const mutantWorker = async () => {
    const runner = new Runner(workerFile, heapMb);
    try {
      while (nextMutant < maxMutants && Date.now() < deadline) {
        const k = nextMutant++;
        const rng = new Rng((Math.imul(seed ^ 0x5eed, 0x9e3779b1) + Math.imul(k + 1, 0x85ebca6b)) >>> 0);
        const { base, m } = clock.phase("mutant make", () => {
          const base = rng.chance(0.8) ? rng.pick(seeds) : { name: `gen${rng.int(0, 1 << 30)}`, text: generateProgram(rng.int(0, 1 << 30)).source };
          return { base, m: mutate(base.text, rng) };
        });
        const r = await runner.run({ id: k, mode: "compile", name: "mutant", source: m.source, files: m.files }, timeoutMs);
        if ("cpu" in r) addJobCpu(r);
        mutants++;
        record(r.verdict === "ok" ? "mutant-compiled" : r.verdict === "rejected" ? "mutant-rejected" : r.verdict, `${base.name}-m${k}`, m.op, r.detail, m.source, m.files);
      }
    } finally {
      await runner.close();
    }
  };

  // Generated program i has seed seed * 100003 + i; a worker takes a batch of
  // the next indices (smaller batches when the deadline is near).
  let nextProgram = 0;
  let programMs = 0;
  const programWorker = async () => {
    const runner = new Runner(workerFile, heapMb);
    try {
      while (nextProgram < maxPrograms && Date.now() < deadline) {
        const left = deadline - Date.now();
        // Until a batch has been timed, batches of 2 (the first ones could otherwise overrun a short run).
        const fit = !Number.isFinite(left) ? batch : programs > 0 ? Math.floor(left / (2 * programMs)) : 2;
        const n = Math.max(1, Math.min(batch, fit, maxPrograms - nextProgram));
        const first = nextProgram;
        nextProgram += n;
        const ps = clock.phase("program generate", () => Array.from({ length: n }, (_, i) => generateProgram((seed * 100003 + first + i) >>> 0)));
        const t0 = Date.now();
        const r = await runner.run({ id: first, mode: "check", name: ps[0]!.name, source: "", batch: ps, scratch, bpffs }, timeoutMs * 2 * n);
        if ("cpu" in r) addJobCpu(r);
        const each = "each" in r && r.each ? r.each : ps.map(() => ({ verdict: r.verdict, detail: r.detail }));
        programs += n;
        programMs = (Date.now() - t0) / n;
        ps.forEach((p, i) => {
          const v = each[i]!.verdict;
          record(v === "ok" ? "program-ok" : v === "rejected" ? "rejected-generated" : v, p.name, "generated", each[i]!.detail, p.source);
        });
      }
    } finally {
      await runner.close();
    }
  };

  const mutantLoop = () => (seeds.length === 0 ? Promise.resolve() : Promise.all(Array.from({ length: jobs }, mutantWorker)));
  const programLoop = () => Promise.all(Array.from({ length: programJobs }, programWorker));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-fuzz-"));
  // One bpffs for the run's verifier checks (where mounting works: root), unmounted at the end.
  const bpffs = maxPrograms > 0 ? clock.phase("program bpffs", mountBpffs, true) : undefined;
  try {
    await Promise.all([mutantLoop(), programLoop()]);
  } finally {
    if (bpffs) unmountBpffs(bpffs);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  addJobCpu({ cpu: clock.take() });
  return { mutants, programs, counts, failures, seconds: (Date.now() - started) / 1000, cpu: totalCpu(byPhase, childrenByPhase, cpu0, children0, clock.available), load: { start: load0, end: loadAverage() } };
}

/**
 * The run's CPU: the process's (all threads) and its children's, by loop.
 * What no phase counted (V8's own threads: the garbage collector, the
 * optimizing compiler) goes to the loops in proportion to their threads' CPU
 * (not their children's): it follows the JavaScript that ran.
 */
function totalCpu(byPhase: CpuByPhase, childrenByPhase: CpuByPhase, cpu0: NodeJS.CpuUsage, children0: number | undefined, available: boolean): FuzzCpu | undefined {
  const children1 = childrenCpuMs();
  if (!available || children0 === undefined || children1 === undefined) return undefined;
  const own = process.cpuUsage(cpu0);
  const totalMs = (own.user + own.system) / 1000 + (children1 - children0);
  const sum = (m: CpuByPhase, prefix: string) => Object.entries(m).reduce((s, [k, v]) => (k.startsWith(prefix) ? s + v : s), 0);
  const m = sum(byPhase, "mutant "), p = sum(byPhase, "program ");
  const mThread = m - sum(childrenByPhase, "mutant "), pThread = p - sum(childrenByPhase, "program ");
  const rest = Math.max(0, totalMs - m - p);
  const mShare = mThread + pThread > 0 ? mThread / (mThread + pThread) : 0.5;
  return { byPhase, totalMs, mutantsMs: m + rest * mShare, programsMs: p + rest * (1 - mShare) };
}
