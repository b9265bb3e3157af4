/**
 * Expression typing and constant folding. `typeOf` resolves the names in an
 * expression, computes its type (Unknown when it cannot), records both in the
 * checker's side tables, folds compile-time constants into `ck.constants`, and
 * reports operator, member, index, slice, cast and call misuse.
 * Before: the scopes in `ctx` hold every declaration visible at `e`.
 * After: `ck.types` has an entry for `e` and each sub-expression.
 */
import type * as A from "../ast/nodes.js";
import { assertNever } from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker, Ctx } from "./checker.js";
import type { Scope, Binding } from "./scope.js";
import { declaredType, isTypeDecl } from "./resolveTypes.js";
import { wrap, type ConstValue } from "./constants.js";
import * as T from "./types.js";
import { unaryType, binaryType, castType } from "./checkOperators.js";
import type { Type } from "./types.js";
import { numeric, unify } from "./relations.js";

export function typeOf(ck: Checker, e: A.Expression, ctx: Ctx, expected?: Type): Type {
  const done = ck.types.get(e);
  if (done) return done;
  const t = compute(ck, e, ctx, expected);
  ck.types.set(e, t);
  return t;
}

export function constOf(ck: Checker, e: A.Expression): ConstValue | undefined {
  return ck.constants.get(e);
}

/** A context for evaluating constants in a bare scope (type widths, stack sizes). */
function scopeCtx(ck: Checker, scope: Scope): Ctx {
  return { ...ck.topCtx(), scope };
}

/** The value of a compile-time integer expression in a bare scope. */
export function constIntIn(ck: Checker, e: A.Expression, scope: Scope): bigint | undefined {
  typeOf(ck, e, scopeCtx(ck, scope));
  const v = ck.constants.get(e);
  return typeof v === "bigint" ? v : undefined;
}

/** `readsRuntime` in a bare scope. */
export function readsRuntimeIn(ck: Checker, e: A.Expression, scope: Scope): boolean {
  return readsRuntime(ck, e, scopeCtx(ck, scope));
}

/** True when `e` surely depends on run-time state: it reads a variable or a run-time parameter, or calls a method. */
export function readsRuntime(ck: Checker, e: A.Expression, ctx: Ctx): boolean {
  switch (e.kind) {
    case "PathExpression": {
      const b = lookupValue(ck, e, ctx, false);
      if (!b) return false;
      if (b.kind === "VariableDeclaration" || b.kind === "ForInVariable") return true;
      if (b.kind === "Parameter") return b.direction !== null;
      return false;
    }
    case "MemberExpression": return readsRuntime(ck, e.expr, ctx);
    case "IndexExpression": return readsRuntime(ck, e.expr, ctx) || readsRuntime(ck, e.index, ctx);
    case "SliceExpression": return readsRuntime(ck, e.expr, ctx);
    case "PlusSliceExpression": return readsRuntime(ck, e.expr, ctx) || readsRuntime(ck, e.base, ctx);
    case "UnaryExpression": return readsRuntime(ck, e.operand, ctx);
    case "BinaryExpression": return readsRuntime(ck, e.left, ctx) || readsRuntime(ck, e.right, ctx);
    case "ConditionalExpression": return readsRuntime(ck, e.cond, ctx) || readsRuntime(ck, e.then, ctx) || readsRuntime(ck, e.else, ctx);
    case "CastExpression": return readsRuntime(ck, e.expr, ctx);
    case "ListExpression": return e.elements.some((x) => readsRuntime(ck, x, ctx));
    case "StructExpression": return e.fields.some((x) => readsRuntime(ck, x.value, ctx));
    case "CallExpression": {
      if ((e.callee.kind === "MemberExpression" || e.callee.kind === "TypeMemberExpression") && SIZE_METHODS.has(e.callee.member.text)) return false;
      if (e.callee.kind === "PathExpression") {
        const b = lookupValue(ck, e.callee, ctx, false);
        if (b?.kind === "ExternFunctionDeclaration" && b.name.text === "static_assert") return false;
      }
      return true;
    }
    default: return false;
  }
}

/** Constructor parameters (compile-time known inside their parser/control/extern). */
export const ctorParams = new WeakSet<A.Parameter>();

/** Looks a value name up; reports "declaration not found" when `report`. */
export function lookupValue(ck: Checker, e: A.PathExpression, ctx: Ctx, report = true): Binding | undefined {
  const scope = e.topLevel ? ck.global : ctx.scope;
  const found = scope.lookup(e.name.text);
  if (!found) {
    const mk = !e.topLevel ? ck.matchKinds.get(e.name.text) : undefined;
    if (mk) return mk;
    if (report) ck.diags.report(Msg.Fe_NotFound, e.name.span, e.name.text);
    return undefined;
  }
  const b = found[0].node;
  ck.refs.set(e, b);
  return b;
}

/** The type of a name's binding used as a value. */
export function bindingType(ck: Checker, b: Binding, ctx: Ctx): Type {
  const known = ck.declTypes.get(b);
  if (known) return known;
  switch (b.kind) {
    case "ConstantDeclaration":
    case "VariableDeclaration":
    case "Parameter": {
      const t = ck.runQuietly(() => ck.resolve(b.type, ck.declScope.get(b) ?? ctx.scope));
      return t;
    }
    case "Instantiation": {
      const t = ck.runQuietly(() => ck.resolve(b.type, ck.declScope.get(b) ?? ctx.scope));
      return t;
    }
    case "ForInVariable": return T.Unknown;
    case "ActionDeclaration": return { k: "action", decl: b };
    case "TableDeclaration": return { k: "table", decl: b };
    case "FunctionDeclaration":
    case "ExternFunctionDeclaration": return { k: "function", decl: b };
    case "ParserState": return T.State;
    case "ValueSetDeclaration": {
      const el = ck.runQuietly(() => ck.resolve(b.elementType, ck.declScope.get(b) ?? ctx.scope));
      return { k: "set", elem: el };
    }
    case "Name": return T.MatchKind; // a match_kind member
    default:
      if (isTypeDecl(b)) return { k: "typeRef", of: declaredType(ck, b, []) };
      return T.Unknown;
  }
}

function setConst(ck: Checker, e: A.Node, v: ConstValue | undefined): void {
  if (v !== undefined) ck.constants.set(e, v);
}

function compute(ck: Checker, e: A.Expression, ctx: Ctx, expected?: Type): Type {
  switch (e.kind) {
    case "IntLiteral": {
      const t = e.width !== null ? T.bits(e.width, e.signed) : T.IntT;
      if (e.width !== null && e.width > 2 ** 31 - 1) {
        ck.diags.report(Msg.Fe_WidthTooLarge, e.span, e.width);
        return T.Unknown;
      }
      setConst(ck, e, wrap(e.value, t));
      return t;
    }
    case "BoolLiteral":
      setConst(ck, e, e.value);
      return T.Bool;
    case "StringLiteral":
      setConst(ck, e, e.value);
      return T.StringT;
    case "PathExpression": {
      const b = lookupValue(ck, e, ctx);
      if (!b) return T.Unknown;
      if (b === ctx.table) {
        ck.diags.report(Msg.Fe_TableSelfRef, e.span, e.name.text);
        return T.Unknown;
      }
      const t = bindingType(ck, b, ctx);
      if (b.kind === "ConstantDeclaration" || b.kind === "EnumMember") setConst(ck, e, ck.constants.get(b));
      if (b.kind === "Parameter" && ck.constants.has(b)) setConst(ck, e, ck.constants.get(b));
      return t;
    }
    case "ThisExpression":
      if (!ctx.abstractMethod) ck.diags.report(Msg.Fe_ThisOutsideAbstract, e.span);
      return ctx.thisType ?? T.Unknown;
    case "DotsExpression":
    case "DontCareExpression":
      return T.DontCare;
    case "DefaultExpression":
      return T.DontCare;
    case "MemberExpression":
      return memberType(ck, e, typeOf(ck, e.expr, ctx), ctx);
    case "TypeMemberExpression":
      return typeMember(ck, e, ctx);
    case "IndexExpression":
      return indexType(ck, e, ctx);
    case "SliceExpression":
      return sliceType(ck, e, ctx);
    case "PlusSliceExpression": {
      const base = numeric(typeOf(ck, e.expr, ctx));
      typeOf(ck, e.base, ctx);
      typeOf(ck, e.width, ctx);
      const w = constOf(ck, e.width);
      // "Operations on fixed-width bit types": the W of [L+:W] is compile-time known.
      if (w === undefined && readsRuntime(ck, e.width, ctx)) ck.diags.report(Msg.Fe_SliceConst, e.width.span, ck.show(e.width));
      if (typeof w === "bigint" && base.k === "bits") return T.bits(Number(w));
      return T.Unknown;
    }
    case "UnaryExpression":
      return unaryType(ck, e, ctx);
    case "BinaryExpression":
      return binaryType(ck, e, ctx);
    case "ConditionalExpression": {
      const c = typeOf(ck, e.cond, ctx);
      if (!T.isUnknown(c) && c.k !== "bool") ck.diags.report(Msg.Fe_ConditionNotBool, e.cond.span, "?:", T.typeToString(c));
      const a = typeOf(ck, e.then, ctx, expected);
      const b = typeOf(ck, e.else, ctx, expected);
      const cv = constOf(ck, e.cond);
      if (typeof cv === "boolean") setConst(ck, e, constOf(ck, cv ? e.then : e.else));
      if (a.k === "int" && b.k === "int" && cv === undefined) {
        ck.diags.report(Msg.Fe_CouldNotInferWidth, e.span, ck.show(e));
        return T.Unknown;
      }
      const u = unify(a, b);
      if (u === null) {
        ck.diags.report(Msg.Fe_TernaryTypes, e.span, ck.show(e), T.typeToString(a), T.typeToString(b));
        return T.Unknown;
      }
      return u;
    }
    case "CastExpression":
      return castType(ck, e, ctx);
    case "CallExpression":
      return ck.fns.checkCall(ck, e, ctx);
    case "ConstructorCallExpression":
      return ck.fns.checkConstructorCall(ck, e, ctx);
    case "ListExpression": {
      const want = expected && (expected.k === "tuple" ? expected.elems : expected.k === "stack" ? Array(expected.size ?? 0).fill(expected.elem) : null);
      const elems = e.elements.map((x, i) => typeOf(ck, x, ctx, want?.[i]));
      e.elements.forEach((x, i) => { if (x.kind === "DotsExpression" && i !== e.elements.length - 1) ck.diags.report(Msg.Fe_DefaultNotLast, x.span); });
      const dots = e.elements.length > 0 && e.elements[e.elements.length - 1].kind === "DotsExpression";
      return dots ? { k: "listExpr", elems: elems.slice(0, -1), dots } : { k: "listExpr", elems };
    }
    case "StructExpression": {
      const fields = new Map<string, Type>();
      const exp = expected ? T.fieldsOf(expected) : null;
      for (const f of e.fields) {
        const t = typeOf(ck, f.value, ctx, exp?.get(f.key.text));
        if (fields.has(f.key.text)) ck.diags.report(Msg.Fe_Duplicate, f.key.span, f.key.text);
        fields.set(f.key.text, t);
      }
      return { k: "structExpr", fields, dots: e.dots };
    }
    case "InvalidExpression":
      return T.Invalid;
    case "SelectExpression":
      return T.State; // checked by checkStatements.checkSelect
    case "TupleKeysetExpression":
      return { k: "listExpr", elems: e.elements.map((x) => typeOf(ck, x, ctx)) };
    default:
      return assertNever(e, "expression");
  }
}

function typeMember(ck: Checker, e: A.TypeMemberExpression, ctx: Ctx): Type {
  if (e.type.kind === "TypeError") {
    if (!ck.errorDeclared) {
      ck.diags.report(Msg.Fe_NotFound, e.type.span, "error");
      return T.Unknown;
    }
    if (!ck.errorMembers.has(e.member.text)) {
      ck.diags.report(Msg.Fe_NotFound, e.member.span, e.member.text);
      return T.Unknown;
    }
    setConst(ck, e, `error.${e.member.text}`);
    return T.ErrorT;
  }
  const t = ck.resolve(e.type, ctx.scope);
  return memberOfType(ck, e, t, e.member);
}

/** `T.member` where T is a type: enum members (and serializable enum values). */
function memberOfType(ck: Checker, e: A.Expression, t: Type, member: A.Name): Type {
  if (t.k === "enum") {
    const m = t.decl.members.find((x) => x.name.text === member.text);
    if (!m && SIZE_METHODS.has(member.text)) return { k: "method", of: member.text };
    if (!m) {
      ck.diags.report(Msg.Fe_InvalidEnumTag, e.span, ck.show(e));
      return T.Unknown;
    }
    const v = m.value ? ck.constants.get(m) : undefined;
    setConst(ck, e, v ?? `${t.decl.name.text}.${member.text}`);
    return t;
  }
  if (t.k === "parser" || t.k === "control" || t.k === "package" || t.k === "extern") {
    if (member.text === "apply" && t.k !== "package" && t.k !== "extern") return { k: "method", of: "apply" };
    ck.diags.report(Msg.Fe_CannotExtract, member.span, member.text, t.decl.name.text, `Type(${T.typeToString(t)})`);
    return T.Unknown;
  }
  // A struct, header or other type has no members that are values (only enums, error and the size methods do).
  if (SIZE_METHODS.has(member.text)) return { k: "method", of: member.text };
  if (!T.isVague(t)) ck.diags.report(Msg.Fe_CannotExtract, member.span, member.text, e.kind === "TypeMemberExpression" ? ck.showType(e.type) : e.kind === "MemberExpression" ? ck.show(e.expr) : ck.show(e), `Type(${T.typeToString(t)})`);
  return T.Unknown;
}

export const HEADER_METHODS = new Set(["isValid", "setValid", "setInvalid"]);
export const SIZE_METHODS = new Set(["minSizeInBits", "minSizeInBytes", "maxSizeInBits", "maxSizeInBytes"]);

export function memberType(ck: Checker, e: A.MemberExpression, base: Type, ctx: Ctx): Type {
  const name = e.member.text;
  if (e.expr.kind === "DotsExpression" || base.k === "invalid") {
    ck.diags.report(Msg.Fe_CannotExtract, e.member.span, name, ck.show(e.expr), base.k === "invalid" ? "Unknown" : T.ANYTYPE);
    return T.Unknown;
  }
  const fs = T.fieldsOf(base);
  if (SIZE_METHODS.has(name) && !fs?.has(name) && base.k !== "extern" && base.k !== "table" && base.k !== "parser" && base.k !== "control") return { k: "method", of: name };
  switch (base.k) {
    case "typeRef":
      return memberOfType(ck, e, base.of, e.member);
    case "struct":
    case "header":
    case "union": {
      const f = base.fields.get(name);
      if (f) return f;
      if (base.k !== "struct" && HEADER_METHODS.has(name)) {
        if (base.k === "union" && name !== "isValid") break;
        return { k: "method", of: name };
      }
      const what = base.k === "header" ? "header" : "structure";
      ck.diags.report(Msg.Fe_NoField, e.member.span, name, `${what} ${T.typeToString(base)}`);
      return T.Unknown;
    }
    case "stack": {
      const stackOnly = ["next", "last", "lastIndex", "push_front", "pop_front"];
      if (stackOnly.includes(name) && !T.isUnknown(base.elem) && base.elem.k !== "header" && base.elem.k !== "union") {
        ck.diags.report(Msg.Fe_OnlyHeaderStacks, e.span, ck.show(e), name);
        return T.Unknown;
      }
      switch (name) {
        case "size": case "lastIndex":
          if (name === "lastIndex" && !ctx.inParser) ck.diags.report(Msg.Fe_StackNextOutsideParser, e.span, ck.show(e));
          if (name === "size" && base.size !== null) setConst(ck, e, BigInt(base.size));
          return T.bits(32);
        case "next": case "last":
          if (!ctx.inParser) ck.diags.report(Msg.Fe_StackNextOutsideParser, e.span, ck.show(e));
          return base.elem;
        case "push_front": case "pop_front":
          return { k: "method", of: name };
        case "nextIndex": case "lastIndex$":
          return T.bits(32);
      }
      if (base.elem.k === "union" || base.elem.k === "header") {
        // A few targets allow stack-wide methods (isValid on stacks is not P4); report like p4c.
      }
      ck.diags.report(Msg.Fe_CannotExtract, e.member.span, name, ck.show(e.expr), T.typeToString(base));
      return T.Unknown;
    }
    case "table":
      if (name === "apply") return { k: "method", of: "apply" };
      break;
    case "applyResult":
      if (name === "hit" || name === "miss") return T.Bool;
      if (name === "action_run") {
        ck.actionRuns.push(e);
        return { k: "actionEnum", table: base.table };
      }
      break;
    case "parser":
    case "control":
      if (name === "apply") return { k: "method", of: "apply" };
      break;
    case "extern":
      if (base.decl.methods.some((m) => m.name.text === name && !m.isConstructor)) return { k: "method", of: name };
      break;
    case "tuple":
    case "listExpr":
    case "bits":
    case "int":
    case "bool":
    case "varbit":
    case "string":
    case "error":
    case "match_kind":
    case "enum":
    case "action":
    case "void": // an action's or a void function's call has no members
      break;
    default:
      return T.Unknown;
  }
  ck.diags.report(Msg.Fe_CannotExtract, e.member.span, name, ck.show(e.expr), T.typeToString(base));
  return T.Unknown;
}

function indexType(ck: Checker, e: A.IndexExpression, ctx: Ctx): Type {
  const base = typeOf(ck, e.expr, ctx);
  const it = typeOf(ck, e.index, ctx);
  const iv = constOf(ck, e.index);
  if (base.k === "stack") {
    if (typeof iv === "bigint" && iv < 0n) ck.diags.report(Msg.Fe_NegativeIndex, e.span, ck.show(e), iv);
    else if (typeof iv === "bigint" && base.size !== null && base.size > 0 && iv >= BigInt(base.size)) ck.diags.report(Msg.Fe_IndexOutOfBounds, e.index.span, ck.show(e), iv, T.typeToString(base));
    if (!T.isUnknown(it) && !T.isIntegral(numeric(it))) ck.diags.report(Msg.Fe_ArrayIndexType, e.index.span, ck.show(e.index), T.typeToString(it));
    return base.elem;
  }
  if (base.k === "tuple" || base.k === "listExpr") {
    if (typeof iv !== "bigint" || iv < 0n) {
      ck.diags.report(Msg.Fe_TupleIndex, e.index.span, ck.show(e.index));
      return T.Unknown;
    }
    if (iv >= BigInt(base.elems.length)) {
      ck.diags.report(Msg.Fe_TupleIndexRange, e.index.span, iv, base.elems.length);
      return T.Unknown;
    }
    return base.elems[Number(iv)];
  }
  if (base.k === "list") return base.elem;
  if (T.isUnknown(base) || base.k === "dontcare" || base.k === "newtype") return T.Unknown;
  ck.diags.report(Msg.Fe_IndexType, e.span, ck.show(e), T.typeToString(base));
  return T.Unknown;
}

function sliceType(ck: Checker, e: A.SliceExpression, ctx: Ctx): Type {
  const base = numeric(typeOf(ck, e.expr, ctx));
  typeOf(ck, e.hi, ctx);
  typeOf(ck, e.lo, ctx);
  const hi = constOf(ck, e.hi), lo = constOf(ck, e.lo);
  for (const [x, v] of [[e.hi, hi], [e.lo, lo]] as const) {
    if (v === undefined) {
      ck.diags.report(Msg.Fe_SliceConst, x.span, ck.show(x));
      return T.Unknown;
    }
    if (typeof v !== "bigint") {
      ck.diags.report(Msg.Fe_SliceConst, x.span, ck.show(x));
      return T.Unknown;
    }
  }
  const h = hi as bigint, l = lo as bigint;
  if (h < 0n || l < 0n) {
    ck.diags.report(Msg.Fe_SliceNegative, (h < 0n ? e.hi : e.lo).span, ck.show(h < 0n ? e.hi : e.lo));
    return T.Unknown;
  }
  if (h < l) {
    ck.diags.report(Msg.Fe_SliceOrder, e.span, ck.show(e));
    return T.Unknown;
  }
  if (base.k === "bits") {
    if (h >= BigInt(base.width)) {
      ck.diags.report(Msg.Fe_SliceRange, e.hi.span, h, base.width);
      return T.Unknown;
    }
  } else if (base.k === "int") {
    // slices of an int constant are allowed
  } else if (!T.isUnknown(base) && base.k !== "newtype" && base.k !== "dontcare") {
    ck.diags.report(Msg.Fe_SliceType, e.span, ck.show(e), T.typeToString(base));
    return T.Unknown;
  }
  const v = constOf(ck, e.expr);
  const t = T.bits(Number(h - l + 1n));
  if (typeof v === "bigint") setConst(ck, e, wrap(v >> l, t));
  return t;
}
