/**
 * Type matching for generic calls and instantiations: a parameter type that
 * mentions the callee's type variables is matched against an argument type,
 * binding each variable on first use and comparing afterwards. Type variables
 * of the caller's own generic declaration are rigid (equal only to themselves).
 * Returns true, false, or undefined when an unknown part leaves it open.
 */
import type * as A from "../ast/nodes.js";
import type { Checker } from "./checker.js";
import { assignable } from "./relations.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

/** The callee's type variables: bound to a type, or null while not inferred. */
export type Bindings = Map<A.Name, Type | null>;

/** Replaces bound type variables; unbound ones of `b` become Unknown when `unboundToUnknown`. */
export function subst(ck: Checker, t: Type, b: ReadonlyMap<A.Name, Type | null>, unboundToUnknown = true): Type {
  if (b.size === 0) return t;
  switch (t.k) {
    case "typevar": {
      if (!b.has(t.node)) return t;
      const v = b.get(t.node);
      return v ?? (unboundToUnknown ? T.Unknown : t);
    }
    case "stack": return { ...t, elem: subst(ck, t.elem, b, unboundToUnknown) };
    case "tuple": return { k: "tuple", elems: t.elems.map((x) => subst(ck, x, b, unboundToUnknown)) };
    case "list": return { k: "list", elem: subst(ck, t.elem, b, unboundToUnknown) };
    case "set": return { k: "set", elem: subst(ck, t.elem, b, unboundToUnknown) };
    case "struct": case "header": case "union":
      return t.args.length ? ck.structType(t.decl, t.args.map((x) => subst(ck, x, b, unboundToUnknown))) : t;
    case "extern": case "parser": case "control": case "package":
      return t.args.length ? { ...t, args: t.args.map((x) => subst(ck, x, b, unboundToUnknown)) } as Type : t;
    default:
      return t;
  }
}

/** Parameter directions and types of a parser or control type, with its type arguments applied. */
export function signature(ck: Checker, t: T.TypeOf<"parser"> | T.TypeOf<"control">): { dir: A.Direction; type: Type }[] {
  const env = new Map<A.Name, Type | null>();
  t.decl.typeParams.forEach((p, i) => env.set(p, t.args[i] ?? null));
  return t.decl.params.map((p) => ({ dir: p.direction, type: subst(ck, ck.declTypes.get(p) ?? T.Unknown, env, false) }));
}

/**
 * Why a parser/control argument does not fit a parser/control parameter type:
 * the first parameter whose direction or type differs, with its location.
 */
export function explainSignature(ck: Checker, p: Type, a: Type, b: Bindings): { span: A.Node["span"]; message: string } | null {
  if ((p.k !== "parser" && p.k !== "control") || a.k !== p.k) return null;
  const ps = signature(ck, p), as = signature(ck, a);
  if (extraRequired(p.decl.params, as.length) || extraRequired(a.decl.params, ps.length)) {
    return { span: a.decl.name.span, message: `Cannot unify functions with different number of arguments: ${as.length} parameter(s) where ${ps.length} are expected` };
  }
  for (let i = 0; i < Math.min(ps.length, as.length); i++) {
    const ap = a.decl.params[i];
    const show = (x: { dir: A.Direction; type: Type }) => `${x.dir ? x.dir + " " : ""}${T.typeToString(x.type)}`;
    if (ps[i].dir !== as[i].dir || match(ck, ps[i].type, as[i].type, new Map(b), true) === false) {
      return { span: ap.span, message: `parameter '${ap.name.text}' is '${show(as[i])}' where '${show({ dir: ps[i].dir, type: subst(ck, ps[i].type, b, false) })}' is expected` };
    }
  }
  return null;
}

/** Whether a parameter after the first `n` of `params` is neither @optional nor default-valued. */
function extraRequired(params: readonly A.Parameter[], n: number): boolean {
  return params.slice(n).some((q) => q.defaultValue === null && !q.annotations.some((x) => x.name.text === "optional"));
}

function all(xs: (boolean | undefined)[]): boolean | undefined {
  let r: boolean | undefined = true;
  for (const x of xs) {
    if (x === false) return false;
    if (x === undefined) r = undefined;
  }
  return r;
}

/**
 * Matches parameter type `p` against argument type `a`. `exact` for out/inout
 * parameters and for parameters inside signatures (no implicit casts).
 */
export function match(ck: Checker, p: Type, a: Type, b: Bindings, exact: boolean): boolean | undefined {
  if (p.k === "typevar" && b.has(p.node)) {
    const cur = b.get(p.node);
    if (cur == null) {
      if (a.k === "unknown" || a.k === "dontcare" || a.k === "listExpr" || a.k === "structExpr" || a.k === "int" || a.k === "invalid") return undefined;
      b.set(p.node, a);
      return true;
    }
    return match(ck, cur, a, b, exact);
  }
  if (a.k === "typevar" && b.has(a.node)) return undefined;
  if (p.k === "unknown" || a.k === "unknown" || p.k === "dontcare" || a.k === "dontcare") return undefined;
  if (p.k === "typevar" || a.k === "typevar") {
    if (p.k === "typevar" && a.k === "typevar") return p.node === a.node ? true : undefined;
    if (a.k === "invalid" || a.k === "listExpr" || a.k === "structExpr") return undefined;
    return false;
  }
  switch (p.k) {
    case "tuple":
      if (a.k === "tuple" || a.k === "listExpr") {
        if (a.elems.length !== p.elems.length) return a.k === "listExpr" && a.dots ? undefined : false;
        return all(p.elems.map((x, i) => match(ck, x, a.elems[i], b, exact)));
      }
      return false;
    case "list":
      if (a.k === "listExpr") return all(a.elems.map((x) => match(ck, p.elem, x, b, exact)));
      if (a.k === "list") return match(ck, p.elem, a.elem, b, exact);
      return false;
    case "stack":
      if (a.k === "stack") return all([match(ck, p.elem, a.elem, b, exact), p.size === null || a.size === null ? undefined : p.size === a.size]);
      if (a.k === "listExpr") return all(a.elems.map((x) => match(ck, p.elem, x, b, exact)));
      return false;
    case "struct":
    case "header":
    case "union":
      if (a.k === p.k && a.decl === p.decl) {
        if (p.args.length && a.args.length === p.args.length) return all(p.args.map((x, i) => match(ck, x, a.args[i], b, true)));
        return p.args.length === 0 && a.args.length === 0 ? true : undefined;
      }
      if (a.k === "structExpr" || a.k === "listExpr" || a.k === "invalid") return assignable(subst(ck, p, b), a);
      return false;
    case "extern":
    case "package":
      if (a.k === p.k && a.decl === p.decl) {
        if (p.args.length && a.args.length === p.args.length) return all(p.args.map((x, i) => match(ck, x, a.args[i], b, true)));
        return undefined;
      }
      return false;
    case "parser":
    case "control": {
      if (a.k !== p.k) return false;
      if (a.decl === p.decl && p.args.length === 0) return true;
      const ps = signature(ck, p), as = signature(ck, a as T.TypeOf<"parser">);
      // the longer signature's extra parameters must be optional or default-valued
      if (extraRequired(p.decl.params, as.length) || extraRequired(a.decl.params, ps.length)) return false;
      const n = Math.min(ps.length, as.length);
      return all(ps.slice(0, n).map((x, i) => x.dir !== as[i].dir ? false : match(ck, x.type, as[i].type, b, true)));
    }
    default: {
      if (exact) {
        const s = T.sameType(p, a);
        if (s !== false) return s;
        if (p.k === "newtype" || a.k === "newtype") return undefined;
        if (a.k === "int" && (p.k === "bits" || p.k === "int")) return true;
        if (p.k === "enum" && p.underlying && (a.k === "bits" || a.k === "int")) return undefined;
        return false;
      }
      return assignable(p, a);
    }
  }
}
