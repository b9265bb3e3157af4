/**
 * Finding a clang that can compile the generated eBPF C.
 *
 * Order: `--clang PATH`, then `$CLANG`, then the first of `clang`,
 * `clang-NN` (newest first) on PATH whose target list includes `bpf`, then
 * the optional `clang-wasm` npm package (not a dependency of p4ts; used only
 * when someone installed it). An explicit choice (--clang or $CLANG) that is
 * unusable is an error, never silently replaced by another clang.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { packageRoot } from "../compiler/paths.js";

export interface ClangFound {
  /** Absolute path of the clang executable. */
  readonly path: string;
  /** How it was chosen, for messages: "--clang", "$CLANG", "PATH (clang-19)", "clang-wasm package". */
  readonly how: string;
}

export interface ClangMissing {
  /** A complete message naming every way to provide a clang. */
  readonly error: string;
}

export type ClangLookup = ClangFound | ClangMissing;

export interface FindClangOptions {
  /** The `--clang` option: a path, or a command name looked up on PATH. */
  readonly clangPath?: string;
  /** The environment to read CLANG and PATH from (and to run clang with). */
  readonly env: NodeJS.ProcessEnv;
  /** Where to resolve the optional `clang-wasm` package from; defaults to the p4ts package root. */
  readonly resolveFrom?: string;
}

/** Versioned names tried on PATH after plain `clang`, newest first. */
export const VERSIONED_CLANG_NAMES: readonly string[] = Array.from({ length: 11 }, (_, i) => `clang-${24 - i}`);

/** The command names tried on PATH, in order. */
export const CLANG_PATH_NAMES: readonly string[] = ["clang", ...VERSIONED_CLANG_NAMES];

export function isClangFound(r: ClangLookup): r is ClangFound {
  return (r as ClangFound).path !== undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every executable named `name` on the PATH of `env`, in PATH order. */
export function whichAll(name: string, env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? "").split(path.delimiter).filter((d) => d.length > 0);
  const found: string[] = [];
  for (const d of dirs) {
    const p = path.resolve(d, name);
    if (isExecutableFile(p) && !found.includes(p)) found.push(p);
  }
  return found;
}

const targetCache = new Map<string, boolean>();

/**
 * Whether the clang at `exe` lists `bpf` among its registered targets
 * (`clang --print-targets`, falling back to `-print-targets`).
 */
export function hasBpfTarget(exe: string, env: NodeJS.ProcessEnv = process.env): boolean {
  let key = exe;
  try {
    const st = fs.statSync(exe);
    key = `${exe}\0${st.mtimeMs}\0${st.size}`;
  } catch {
    return false;
  }
  const cached = targetCache.get(key);
  if (cached !== undefined) return cached;
  let ok = false;
  for (const flag of ["--print-targets", "-print-targets"]) {
    const r = spawnSync(exe, [flag], { env, encoding: "utf8", timeout: 30_000 });
    const text = `${r.stdout ?? ""}\n${r.stderr ?? ""}`;
    if (/^\s*bpf\s/m.test(text)) {
      ok = true;
      break;
    }
    if (r.status === 0) break;
  }
  targetCache.set(key, ok);
  return ok;
}

/** Checks an explicitly chosen clang; `what` names the choice in messages. */
function checkExplicit(value: string, what: string, env: NodeJS.ProcessEnv): ClangLookup {
  let exe: string;
  if (value.includes("/") || value.includes(path.sep)) {
    exe = path.resolve(value);
    if (!fs.existsSync(exe)) return { error: `${what} ${value}: no such file` };
    if (!isExecutableFile(exe)) return { error: `${what} ${value}: not an executable file` };
  } else {
    const hits = whichAll(value, env);
    if (hits.length === 0) return { error: `${what} ${value}: not found on PATH` };
    exe = hits[0]!;
  }
  if (!hasBpfTarget(exe, env)) {
    return { error: `${what} ${value}: ${exe} has no BPF target (its --print-targets output does not list "bpf")` };
  }
  return { path: exe, how: what };
}

interface WasmProbe {
  readonly found?: ClangFound;
  /** Why the package could not be used. */
  readonly note: string;
}

/**
 * The optional `clang-wasm` npm package: a CommonJS module whose
 * `getBinaryPath("clang")` returns a platform clang binary shipped in a
 * companion package. Resolved from `from` without being a dependency.
 */
export function probeClangWasm(from: string, env: NodeJS.ProcessEnv): WasmProbe {
  const req = createRequire(path.join(path.resolve(from), "noop.js"));
  try {
    req.resolve("clang-wasm");
  } catch {
    return { note: "clang-wasm npm package: not installed" };
  }
  let exe: string;
  try {
    const mod = req("clang-wasm") as { getBinaryPath?: (name?: string) => string };
    if (typeof mod.getBinaryPath !== "function") return { note: "clang-wasm npm package: installed, but it has no getBinaryPath()" };
    exe = mod.getBinaryPath("clang");
  } catch (e) {
    const msg = (e as Error).message.split("\n")[0];
    return { note: `clang-wasm npm package: installed, but unusable here (${msg})` };
  }
  if (!exe || !isExecutableFile(exe)) return { note: `clang-wasm npm package: its clang ${exe || "(none)"} is not an executable file` };
  if (!hasBpfTarget(exe, env)) return { note: `clang-wasm npm package: its clang ${exe} has no BPF target` };
  return { found: { path: exe, how: "clang-wasm package" }, note: "" };
}

/** Finds a clang with the BPF target; see the module comment for the order. */
export function findClang(opts: FindClangOptions): ClangLookup {
  const env = opts.env;
  if (opts.clangPath !== undefined && opts.clangPath !== "") return checkExplicit(opts.clangPath, "--clang", env);
  const fromEnv = env.CLANG;
  if (fromEnv !== undefined && fromEnv !== "") return checkExplicit(fromEnv, "$CLANG", env);

  const rejected: string[] = [];
  for (const name of CLANG_PATH_NAMES) {
    for (const exe of whichAll(name, env)) {
      if (hasBpfTarget(exe, env)) return { path: exe, how: `PATH (${name})` };
      rejected.push(`${exe} (no BPF target)`);
    }
  }

  const wasm = probeClangWasm(opts.resolveFrom ?? packageRoot, env);
  if (wasm.found) return wasm.found;

  const tried = [
    rejected.length > 0
      ? `on PATH: ${rejected.join(", ")}`
      : `on PATH: none of clang, clang-${VERSIONED_CLANG_NAMES[0]!.slice(6)} ... clang-${VERSIONED_CLANG_NAMES.at(-1)!.slice(6)}`,
    wasm.note,
  ];
  return {
    error:
      "no clang with the BPF target found\n" +
      tried.map((t) => `  tried ${t}\n`).join("") +
      "  give one with --clang PATH or $CLANG, install one on PATH (e.g. apt-get install clang-19),\n" +
      "  or install the optional npm package clang-wasm",
  };
}
