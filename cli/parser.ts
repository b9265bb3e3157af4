/**
 * The yargs side of reading a command line (see cli/options.ts for the p4c
 * habits it follows): loaded only when a command needs yargs, which costs a
 * tenth of a compile's start-up.
 */
import yargs, { type Argv } from "yargs";
import { packageVersion } from "../compiler/paths.js";
import { attachValues, usage, type CliIo, type Parsed } from "./options.js";

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

/** The preprocessor options both commands take: -I, -D, -U (repeatable, attached or not). */
export function preprocessorOptions(y: Argv): Argv {
  return y
    .option("I", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Add DIR to the include search path (-I DIR or -IDIR; repeatable)" })
    .option("D", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Define a macro: -D NAME[=VALUE] or -DNAME[=VALUE] (repeatable)" })
    .option("U", { type: "string", array: true, nargs: 1, requiresArg: true, describe: "Undefine a macro: -U NAME or -UNAME (repeatable)" });
}
