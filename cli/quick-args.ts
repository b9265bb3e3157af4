/**
 * Reads the common compile command lines without yargs: `FILE.p4 -o DIR` with
 * -I/-D/-U, --p4tc-abi, --build, --emulate-p4tc, --trace, -g, -q, -v and
 * --parse-only, each value a separate word or attached as p4c allows. Loading
 * and setting up yargs costs about as much as parsing a small program, so the
 * compile command tries this first.
 *
 * It gives exactly what yargs gives for such a line (the same keys and
 * values, defaults included), or undefined for anything else (help, other
 * options, a repeated option, a value that looks like an option, `--`, ...):
 * yargs then reads the line and reports what is wrong.
 */
import { DEFAULT_P4TC_ABI, P4TC_ABI_NAMES } from "../compiler/ir/abi/index.js";
import { attachValues, type Parsed } from "./options.js";

/** Flags that take no value: the spellings accepted and the key yargs stores. */
const FLAGS: Readonly<Record<string, string>> = {
  "--build": "build",
  "--emulate-p4tc": "emulate-p4tc",
  "--trace": "trace",
  "-g": "g",
  "--parse-only": "parse-only",
  "-q": "q",
  "--quiet": "q",
};
/** Options that take one value (the next word): the spellings and the key. */
const SINGLE: Readonly<Record<string, string>> = { "-o": "o", "--output": "o", "--p4tc-abi": "p4tc-abi" };
/** Repeatable options that take one value each. */
const REPEATED: Readonly<Record<string, string>> = { "-I": "I", "-D": "D", "-U": "U" };

export function quickCompileArgs(argv: readonly string[]): Parsed | undefined {
  const words = attachValues(argv).flatMap((w) => (w.startsWith("--p4tc-abi=") ? ["--p4tc-abi", w.slice("--p4tc-abi=".length)] : [w]));
  const out: Parsed = { _: [], "diagnostics-format": "text", "p4tc-abi": DEFAULT_P4TC_ABI, v: 0, $0: "p4ts" };
  const given = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "") return undefined;
    if (!w.startsWith("-")) {
      out._.push(w);
      continue;
    }
    if (w === "-v") {
      out.v = (out.v as number) + 1;
      continue;
    }
    const flag = FLAGS[w];
    if (flag !== undefined) {
      if (given.has(flag)) return undefined;
      given.add(flag);
      out[flag] = true;
      continue;
    }
    const key = SINGLE[w] ?? REPEATED[w];
    const value = words[i + 1];
    if (key === undefined || value === undefined || value === "" || value.startsWith("-")) return undefined;
    i++;
    if (REPEATED[w] !== undefined) {
      out[key] = [...((out[key] as string[] | undefined) ?? []), value];
      continue;
    }
    if (given.has(key)) return undefined;
    if (key === "p4tc-abi" && !(P4TC_ABI_NAMES as readonly string[]).includes(value)) return undefined;
    given.add(key);
    out[key] = value;
  }
  return out;
}
