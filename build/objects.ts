/**
 * Compiling the generated C into the two BPF objects P4TC loads:
 * NAME_parser.c -> NAME_parser.o (section p4tc/parse) and
 * NAME_control_blocks.c -> NAME_control_blocks.o (section p4tc/main).
 */
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { runtimeHeadersDir } from "../compiler/paths.js";
import { cacheKey, cacheRestore, cacheStore } from "./cache.js";

/** The clang flags of every p4ts build (-g turns on BTF, which P4TC loading needs). */
export const BPF_CFLAGS: readonly string[] = ["-O2", "-g", "--target=bpf", "-mcpu=v3", "-Wall", "-Werror"];

/** The emulation's packet harness (see the file), built next to a program for `p4ts stf`. */
export const emulationHarnessSource = path.join(runtimeHeadersDir, "p4ts_emu_harness.c");

/** The C sources of program `name`, in build order. */
export function generatedSources(name: string): readonly string[] {
  return [`${name}_parser.c`, `${name}_control_blocks.c`];
}

export interface BuildOptions {
  /** Environment to run clang in; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Runtime headers directory; defaults to the package's runtime-headers/. */
  readonly runtimeHeaders?: string;
  /** Extra flags appended after BPF_CFLAGS (e.g. -D...). */
  readonly extraFlags?: readonly string[];
  /**
   * Reuse objects built before from identical inputs (build/cache.ts), kept in
   * this directory; defaults to $P4TS_BUILD_CACHE, and nothing is cached when
   * neither is set.
   */
  readonly cacheDir?: string;
}

export interface BuildResult {
  /** True when both objects were built. */
  readonly ok: boolean;
  /** clang's messages (and any failure to run it), ready to print; "" when clean. */
  readonly diagnostics: string;
  /** The objects written, absolute paths. */
  readonly objects: readonly string[];
  /** The command lines run, for logs. */
  readonly commands: readonly string[];
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The clang arguments that compile `src` into `obj`. */
export function clangArgs(src: string, obj: string, outDir: string, opts: BuildOptions = {}): string[] {
  return [
    ...BPF_CFLAGS,
    ...(opts.extraFlags ?? []),
    "-I",
    opts.runtimeHeaders ?? runtimeHeadersDir,
    "-I",
    outDir,
    "-c",
    src,
    "-o",
    obj,
  ];
}

/**
 * Compiles NAME_parser.c and NAME_control_blocks.c in `outDir` with `clang`
 * (a path, or a findClang() result). Both are attempted even if the first
 * fails, so all diagnostics come out at once. A stale object is removed
 * before its compile, so a failed build leaves no object behind.
 */
export function buildObjects(outDir: string, name: string, clang: string | { readonly path: string }, opts: BuildOptions = {}): BuildResult {
  const exe = typeof clang === "string" ? clang : clang.path;
  const dir = path.resolve(outDir);
  const env = opts.env ?? process.env;
  const messages: string[] = [];
  const objects: string[] = [];
  const commands: string[] = [];
  let ok = true;
  const cacheDir = opts.cacheDir ?? (env.P4TS_BUILD_CACHE || undefined);
  const localHeaders = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".h")).sort().map((f) => path.join(dir, f)) : [];

  for (const file of generatedSources(name)) {
    const src = path.join(dir, file);
    const obj = src.replace(/\.c$/, ".o");
    if (!fs.existsSync(src)) {
      ok = false;
      messages.push(`p4ts: ${src}: no such file (was ${name} compiled into ${outDir}?)\n`);
      continue;
    }
    fs.rmSync(obj, { force: true });
    const args = clangArgs(src, obj, dir, opts);
    commands.push([exe, ...args].map(quote).join(" "));
    const key = cacheDir ? cacheKey({ exe, args, inputs: [src, ...localHeaders], includeDirs: [opts.runtimeHeaders ?? runtimeHeadersDir], outputs: [obj], workDir: dir }) : undefined;
    if (key && cacheRestore(cacheDir!, key, [obj])) {
      objects.push(obj);
      continue;
    }
    const r = spawnSync(exe, args, { env, encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    const done = compileOutcome(exe, file, obj, { error: r.error, status: r.status, signal: r.signal, output: `${r.stdout ?? ""}${r.stderr ?? ""}` });
    if (done.message) messages.push(done.message);
    else if (done.ok && key) cacheStore(cacheDir!, key, [obj]);
    if (done.ok) objects.push(obj);
    else ok = false;
  }
  const diagnostics = messages.map((m) => (m.endsWith("\n") ? m : `${m}\n`)).join("");
  return { ok, diagnostics, objects, commands };
}

/** What one clang run came to: built or not, and the message to print (clang's own, or why it did not run). */
function compileOutcome(exe: string, file: string, obj: string, r: { error?: Error; status: number | null; signal: NodeJS.Signals | null; output: string }): { ok: boolean; message: string } {
  if (r.error) return { ok: false, message: `p4ts: cannot run ${exe}: ${r.error.message}\n` };
  if (r.status !== 0) return { ok: false, message: r.output.length > 0 ? r.output : `p4ts: ${exe} failed on ${file} (status ${r.status ?? r.signal})\n` };
  if (!fs.existsSync(obj)) return { ok: false, message: `${r.output}p4ts: ${exe} reported success but wrote no ${obj}\n` };
  return { ok: true, message: r.output };
}

/**
 * Compiles one C file into `obj` with the BPF flags, without blocking:
 * `signal` kills clang at once (the result is then not ok). Headers are
 * looked up in the runtime headers and in the source's own directory.
 */
export function compileObject(src: string, obj: string, clang: string | { readonly path: string }, opts: BuildOptions & { readonly signal?: AbortSignal } = {}): Promise<{ ok: boolean; diagnostics: string }> {
  const exe = typeof clang === "string" ? clang : clang.path;
  fs.rmSync(obj, { force: true });
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(exe, clangArgs(src, obj, path.dirname(src), opts), { env: opts.env ?? process.env, signal: opts.signal, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    let error: Error | undefined;
    child.on("error", (e) => (error = e));
    child.on("close", (status, signal) => {
      const done = compileOutcome(exe, path.basename(src), obj, { error, status, signal, output });
      resolve({ ok: done.ok, diagnostics: done.message });
    });
  });
}
