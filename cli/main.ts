/**
 * The p4ts command line: `main(argv, io)` picks the command and loads it.
 * It never exits the process and never lets an exception escape: bad programs
 * give located diagnostics and exit status 1, usage errors 1, internal errors 2.
 *
 *   p4ts FILE.p4 -o OUTDIR [options]   compile     (cli/commands/compile.ts)
 *   p4ts stf FILE.p4 TEST.stf          packet test (cli/commands/stf.ts)
 *   p4ts sim FILE.p4 TEST.stf          the same on the interpreter (stf --target sim)
 *   p4ts help [stf]                    the help of a command
 *
 * Commands are loaded with import() so that each pays only for what it uses:
 * `--help` and `--version` load neither the front end nor the STF machinery.
 */
import { internalError, processIo, type CliIo } from "./io.js";

export { processIo, type CliIo } from "./io.js";

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === "help") {
      if (rest.length > 1 || (rest.length === 1 && rest[0] !== "stf" && rest[0] !== "sim")) {
        io.stderr(`p4ts help: no command '${rest.join(" ")}' (commands: stf, sim)\n`);
        return 1;
      }
      if (rest[0] === "sim") return (await import("./commands/sim.js")).simCommand(["--help"], io);
      return rest[0] === "stf" ? (await import("./commands/stf.js")).stfCommand(["--help"], io) : (await import("./commands/compile.js")).compileCommand(["--help"], io);
    }
    if (first === "stf") return await (await import("./commands/stf.js")).stfCommand(rest, io);
    if (first === "sim") return await (await import("./commands/sim.js")).simCommand(rest, io);
    return await (await import("./commands/compile.js")).compileCommand(argv, io);
  } catch (e) {
    return internalError(io, e);
  }
}
