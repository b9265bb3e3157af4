/**
 * The p4ts command line, a thin shell over `compile()`. `main(argv, io)` never
 * exits the process and never lets an exception escape: bad programs give
 * located diagnostics and exit status 1, usage errors 1, internal errors 2.
 */
import { DEFAULT_P4TC_ABI, P4TC_ABI_NAMES, type P4tcAbiName } from "../compiler/ir/abi/index.js";
import fs from "node:fs";
import path from "node:path";
import yargs from "yargs";
import { compile, type Stage } from "../compiler/compile.js";
import { packageVersion } from "../compiler/paths.js";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

interface Args {
  file?: string;
  o?: string;
  I: string[];
  D: string[];
  U: string[];
  "parse-only": boolean;
  "stop-after"?: Stage;
  pp?: string;
  q: boolean;
  Wdisable: string[];
  Werror: string[];
  build: boolean;
  clang?: string;
  "emulate-p4tc": boolean;
  "p4tc-abi": P4tcAbiName;
}

function parseDefines(ds: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of ds) {
    const eq = d.indexOf("=");
    if (eq < 0) out[d] = "1";
    else out[d.slice(0, eq)] = d.slice(eq + 1);
  }
  return out;
}

/** Splits "--Werror=kind" style values (also comma lists) into kinds; a bare flag means "all". */
function kinds(values: readonly string[]): string[] {
  return values.flatMap((v) => (v === "" ? ["all"] : v.split(","))).filter((v) => v.length > 0);
}

const asList = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv[0] === "stf") return stfMain(argv.slice(1), io);
  let usageError: string | undefined;
  let helpShown = false;
  let args: Args;
  try {
    const parser = yargs([...argv])
      .scriptName("p4ts")
      .usage("Usage: $0 FILE.p4 -o OUTDIR [options]\n\nCompile a P4-16 PNA program for Linux P4TC.")
      .option("o", { alias: "output", type: "string", describe: "Directory to write NAME.template, NAME.json and the eBPF C files to" })
      .option("I", { type: "string", array: true, default: [], describe: "Add a directory to the include search path" })
      .option("D", { type: "string", array: true, default: [], describe: "Define a preprocessor macro: NAME or NAME=VALUE" })
      .option("U", { type: "string", array: true, default: [], describe: "Undefine a preprocessor macro" })
      .option("parse-only", { type: "boolean", default: false, describe: "Stop after parsing" })
      .option("stop-after", { choices: ["parse", "frontend", "midend"] as const, describe: "Stop after this stage" })
      .option("pp", { type: "string", describe: "Write the parsed program back as P4 to this file" })
      .option("q", { alias: "quiet", type: "boolean", default: false, describe: "Print errors only (no warnings or notes)" })
      .option("Wdisable", { type: "string", array: true, default: [], describe: "Disable warnings of a kind (all if no kind)" })
      .option("Werror", { type: "string", array: true, default: [], describe: "Turn warnings of a kind into errors (all if no kind)" })
      .option("build", { type: "boolean", default: false, describe: "Also compile the C files to NAME_parser.o and NAME_control_blocks.o with clang" })
      .option("clang", { type: "string", describe: "The clang to build with (else $CLANG, a clang on PATH with the BPF target, the clang-wasm package)" })
      .option("emulate-p4tc", { type: "boolean", default: false, describe: "With --build: link the P4TC emulation in, to run on a kernel without P4TC" })
      .option("p4tc-abi", { choices: P4TC_ABI_NAMES, default: DEFAULT_P4TC_ABI, describe: "The P4TC ABI to emit for: p4c (the reference compiler's, default) or v13 (the P4TC kernel series v13)" })
      .version(packageVersion())
      .help()
      .strictOptions()
      .exitProcess(false)
      .fail((msg, err) => {
        usageError = msg ?? err?.message ?? "invalid arguments";
      })
      .wrap(100);
    const parsed = (await parser.parseAsync()) as unknown as Record<string, unknown> & { _: (string | number)[] };
    if (usageError) {
      io.stderr(`p4ts: ${usageError}\nTry 'p4ts --help'.\n`);
      return 1;
    }
    if (parsed.help || parsed.version) {
      helpShown = true;
    }
    args = {
      file: parsed._.length > 0 ? String(parsed._[0]) : undefined,
      o: parsed.o as string | undefined,
      I: asList(parsed.I),
      D: asList(parsed.D),
      U: asList(parsed.U),
      "parse-only": Boolean(parsed["parse-only"]),
      "stop-after": parsed["stop-after"] as Stage | undefined,
      pp: parsed.pp as string | undefined,
      q: Boolean(parsed.q),
      Wdisable: asList(parsed.Wdisable),
      Werror: asList(parsed.Werror),
      build: Boolean(parsed.build),
      clang: parsed.clang as string | undefined,
      "emulate-p4tc": Boolean(parsed["emulate-p4tc"]),
      "p4tc-abi": parsed["p4tc-abi"] as P4tcAbiName,
    };
    if (parsed._.length > 1) {
      io.stderr(`p4ts: expected one input file, got ${parsed._.length}\n`);
      return 1;
    }
  } catch (e) {
    io.stderr(`p4ts: ${(e as Error).message}\n`);
    return 1;
  }
  if (helpShown) return 0;
  if (!args.file) {
    io.stderr("p4ts: no input file\nUsage: p4ts FILE.p4 -o OUTDIR [options]\n");
    return 1;
  }

  try {
    const file = args.file;
    if (!fs.existsSync(file)) {
      io.stderr(`p4ts: ${file}: No such file\n`);
      return 1;
    }
    const stopAfter: Stage | undefined = args["parse-only"] ? "parse" : args["stop-after"];
    const result = compile({
      input: { file },
      includePaths: args.I,
      defines: parseDefines(args.D),
      undefines: args.U,
      stopAfter,
      disabledWarnings: kinds(args.Wdisable),
      warningsAsErrors: kinds(args.Werror),
      p4tcAbi: args["p4tc-abi"],
    });
    const shown = args.q ? result.diagnostics.filter((d) => d.category === "error") : result.diagnostics;
    if (shown.length > 0) io.stderr(result.format());
    if (!result.ok) return 1;

    if (args.pp && result.ast) {
      const { printProgram } = await import("../compiler/ast/print.js");
      fs.writeFileSync(args.pp, printProgram(result.ast));
    }
    if (args.build && (!args.o || stopAfter)) {
      io.stderr("p4ts: --build needs -o OUTDIR and a full compilation\n");
      return 1;
    }
    if (args.o && !stopAfter && result.outputs) {
      writeOutputs(args.o, result.outputs);
      if (args.build) return build(args, result.name, io);
    }
    return 0;
  } catch (e) {
    const err = e as Error;
    io.stderr(`p4ts: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.P4TS_DEBUG) io.stderr(`${err?.stack ?? ""}\n`);
    return 2;
  }
}

/** `p4ts stf FILE.p4 TEST.stf [--target NAME] [--port N=IFINDEX]... [-I DIR] [-D X] [--clang PATH]` */
async function stfMain(argv: readonly string[], io: CliIo): Promise<number> {
  let usageError: string | undefined;
  const parsed = (await yargs([...argv])
    .scriptName("p4ts stf")
    .usage("Usage: $0 FILE.p4 TEST.stf [options]\n\nRun an STF packet test on a target: by default this kernel, with P4TC emulated in BPF (needs root, bpftool and clang).")
    .option("target", { type: "string", default: "emulation", describe: "Where to run the test (emulation: P4TC emulated on this kernel; p4tc-vm: the P4TC v13 kernel in ../shared/p4tc-vm)" })
    .option("p4tc-abi", { choices: P4TC_ABI_NAMES, describe: "The P4TC ABI to compile for (default: the target's; the emulation follows either)" })
    .option("I", { type: "string", array: true, default: [], describe: "Add a directory to the include search path" })
    .option("D", { type: "string", array: true, default: [], describe: "Define a preprocessor macro" })
    .option("port", { type: "string", array: true, default: [], describe: "Map STF port N to interface index IFINDEX: N=IFINDEX (default: port N is ifindex N+1)" })
    .option("clang", { type: "string", describe: "The clang to build with" })
    .help()
    .strictOptions()
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg ?? err?.message ?? "invalid arguments";
    })
    .parseAsync()) as unknown as Record<string, unknown> & { _: (string | number)[] };
  if (usageError || parsed._.length !== 2) {
    if (parsed?.help) return 0;
    io.stderr(`p4ts stf: ${usageError ?? "expected FILE.p4 and TEST.stf"}\nUsage: p4ts stf FILE.p4 TEST.stf [--port N=IFINDEX]...\n`);
    return 1;
  }
  const ports = new Map<number, number>();
  for (const p of asList(parsed.port)) {
    const m = /^(\d+)=(\d+)$/.exec(p);
    if (!m) {
      io.stderr(`p4ts stf: --port takes N=IFINDEX, got '${p}'\n`);
      return 1;
    }
    ports.set(Number(m[1]), Number(m[2]));
  }
  const [program, stf] = parsed._.map(String) as [string, string];
  for (const f of [program, stf]) {
    if (!fs.existsSync(f)) {
      io.stderr(`p4ts stf: ${f}: No such file\n`);
      return 1;
    }
  }
  // SIGINT/SIGTERM stop the run at once: the target cleans up, the exit status is 128 + the signal's number.
  const stop = new AbortController();
  let stoppedBy = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    stoppedBy = sig === "SIGTERM" ? 143 : 130;
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const { runStf } = await import("../stf/run.js");
    const rc = await runStf({ program, stf, target: String(parsed.target), ...(parsed["p4tc-abi"] ? { p4tcAbi: parsed["p4tc-abi"] as P4tcAbiName } : {}), includePaths: asList(parsed.I), defines: parseDefines(asList(parsed.D)), ports, clang: parsed.clang as string | undefined, signal: stop.signal, out: io.stdout });
    if (stoppedBy !== 0) return stoppedBy;
    return rc === 2 ? 1 : rc;
  } catch (e) {
    const err = e as Error;
    io.stderr(`p4ts: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.P4TS_DEBUG) io.stderr(`${err?.stack ?? ""}\n`);
    return 2;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** `--build`: compile the written C files with a clang that has the BPF target. */
async function build(args: Args, name: string, io: CliIo): Promise<number> {
  const { findClang, isClangFound, buildObjects } = await import("../build/index.js");
  const clang = findClang({ clangPath: args.clang, env: process.env });
  if (!isClangFound(clang)) {
    io.stderr(`p4ts: ${clang.error}\n`);
    return 1;
  }
  const r = buildObjects(args.o!, name, clang, { extraFlags: args["emulate-p4tc"] ? ["-DP4TS_EMULATE_P4TC"] : [] });
  if (r.diagnostics) io.stderr(r.diagnostics);
  return r.ok ? 0 : 1;
}

/** Writes every output or none: each file goes to a temporary name first, then all are renamed. */
function writeOutputs(dir: string, outputs: Readonly<Record<string, string>>): void {
  fs.mkdirSync(dir, { recursive: true });
  const staged: [string, string][] = [];
  try {
    for (const [name, text] of Object.entries(outputs)) {
      const final = path.join(dir, name);
      const tmp = `${final}.tmp-${process.pid}`;
      fs.writeFileSync(tmp, text, { mode: name.endsWith(".template") ? 0o755 : 0o644 });
      staged.push([tmp, final]);
    }
    for (const [tmp, final] of staged) fs.renameSync(tmp, final);
  } finally {
    for (const [tmp] of staged) fs.rmSync(tmp, { force: true });
  }
}
