/**
 * The parser's entry point: preprocessed text in, AST out, syntax errors into
 * the diagnostic bag. One parser instance serves every call (module scope).
 */
import type { Declaration, Node, Program } from "../compiler/ast/nodes.js";
import type { Span } from "../compiler/source.js";
import { forEachChild } from "../compiler/ast/forEachChild.js";
import { Msg, type DiagnosticBag } from "../compiler/diagnostics/index.js";
import { P4Parser, MAX_NESTING, initialTypeNames, type OriginalPos, type ParsePrefix, type TokenBounds } from "./p4parser.js";

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

/**
 * The declarations of a prebuilt include (compiler/prebuilt.ts), parsed at
 * build time. They stand for the include's text when it starts the program
 * (only whitespace and other such includes before it) and the parser's
 * top-level type names there are the ones it was parsed with.
 */
export interface ParsedInclude {
  /** typeNamesKey() of the top-level type names it was parsed with. */
  readonly typeNamesBefore: string;
  /** The top-level type names after it, and their typeNamesKey(). */
  readonly typeNames: readonly (readonly [string, boolean])[];
  readonly typeNamesAfter: string;
  /** The declarations (new objects on each call). */
  readonly declarations: () => Declaration[];
  readonly bounds: TokenBounds | undefined;
}

export interface PrebuiltParse {
  /** The includes the preprocessor answered from snapshots (PreprocessResult.prebuilt): snapshot index, text span [start, end). */
  readonly uses: readonly { readonly index: number; readonly start: number; readonly end: number }[];
  /** By snapshot index. */
  readonly parsed: readonly (ParsedInclude | undefined)[];
}

export function parseP4(text: string, locate: (offset: number) => OriginalPos, diags: DiagnosticBag, prebuilt?: PrebuiltParse): Program {
  const program = parser.parse(text, locate, diags, prebuilt && prebuiltPrefix(text, prebuilt));
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

export const typeNamesKey = (names: readonly (readonly [string, boolean])[]): string => JSON.stringify([...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const initialKey = typeNamesKey(initialTypeNames);

/** The leading run of prebuilt includes that can stand for their text, as a parse prefix. */
function prebuiltPrefix(text: string, { uses, parsed }: PrebuiltParse): ParsePrefix | undefined {
  let offset = 0;
  let key = initialKey;
  let typeNames = initialTypeNames;
  let first: TokenBounds["first"] | undefined;
  let last: TokenBounds["last"] | undefined;
  const declarations: Declaration[] = [];
  for (const u of uses) {
    const p = parsed[u.index];
    if (!p || p.typeNamesBefore !== key || !/^\s*$/.test(text.slice(offset, u.start))) break;
    declarations.push(...p.declarations());
    first ??= p.bounds?.first;
    last = p.bounds?.last ?? last;
    typeNames = p.typeNames;
    key = p.typeNamesAfter;
    offset = u.end;
  }
  if (offset === 0) return undefined;
  return { offset, declarations, typeNames, bounds: first && last ? { first, last } : undefined };
}

/** Build time: parses text[start, end) (an include's output) after the top-level type names `typeNames`; undefined when it does not end at the top level or reports anything. */
export function parseInclude(text: string, start: number, end: number, locate: (offset: number) => OriginalPos, diags: DiagnosticBag, typeNames: readonly (readonly [string, boolean])[]): ParsedInclude | undefined {
  const reported = diags.all().length;
  const program = parser.parse(text.slice(0, end), locate, diags, { offset: start, declarations: [], typeNames, bounds: undefined });
  const after = parser.topLevelTypeNames();
  if (!after || diags.all().length !== reported) return undefined;
  const json = writeDeclarations(program.declarations);
  return { typeNamesBefore: typeNamesKey(typeNames), typeNames: after, typeNamesAfter: typeNamesKey(after), declarations: () => readDeclarations(json), bounds: parser.tokenBounds() };
}

/**
 * Declarations as JSON: integer values as decimal strings and, with `files`,
 * each span as {"$":[F,line,col,endLine,endCol]} (F its file's index in
 * `files`, which it adds to).
 */
export function writeDeclarations(decls: readonly Declaration[], files?: string[]): string {
  return JSON.stringify(decls, (_k, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (files && isSpan(v)) {
      let f = files.indexOf(v.file);
      if (f < 0) f = files.push(v.file) - 1;
      return { $: [f, v.line, v.col, v.endLine, v.endCol] };
    }
    return v;
  });
}

function isSpan(v: unknown): v is Span {
  if (typeof v !== "object" || v === null) return false;
  const keys = Object.keys(v);
  return keys.length === 5 && ["file", "line", "col", "endLine", "endCol"].every((k, n) => keys[n] === k);
}

/** The inverse of writeDeclarations (a walk after JSON.parse: a reviver costs several times more). */
export function readDeclarations(json: string, files?: readonly string[]): Declaration[] {
  const decls = JSON.parse(json) as Declaration[];
  const fix = (o: Record<string, unknown>) => {
    for (const k in o) {
      const v = o[k];
      if (typeof v === "object" && v !== null) {
        const at = (v as { $?: number[] }).$;
        if (files && at !== undefined) o[k] = { file: files[at[0]], line: at[1], col: at[2], endLine: at[3], endCol: at[4] };
        else fix(v as Record<string, unknown>);
      } else if (k === "value" && typeof v === "string" && o.kind === "IntLiteral") o[k] = BigInt(v);
    }
  };
  fix(decls as unknown as Record<string, unknown>);
  return decls;
}
