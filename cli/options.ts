/**
 * What every p4ts command shares: the I/O hooks, a yargs parser set up to
 * read options the way p4c does, and the checks and messages for user errors
 * (bad options, missing or unreadable files) and internal errors.
 *
 * p4c's option habits, and how they are met here:
 * - one value per option, never grouped: yargs with `short-option-groups` and
 *   `greedy-arrays` off, `nargs: 1` on every option that takes a value;
 * - `-Idir`, `-DN=V`, `-UN`, `-oDIR`, `-MFfile`, `-MTtarget` (attached values):
 *   yargs cannot read a value attached to a single-dash option without also
 *   grouping letters (`-Io/x` would become `-I -o /x`), so `attachValues`
 *   splits these tokens in two before yargs sees them;
 * - `--Werror` with no `=kind` means every warning and takes no value (the next
 *   word stays the input file): `attachValues` writes it `--Werror=all`.
 *
 * Nothing heavy is imported here: `--help` and `--version` load no front end.
 */
import fs from "node:fs";
import yargs, { type Argv } from "yargs";
import { packageVersion } from "../compiler/paths.js";
import type { CliIo } from "./io.js";

export { internalError, type CliIo } from "./io.js";


/** Single-dash options that take a value, which may be attached (`-Idir`) or the next word. */
const ATTACHABLE = ["MF", "MT", "I", "D", "U", "o"] as const;
/** Options whose value is optional and only ever attached with `=`. */
export const WARNING_FLAGS = ["Werror", "Wwarn", "Winfo", "Wdisable"] as const;

/** Rewrites p4c spellings yargs cannot read into ones it can (see the file comment). */
export function attachValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const opt = a.startsWith("-") && !a.startsWith("--") ? ATTACHABLE.find((o) => a.length > o.length + 1 && a.startsWith(`-${o}`)) : undefined;
    // -MD and -MP are flags of their own, not -M with a value.
    if (opt && !/^-M[DP]$/.test(a)) out.push(`-${opt}`, a.slice(opt.length + 1));
    else if (WARNING_FLAGS.some((w) => a === `--${w}` || a === `--${w}=`)) out.push(`${a.replace(/=$/, "")}=all`);
    else out.push(a);
  }
  return out;
}

/** The yargs settings every command uses: p4c-like parsing, strict options, no exits, no printing. */
export function p4cParser(argv: readonly string[], scriptName: string, usage: string): Argv {
  return yargs(attachValues(argv))
    .scriptName(scriptName)
    .usage(usage)
    .parserConfiguration({
      "short-option-groups": false,
      "greedy-arrays": false,
      "camel-case-expansion": false,
      "dot-notation": false,
      "boolean-negation": false,
      "parse-numbers": false,
      "parse-positional-numbers": false,
      "strip-aliased": true,
    })
    .help(false)
    .version(false)
    .option("h", { alias: "help", type: "boolean", describe: "Print this help and exit" })
    .option("version", { type: "boolean", describe: "Print the version and exit" })
    .strictOptions()
    .exitProcess(false)
    .wrap(100);
}

export type Parsed = Record<string, unknown> & { _: string[] };

/**
 * Parses; prints the help or the version when asked; prints a usage error.
 * Returns the options, or the exit status when the command is done.
 */
export async function parseOrExit(parser: Argv, prefix: string, io: CliIo): Promise<Parsed | number> {
  let usageError: string | undefined;
  let parsed: Parsed;
  try {
    parsed = (await parser
      .fail((msg, err) => {
        usageError = msg ?? err?.message ?? "invalid arguments";
      })
      .parseAsync()) as unknown as Parsed;
  } catch (e) {
    usageError = (e as Error).message;
    parsed = { _: [] };
  }
  if (usageError) return usage(io, prefix, usageError);
  if (parsed.h) {
    // yargs prints multi-letter options with two dashes; p4c spells -MD, -MF, -MT, -MP with one.
    io.stdout(`${(await parser.getHelp()).replace(/--(M[DFTP])\b/g, " -$1")}\n`);
    return 0;
  }
  if (parsed.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  parsed._ = parsed._.map(String);
  // An option with one value given twice: the last one counts, as in p4c.
  const arrays = new Set((parser as unknown as { getOptions(): { array: string[] } }).getOptions().array);
  for (const [k, v] of Object.entries(parsed)) if (k !== "_" && Array.isArray(v) && !arrays.has(k)) parsed[k] = v[v.length - 1];
  return parsed;
}

/** A usage error: one line naming the problem, one pointing at the help. Exit status 1. */
export function usage(io: CliIo, prefix: string, message: string): number {
  io.stderr(`${prefix}: ${message}\nTry '${prefix} --help'.\n`);
  return 1;
}

/** A file or directory the user named that cannot be used: the message, or undefined when it is fine. */
export function inputFileProblem(file: string): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    return `${file}: ${systemMessage(e)}`;
  }
  if (st.isDirectory()) return `${file}: is a directory`;
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    return `${file}: ${systemMessage(e)}`;
  }
  return undefined;
}

/** An operating system error as one plain phrase ("No such file or directory"). */
export function systemMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const known: Record<string, string> = {
    ENOENT: "No such file or directory",
    ENOTDIR: "Not a directory",
    EISDIR: "Is a directory",
    EACCES: "Permission denied",
    EPERM: "Operation not permitted",
    EROFS: "Read-only file system",
    ENOSPC: "No space left on device",
    EEXIST: "File exists",
    ENAMETOOLONG: "File name too long",
    ELOOP: "Too many levels of symbolic links",
  };
  return (code && known[code]) ?? (e as Error)?.message ?? String(e);
}

/** True for an error the file system raised (it has an errno code), as opposed to a bug. */
export function isSystemError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === "string" && typeof (e as NodeJS.ErrnoException)?.syscall === "string";
}

export const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/** -D values: NAME or NAME=VALUE; a bare name gets "1". */
export function parseDefines(ds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of ds) {
    const eq = d.indexOf("=");
    if (eq < 0) out[d] = "1";
    else out[d.slice(0, eq)] = d.slice(eq + 1);
  }
  return out;
}

/** The preprocessor options both commands take: -I, -D, -U (repeatable, attached or not). */
export function preprocessorOptions(y: Argv): Argv {
  return y
    .option("I", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Add DIR to the include search path (-I DIR or -IDIR; repeatable)" })
    .option("D", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Define a macro: -D NAME[=VALUE] or -DNAME[=VALUE] (repeatable)" })
    .option("U", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Undefine a macro: -U NAME or -UNAME (repeatable)" });
}
