/**
 * The parser's entry point: preprocessed text in, AST out, syntax errors into
 * the diagnostic bag. One parser instance serves every call (module scope).
 */
import type { Node, Program } from "../compiler/ast/nodes.js";
import { forEachChild } from "../compiler/ast/forEachChild.js";
import { Msg, type DiagnosticBag } from "../compiler/diagnostics/index.js";
import { P4Parser, MAX_NESTING, type OriginalPos } from "./p4parser.js";

export type { OriginalPos } from "./p4parser.js";
export { MAX_NESTING } from "./p4parser.js";

const parser = new P4Parser();

/**
 * The deepest AST the parser hands on. Left-associative chains (`a + b + c
 * ...`) are parsed in a loop but build a tree as deep as the chain is long,
 * and the passes after the parser walk trees recursively: a chain longer
 * than this is rejected here, with the same message as deep nesting. The
 * generated C nests about as deep as the AST (an `if` block, a parenthesized
 * operand per level), which keeps it under clang's bracket depth of 256.
 */
export const MAX_AST_DEPTH = MAX_NESTING;

export function parseP4(text: string, locate: (offset: number) => OriginalPos, diags: DiagnosticBag): Program {
  const program = parser.parse(text, locate, diags);
  if (!diags.hasErrors()) checkDepth(program, diags);
  return program;
}

/** Reports the first node deeper than MAX_AST_DEPTH (an iterative walk: any depth is safe here). */
function checkDepth(program: Program, diags: DiagnosticBag): void {
  const stack: [Node, number][] = [[program, 0]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > MAX_AST_DEPTH) {
      const what = /Statement$/.test(n.kind) ? "statement" : /Type/.test(n.kind) ? "type" : "expression";
      diags.report(Msg.NestingTooDeep, n.span, what, MAX_AST_DEPTH);
      return;
    }
    const children: Node[] = [];
    forEachChild(n, (c) => void children.push(c));
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], d + 1]);
  }
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
