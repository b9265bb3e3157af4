/** Statements common to the parser, the control and the deparser: assignments, locals, conditions, blocks. */
import type { DExpr, DStmt, LValue, SrcLoc } from "../../compiler/ir/datapath.js";
import { csuffix, ctype, exprC, isWide, lvalueC, wideBytes, wideC, type ExprCtx } from "./cexpr.js";
import type { Emitter } from "./emitter.js";
import { externStmt } from "./externs.js";
import type { CWriter } from "./writer.js";

function localDecl(w: CWriter, s: Extract<DStmt, { k: "local" }>, x: ExprCtx): void {
  const wide = s.type.k === "scalar" && isWide(s.type.t);
  const init = s.init && !wide ? ` = ${exprC(s.init, x)}` : s.type.k === "scalar" && s.type.t.width <= 64 ? " = 0" : " = {0}";
  w.line(`${ctype(s.type)} ${s.name}${csuffix(s.type)}${init};`);
  w.line(`(void)${s.name};`);
  if (s.init && wide) assignC(w, { root: s.name, path: [], type: s.type }, s.init, x);
}

/** A condition for `if (...)`: without a redundant outer pair of parentheses (clang warns on `if ((a == b))`). */
export function condC(e: DExpr, x: ExprCtx): string {
  const c = exprC(e, x);
  if (!c.startsWith("(") || !c.endsWith(")")) return c;
  let depth = 0;
  for (let i = 0; i < c.length; i++) {
    if (c[i] === "(") depth++;
    else if (c[i] === ")") depth--;
    if (depth === 0 && i < c.length - 1) return c;
  }
  return c.slice(1, -1);
}

/**
 * `lhs = rhs;` for a scalar l-value. A value wider than 64 bits is copied
 * byte-wise when the right side is stored bytes, and otherwise computed as a
 * p4ts_u128 and stored into the l-value's network-order byte array.
 */
export function assignC(w: CWriter, lhs: LValue, rhs: DExpr, x: ExprCtx): void {
  const t = lhs.type.k === "scalar" ? lhs.type.t : null;
  if (t && t.width > 64) {
    if (rhs.k === "lval") w.line(`__builtin_memcpy(${lvalueC(lhs)}, ${lvalueC(rhs.lv)}, ${Math.ceil(t.width / 8)});`);
    else if (rhs.k === "const") {
      const n = Math.ceil(t.width / 8);
      for (let i = 0; i < n; i++) w.line(`${lvalueC(lhs)}[${i}] = ${Number((rhs.value >> BigInt(8 * (n - 1 - i))) & 0xffn)};`);
    } else if (rhs.k === "param") {
      for (let i = 0; i < rhs.size; i++) w.line(`${lvalueC(lhs)}[${i}] = act_bpf->params[${rhs.offset + i}];`);
    } else w.line(`p4ts_store_be(${lvalueC(lhs)}, ${wideBytes(t.width)}, ${wideC(rhs, x)});`);
    return;
  }
  // `x = x` does nothing (and clang -Wself-assign rejects it).
  if (rhs.k === "lval" && lvalueC(rhs.lv) === lvalueC(lhs)) return;
  w.line(`${lvalueC(lhs)} = ${exprC(rhs, x)};`);
}

/** `file:line` of P4 source for a C comment (a `*` `/` pair in a file name cannot end the comment). */
export function locText(loc: SrcLoc): string {
  return `${loc.file.replace(/\*\//g, "*_/")}:${loc.line}`;
}

/** Statements common to every block; parser- and deparser-only ones go to `other`. */
export function commonStmt(e: Emitter, s: DStmt, other: (s: DStmt) => void): void {
  const { w } = e;
  if (s.loc && s.k !== "emit") w.note(locText(s.loc));
  switch (s.k) {
    case "assign":
      assignC(w, s.lhs, s.rhs, e);
      return;
    case "copy":
      w.line(`__builtin_memcpy(&${lvalueC(s.lhs)}, &${lvalueC(s.rhs)}, sizeof(${lvalueC(s.lhs)}));`);
      return;
    case "local":
      localDecl(w, s, e);
      return;
    case "if":
      w.block(`if (${condC(s.cond, e)})`, () => s.then.forEach((x) => e.stmt(x)));
      if (s.else.length) {
        // Re-open as else: CWriter closes with `}`; emit `else {` on its own line.
        w.block("else", () => s.else.forEach((x) => e.stmt(x)));
      }
      return;
    case "block":
      w.block("", () => s.body.forEach((x) => e.stmt(x)));
      return;
    case "setValid":
      w.line(`${lvalueC(s.header)}.ebpf_valid = ${s.valid ? 1 : 0};`);
      return;
    case "extern":
      externStmt(e, s.call);
      return;
    case "return":
      w.line(`goto ${s.label};`);
      return;
    case "stackShift": {
      const ni = `${lvalueC(s.stack)}_nextIndex`;
      if (s.by >= 0) w.line(`${ni} = ${ni} + ${s.by} > ${s.size} ? ${s.size} : ${ni} + ${s.by};`);
      else w.line(`${ni} = ${ni} > ${-s.by} ? ${ni} - ${-s.by} : 0;`);
      return;
    }
    case "label":
      w.label(s.label);
      return;
    default:
      other(s);
  }
}
