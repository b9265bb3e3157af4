/**
 * What every p4ts command shares: the I/O hooks, how options are read the way
 * p4c does (yargs set up in cli/parser.ts), and the checks and messages for user errors
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
 * Nothing heavy is imported here, not even yargs: the yargs parsers are in
 * cli/parser.ts, loaded only when a command line is not one that
 * cli/quick-args.ts reads on its own.
 */
import fs from "node:fs";
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

export type Parsed = Record<string, unknown> & { _: string[] };
