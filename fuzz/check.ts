/**
 * Checks one generated program end to end: it must compile, build with clang
 * (-Wall -Werror, with the P4TC emulation) and load into the running kernel
 * (the verifier), the way `npm run verify` loads the corpus.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { spawnSync } from "node:child_process";
import { threadId } from "node:worker_threads";
import { BPF_CFLAGS, buildObjects, findClang, generatedSources, isClangFound, type ClangFound } from "../build/index.js";
import { runtimeHeadersDir } from "../compiler/paths.js";
import { EmulatedPipeline, bpfUnavailableReason } from "../targets/emulation/loader.js";
import { CpuClock } from "./cpu.js";

export type Verdict = "ok" | "rejected" | "crash" | "unbuildable" | "verifier";

export interface CheckResult {
  verdict: Verdict;
  /** compiler diagnostics, clang output or the verifier log tail */
  detail: string;
  /** the stage that was reached: "compile" when tools are missing */
  stage: "compile" | "build" | "load";
}

export const EMULATION_FLAGS: readonly string[] = [
  "-DP4TS_EMULATE_P4TC",
  "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE",
  "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE",
];

export interface Tools {
  clang?: ClangFound;
  /** loading needs root and bpftool */
  load: boolean;
  /** why a stage is skipped */
  missing: string[];
}

/** The tools available here for the build and load stages. */
export function findTools(env: NodeJS.ProcessEnv = process.env): Tools {
  const missing: string[] = [];
  const c = findClang({ env });
  const clang = isClangFound(c) ? c : undefined;
  if (!clang) missing.push(`build: ${(c as { error?: string }).error ?? "no clang"}`);
  const why = bpfUnavailableReason();
  if (why) missing.push(`load: ${why}`);
  return { clang, load: clang !== undefined && why === null, missing };
}

/** Compiles `source` as `name`.p4; then builds and loads it as far as `tools` allow. */
export function checkProgram(name: string, source: string, tools: Tools): CheckResult {
  return checkPrograms([{ name, source }], tools)[0]!;
}

/**
 * checkProgram() for several programs (distinct names) at a time, with the
 * same verdicts: their C files are built by one clang run (clang's start-up
 * costs about as much as a generated file's compile) and loaded into one
 * bpffs. A program whose files clang complains about is built again alone,
 * so its diagnostics are its own. With a `scratch` directory (kept between
 * calls) the runtime header is precompiled there once and used by the
 * batch builds. The CPU time of the phases ("program compile", "program
 * clang", "program load": the thread's and its children's) goes to `clock`.
 */
export interface CheckOptions {
  /** a directory kept between calls: the precompiled runtime header goes there */
  scratch?: string;
  /** adds up the CPU time of the phases */
  clock?: CpuClock;
  /**
   * A bpffs kept mounted between calls (mountBpffs()): each pipeline loads in a
   * subdirectory of its own and the emulation's maps, the same for every
   * program and costly to create, are made once per thread and reused.
   * Without it, each call mounts one of its own.
   */
  bpffs?: string;
}

export function checkPrograms(programs: readonly { name: string; source: string }[], tools: Tools, opts: CheckOptions = {}): CheckResult[] {
  const { scratch, clock = new CpuClock() } = opts;
  const results: CheckResult[] = [];
  const compiled: { i: number; name: string }[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-gen-"));
  try {
    programs.forEach(({ name, source }, i) => {
      let r;
      try {
        r = clock.phase("program compile", () => compile({ input: { source, fileName: `${name}.p4` } }));
      } catch (e) {
        results[i] = { verdict: "crash", detail: String((e as Error)?.stack ?? e), stage: "compile" };
        return;
      }
      if (!r.ok) results[i] = { verdict: "rejected", detail: r.format(), stage: "compile" };
      else if (!tools.clang) results[i] = { verdict: "ok", detail: "", stage: "compile" };
      else {
        const outputs = r.outputs ?? {};
        clock.phase("program compile", () => {
          for (const [f, text] of Object.entries(outputs)) fs.writeFileSync(path.join(dir, f), text);
        });
        compiled.push({ i, name });
      }
    });
    if (compiled.length === 0) return results;
    const built = clock.phase("program clang", () => buildAll(dir, compiled.map((c) => c.name), tools.clang!, scratch), true);
    const bpffs = !tools.load ? undefined : (opts.bpffs ?? clock.phase("program load", mountBpffs, true));
    try {
      for (const { i, name } of compiled) {
        const b = built.get(name)!;
        if (!b.ok) results[i] = { verdict: "unbuildable", detail: b.diagnostics, stage: "build" };
        else if (!tools.load) results[i] = { verdict: "ok", detail: "", stage: "build" };
        else results[i] = clock.phase("program load", () => load(dir, name, bpffs), true);
      }
    } finally {
      if (bpffs && bpffs !== opts.bpffs) clock.phase("program load", () => unmountBpffs(bpffs), true);
    }
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The runtime header every generated file includes first, precompiled with
 * the build's flags into `scratch` (once per thread): parsing it is most of a
 * generated file's compile. Undefined when clang cannot precompile it.
 */
const pchs = new Map<string, string | null>();
function runtimePch(clang: ClangFound, scratch: string | undefined): string | undefined {
  if (!scratch) return undefined;
  const pch = path.join(scratch, `p4ts_pna-${threadId}.h.pch`);
  if (!pchs.has(pch)) {
    const r = spawnSync(clang.path, [...BPF_CFLAGS, ...EMULATION_FLAGS, "-I", runtimeHeadersDir, "-x", "c-header", path.join(runtimeHeadersDir, "p4ts_pna.h"), "-o", pch], { encoding: "utf8" });
    pchs.set(pch, r.status === 0 && fs.existsSync(pch) ? pch : null);
  }
  return pchs.get(pch) ?? undefined;
}

/** Builds every program's two C files in `dir` with one clang run; programs it complains about again alone. */
function buildAll(dir: string, names: readonly string[], clang: ClangFound, scratch: string | undefined): Map<string, { ok: boolean; diagnostics: string }> {
  const out = new Map<string, { ok: boolean; diagnostics: string }>();
  const files = names.flatMap((n) => generatedSources(n));
  const pch = runtimePch(clang, scratch);
  const args = [...BPF_CFLAGS, ...EMULATION_FLAGS, ...(pch ? ["-include-pch", pch] : []), "-I", runtimeHeadersDir, "-I", dir, "-c", ...files];
  // One program without the precompiled header: buildObjects() at once, as the CLI builds it.
  const r = names.length > 1 || pch ? spawnSync(clang.path, args, { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }) : undefined;
  const said = `${r?.stdout ?? ""}${r?.stderr ?? ""}`;
  for (const n of names) {
    const objects = generatedSources(n).every((f) => fs.existsSync(path.join(dir, f.replace(/\.c$/, ".o"))));
    // Names differ (gen_1_ is no prefix of gen_12_), so a message naming `${n}_` is about this program.
    const clean = r !== undefined && r.error === undefined && objects && !said.includes(`${n}_`) && (r.status === 0 || said.length > 0);
    out.set(n, clean ? { ok: true, diagnostics: "" } : buildObjects(dir, n, clang, { extraFlags: EMULATION_FLAGS }));
  }
  return out;
}

function load(dir: string, name: string, bpffs: string | undefined): CheckResult {
  try {
    // One set of emulation maps per thread: two threads pinning a fresh set at once would race.
    const emuMaps = bpffs ? path.join(bpffs, `emu-${threadId}`) : undefined;
    const p = EmulatedPipeline.load(path.join(dir, `${name}_parser.o`), path.join(dir, `${name}_control_blocks.o`), { handleSignals: false, bpffs, emuMaps });
    p.close();
  } catch (e) {
    return { verdict: "verifier", detail: String((e as Error).message).split("\n").slice(-25).join("\n"), stage: "load" };
  }
  return { verdict: "ok", detail: "", stage: "load" };
}

/** A bpffs for many loads (each pipeline in its own subdirectory), or undefined (each mounts its own); unmountBpffs() removes it. */
export function mountBpffs(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-fuzzfs-"));
  if (spawnSync("mount", ["-t", "bpf", "bpf", dir]).status === 0) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  return undefined;
}

export function unmountBpffs(dir: string): void {
  spawnSync("umount", [dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}
