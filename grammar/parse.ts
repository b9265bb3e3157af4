/**
 * The parser's entry point: preprocessed text in, AST out, syntax errors into
 * the diagnostic bag. One parser instance serves every call (module scope).
 */
import type { Program } from "../compiler/ast/nodes.js";
import type { DiagnosticBag } from "../compiler/diagnostics/index.js";
import { P4Parser, type OriginalPos } from "./p4parser.js";

export type { OriginalPos } from "./p4parser.js";

const parser = new P4Parser();

export function parseP4(text: string, locate: (offset: number) => OriginalPos, diags: DiagnosticBag): Program {
  return parser.parse(text, locate, diags);
}

/** A `locate` for text that is its own source file (no preprocessing): offsets to line/column. */
export function locateIn(file: string, text: string): (offset: number) => OriginalPos {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: offset - starts[lo] + 1 };
  };
}
