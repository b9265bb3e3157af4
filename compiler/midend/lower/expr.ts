/** Expressions: l-values, scalar expressions (constants, operators, PNA metadata, stack fields, lookahead, calls with a value), flattened aggregates. */
import type * as A from "../../ast/nodes.js";
import { printExpression } from "../../ast/print.js";
import { BOOL_T, bitsT, type BinaryOp, type DExpr, type LValue, type PnaMeta, type ScalarType } from "../../ir/datapath.js";
import type { LowerBase } from "./base.js";
import { fieldType, flattenLv, scalarOf, dtype } from "./layout.js";
import type { LScope, Where } from "./scope.js";

const PNA_META: Readonly<Record<PnaMeta, ScalarType>> = {
  input_port: bitsT(32),
  parser_error: bitsT(8),
  timestamp: bitsT(64),
  recirculated: BOOL_T,
  class_of_service: bitsT(8),
};

/** An l-value for `e`, or null (reported) when it is not one. */
export function lvalue(L: LowerBase, e: A.Expression, s: LScope): LValue | null {
  switch (e.kind) {
    case "PathExpression": {
      const b = s.get(e);
      if (b?.k === "lv") return b.lv;
      return null;
    }
    case "MemberExpression": {
      const base = lvalue(L, e.expr, s);
      if (!base) return null;
      const t = fieldType(L, base.type, e.member.text);
      if (!t) return null;
      return { root: base.root, path: [...base.path, e.member.text], type: t };
    }
    case "IndexExpression": {
      const base = lvalue(L, e.expr, s);
      const i = L.constValue(e.index);
      if (!base || base.type.k !== "stack" || i === null || i < 0n || i >= BigInt(base.type.size)) return null;
      return { root: base.root, path: [...base.path, Number(i)], type: { k: "header", name: base.type.elem } };
    }
    default:
      return null;
  }
}

/** Lowers an expression with a scalar result; `want` types unsized constants. */
export function expr(L: LowerBase, e: A.Expression, s: LScope, w: Where, want?: ScalarType): DExpr | null {
  const t = scalarOf(L, e) ?? want ?? null;
  // Compile-time constants first (named constants, enum members, folded arithmetic).
  const errMember = e.kind === "TypeMemberExpression" && e.type.kind === "TypeError" ? e.member.text : e.kind === "MemberExpression" && e.expr.kind === "PathExpression" && e.expr.name.text === "error" ? e.member.text : null;
  if (errMember !== null) return { k: "const", value: BigInt(L.errorCode(errMember)), type: bitsT(8) };
  const c = L.ctx.checked.constants.get(e);
  if (c !== undefined && typeof c !== "string" && e.kind !== "CallExpression") {
    const type = t ?? (typeof c === "boolean" ? BOOL_T : bitsT(64));
    const v = typeof c === "boolean" ? (c ? 1n : 0n) : c;
    return { k: "const", value: BigInt.asUintN(type.width, v), type };
  }
  switch (e.kind) {
    case "IntLiteral": {
      const type = e.width !== null ? bitsT(e.width, e.signed) : want ?? bitsT(64);
      return { k: "const", value: BigInt.asUintN(type.width, e.value), type };
    }
    case "BoolLiteral":
      return { k: "const", value: e.value ? 1n : 0n, type: BOOL_T };
    case "PathExpression": {
      const b = s.get(e);
      if (b?.k === "expr") return b.e;
      if (b?.k === "lv" && b.lv.type.k === "scalar") return { k: "lval", lv: b.lv, type: b.lv.type.t };
      if (!b) return namedConstant(L, e, t);
      break;
    }
    case "MemberExpression": {
      if (e.expr.kind === "PathExpression") {
        const b = s.get(e.expr);
        if (b?.k === "istd") {
          const field = e.member.text as PnaMeta;
          if (field in PNA_META) return { k: "meta", field, type: PNA_META[field] };
          break;
        }
      }
      if (e.expr.kind === "CallExpression" && e.member.text === "hit" || e.member.text === "miss") {
        const call = e.expr as A.CallExpression;
        if (call.kind === "CallExpression" && call.callee.kind === "MemberExpression" && call.callee.member.text === "apply") {
          const tb = call.callee.expr.kind === "PathExpression" ? s.get(call.callee.expr) : undefined;
          if (tb?.k === "table") {
            const hit: DExpr = { k: "hit", table: tb.table.id, type: BOOL_T };
            L.pendingApplies.push({ table: tb.table.id, site: L.tableHook(tb.table, s, w) });
            return e.member.text === "hit" ? hit : { k: "unary", op: "!", e: hit, type: BOOL_T };
          }
        }
      }
      {
        const stackOf = (x: A.Expression): LValue | null => {
          const lv = lvalue(L, x, s);
          return lv && lv.type.k === "stack" ? lv : null;
        };
        if (e.expr.kind === "MemberExpression" && e.expr.member.text === "last") {
          const st = stackOf(e.expr.expr);
          if (st && st.type.k === "stack") {
            const f = L.headers.get(st.type.elem)?.fields.find((x) => x.name === e.member.text);
            if (f) return { k: "stackLast", stack: st, size: st.type.size, field: f.name, type: bitsT(f.width, f.signed) };
          }
        }
        if (e.member.text === "lastIndex" || e.member.text === "size") {
          const st = stackOf(e.expr);
          if (st && st.type.k === "stack") return e.member.text === "size" ? { k: "const", value: BigInt(st.type.size), type: bitsT(32) } : { k: "stackLastIndex", stack: st, type: bitsT(32) };
        }
      }
      if (e.expr.kind === "CallExpression" && e.expr.callee.kind === "MemberExpression" && e.expr.callee.member.text === "lookahead") {
        return lookaheadField(L, e.expr, e.member.text, e);
      }
      const lv = lvalue(L, e, s);
      if (lv && lv.type.k === "scalar") return { k: "lval", lv, type: lv.type.t };
      if (!lv) return namedConstant(L, e, t);
      break;
    }
    case "TypeMemberExpression":
      return namedConstant(L, e, t);
    case "IndexExpression": {
      const lv = lvalue(L, e, s);
      if (lv && lv.type.k === "scalar") return { k: "lval", lv, type: lv.type.t };
      break;
    }
    case "SliceExpression": {
      const hi = L.constValue(e.hi);
      const lo = L.constValue(e.lo);
      const inner = expr(L, e.expr, s, w);
      if (hi === null || lo === null || !inner) break;
      if (inner.type.width > 128) return tooWide(L, e, "slice");
      return { k: "slice", e: inner, hi: Number(hi), lo: Number(lo), type: bitsT(Number(hi - lo) + 1) };
    }
    case "CastExpression": {
      if (!t) break;
      const inner = expr(L, e.expr, s, w, t);
      if (!inner) return null;
      if (inner.type.width > 128 || t.width > 128) return tooWide(L, e, "cast");
      return { k: "cast", e: inner, type: t };
    }
    case "UnaryExpression": {
      const inner = expr(L, e.operand, s, w, t ?? undefined);
      if (!inner) return null;
      if (e.op === "+") return inner;
      if (inner.type.width > 128) return tooWide(L, e, `operator '${e.op}'`);
      return { k: "unary", op: e.op as "-" | "~" | "!", e: inner, type: e.op === "!" ? BOOL_T : inner.type };
    }
    case "BinaryExpression":
      return binary(L, e, s, w, t);
    case "ConditionalExpression": {
      const c0 = expr(L, e.cond, s, w);
      const a = expr(L, e.then, s, w, t ?? undefined);
      const b = expr(L, e.else, s, w, t ?? a?.type);
      if (!c0 || !a || !b) return null;
      return { k: "cond", c: c0, t: a, e: b, type: t ?? a.type };
    }
    case "CallExpression": {
      const r = callExpr(L, e, s, w, t);
      if (r !== undefined) return r;
      break;
    }
    default:
      break;
  }
  L.unsupported(e.span, `expression '${printExpression(e)}'`);
  return null;
}

/** Reports `what` on a value wider than 128 bits: the eBPF back end computes up to 128 bits (wider values are only copied and compared). */
function tooWide(L: LowerBase, e: A.Expression, what: string): null {
  L.unsupported(e.span, `${what} on values wider than 128 bits`);
  return null;
}

/** A top-level constant or enum member the front end did not fold at this use. */
function namedConstant(L: LowerBase, e: A.Expression, t: ScalarType | null): DExpr | null {
  const v = L.ctx.env.evalConst(e);
  if (!v) {
    L.unsupported(e.span, `expression '${printExpression(e)}'`);
    return null;
  }
  const type = t ?? (v.isBool ? BOOL_T : bitsT(v.width ?? 32));
  return { k: "const", value: BigInt.asUintN(type.width, v.value), type };
}

function binary(L: LowerBase, e: A.BinaryExpression, s: LScope, w: Where, t: ScalarType | null): DExpr | null {
  const lt = scalarOf(L, e.left);
  const rt = scalarOf(L, e.right);
  const lIsInt = L.typeOfExpr(e.left)?.k === "int";
  const rIsInt = L.typeOfExpr(e.right)?.k === "int";
  const cmp = ["==", "!=", "<", ">", "<=", ">="].includes(e.op);
  const logical = e.op === "&&" || e.op === "||";
  const shift = e.op === "<<" || e.op === ">>";
  const operandT = logical ? BOOL_T : cmp ? (lIsInt ? rt : lt) ?? rt ?? lt ?? undefined : shift ? t ?? lt ?? undefined : t ?? (lIsInt ? rt : lt) ?? undefined;
  const l = expr(L, e.left, s, w, operandT ?? undefined);
  const r = expr(L, e.right, s, w, shift ? rt ?? bitsT(32) : rIsInt || !rt ? operandT ?? l?.type : rt);
  if (!l || !r) return null;
  const wide = e.op === "++" ? l.type.width + r.type.width > 128 : (l.type.width > 128 || r.type.width > 128) && e.op !== "==" && e.op !== "!=";
  if (wide) return tooWide(L, e, `operator '${e.op}'`);
  if (e.op === "++") return { k: "concat", l, r, type: bitsT(l.type.width + r.type.width, l.type.signed) };
  if (e.op === "&&&" || e.op === "..") {
    L.unsupported(e.span, `'${e.op}' outside a keyset`);
    return null;
  }
  const type = cmp || logical ? BOOL_T : shift ? l.type : t ?? l.type;
  return { k: "binary", op: e.op as BinaryOp, l, r, type };
}

function lookaheadField(L: LowerBase, call: A.CallExpression, member: string, at: A.Node): DExpr | null {
  const t = call.typeArgs[0] ? L.typeOfExpr(call) : undefined;
  const d = dtype(L, t, call.span);
  if (!d || d.k !== "header") {
    L.unsupported(at.span, "lookahead of this type");
    return null;
  }
  const h = L.headers.get(d.name)!;
  const f = h.fields.find((x) => x.name === member);
  if (!f) return null;
  // lookahead<T>().f: the field f of a T that would start at the current offset.
  return { k: "lookahead", bitOffset: f.bitOffset, extent: h.bits, type: bitsT(f.width, f.signed) };
}

/** Calls with a value: isValid, extern methods and functions. Undefined when not a call this handles. */
function callExpr(L: LowerBase, e: A.CallExpression, s: LScope, w: Where, t: ScalarType | null): DExpr | null | undefined {
  const callee = e.callee;
  if (callee.kind === "MemberExpression") {
    const m = callee.member.text;
    if (m === "isValid") {
      const lv = lvalue(L, callee.expr, s);
      return lv ? { k: "valid", header: lv, type: BOOL_T } : undefined;
    }
    if (m === "lookahead") {
      const st = scalarOf(L, e);
      return st ? { k: "lookahead", bitOffset: 0, extent: st.width, type: st } : undefined;
    }
    if (callee.expr.kind === "PathExpression") {
      const b = s.get(callee.expr);
      const call = b ? L.externMethod(b, m, e, s, w) : null;
      if (call) return { k: "extern", call, type: t ?? bitsT(32) };
    }
    return undefined;
  }
  if (callee.kind === "PathExpression") {
    const name = callee.name.text;
    const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? expr(L, e.args[i]!.value, s, w, want) : null);
    if (name === "is_host_port" || name === "is_net_port") {
      if (!L.abiHas("is_port", e.span, name)) return null;
      const p = arg(0, bitsT(32));
      return p ? { k: "extern", call: { k: "is_port", which: name === "is_host_port" ? "host" : "net", port: p }, type: BOOL_T } : null;
    }
    if (name.startsWith("skb_get_") && name !== "skb_get_meta") return !L.abiHas("skb_meta", e.span, name) ? null : { k: "extern", call: { k: "skb_get", field: name.slice(8) }, type: t ?? bitsT(32) };
  }
  return undefined;
}

/** The fields of a list/struct/header argument, flattened, as scalar expressions. */
export function flatten(L: LowerBase, e: A.Expression, s: LScope, w: Where): DExpr[] | null {
  if (e.kind === "ListExpression") {
    const out: DExpr[] = [];
    for (const x of e.elements) {
      const f = flatten(L, x, s, w);
      if (!f) return null;
      out.push(...f);
    }
    return out;
  }
  if (e.kind === "StructExpression") {
    const out: DExpr[] = [];
    for (const kv of e.fields) {
      const f = flatten(L, kv.value, s, w);
      if (!f) return null;
      out.push(...f);
    }
    return out;
  }
  const lv = lvalue(L, e, s);
  if (lv && lv.type.k !== "scalar") return flattenLv(L, lv);
  const x = expr(L, e, s, w);
  return x ? [x] : null;
}
