// Shared helpers for the build tests: tool discovery with skip-or-fail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { cacheKey, cacheRestore, cacheStore, findClang, isClangFound, whichAll } from "../../../build/index.js";
import { bpfUnavailableReason } from "../../../targets/emulation/loader.js";

export const fixturesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "fixtures");

/** Under CI (P4TS_REQUIRE_TOOLS=1) a missing tool fails the test instead of skipping it. */
export const requireTools = process.env.P4TS_REQUIRE_TOOLS === "1";

/**
 * Registers `fn`'s tests when `missing` is null. Otherwise they are
 * registered as skipped, so jest counts them as skipped, not passed; under
 * P4TS_REQUIRE_TOOLS=1 one failing test says what is missing instead.
 */
export function describeIf(missing: string | null, name: string, fn: () => void): void {
  if (missing === null) describe(name, fn);
  else if (requireTools) {
    describe(name, () => {
      test(`needs ${missing}`, () => {
        throw new Error(`required tool missing: ${missing} (P4TS_REQUIRE_TOOLS=1)`);
      });
    });
  } else describe.skip(`${name} (skipped: ${missing})`, fn);
}

/** One test, registered like describeIf's: run when `missing` is null, else skipped (or failing under P4TS_REQUIRE_TOOLS=1). */
export function testIf(missing: string | null, name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (missing === null) test(name, fn, timeout);
  else if (requireTools) {
    test(`${name} (needs ${missing})`, () => {
      throw new Error(`required tool missing: ${missing} (P4TS_REQUIRE_TOOLS=1)`);
    });
  } else test.skip(`${name} (skipped: ${missing})`, fn, timeout);
}

type Requirement = readonly [ok: boolean, what: string];
/** The first unmet requirement's name, or null: the `missing` argument of testIf/describeIf. */
export function missingOf(...reqs: Requirement[]): string | null {
  return reqs.find(([ok]) => !ok)?.[1] ?? null;
}
export const hasClang = (): Requirement => [realClang() !== undefined, "a clang with the BPF target"];
export const hasTool = (name: string): Requirement => [onPath(name) !== undefined, `${name} on PATH`];
export const isRoot = (): Requirement => [process.getuid?.() === 0, "root (to load BPF programs)"];

/** Why a BPF object cannot be built here (no clang with the BPF target), or null. */
export function clangMissing(): string | null {
  return realClang() === undefined ? "a clang with the BPF target" : null;
}

let clangMemo: string | null | undefined;
/** A real clang with the BPF target, or undefined. */
export function realClang(): string | undefined {
  if (clangMemo === undefined) {
    const r = findClang({ env: process.env });
    clangMemo = isClangFound(r) ? r.path : null;
  }
  return clangMemo ?? undefined;
}

/** Why packet tests cannot run on this kernel (no clang with the BPF target, no bpftool, not root), or null. */
export function kernelMissing(): string | null {
  if (realClang() === undefined) return "a clang with the BPF target";
  return bpfUnavailableReason();
}

export function onPath(name: string): string | undefined {
  return whichAll(name, process.env)[0];
}

const created: string[] = [];

/** A fresh temporary directory, removed by cleanupTmpDirs(). */
export function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `p4ts-${prefix}-`));
  created.push(d);
  return d;
}

/** Removes every directory tmpDir() made (call from afterAll). */
export function cleanupTmpDirs(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, [...args], { encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024, ...opts });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

/**
 * A bpffs to pin programs in: an existing mount, or a private one (root
 * only). Callers are tests registered to run only as root (testIf with
 * isRoot()), so a mount that fails here is a failure, not a skip.
 */
export function withBpffs(fn: (dir: string) => void): void {
  const mounts = fs.existsSync("/proc/mounts") ? fs.readFileSync("/proc/mounts", "utf8") : "";
  const existing = mounts
    .split("\n")
    .map((l) => l.split(" "))
    .find((f) => f[2] === "bpf")?.[1];
  if (existing) {
    fn(existing);
    return;
  }
  const dir = tmpDir("bpffs");
  const m = run("mount", ["-t", "bpf", "bpf", dir]);
  if (m.status !== 0) throw new Error(`cannot mount a bpffs on ${dir}: ${m.out.trim()}`);
  try {
    fn(dir);
  } finally {
    run("umount", [dir]);
  }
}

/**
 * run() of a compiler through the build cache ($P4TS_BUILD_CACHE, set by
 * jest.config.cjs; build/cache.ts): a hit copies the outputs recorded by an
 * earlier clean run of the same compiler on the same inputs, arguments and
 * include directories, and reports a clean run.
 */
export function cachedRun(cmd: string, args: readonly string[], files: { inputs: readonly string[]; outputs: readonly string[]; includeDirs: readonly string[] }) {
  const dir = process.env.P4TS_BUILD_CACHE;
  const exe = path.isAbsolute(cmd) ? cmd : onPath(cmd);
  const key = dir && exe ? cacheKey({ exe, args, ...files }) : undefined;
  if (key && cacheRestore(dir!, key, files.outputs)) return { status: 0 as number | null, out: "", stdout: "", stderr: "", error: undefined };
  const r = run(cmd, args);
  if (key && r.status === 0 && r.out === "") cacheStore(dir!, key, files.outputs);
  return r;
}
