/**
 * Pure relations between semantic types: assignability, the common type of two
 * operands, the numeric view of serializable enums and comparability. They read
 * types only (no checker state), so every walker may use them.
 */
import * as T from "./types.js";
import type { Type } from "./types.js";

/** Kinds of the base types (never equal to a type variable). */
export const BASE_KINDS = new Set(["bits", "int", "bool", "string", "varbit", "error", "match_kind"]);

/** Unwraps serializable enums to their underlying type (for arithmetic and comparisons). */
export function numeric(t: Type): Type {
  if (t.k === "enum" && t.underlying) return t.underlying;
  return t;
}

/** The common type of two operands (for ==, ?:, arithmetic); null when incompatible; Unknown when vague. */
export function unify(a: Type, b: Type): Type | null {
  if (T.isVague(a)) return T.isVague(b) ? T.Unknown : b;
  if (T.isVague(b)) return a;
  if (a.k === "int" && (b.k === "bits" || b.k === "newtype")) return b;
  if (b.k === "int" && (a.k === "bits" || a.k === "newtype")) return a;
  if (a.k === "int" && b.k === "enum" || b.k === "int" && a.k === "enum") return null;
  if (a.k === "enum" && a.underlying && b.k !== "enum") return unify(a.underlying, b);
  if (b.k === "enum" && b.underlying && a.k !== "enum") return unify(a, b.underlying);
  if (a.k === "newtype" && b.k !== "newtype" || b.k === "newtype" && a.k !== "newtype") return null;
  if (T.sameType(a, b) !== false) return a;
  if ((a.k === "listExpr" || a.k === "structExpr") && b.k !== "listExpr" && b.k !== "structExpr") return assignable(b, a) !== false ? b : null;
  if ((b.k === "listExpr" || b.k === "structExpr") && a.k !== "listExpr" && a.k !== "structExpr") return assignable(a, b) !== false ? a : null;
  if (a.k === "listExpr" && b.k === "listExpr" && a.elems.length === b.elems.length) return a;
  if ((a.k === "header" || a.k === "union") && b.k === "invalid") return a;
  if ((b.k === "header" || b.k === "union") && a.k === "invalid") return b;
  if (a.k === "structExpr" && b.k === "structExpr") return a;
  return null;
}

/**
 * Whether a value of type `src` may be assigned (or passed `in`) to a location of
 * type `dst`: true, false, or undefined when unknown parts leave it open.
 */
export function assignable(dst: Type, src: Type): boolean | undefined {
  if (dst.k === "typevar" || src.k === "typevar") {
    // in a generic body type variables are rigid: two of them are distinct types
    if (dst.k === "typevar" && src.k === "typevar") return dst.node === src.node;
    const other = dst.k === "typevar" ? src : dst;
    return BASE_KINDS.has(other.k) ? false : undefined;
  }
  if (T.isVague(dst) || T.isVague(src)) return undefined;
  if (dst.k === "dontcare" || src.k === "dontcare") return undefined;
  if (T.sameType(dst, src) === true) return true;
  switch (dst.k) {
    case "bits":
      if (src.k === "int") return true;
      if (src.k === "enum" && src.underlying) return assignable(dst, src.underlying);
      return false;
    case "int":
      return src.k === "int" ? true : src.k === "bits" ? undefined : src.k === "enum" && src.underlying ? undefined : false;
    case "varbit":
      return src.k === "varbit" ? src.width <= dst.width : false;
    case "newtype":
      // P4-16 "Introducing new types": values of the original type and the new type do not mix;
      // an int literal takes the new type (p4c binds its width like a type variable).
      if (src.k === "newtype") return src.decl === dst.decl;
      return src.k === "int";
    case "enum":
      if (src.k === "enum") return src.decl === dst.decl;
      return false;
    case "header":
    case "struct":
    case "union": {
      if (src.k === "invalid") return dst.k !== "struct";
      if (src.k === "structExpr") {
        // the reference unifies structure-valued expressions with structs and headers only, not unions
        if (dst.k === "union") return false;
        if (src.fields.size !== dst.fields.size && !src.dots) return false;
        if ([...src.fields.keys()].some((n) => !dst.fields.has(n))) return false;
        return allAssignable([...src.fields].map(([n, ft]) => [dst.fields.get(n)!, ft]));
      }
      if (src.k === "listExpr") {
        if (dst.k === "union") return false;
        const fs = [...dst.fields.values()];
        if (fs.length !== src.elems.length && !(src.dots && src.elems.length <= fs.length)) return false;
        return allAssignable(src.elems.map((x, i) => [fs[i], x]));
      }
      // a generic struct or header type: its type arguments match too
      if (src.k === dst.k) return src.decl === dst.decl && T.sameType(dst, src) !== false ? undefined : false;
      return false;
    }
    case "stack":
      if (src.k === "listExpr") {
        if (dst.size !== null && src.elems.length !== dst.size && !(src.dots && src.elems.length <= dst.size)) return false;
        return allAssignable(src.elems.map((x) => [dst.elem, x]));
      }
      return src.k === "stack" ? T.sameType(dst, src) : false;
    case "tuple":
      if (src.k === "listExpr" || src.k === "tuple") {
        if (src.elems.length !== dst.elems.length && !(src.k === "listExpr" && src.dots && src.elems.length <= dst.elems.length)) return false;
        return allAssignable(src.elems.map((x, i) => [dst.elems[i], x]));
      }
      return false;
    case "list":
      if (src.k === "listExpr") {
        return allAssignable(src.elems.map((x) => [dst.elem, x]));
      }
      return src.k === "list" ? assignable(dst.elem, src.elem) : false;
    case "bool":
    case "string":
    case "error":
    case "match_kind":
      return src.k === dst.k;
    case "set":
      return undefined;
    default:
      return undefined;
  }
}

/** Every (destination, source) pair assignable: false at the first misfit, undefined when one is open. */
function allAssignable(pairs: readonly (readonly [Type, Type])[]): boolean | undefined {
  let r: boolean | undefined = true;
  for (const [d, x] of pairs) {
    const a = assignable(d, x);
    if (a === false) return false;
    if (a === undefined) r = undefined;
  }
  return r;
}

/** Whether values of type `t` may be compared with == and !=. */
export function comparable(t: Type): boolean {
  switch (t.k) {
    case "extern": case "parser": case "control": case "package": case "table": case "action": case "function": case "string":
    case "method": case "state": case "typeRef": case "void": case "set":
      return false;
    default:
      return true;
  }
}
