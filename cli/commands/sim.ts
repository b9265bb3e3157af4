/** `p4ts sim FILE.p4 TEST.stf [options]`: an STF test on the interpreter (`p4ts stf --target sim`). */
import type { CliIo } from "../options.js";
import { stfCommand } from "./stf.js";

export function simCommand(argv: readonly string[], io: CliIo): Promise<number> {
  return stfCommand(argv, io, "sim");
}
