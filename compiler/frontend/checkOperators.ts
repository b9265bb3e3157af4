/**
 * The types of operator expressions (P4-16 "Expressions": unary and binary
 * operators on every type, and explicit casts), with constant folding. Called by
 * the expression walker (checkExpressions.ts); typing operands goes through
 * ck.fns so the two modules do not import each other.
 */
import type * as A from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker, Ctx } from "./checker.js";
import { REF_MAX_WIDTH, foldIntBinary, wrap, type ConstValue } from "./constants.js";
import * as T from "./types.js";
import type { Type } from "./types.js";
import { assignable, comparable, numeric, unify } from "./relations.js";

const typeOf = (ck: Checker, e: A.Expression, ctx: Ctx, expected?: Type): Type => ck.fns.typeOf(ck, e, ctx, expected);
const constOf = (ck: Checker, e: A.Expression): ConstValue | undefined => ck.constants.get(e);
function setConst(ck: Checker, e: A.Node, v: ConstValue | undefined): void {
  if (v !== undefined) ck.constants.set(e, v);
}

export function unaryType(ck: Checker, e: A.UnaryExpression, ctx: Ctx): Type {
  const t0 = typeOf(ck, e.operand, ctx);
  const t = numeric(t0);
  const v = constOf(ck, e.operand);
  if (T.isUnknown(t) || t.k === "newtype") return t0;
  switch (e.op) {
    case "!":
      if (t.k !== "bool") {
        ck.diags.report(Msg.Fe_UnaryOperand, e.span, "!", ck.show(e.operand), T.typeToString(t));
        return T.Unknown;
      }
      if (typeof v === "boolean") setConst(ck, e, !v);
      return T.Bool;
    case "~":
      if (t.k === "int") {
        ck.diags.report(Msg.Fe_UnknownWidth, e.span, ck.show(e));
        return T.Unknown;
      }
      if (t.k !== "bits") {
        ck.diags.report(Msg.Fe_UnaryOperand, e.span, "~", ck.show(e.operand), T.typeToString(t));
        return T.Unknown;
      }
      if (typeof v === "bigint") setConst(ck, e, wrap(~v, t));
      return t;
    case "-":
    case "+":
      if (t.k !== "bits" && t.k !== "int") {
        ck.diags.report(Msg.Fe_UnaryOperand, e.span, e.op, ck.show(e.operand), T.typeToString(t));
        return T.Unknown;
      }
      if (typeof v === "bigint") setConst(ck, e, wrap(e.op === "-" ? -v : v, t));
      return t;
  }
}

const ARITH = new Set(["+", "-", "*", "/", "%", "|+|", "|-|"]);
const BITWISE = new Set(["&", "|", "^"]);
const ORDER = new Set(["<", "<=", ">", ">="]);


/**
 * `...` (the reference's ANYTYPE) fits any type where a value is converted (an
 * initializer, an argument, an assigned or returned value) but is no operand:
 * reported like the reference, with the operation's own message.
 */
function dotsOperand(ck: Checker, e: A.BinaryExpression, lt: Type, rt: Type): boolean {
  const dl = e.left.kind === "DotsExpression", dr = e.right.kind === "DotsExpression";
  if (!dl && !dr) return false;
  const name = (dots: boolean, t: Type): string => dots ? T.ANYTYPE : T.typeToString(t);
  if (e.op === "==" || e.op === "!=") {
    ck.diags.report(Msg.Fe_CannotCompare, e.span, ck.show(e.left), name(dl, lt), ck.show(e.right), name(dr, rt));
  } else if (ORDER.has(e.op) || e.op === "&&" || e.op === "||") {
    ck.diags.report(Msg.Fe_BinaryNotDefined, e.span, ck.show(e), name(dl, lt), name(dr, rt));
  } else {
    const x = dl ? e.left : e.right;
    ck.diags.report(Msg.Fe_OperandType, e.span, e.op, ck.show(x), T.ANYTYPE);
  }
  return true;
}

export function binaryType(ck: Checker, e: A.BinaryExpression, ctx: Ctx): Type {
  const lt0 = typeOf(ck, e.left, ctx);
  const rt0 = typeOf(ck, e.right, ctx);
  const lt = numeric(lt0), rt = numeric(rt0);
  const lv = constOf(ck, e.left), rv = constOf(ck, e.right);
  const op = e.op;
  if (dotsOperand(ck, e, lt0, rt0)) return op === "==" || op === "!=" || ORDER.has(op) || op === "&&" || op === "||" ? T.Bool : T.Unknown;
  const vague = T.isVague(lt) || T.isVague(rt);
  const fold = (t: Type): Type => {
    if ((op === "|+|" || op === "|-|") && t.k === "int") {
      ck.diags.report(Msg.Fe_SaturatingUntyped, e.span, ck.show(e));
      return t;
    }
    if (typeof lv === "bigint" && typeof rv === "bigint") {
      const r = foldIntBinary(op, lv, rv, t);
      if (r && "value" in r) setConst(ck, e, r.value);
      else if (r && r.problem === "divZero") ck.diags.report(op === "%" ? Msg.Fe_ModByZero : Msg.Fe_DivByZero, e.span, ck.show(e));
      else if (r && r.problem === "divNegative") ck.diags.report(op === "%" ? Msg.Fe_ModNegative : Msg.Fe_DivNegative, e.span, ck.show(e));
      else if (r && r.problem === "shiftNegative") ck.diags.report(Msg.Fe_ShiftNegative, e.span, ck.show(e));
    }
    return t;
  };
  if (op === "&&" || op === "||") {
    for (const [x, t] of [[e.left, lt], [e.right, rt]] as const) {
      if (!T.isUnknown(t) && t.k !== "bool") {
        ck.diags.report(Msg.Fe_BinaryNotDefined, e.span, ck.show(e), T.typeToString(lt), T.typeToString(rt));
        void x;
        return T.Unknown;
      }
    }
    if (typeof lv === "boolean" && typeof rv === "boolean") setConst(ck, e, op === "&&" ? lv && rv : lv || rv);
    return T.Bool;
  }
  if (op === "==" || op === "!=") {
    if (lt.k === "typevar" || rt.k === "typevar") {
      ck.diags.report(Msg.Fe_TypeVarCompare, e.span, ck.show(e.left), ck.show(e.right));
      return T.Bool;
    }
    if (vague) return T.Bool;
    // actions, tables, externs and table application results have no equality
    const either = (k: Type["k"]): boolean => lt.k === k || rt.k === k;
    const uncomparable = either("action") ? Msg.Fe_ActionCompare : either("table") ? Msg.Fe_TableCompare
      : either("extern") ? Msg.Fe_ExternCompare : either("applyResult") ? Msg.Fe_ApplyResultCompare : null;
    if (uncomparable) {
      ck.diags.report(uncomparable, e.span, ck.show(e.left), ck.show(e.right));
      return T.Bool;
    }
    if (lt.k === "structExpr" && rt.k === "structExpr") {
      ck.diags.report(Msg.Fe_StructCompareWidth, e.span, ck.show(e));
      return T.Bool;
    }
    const u = unify(lt, rt);
    // a value of a `type` is compared with its own type only (an int literal needs a cast)
    const mixesNewtype = (lt.k === "newtype") !== (rt.k === "newtype");
    if (u === null || mixesNewtype || !comparable(u)) {
      ck.diags.report(Msg.Fe_CannotCompare, e.span, ck.show(e.left), T.typeToString(lt0), ck.show(e.right), T.typeToString(rt0));
      return T.Bool;
    }
    if (lv !== undefined && rv !== undefined && typeof lv === typeof rv) setConst(ck, e, op === "==" ? lv === rv : lv !== rv);
    return T.Bool;
  }
  if (op === "++") {
    if (lt.k === "string" && rt.k === "string") {
      if (typeof lv === "string" && typeof rv === "string") setConst(ck, e, lv + rv);
      return T.StringT;
    }
    if (vague) return T.Unknown;
    for (const [x, t] of [[e.left, lt], [e.right, rt]] as const) {
      if (t.k === "int") {
        ck.diags.report(Msg.Fe_CouldNotInferWidth, x.span, ck.show(x));
        return T.Unknown;
      }
      if (t.k !== "bits") {
        ck.diags.report(Msg.Fe_OperandType, e.span, op, ck.show(x), T.typeToString(t));
        return T.Unknown;
      }
    }
    const l = lt as T.TypeOf<"bits">, r = rt as T.TypeOf<"bits">;
    const t = T.bits(l.width + r.width, l.signed);
    if (typeof lv === "bigint" && typeof rv === "bigint") setConst(ck, e, wrap((BigInt.asUintN(l.width, lv) << BigInt(r.width)) | BigInt.asUintN(r.width, rv), t));
    return t;
  }
  if (op === "<<" || op === ">>") {
    if (!T.isUnknown(lt) && lt.k !== "bits" && lt.k !== "int") {
      ck.diags.report(Msg.Fe_OperandType, e.span, op, ck.show(e.left), T.typeToString(lt));
      return T.Unknown;
    }
    if (!T.isUnknown(rt)) {
      if (rt.k === "bits" && rt.signed && !(typeof rv === "bigint" && rv >= 0n) || (rt.k !== "bits" && rt.k !== "int")) {
        ck.diags.report(Msg.Fe_ShiftRight, e.right.span, ck.show(e.right));
        return T.Unknown;
      }
      if (typeof rv === "bigint" && rv < 0n) {
        ck.diags.report(Msg.Fe_ShiftNegative, e.span, ck.show(e));
        return T.Unknown;
      }
      if (typeof rv === "bigint" && rv > 0x7fffffffn) {
        ck.diags.report(Msg.Fe_ShiftTooLarge, e.right.span, ck.show(e.right));
        return T.Unknown;
      }
      if (lt.k === "int" && rv === undefined) {
        ck.diags.report(Msg.Fe_ShiftIntNonConst, e.span, ck.show(e));
        return T.Unknown;
      }
    }
    if (T.isUnknown(lt)) return lt0;
    if (typeof lv === "bigint" && typeof rv === "bigint" && rv > BigInt(REF_MAX_WIDTH)) {
      ck.diags.report(Msg.Fe_WidthUnsupported, e.span, ck.show(e), REF_MAX_WIDTH); // the reference folds constant shifts up to its widest type
      return lt;
    }
    return fold(lt);
  }
  if (op === "&&&" || op === "..") {
    if (vague) return { k: "set", elem: T.isVague(lt) ? rt : lt };
    for (const t of [lt, rt]) {
      if (t.k !== "bits" && t.k !== "int") {
        ck.diags.report(Msg.Fe_OperandType, e.span, op, ck.show(t === lt ? e.left : e.right), T.typeToString(t));
        return T.Unknown;
      }
    }
    const u = unify(lt, rt);
    if (u === null) {
      ck.diags.report(Msg.Fe_BinaryOperands, e.span, ck.show(e), T.typeToString(lt), T.typeToString(rt));
      return T.Unknown;
    }
    return { k: "set", elem: u };
  }
  // arithmetic, bitwise, ordering
  for (const [x, t] of [[e.left, lt], [e.right, rt]] as const) {
    if (T.isUnknown(t) || t.k === "dontcare") continue;
    if (t.k !== "bits" && t.k !== "int") {
      if (ORDER.has(op)) ck.diags.report(Msg.Fe_BinaryNotDefined, e.span, ck.show(e), T.typeToString(lt), T.typeToString(rt));
      else {
        const hint = op === "+" && t.k === "string" ? ", did you mean to use '++'?" : "";
        ck.diags.report(Msg.Fe_OperandType, e.span, op, ck.show(x), T.typeToString(t) + (hint ? "'" + hint.slice(0, -1) : ""));
      }
      return T.Unknown;
    }
  }
  if (vague) return ORDER.has(op) ? T.Bool : T.isUnknown(lt) ? rt0 : lt0;
  const u = unify(lt, rt);
  if (u === null) {
    ck.diags.report(Msg.Fe_BinaryOperands, e.span, ck.show(e), T.typeToString(lt), T.typeToString(rt));
    return T.Unknown;
  }
  if ((op === "/" || op === "%") && u.k === "bits" && u.signed) {
    ck.diags.report(Msg.Fe_SignedDiv, e.span, ck.show(e));
    return T.Unknown;
  }
  // spec "Operations on fixed-width/arbitrary-precision integers": division and modulo between positive values
  if ((op === "/" || op === "%") && rv === 0n) {
    ck.diags.report(op === "%" ? Msg.Fe_ModByZero : Msg.Fe_DivByZero, e.span, ck.show(e));
    return T.Unknown;
  }
  if ((op === "/" || op === "%") && (typeof rv === "bigint" && rv < 0n || typeof lv === "bigint" && lv < 0n && u.k === "int")) {
    ck.diags.report(op === "%" ? Msg.Fe_ModNegative : Msg.Fe_DivNegative, e.span, ck.show(e));
    return T.Unknown;
  }
  void ARITH;
  void BITWISE;
  if (ORDER.has(op)) {
    if (typeof lv === "bigint" && typeof rv === "bigint") setConst(ck, e, (foldIntBinary(op, lv, rv, u) as { value: boolean })?.value);
    return T.Bool;
  }
  return fold(u);
}

export function castType(ck: Checker, e: A.CastExpression, ctx: Ctx): Type {
  const to = ck.resolve(e.type, ctx.scope);
  const from0 = typeOf(ck, e.expr, ctx, to);
  const from = from0;
  const v = constOf(ck, e.expr);
  if (T.isVague(to) || T.isVague(from)) return to;
  const bad = () => {
    ck.diags.report(Msg.Fe_CastNotSupported, e.span, ck.show(e), T.typeToString(from), T.typeToString(to));
    return to;
  };
  // P4-16 "Explicit casts": a serializable enum or a `type` converts only to (and from) exactly
  // its underlying type; a serializable enum becomes another one only with the same underlying type.
  const exactly = (t: Type): boolean => T.sameType(t, to) !== false;
  if (from.k === "newtype" && to.k !== "newtype" && !exactly(from.base)) return bad();
  if (from.k === "enum" && from.underlying && to.k !== "int" && !(to.k === "enum" && to.underlying) && !exactly(from.underlying)) return bad();
  switch (to.k) {
    case "bits": {
      const f = numeric(from);
      if (f.k === "bits" || f.k === "int") {
        if (f.k === "bits" && f.signed !== to.signed && f.width !== to.width) return bad();
        if (typeof v === "bigint") setConst(ck, e, wrap(v, to));
        return to;
      }
      if (f.k === "bool") {
        if (to.width !== 1 || to.signed) return bad();
        if (typeof v === "boolean") setConst(ck, e, v ? 1n : 0n);
        return to;
      }
      // "Explicit casts": an enum converts only when it has an underlying type.
      if (f.k === "newtype" || f.k === "enum" && f.underlying) return to;
      return bad();
    }
    case "int":
      if (from.k === "int" || from.k === "bits") {
        if (typeof v === "bigint") setConst(ck, e, v);
        return to;
      }
      return from.k === "newtype" || from.k === "enum" && from.underlying ? to : bad();
    case "bool": {
      const f = numeric(from);
      if (f.k === "bool") return to;
      if (f.k === "bits" && f.width === 1 && !f.signed) {
        if (typeof v === "bigint") setConst(ck, e, v !== 0n);
        return to;
      }
      if (f.k === "int") {
        if (typeof v === "bigint" && (v === 0n || v === 1n)) setConst(ck, e, v === 1n);
        else if (typeof v === "bigint") ck.diags.report(Msg.Fe_CastToBool, e.span, ck.show(e));
        return to;
      }
      if (f.k === "newtype") return to;
      return bad();
    }
    case "varbit":
      return bad();
    case "enum":
      if (from.k === "enum" && from.decl === to.decl) return to;
      if (to.underlying && from.k === "int") return to;
      if (to.underlying && (from.k === "bits" || from.k === "enum" && from.underlying) && T.sameType(numeric(from), to.underlying) !== false) return to;
      return bad();
    case "newtype":
      // from exactly its original type (or an int literal, which takes it)
      if (from.k === "int" || T.sameType(from, to) !== false || T.sameType(from, to.base) !== false) return to;
      return bad();
    case "string":
    case "error":
    case "match_kind":
      if (from.k === to.k) return to;
      return bad();
    case "struct":
    case "header":
    case "union":
    case "stack":
    case "list":
      if (assignable(to, from) === false) return bad();
      return to;
    case "tuple":
      // the reference casts to structs, headers, stacks and lists, never to a tuple
      return bad();
    default:
      return to;
  }
}
