/**
 * CPU accounting for the fuzzer: the wall clock of a run on a loaded machine
 * says little about what it does on an idle one, so the run adds up the CPU
 * time of each phase (the calling thread's own, from Linux's per-thread
 * schedstat, and that of the children it waited for: clang, bpftool) and
 * prints it. Where /proc does not say (not Linux), the figures are absent.
 */
import fs from "node:fs";
import os from "node:os";

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** CPU time of the calling thread (the main thread or a worker thread), ms. */
export function threadCpuMs(): number | undefined {
  const s = readProc("/proc/thread-self/schedstat");
  const ns = s === undefined ? NaN : Number(s.split(" ")[0]);
  return Number.isFinite(ns) ? ns / 1e6 : undefined;
}

/** The clock ticks of /proc/<pid>/stat (USER_HZ: 100 on every Linux architecture node runs on). */
const USER_HZ = 100;

/** CPU time of the process's children that have been waited for (cutime + cstime), ms. */
export function childrenCpuMs(): number | undefined {
  const s = readProc("/proc/self/stat");
  if (s === undefined) return undefined;
  // After the command name (in parentheses, which may hold spaces): state is field 3; cutime, cstime are 16, 17.
  const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(f[13]) + Number(f[14]);
  return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : undefined;
}

/** CPU ms by phase name (e.g. "mutant compile", "program clang"). */
export type CpuByPhase = Record<string, number>;

export function addCpu(into: CpuByPhase, from: CpuByPhase): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Times phases of the calling thread: `phase(name, f)` runs f and adds the
 * thread's CPU time (and, with `children`, its waited-for children's) to
 * `name`. Children's time is per process: it is exact while one thread at a
 * time runs children.
 */
export class CpuClock {
  /** thread and children */
  readonly byPhase: CpuByPhase = {};
  /** the children's part of byPhase */
  readonly childrenByPhase: CpuByPhase = {};
  readonly available = threadCpuMs() !== undefined;

  phase<T>(name: string, f: () => T, children = false): T {
    const t0 = threadCpuMs(), c0 = children ? childrenCpuMs() : undefined;
    try {
      return f();
    } finally {
      const t1 = threadCpuMs(), c1 = children ? childrenCpuMs() : undefined;
      const own = t0 !== undefined && t1 !== undefined ? t1 - t0 : 0;
      const kids = c0 !== undefined && c1 !== undefined ? c1 - c0 : 0;
      this.byPhase[name] = (this.byPhase[name] ?? 0) + own + kids;
      if (kids > 0) this.childrenByPhase[name] = (this.childrenByPhase[name] ?? 0) + kids;
    }
  }

  /** The phases timed since the last take(), and a reset. */
  take(): { phases: CpuByPhase; children: CpuByPhase } {
    const out = { phases: { ...this.byPhase }, children: { ...this.childrenByPhase } };
    for (const m of [this.byPhase, this.childrenByPhase]) for (const k of Object.keys(m)) delete m[k];
    return out;
  }
}

/** The 1, 5 and 15 minute load averages, as the run's log prints them. */
export function loadAverage(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(" ");
}
