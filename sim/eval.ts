/** The interpreter's expressions and lvalues: values of expressions, operators, casts, the places assignments and out arguments write. */
import type * as A from "../compiler/ast/nodes.js";
import type { Type } from "../compiler/frontend/index.js";
import { printExpression } from "../compiler/ast/print.js";
import { type V, type HeaderV, type StackV, type StructV, bits, bool, zero, clone, num, equal, coerce, base, SimError, VOID } from "./values.js";
import { Env, type Machine, type Lval, type ApplyResult, widthOfScalar } from "./runtime.js";

export function fromConst(sim: Machine, c: unknown, t: Type): V {
  const b = base(t);
  if (typeof c === "boolean") return bool(c);
  if (typeof c === "string") return { t: "str", v: c };
  if (typeof c === "bigint") {
    if (b.k === "bits") return bits(b.width, c, b.signed);
    if (b.k === "enum" && b.underlying) return coerce({ t: "int", v: c }, b.underlying);
    return { t: "int", v: c };
  }
  throw new SimError("bad constant");
}

export function evalExpr(sim: Machine, e: A.Expression, env: Env): V {
  const t = sim.types.get(e);
  const c = sim.consts.get(e);
  if (c !== undefined && t && e.kind !== "CallExpression") {
    const b = base(t);
    if (b.k === "bits" || b.k === "int" || b.k === "bool" || (b.k === "enum" && b.underlying) || b.k === "string") return sim.fromConst(c, t);
  }
  switch (e.kind) {
    case "IntLiteral":
      return e.width !== null ? bits(e.width, e.value, e.signed) : t && base(t).k === "bits" ? coerce({ t: "int", v: e.value }, t) : { t: "int", v: e.value };
    case "BoolLiteral": return bool(e.value);
    case "StringLiteral": return { t: "str", v: e.value };
    case "PathExpression": {
      const b = sim.refs.get(e);
      if (!b) throw new SimError(`unresolved ${e.name.text}`);
      const cell = env.get(b);
      if (cell) return cell.v;
      if (b.kind === "ConstantDeclaration") {
        const v = sim.evalConstDecl(b);
        sim.globals.set(b, v);
        return v;
      }
      if (b.kind === "Instantiation") return sim.globalObject(b);
      if (b.kind === "ActionDeclaration" || b.kind === "TableDeclaration") return { t: "obj", o: b };
      throw new SimError(`no value for ${e.name.text}`);
    }
    case "TypeMemberExpression": {
      if (e.type.kind === "TypeError") return { t: "err", v: e.member.text };
      return sim.enumMember(e, t);
    }
    case "MemberExpression": {
      const bt = sim.types.get(e.expr);
      if (bt && bt.k === "typeRef") {
        const of = base(bt.of);
        if (of.k === "error") return { t: "err", v: e.member.text };
        return sim.enumMember(e, t);
      }
      if (bt && bt.k === "error") return { t: "err", v: e.member.text };
      const o = sim.eval(e.expr, env);
      return sim.member(o, e.member.text, e);
    }
    case "IndexExpression": {
      const s = sim.eval(e.expr, env);
      const i = Number(num(sim.eval(e.index, env)));
      if (s.t === "stack") {
        const h = s.e[i];
        if (!h) return zero(sim.types.get(e)!); // out of bounds: an invalid header (target-defined)
        return h;
      }
      if (s.t === "tuple") return s.e[i]!;
      throw new SimError("index of a non-stack");
    }
    case "SliceExpression": {
      const v = sim.eval(e.expr, env);
      const hi = Number(num(sim.eval(e.hi, env)));
      const lo = Number(num(sim.eval(e.lo, env)));
      return bits(hi - lo + 1, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo));
    }
    case "PlusSliceExpression": {
      const v = sim.eval(e.expr, env);
      const lo = Number(num(sim.eval(e.base, env)));
      const w = Number(num(sim.eval(e.width, env)));
      return bits(w, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo));
    }
    case "UnaryExpression": {
      const v = sim.eval(e.operand, env);
      switch (e.op) {
        case "!": return bool(!sim.truth(v));
        case "~": return v.t === "b" ? bits(v.w, ~v.v, v.s) : { t: "int", v: ~num(v) };
        case "-": return v.t === "b" ? bits(v.w, -v.v, v.s) : { t: "int", v: -num(v) };
        case "+": return v;
      }
      break;
    }
    case "BinaryExpression": {
      if (e.op === "&&") return bool(sim.truth(sim.eval(e.left, env)) && sim.truth(sim.eval(e.right, env)));
      if (e.op === "||") return bool(sim.truth(sim.eval(e.left, env)) || sim.truth(sim.eval(e.right, env)));
      return sim.binary(e.op, sim.eval(e.left, env), sim.eval(e.right, env), t);
    }
    case "ConditionalExpression":
      return sim.truth(sim.eval(e.cond, env)) ? sim.eval(e.then, env) : sim.eval(e.else, env);
    case "CastExpression": {
      const v = sim.eval(e.expr, env);
      return t ? sim.cast(v, t) : v;
    }
    case "CallExpression":
      return sim.call(e, env);
    case "ListExpression":
      return { t: "tuple", e: e.elements.map((x) => clone(sim.eval(x, env))) };
    case "StructExpression": {
      const f = new Map<string, V>();
      for (const kv of e.fields) f.set(kv.key.text, clone(sim.eval(kv.value, env)));
      const v: V = { t: "struct", union: false, f };
      return t && (base(t).k === "header" || base(t).k === "struct") ? coerce(v, t) : v;
    }
    case "InvalidExpression":
      return t ? zero(t) : VOID;
    case "ConstructorCallExpression":
      throw new SimError("constructor call in an expression");
  }
  throw new SimError(`unsupported expression ${e.kind}`);
}

export function enumMember(sim: Machine, e: A.MemberExpression | A.TypeMemberExpression, t: Type | undefined): V {
  const b = t ? base(t) : undefined;
  if (b && b.k === "enum" && b.underlying) {
    const m = b.decl.members.find((x) => x.name.text === e.member.text);
    const c = m ? sim.consts.get(m) : undefined;
    if (typeof c === "bigint") return coerce({ t: "int", v: c }, b.underlying);
  }
  if (b && b.k === "error") return { t: "err", v: e.member.text };
  return { t: "enum", v: e.member.text };
}

export function member(sim: Machine, o: V, m: string, e: A.MemberExpression): V {
  switch (o.t) {
    case "hdr": case "struct": {
      const f = o.f.get(m);
      if (f) return f;
      break;
    }
    case "stack":
      if (m === "size") return bits(32, BigInt(o.e.length));
      if (m === "lastIndex") return bits(32, BigInt(o.next - 1));
      if (m === "last") return o.next > 0 ? o.e[o.next - 1]! : zero(sim.types.get(e)!);
      if (m === "next") return o.next < o.e.length ? o.e[o.next]! : zero(sim.types.get(e)!);
      break;
    case "obj": {
      const r = o.o as ApplyResult;
      if (m === "hit") return bool(r.hit);
      if (m === "miss") return bool(!r.hit);
      if (m === "action_run") return { t: "obj", o: r.action };
      break;
    }
  }
  throw new SimError(`no member ${m} in a ${o.t}`);
}

export function binary(sim: Machine, op: A.BinaryOp | string, a: V, b: V, rt: Type | undefined): V {
  if (op === "==") return bool(equal(a, b));
  if (op === "!=") return bool(!equal(a, b));
  if (op === "++") {
    const wa = widthOfScalar(a);
    const wb = widthOfScalar(b);
    const s = a.t === "b" && a.s;
    return bits(wa + wb, (BigInt.asUintN(wa, num(a)) << BigInt(wb)) | BigInt.asUintN(wb, num(b)), s);
  }
  // The operation's type: the fixed-width operand's, or the checker's result type.
  const ref = a.t === "b" ? a : b.t === "b" ? b : null;
  let w = ref?.w ?? null;
  let s = ref?.s ?? false;
  const r = rt ? base(rt) : undefined;
  if (r && r.k === "bits" && !["<", "<=", ">", ">="].includes(op)) {
    w = r.width;
    s = r.signed;
  }
  if (op === "<<" || op === ">>") {
    // The left operand's type.
    if (a.t === "b") { w = a.w; s = a.s; }
    const x = num(a);
    const n = num(b);
    if (w === null) return { t: "int", v: op === "<<" ? x << n : x >> n };
    if (op === "<<") return n >= BigInt(w) ? bits(w, 0n, s) : bits(w, x << n, s);
    const sv = s ? BigInt.asIntN(w, x) : BigInt.asUintN(w, x);
    return n >= BigInt(w) ? bits(w, sv < 0n ? -1n : 0n, s) : bits(w, sv >> n, s);
  }
  const norm = (v: V): bigint => (w === null ? num(v) : s ? BigInt.asIntN(w, num(v)) : BigInt.asUintN(w, num(v)));
  const x = norm(a);
  const y = norm(b);
  const mk = (v: bigint): V => (w === null ? { t: "int", v } : bits(w, v, s));
  switch (op) {
    case "+": return mk(x + y);
    case "-": return mk(x - y);
    case "*": return mk(x * y);
    case "/": return y === 0n ? mk(0n) : mk(x / y);
    case "%": return y === 0n ? mk(0n) : mk(x % y);
    case "&": return mk(x & y);
    case "|": return mk(x | y);
    case "^": return mk(x ^ y);
    case "|+|":
    case "|-|": {
      const v = op === "|+|" ? x + y : x - y;
      if (w === null) return mk(v);
      const max = s ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
      const min = s ? -(1n << BigInt(w - 1)) : 0n;
      return mk(v > max ? max : v < min ? min : v);
    }
    case "<": return bool(x < y);
    case "<=": return bool(x <= y);
    case ">": return bool(x > y);
    case ">=": return bool(x >= y);
  }
  throw new SimError(`operator ${op}`);
}

export function cast(sim: Machine, v: V, t0: Type): V {
  const t = base(t0);
  if (t.k === "bits") {
    if (v.t === "bool") return bits(t.width, v.v ? 1n : 0n, t.signed);
    if (v.t === "b" || v.t === "int") return bits(t.width, v.v, t.signed);
    return v;
  }
  if (t.k === "bool") return bool(num(v) !== 0n);
  if (t.k === "int") return { t: "int", v: num(v) };
  return coerce(v, t0);
}

export function lval(sim: Machine, e: A.Expression, env: Env): Lval {
  switch (e.kind) {
    case "PathExpression": {
      const b = sim.refs.get(e);
      const cell = b ? env.get(b) : undefined;
      if (!cell) throw new SimError(`not assignable: ${e.name.text}`);
      return { get: () => cell.v, set: (v) => { cell.v = v; } };
    }
    case "MemberExpression": {
      const m = e.member.text;
      const p = sim.lval(e.expr, env);
      return {
        get: () => {
          const o = p.get();
          if (o.t === "stack") return sim.member(o, m, e);
          return (o as HeaderV | StructV).f.get(m)!;
        },
        set: (v) => {
          const o = p.get();
          if (o.t === "stack") {
            const i = m === "last" ? o.next - 1 : o.next;
            if (i >= 0 && i < o.e.length) o.e[i] = v as HeaderV;
            return;
          }
          const s = o as HeaderV | StructV;
          if (s.t === "struct" && s.union && v.t === "hdr" && v.valid) {
            for (const [n, h] of s.f) if (n !== m && h.t === "hdr") h.valid = false;
          }
          s.f.set(m, v);
        },
      };
    }
    case "IndexExpression": {
      const p = sim.lval(e.expr, env);
      const i = Number(num(sim.eval(e.index, env)));
      return {
        get: () => {
          const s = p.get() as StackV;
          return s.e[i] ?? zero(sim.types.get(e)!);
        },
        set: (v) => {
          const s = p.get();
          if (s.t === "stack" && i >= 0 && i < s.e.length) s.e[i] = v as HeaderV;
          else if (s.t === "tuple") s.e[i] = v;
        },
      };
    }
    case "SliceExpression":
    case "PlusSliceExpression": {
      const p = sim.lval(e.expr, env);
      let lo: number;
      let w: number;
      if (e.kind === "SliceExpression") {
        lo = Number(num(sim.eval(e.lo, env)));
        w = Number(num(sim.eval(e.hi, env))) - lo + 1;
      } else {
        lo = Number(num(sim.eval(e.base, env)));
        w = Number(num(sim.eval(e.width, env)));
      }
      return {
        get: () => { const v = p.get(); return bits(w, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo)); },
        set: (nv) => {
          const old = p.get() as Extract<V, { t: "b" }>;
          const m = ((1n << BigInt(w)) - 1n) << BigInt(lo);
          const u = (BigInt.asUintN(old.w, old.v) & ~m) | ((BigInt.asUintN(w, num(nv)) << BigInt(lo)) & m);
          p.set(bits(old.w, u, old.s));
        },
      };
    }
    default:
      throw new SimError(`not assignable: ${printExpression(e)}`);
  }
}
