/**
 * The fuzzer's worker thread: compiles one input per message (and, for
 * generated programs, builds and loads it), so the main thread can time it
 * out and replace the worker when an input hangs or exhausts memory.
 */
import fs from "node:fs";
import path from "node:path";
import { parentPort } from "node:worker_threads";
import { compile } from "../compiler/compile.js";
import { checkPrograms, findTools, type Tools } from "./check.js";
import { CpuClock, threadCpuMs, type CpuByPhase } from "./cpu.js";

export interface Job {
  id: number;
  /** "compile": a mutant, compile only; "check": generated programs (`batch`), compile, build and load */
  mode: "compile" | "check";
  name: string;
  source: string;
  files?: Record<string, string>;
  /** "check": the programs, checked together (checkPrograms) */
  batch?: { name: string; source: string }[];
  /** "check": a directory the worker may keep files in (the precompiled runtime header) */
  scratch?: string;
  /** "check": a bpffs mounted for the run (CheckOptions.bpffs) */
  bpffs?: string;
}

export interface JobResult {
  id: number;
  verdict: "ok" | "rejected" | "crash" | "unlocated" | "unbuildable" | "verifier";
  detail: string;
  /** "check": one result per program of the batch */
  each?: { verdict: JobResult["verdict"]; detail: string }[];
  /** CPU ms this job took, by phase (the worker's thread and the children it ran) */
  cpu?: { phases: CpuByPhase; children: CpuByPhase };
}

let tools: Tools | undefined;

/** The bundled includes (<core.p4>, <tc/pna.p4>) come from disk, cached. */
const disk = new Map<string, string | undefined>();
function readDisk(p: string): string | undefined {
  if (!disk.has(p)) {
    try {
      disk.set(p, fs.statSync(p).isFile() ? fs.readFileSync(p, "utf8") : undefined);
    } catch {
      disk.set(p, undefined);
    }
  }
  return disk.get(p);
}

const clock = new CpuClock();

function run(job: Job): JobResult {
  if (job.mode === "check") {
    tools ??= clock.phase("program tools", () => findTools(), true);
    try {
      const each = checkPrograms(job.batch ?? [{ name: job.name, source: job.source }], tools, { scratch: job.scratch, clock, bpffs: job.bpffs });
      return { id: job.id, verdict: "ok", detail: "", each: each.map((r) => ({ verdict: r.verdict, detail: r.detail })) };
    } catch (e) {
      return { id: job.id, verdict: "crash", detail: String((e as Error)?.stack ?? e).split("\n").slice(0, 6).join("\n") };
    }
  }
  const dir = "/fuzz";
  const file = path.join(dir, `${job.name}.p4`);
  const files = new Map(Object.entries(job.files ?? {}).map(([k, v]) => [path.join(dir, k), v]));
  files.set(file, job.source);
  try {
    const r = clock.phase("mutant compile", () => compile({ input: { file }, readFile: (p) => (p.startsWith(`${dir}/`) ? files.get(p) : readDisk(p)) }));
    if (r.ok) return { id: job.id, verdict: "ok", detail: "" };
    const errors = r.diagnostics.filter((d) => d.category === "error");
    const unlocated = errors.filter((d) => !d.span);
    if (errors.length === 0 || unlocated.length > 0)
      return { id: job.id, verdict: "unlocated", detail: errors.length === 0 ? "not ok, but no error reported" : unlocated.map((d) => d.message).join("\n") };
    return { id: job.id, verdict: "rejected", detail: "" };
  } catch (e) {
    return { id: job.id, verdict: "crash", detail: String((e as Error)?.stack ?? e).split("\n").slice(0, 6).join("\n") };
  }
}

let first = true;
parentPort?.on("message", (job: Job) => {
  // The thread's CPU before its first job: loading the modules.
  if (first) clock.byPhase[`${job.mode === "check" ? "program" : "mutant"} worker start-up`] = threadCpuMs() ?? 0;
  first = false;
  const r = run(job);
  parentPort!.postMessage({ ...r, cpu: clock.take() });
});
