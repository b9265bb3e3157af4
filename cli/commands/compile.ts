/**
 * `p4ts FILE.p4 -o OUTDIR [options]`: compiles a PNA program to the P4TC
 * template, the introspection JSON and the eBPF C files (and with --build the
 * BPF objects). The front end is loaded only once the options are read; the
 * options and the help are in compile-options.ts, loaded with yargs only for
 * command lines cli/quick-args.ts does not read.
 */
import type { P4tcAbiName } from "../../compiler/ir/abi/index.js";
import fs from "node:fs";
import path from "node:path";
import type { CompileResult, Stage } from "../../compiler/compile.js";
import type { Diagnostic } from "../../compiler/diagnostics/bag.js";
import { formatDiagnostics, formatDiagnosticsJson } from "../../compiler/diagnostics/format.js";
import { asList, inputFileProblem, internalError, isSystemError, parseDefines, systemMessage, usage, type CliIo, type Parsed } from "../options.js";
import { quickCompileArgs } from "../quick-args.js";
import { warningActions, type WarningActions } from "../warnings.js";

/** A whole number in [min, max], or undefined. */
function intIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** Validated options beyond what yargs checks; a string is a usage error. */
interface Settings {
  readonly file: string;
  readonly out?: string;
  readonly stopAfter?: Stage;
  readonly warnings: WarningActions;
  readonly maxErrors?: number;
  readonly timerProfiles?: number;
  readonly deps?: { readonly mode: "M" | "MD"; readonly file?: string; readonly targets: string[]; readonly phony: boolean };
}

function settings(p: Parsed, argv: readonly string[]): Settings | string {
  if (p._.length === 0) return "no input file";
  if (p._.length > 1) return `only one input file can be given, got ${p._.length}: ${p._.join(", ")}`;
  const std = p.std as string | undefined;
  if (std !== undefined && !["p4-16", "16"].includes(std)) {
    return ["p4-14", "14"].includes(std) ? "--std p4-14: P4-14 programs are not supported (P4-16 only)" : `--std ${std}: unknown language version (p4-16 is the only one)`;
  }
  if (p.target !== undefined && p.target !== "tc") return `--target ${String(p.target)}: p4ts compiles for --target tc only`;
  if (p.arch !== undefined && p.arch !== "pna") return `--arch ${String(p.arch)}: p4ts compiles for --arch pna only`;
  const x = p.xdp2tc as string | undefined;
  if (x !== undefined && x !== "meta") {
    return ["head", "cpumap"].includes(x)
      ? `--xdp2tc ${x}: not supported: p4ts generates the TC programs only, with no XDP program to pass metadata from (meta, the default, is accepted)`
      : `--xdp2tc ${x}: unknown mode (meta, head or cpumap)`;
  }
  let timerProfiles: number | undefined;
  if (p["num-timer-profiles"] !== undefined) {
    timerProfiles = intIn(String(p["num-timer-profiles"]), 1, 16);
    if (timerProfiles === undefined) return `--num-timer-profiles ${String(p["num-timer-profiles"])}: expected a number from 1 to 16`;
  }
  let maxErrors: number | undefined;
  if (p.maxErrorCount !== undefined) {
    maxErrors = intIn(String(p.maxErrorCount), 1, Number.MAX_SAFE_INTEGER);
    if (maxErrors === undefined) return `--maxErrorCount ${String(p.maxErrorCount)}: expected a positive number`;
  }
  const warnings = warningActions(argv);
  if ("error" in warnings) return warnings.error;
  if (p.E && (p.M || p.MD)) return "-E cannot be combined with -M or -MD";
  if (!p.M && !p.MD && (p.MF !== undefined || p.MT !== undefined || p.MP)) return "-MF, -MT and -MP need -M or -MD";
  const stopAfter: Stage | undefined = p.E || p.M ? "preprocess" : p["parse-only"] ? "parse" : (p["stop-after"] as Stage | undefined);
  if (p.build && (p.o === undefined || stopAfter)) return "--build needs -o OUTDIR and a full compilation";
  if (p["emulate-p4tc"] && !p.build) return "--emulate-p4tc needs --build";
  const deps = p.M || p.MD ? { mode: p.M ? ("M" as const) : ("MD" as const), file: p.MF as string | undefined, targets: asList(p.MT), phony: Boolean(p.MP) } : undefined;
  return { file: p._[0]!, out: p.o as string | undefined, stopAfter, warnings, maxErrors, timerProfiles, deps };
}

/** A make rule: `targets: deps` (escaped for make), plus an empty rule per dependency with -MP. */
export function makeRule(targets: readonly string[], deps: readonly string[], phony: boolean): string {
  const esc = (f: string) => f.replace(/([ #\\])/g, "\\$1").replace(/\$/g, "$$$$");
  let text = `${targets.map(esc).join(" ")}: ${deps.map(esc).join(" \\\n ")}\n`;
  if (phony) for (const d of deps.slice(1)) text += `\n${esc(d)}:\n`;
  return text;
}

/** The files a compilation writes (their names are fixed by the pipeline name). */
function outputNames(name: string): string[] {
  return [`${name}.template`, `${name}.json`, `${name}_parser.h`, `${name}_parser.c`, `${name}_control_blocks.c`];
}

function printDiagnostics(r: CompileResult, p: Parsed, s: Settings, io: CliIo): void {
  let shown: readonly Diagnostic[] = p.q ? r.diagnostics.filter((d) => d.category === "error") : r.diagnostics;
  let cut = false;
  if (s.maxErrors !== undefined) {
    let errors = 0;
    const i = shown.findIndex((d) => d.category === "error" && ++errors > s.maxErrors!);
    if (i >= 0) {
      shown = shown.slice(0, i);
      cut = true;
    }
  }
  if (shown.length === 0) return;
  io.stderr(p["diagnostics-format"] === "json" ? formatDiagnosticsJson(shown) : formatDiagnostics(shown, r.files));
  if (cut) io.stderr(`p4ts: more than ${s.maxErrors} errors; the rest are not shown (--maxErrorCount)\n`);
}

export async function compileCommand(argv: readonly string[], io: CliIo): Promise<number> {
  // The common command lines are read without yargs (cli/quick-args.ts); any other goes to yargs.
  const p = (process.env.P4TS_FULL_ARGS ? undefined : quickCompileArgs(argv)) ?? (await (await import("./compile-options.js")).parseCompileArgs(argv, io));
  if (typeof p === "number") return p;
  if (p["print-clang"]) return printClang(p, io);
  const s = settings(p, argv);
  if (typeof s === "string") return usage(io, "p4ts", s);
  const problem = inputFileProblem(s.file);
  if (problem) {
    io.stderr(`p4ts: ${problem}\n`);
    return 1;
  }
  const verbose = (text: string) => {
    if (Number(p.v ?? 0) > 0) io.stderr(`p4ts: ${text}\n`);
  };
  try {
    const { compile } = await import("../../compiler/compile.js");
    const r = compile({
      input: { file: s.file },
      includePaths: asList(p.I),
      defines: parseDefines(asList(p.D)),
      undefines: asList(p.U),
      stopAfter: s.stopAfter,
      disabledWarnings: s.warnings.disabled,
      warningsAsErrors: s.warnings.errors,
      warningsAsInfo: s.warnings.infos,
      numTimerProfiles: s.timerProfiles,
      trace: p.trace === true,
      p4tcAbi: p["p4tc-abi"] as P4tcAbiName | undefined,
    });
    for (const f of r.files.names()) verbose(`read ${f}`);
    printDiagnostics(r, p, s, io);
    if (!r.ok) return 1;

    if (p.E) {
      io.stdout(r.preprocessed ?? "");
      return 0;
    }
    const dir = s.out ?? ".";
    if (s.deps) {
      const targets = s.deps.targets.length > 0 ? s.deps.targets : outputNames(r.name).map((f) => path.join(dir, f));
      const rule = makeRule(targets, r.files.names(), s.deps.phony);
      if (s.deps.mode === "M" && s.deps.file === undefined) {
        io.stdout(rule);
        return 0;
      }
      const depFile = s.deps.file ?? path.join(dir, `${r.name}.d`);
      if (s.deps.mode === "M" || r.outputs) {
        const failed = writeFiles(path.dirname(depFile), { [path.basename(depFile)]: rule }, io, verbose);
        if (failed !== 0 || s.deps.mode === "M") return failed;
      }
    }
    if (p.pp && r.ast) {
      const { printProgram } = await import("../../compiler/ast/print.js");
      const failed = writeFiles(path.dirname(String(p.pp)), { [path.basename(String(p.pp))]: printProgram(r.ast) }, io, verbose);
      if (failed !== 0) return failed;
    }
    if (s.out !== undefined && !s.stopAfter && r.outputs) {
      const failed = writeFiles(s.out, r.outputs, io, verbose);
      if (failed !== 0) return failed;
      if (p.build) return build(s.out, r.name, p, io, verbose);
    }
    return 0;
  } catch (e) {
    return internalError(io, e);
  }
}

/** `--print-clang`: the clang `--build` would use (p4ts.mk asks this). */
async function printClang(p: Parsed, io: CliIo): Promise<number> {
  const { findClang, isClangFound } = await import("../../build/index.js");
  const clang = findClang({ clangPath: p.clang as string | undefined, env: process.env });
  if (!isClangFound(clang)) {
    io.stderr(`p4ts: ${clang.error}\n`);
    return 1;
  }
  io.stdout(`${clang.path}\n`);
  return 0;
}

/** `--build`: compile the written C files with a clang that has the BPF target. */
async function build(dir: string, name: string, p: Parsed, io: CliIo, verbose: (t: string) => void): Promise<number> {
  const { findClang, isClangFound, buildObjects } = await import("../../build/index.js");
  const clang = findClang({ clangPath: p.clang as string | undefined, env: process.env });
  if (!isClangFound(clang)) {
    io.stderr(`p4ts: ${clang.error}\n`);
    return 1;
  }
  verbose(`building with ${clang.path}`);
  const r = buildObjects(dir, name, clang, { extraFlags: p["emulate-p4tc"] ? ["-DP4TS_EMULATE_P4TC"] : [] });
  if (r.diagnostics) io.stderr(r.diagnostics);
  return r.ok ? 0 : 1;
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdirSync never returns
 * for some paths (under /proc), and each level's error is reported as is.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) fs.mkdirSync(d);
}

/**
 * Writes every file or none: each goes to a temporary name first, then all are
 * renamed. A directory that cannot be made or written is the user's problem
 * (exit 1, one line), not an internal error.
 */
function writeFiles(dir: string, files: Readonly<Record<string, string>>, io: CliIo, verbose: (t: string) => void): number {
  const staged: [string, string][] = [];
  try {
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
      io.stderr(`p4ts: cannot write to ${dir}: Not a directory\n`);
      return 1;
    }
    makeDirectories(dir);
    for (const [name, text] of Object.entries(files)) {
      const final = path.join(dir, name);
      const tmp = `${final}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, text, { mode: name.endsWith(".template") ? 0o755 : 0o644 });
      staged.push([tmp, final]);
    }
    while (staged.length > 0) {
      const [tmp, final] = staged[0]!;
      fs.renameSync(tmp, final);
      staged.shift();
      verbose(`wrote ${final}`);
    }
    return 0;
  } catch (e) {
    if (!isSystemError(e)) throw e;
    const where = (e as NodeJS.ErrnoException).path ?? dir;
    io.stderr(`p4ts: cannot write to ${dir}: ${where !== dir ? `${where}: ` : ""}${systemMessage(e)}\n`);
    return 1;
  } finally {
    // Only what was not renamed (fs.rmSync loads Node's rimraf on first use: not on every compile).
    for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
  }
}
