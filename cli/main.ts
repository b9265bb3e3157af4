/**
 * The p4ts command line: `main(argv, io)` picks the command and loads it.
 * It never exits the process and never lets an exception escape: bad programs
 * give located diagnostics and exit status 1, usage errors 1, internal errors 2.
 *
 *   p4ts FILE.p4 -o OUTDIR [options]   compile     (cli/commands/compile.ts)
 *   p4ts stf FILE.p4 TEST.stf          packet test (cli/commands/stf.ts)
 *   p4ts help [stf]                    the help of a command
 *
 * Commands are loaded with import() so that each pays only for what it uses:
 * `--help` and `--version` load neither the front end nor the STF machinery.
 */
import { internalError, processIo, type CliIo } from "./io.js";

export { processIo, type CliIo } from "./io.js";

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
<<<<<<< HEAD
  if (argv[0] === "stf") return stfMain(argv.slice(1), io);
  if (argv[0] === "sim") return stfMain(argv.slice(1), io, "sim");
  let usageError: string | undefined;
  let helpShown = false;
  let args: Args;
=======
>>>>>>> main
  try {
    const [first, ...rest] = argv;
    if (first === "help") {
      if (rest.length > 1 || (rest.length === 1 && rest[0] !== "stf")) {
        io.stderr(`p4ts help: no command '${rest.join(" ")}' (commands: stf)\n`);
        return 1;
      }
      return rest[0] === "stf" ? (await import("./commands/stf.js")).stfCommand(["--help"], io) : (await import("./commands/compile.js")).compileCommand(["--help"], io);
    }
    if (first === "stf") return await (await import("./commands/stf.js")).stfCommand(rest, io);
    return await (await import("./commands/compile.js")).compileCommand(argv, io);
  } catch (e) {
<<<<<<< HEAD
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
/** `p4ts sim FILE.p4 TEST.stf`: the same on the interpreter (no kernel, root or clang). */
async function stfMain(argv: readonly string[], io: CliIo, cmd: "stf" | "sim" = "stf"): Promise<number> {
  let usageError: string | undefined;
  const parsed = (await yargs([...argv])
    .scriptName(`p4ts ${cmd}`)
    .usage(
      cmd === "sim"
        ? "Usage: $0 FILE.p4 TEST.stf [options]\n\nRun an STF packet test on the P4 interpreter: no kernel, root or clang needed."
        : "Usage: $0 FILE.p4 TEST.stf [options]\n\nRun an STF packet test on a target: by default this kernel, with P4TC emulated in BPF (needs root, bpftool and clang).",
    )
    .option("target", { type: "string", default: cmd === "sim" ? "sim" : "emulation", describe: "Where to run the test (emulation: P4TC emulated on this kernel; sim: the interpreter)" })
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
    io.stderr(`p4ts ${cmd}: ${usageError ?? "expected FILE.p4 and TEST.stf"}\nUsage: p4ts ${cmd} FILE.p4 TEST.stf [--port N=IFINDEX]...\n`);
    return 1;
  }
  const ports = new Map<number, number>();
  for (const p of asList(parsed.port)) {
    const m = /^(\d+)=(\d+)$/.exec(p);
    if (!m) {
      io.stderr(`p4ts ${cmd}: --port takes N=IFINDEX, got '${p}'\n`);
      return 1;
    }
    ports.set(Number(m[1]), Number(m[2]));
  }
  const [program, stf] = parsed._.map(String) as [string, string];
  for (const f of [program, stf]) {
    if (!fs.existsSync(f)) {
      io.stderr(`p4ts ${cmd}: ${f}: No such file\n`);
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
    const rc = await runStf({ program, stf, target: String(parsed.target), includePaths: asList(parsed.I), defines: parseDefines(asList(parsed.D)), ports, clang: parsed.clang as string | undefined, signal: stop.signal, out: io.stdout });
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
=======
    return internalError(io, e);
>>>>>>> main
  }
}
