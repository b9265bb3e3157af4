/**
 * Prebuilt includes: what preprocessing one of the bundled architecture files
 * (core.p4, tc/pna.p4, pna.p4) does, recorded at build time
 * (compiler/prebuilt.ts), so that a compile need not tokenize and expand
 * them again. A snapshot is used only when it provably gives what processing
 * the file would: the files it reads resolve to the same paths and hold the
 * same text, and every identifier in them has, at the #include, the macro
 * definition (or none) it had when the snapshot was recorded. Then the
 * output text, token positions, macro changes, files read and counters are
 * replayed; otherwise the file is processed as usual.
 */
import type { PPToken } from "./tokenize.js";
import type { OutputSegment } from "./output.js";

export interface Macro {
  readonly name: string;
  /** Null for an object-like macro. */
  readonly params: readonly string[] | null;
  readonly variadic: boolean;
  readonly body: readonly PPToken[];
}

export interface IncludeSnapshot {
  /** The included file's path, as the #include resolved it. */
  readonly file: string;
  /** Every file read while processing it, in order (the file itself first), with its text. */
  readonly reads: readonly { readonly file: string; readonly text: string }[];
  /** The nested #includes, in order: how each was written, where, and the path it resolved to. */
  readonly nested: readonly { readonly target: string; readonly angled: boolean; readonly from: string; readonly file: string }[];
  /** Each identifier of the files read: the fingerprint of its macro at the #include, null when undefined. */
  readonly requires: Readonly<Record<string, string | null>>;
  /** Macros the include defined (or redefined) or removed (null). */
  readonly changes: Readonly<Record<string, Macro | null>>;
  /** What it writes to the output (decoded on use). */
  readonly output: () => OutputSegment;
  /** Tokens produced by macro expansion (MAX_EXPANDED_TOKENS). */
  readonly expandedTokens: number;
  /** The deepest nesting of includes below this one. */
  readonly depth: number;
}

/** What decides a macro's expansion: its parameters and body spellings. */
export function macroFingerprint(m: Macro): string {
  return JSON.stringify([m.params, m.variadic, m.body.map((t) => [t.kind, t.text, t.ws])]);
}
