/**
 * `p4ts stf FILE.p4 TEST.stf [options]`: runs an STF packet test. The options
 * are declared in `stfOptions` and read into `StfArgs` by `stfArgs`, the one
 * place to extend; the STF runner and the build machinery load only here.
 */
import { P4TC_ABI_NAMES, type P4tcAbiName } from "../../compiler/ir/abi/index.js";
import type { Argv } from "yargs";
import { asList, inputFileProblem, internalError, parseDefines, usage, type CliIo, type Parsed } from "../options.js";
import { p4cParser, parseOrExit, preprocessorOptions } from "../parser.js";

const USAGE = `Usage: p4ts stf FILE.p4 TEST.stf [options]

Run an STF packet test on a target: by default this kernel, with P4TC emulated in BPF
maps (needs root, bpftool and a clang with the BPF target).

Exit status: 0 the test passed; 1 it failed, or the program or test has errors, or the
test cannot run on this machine (the reason is printed); 2 an internal error in p4ts;
130/143 stopped by SIGINT/SIGTERM (after cleaning up).`;

/** The stf command's options, parsed. */
export interface StfArgs {
  readonly program: string;
  readonly stf: string;
  readonly includePaths: string[];
  readonly defines: Record<string, string>;
  readonly undefines: string[];
  /** STF port → ifindex overrides. */
  readonly ports: Map<number, number>;
  readonly clang?: string;
  /** The target to run on (targets/index.ts `targetNames`). */
  readonly target: string;
  /** The P4TC ABI to compile for (default: the target's). */
  readonly p4tcAbi?: P4tcAbiName;
}

const SIM_USAGE = `Usage: p4ts sim FILE.p4 TEST.stf [options]

Run an STF packet test on p4ts's P4 interpreter: no kernel, root, bpftool or clang
needed. Output and exit status as p4ts stf (it is p4ts stf --target sim).`;

export function stfOptions(y: Argv, cmd: "stf" | "sim" = "stf"): Argv {
  return preprocessorOptions(y)
    .option("target", { type: "string", nargs: 1, requiresArg: true, default: cmd === "sim" ? "sim" : "emulation", describe: "Where to run the test (emulation: P4TC emulated on this kernel; p4tc-vm: the P4TC v13 kernel in ../shared/p4tc-vm; sim: the interpreter)" })
    .option("p4tc-abi", { choices: P4TC_ABI_NAMES, describe: "The P4TC ABI to compile for (default: the target's; the emulation follows either)" })
    .option("port", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Map STF port N to interface index IFINDEX: N=IFINDEX (repeatable; default: port N is ifindex N+1)" })
    .option("clang", { type: "string", nargs: 1, requiresArg: true, describe: "The clang to build with (else $CLANG, a clang on PATH with the BPF target)" });
}

export function stfParser(argv: readonly string[], cmd: "stf" | "sim" = "stf"): Argv {
  return stfOptions(p4cParser(argv, `p4ts ${cmd}`, cmd === "sim" ? SIM_USAGE : USAGE), cmd);
}

/** Reads the parsed options; a string is a usage error. */
export function stfArgs(p: Parsed): StfArgs | string {
  if (p._.length !== 2) return `expected FILE.p4 and TEST.stf, got ${p._.length} file${p._.length === 1 ? "" : "s"}`;
  const ports = new Map<number, number>();
  for (const v of asList(p.port)) {
    const m = /^(\d+)=(\d+)$/.exec(v);
    if (!m) return `--port takes N=IFINDEX, got '${v}'`;
    ports.set(Number(m[1]), Number(m[2]));
  }
  const [program, stf] = p._ as [string, string];
  return { program, stf, includePaths: asList(p.I), defines: parseDefines(asList(p.D)), undefines: asList(p.U), ports, clang: p.clang as string | undefined, target: String(p.target), ...(p["p4tc-abi"] ? { p4tcAbi: p["p4tc-abi"] as P4tcAbiName } : {}) };
}

/** `cmd` "sim": `p4ts sim`, the same on the interpreter by default. */
export async function stfCommand(argv: readonly string[], io: CliIo, cmd: "stf" | "sim" = "stf"): Promise<number> {
  const p = await parseOrExit(stfParser(argv, cmd), `p4ts ${cmd}`, io);
  if (typeof p === "number") return p;
  const a = stfArgs(p);
  if (typeof a === "string") return usage(io, `p4ts ${cmd}`, a);
  for (const f of [a.program, a.stf]) {
    const problem = inputFileProblem(f);
    if (problem) {
      io.stderr(`p4ts ${cmd}: ${problem}\n`);
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
    const { runStf } = await import("../../stf/run.js");
    const rc = await runStf({ ...a, out: io.stdout, signal: stop.signal });
    if (stoppedBy !== 0) return stoppedBy;
    return rc === 2 ? 1 : rc;
  } catch (e) {
    return internalError(io, e);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}
