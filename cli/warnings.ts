/**
 * The warning kinds and the --Werror/--Wwarn/--Winfo/--Wdisable flags, shared
 * by the compile command and its help (no yargs here).
 */
import { Msg } from "../compiler/diagnostics/messages.js";
import { WARNING_FLAGS } from "./options.js";

/** The kinds a warning can have: what --Werror=KIND and friends accept. */
export const WARNING_KINDS: readonly string[] = [...new Set(Object.values(Msg).filter((m) => m.category !== "error").map((m) => m.kind))].sort();

/** What the --W flags ask for each warning kind, applied in command-line order. */
export interface WarningActions {
  readonly disabled: string[];
  readonly errors: string[];
  readonly infos: string[];
}

/** The --Werror/--Wwarn/--Winfo/--Wdisable flags in the order given; the last word on a kind wins. */
export function warningActions(argv: readonly string[]): WarningActions | { error: string } {
  const action = new Map<string, (typeof WARNING_FLAGS)[number]>();
  for (const a of argv) {
    if (a === "--") break;
    const m = /^--(Werror|Wwarn|Winfo|Wdisable)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const flag = m[1] as (typeof WARNING_FLAGS)[number];
    const values = m[2] === undefined || m[2] === "" ? ["all"] : m[2].split(",");
    for (const k of values) {
      if (k === "all") {
        for (const kind of WARNING_KINDS) action.set(kind, flag);
      } else if (!WARNING_KINDS.includes(k)) {
        return { error: `--${flag}=${k}: unknown warning kind '${k}' (kinds: ${WARNING_KINDS.join(", ")})` };
      } else action.set(k, flag);
    }
  }
  const pick = (f: string) => [...action].filter(([, v]) => v === f).map(([k]) => k);
  return { disabled: pick("Wdisable"), errors: pick("Werror"), infos: pick("Winfo") };
}

