/**
 * `p4ts FILE.p4 -o OUTDIR [options]`: compiles a PNA program to the P4TC
 * template, the introspection JSON and the eBPF C files (and with --build the
 * BPF objects). The front end is loaded only once the options are read.
 */
import { DEFAULT_P4TC_ABI, P4TC_ABI_NAMES, type P4tcAbiName } from "../../compiler/ir/abi/index.js";
import fs from "node:fs";
import path from "node:path";
import type { Argv } from "yargs";
import type { CompileResult, Stage } from "../../compiler/compile.js";
import type { Diagnostic } from "../../compiler/diagnostics/bag.js";
import { Msg } from "../../compiler/diagnostics/messages.js";
import { formatDiagnostics, formatDiagnosticsJson } from "../../compiler/diagnostics/format.js";
import { WARNING_FLAGS, asList, inputFileProblem, internalError, isSystemError, p4cParser, parseDefines, parseOrExit, preprocessorOptions, systemMessage, usage, type CliIo, type Parsed } from "../options.js";

/** The kinds a warning can have: what --Werror=KIND and friends accept. */
export const WARNING_KINDS: readonly string[] = [...new Set(Object.values(Msg).filter((m) => m.category !== "error").map((m) => m.kind))].sort();

const USAGE = `Usage: p4ts FILE.p4 -o OUTDIR [options]
   or: p4ts stf FILE.p4 TEST.stf [options]     (see 'p4ts stf --help')
   or: p4ts sim FILE.p4 TEST.stf [options]     (the same on the interpreter: stf --target sim)
   or: p4ts help [stf]

Compile a P4-16 program for the PNA architecture to what Linux P4TC loads:
OUTDIR/NAME.template (the tc p4template script), OUTDIR/NAME.json (introspection),
OUTDIR/NAME_parser.c, NAME_parser.h, NAME_control_blocks.c (eBPF C).`;

const EPILOGUE = `Warning kinds (for --Werror, --Wwarn, --Winfo, --Wdisable): ${WARNING_KINDS.join(", ")}.
Without =KIND these options apply to every warning; the last one given for a kind wins.

Diagnostics are printed as p4c does: PATH(LINE): [--Werror=KIND] error: MESSAGE, with
the source line and a caret. --diagnostics-format json prints one JSON object per line
instead: {code, kind, severity, file, line, column, end: {line, column}, message,
related: [{file, line, column, end, message}]} (lines and columns 1-based, end exclusive).

Exit status: 0 success; 1 the program has errors, or a usage, input or output problem;
2 an internal error in p4ts (please report it; P4TS_DEBUG=1 prints the stack).`;

function compileOptions(y: Argv): Argv {
  return preprocessorOptions(y)
    .option("o", { alias: "output", type: "string", nargs: 1, requiresArg: true, describe: "Write NAME.template, NAME.json and the eBPF C files to DIR" })
    .option("E", { type: "boolean", describe: "Preprocess only: print the preprocessed program on stdout" })
    .option("M", { type: "boolean", describe: "Print a make rule for the files the program includes, and stop" })
    .option("MD", { type: "boolean", describe: "Also write that rule to OUTDIR/NAME.d (or the -MF file) while compiling" })
    .option("MF", { type: "string", nargs: 1, requiresArg: true, describe: "With -M or -MD: write the rule to FILE" })
    .option("MT", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "With -M or -MD: the rule's target (repeatable; default: the output files)" })
    .option("MP", { type: "boolean", describe: "With -M or -MD: add an empty rule for each included file" })
    .option("std", { type: "string", nargs: 1, requiresArg: true, describe: "Language version: p4-16 (or 16), the only one p4ts compiles" })
    .option("target", { type: "string", nargs: 1, requiresArg: true, describe: "Target: tc, the only one (as p4c-pna-p4tc)" })
    .option("arch", { type: "string", nargs: 1, requiresArg: true, describe: "Architecture: pna, the only one" })
    .option("parse-only", { type: "boolean", describe: "Stop after parsing" })
    .option("stop-after", { choices: ["parse", "frontend", "midend"] as const, describe: "Stop after this stage (nothing is written)" })
    .option("pp", { type: "string", nargs: 1, requiresArg: true, describe: "Write the parsed program back as P4 to FILE" })
    .option("q", { alias: "quiet", type: "boolean", describe: "Print errors only (no warnings or notes)" })
    .option("v", { type: "count", describe: "Verbose: name the files read and written and the commands run" })
    .option("Werror", { type: "string", array: true, nargs: 1, describe: "--Werror[=KIND]: report warnings of KIND (all without =KIND) as errors" })
    .option("Wwarn", { type: "string", array: true, nargs: 1, describe: "--Wwarn[=KIND]: report KIND (all without =KIND) as warnings, the default" })
    .option("Winfo", { type: "string", array: true, nargs: 1, describe: "--Winfo[=KIND]: report warnings of KIND (all without =KIND) as notes" })
    .option("Wdisable", { type: "string", array: true, nargs: 1, describe: "--Wdisable[=KIND]: do not report warnings of KIND (all without =KIND)" })
    .option("maxErrorCount", { type: "string", nargs: 1, requiresArg: true, describe: "Print at most N errors, then stop" })
    .option("diagnostics-format", { choices: ["text", "json"] as const, default: "text", describe: "How diagnostics are printed on stderr" })
    .option("num-timer-profiles", { type: "string", nargs: 1, requiresArg: true, describe: "Timer profiles of add-on-miss tables, 1..16 (the kernel's default: 4)" })
    .option("xdp2tc", { type: "string", nargs: 1, requiresArg: true, describe: "How metadata passes from XDP to TC: meta (the default); head and cpumap are refused, p4ts emits no XDP program" })
    .option("build", { type: "boolean", describe: "Also compile the C files to NAME_parser.o and NAME_control_blocks.o with clang" })
    .option("clang", { type: "string", nargs: 1, requiresArg: true, describe: "The clang to build with (else $CLANG, a clang on PATH with the BPF target, the clang-wasm package)" })
    .option("print-clang", { type: "boolean", describe: "Print the clang --build would use, and exit (1 with the reason when there is none)" })
    .option("g", { type: "boolean", describe: "Debug info (as p4c): --build always compiles with clang -g, since P4TC needs BTF, so the objects' .BTF.ext line info shows the P4 file:line comments in bpftool prog dump and verifier logs; -g is accepted for p4c compatibility" })
    .option("trace", { type: "boolean", describe: "Add bpf_printk tracing to the C: parser states, table hit/miss and action, drop/redirect (read with bpftool prog tracelog)" })
    .option("emulate-p4tc", { type: "boolean", describe: "With --build: link the P4TC emulation in, to run on a kernel without P4TC" })
    .option("p4tc-abi", { choices: P4TC_ABI_NAMES, default: DEFAULT_P4TC_ABI, describe: "The P4TC ABI to emit for: p4c (the reference compiler's, default) or v13 (the P4TC kernel series v13)" })
    .epilogue(EPILOGUE);
}

export function compileParser(argv: readonly string[]): Argv {
  return compileOptions(p4cParser(argv, "p4ts", USAGE));
}

/** What the --W flags ask for each warning kind, applied in command-line order. */
export interface WarningActions {
  readonly disabled: string[];
  readonly errors: string[];
  readonly infos: string[];
}

/** The --Werror/--Wwarn/--Winfo/--Wdisable flags in the order given; the last word on a kind wins. */
export function warningActions(argv: readonly string[]): WarningActions | { error: string } {
  const action = new Map<string, (typeof WARNING_FLAGS)[number]>();
  for (const a of argv) {
    if (a === "--") break;
    const m = /^--(Werror|Wwarn|Winfo|Wdisable)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const flag = m[1] as (typeof WARNING_FLAGS)[number];
    const values = m[2] === undefined || m[2] === "" ? ["all"] : m[2].split(",");
    for (const k of values) {
      if (k === "all") {
        for (const kind of WARNING_KINDS) action.set(kind, flag);
      } else if (!WARNING_KINDS.includes(k)) {
        return { error: `--${flag}=${k}: unknown warning kind '${k}' (kinds: ${WARNING_KINDS.join(", ")})` };
      } else action.set(k, flag);
    }
  }
  const pick = (f: string) => [...action].filter(([, v]) => v === f).map(([k]) => k);
  return { disabled: pick("Wdisable"), errors: pick("Werror"), infos: pick("Winfo") };
}

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
  const p = await parseOrExit(compileParser(argv), "p4ts", io);
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
    for (const [tmp, final] of staged) {
      fs.renameSync(tmp, final);
      verbose(`wrote ${final}`);
    }
    return 0;
  } catch (e) {
    if (!isSystemError(e)) throw e;
    const where = (e as NodeJS.ErrnoException).path ?? dir;
    io.stderr(`p4ts: cannot write to ${dir}: ${where !== dir ? `${where}: ` : ""}${systemMessage(e)}\n`);
    return 1;
  } finally {
    for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
  }
}
