/**
 * The compile command's options and help, read with yargs: loaded only for a
 * command line cli/quick-args.ts does not read (help, rarer options, errors).
 */
import { DEFAULT_P4TC_ABI, P4TC_ABI_NAMES } from "../../compiler/ir/abi/index.js";
import type { Argv } from "yargs";
import type { CliIo, Parsed } from "../options.js";
import { p4cParser, parseOrExit, preprocessorOptions } from "../parser.js";
import { WARNING_KINDS } from "../warnings.js";

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

/** Reads the compile command's options with yargs; a number is the exit status when the command is done (help, version, usage error). */
export function parseCompileArgs(argv: readonly string[], io: CliIo): Promise<Parsed | number> {
  return parseOrExit(compileParser(argv), "p4ts", io);
}
