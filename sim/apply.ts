/** The interpreter's tables: apply (lookup, the action run), const entries and default actions from the table's properties. */
import type * as A from "../compiler/ast/nodes.js";
import { type V, zero, num, coerce, base, SimError } from "./values.js";
import { TableState, type TableEntry } from "./tables.js";
import { Env, type Machine, type ApplyResult } from "./runtime.js";

export function actionOf(sim: Machine, r: A.ActionRef): A.ActionDeclaration | null {
  const b = sim.refs.get(r) ?? sim.refs.get(r.name);
  return b && b.kind === "ActionDeclaration" ? b : null;
}

export function applyTable(sim: Machine, t: A.TableDeclaration, env: Env): V {
  // The table of the block instance whose body runs (bound in its environment), not of the declaration.
  const o = env.get(t)?.v;
  const st = o?.t === "obj" && o.o instanceof TableState ? o.o : undefined;
  if (!st) throw new SimError(`table ${t.name.text} is not in an instantiated control`);
  if (!st.initialised) sim.initTable(st, env);
  const keyVals = st.keyElements.map((k) => sim.eval(k.expr, env));
  const key = keyVals.map((v, i) => BigInt.asUintN(st.keyWidth(i), num(v)));
  sim.opts.onTableKey?.(st, key);
  const hit = st.lookup(key);
  let action: A.ActionDeclaration | null;
  let args: readonly V[];
  let ref: A.ActionRef | null;
  if (hit) {
    action = hit.action;
    args = hit.args;
    ref = st.actions.find((r) => sim.actionOf(r) === hit.action) ?? null;
  } else {
    action = st.defaultAction?.action ?? null;
    args = st.defaultAction?.args ?? [];
    ref = st.defaultAction?.ref ?? null;
  }
  const saved = sim.pkt.table;
  sim.pkt.table = { state: st, key };
  try {
    if (action) sim.runAction(action, args, ref, env);
  } finally {
    sim.pkt.table = saved;
  }
  return { t: "obj", o: { hit: !!hit, action } satisfies ApplyResult };
}

export function runAction(sim: Machine, a: A.ActionDeclaration, args: readonly V[], ref: A.ActionRef | null, env: Env): void {
  const preset = new Map<A.Parameter, V>();
  const cp = a.params.filter((p) => p.direction === null);
  cp.forEach((p, i) => preset.set(p, coerce(args[i] ?? zero(sim.declTypes.get(p)!), sim.declTypes.get(p)!)));
  sim.invoke(a.params, ref?.args ?? [], env, (fenv) => sim.execBlock(a.body.body, fenv), preset);
}

/** Const entries and the default action, from the table's properties. */
export function initTable(sim: Machine, st: TableState, env: Env): void {
  st.initialised = true;
  for (const p of st.decl.properties) {
    if (p.kind === "ValueProperty" && p.name.text === "default_action") {
      const r = sim.actionCall(p.value, env);
      if (r) st.defaultAction = r;
    }
    if (p.kind === "EntriesProperty") {
      for (const e of p.entries) {
        const a = sim.actionOf(e.action);
        if (!a) continue;
        const cp = a.params.filter((x) => x.direction === null);
        const args = (e.action.args ?? []).slice(a.params.length - cp.length).map((x, i) => coerce(sim.eval(x.value, env), sim.declTypes.get(cp[i]!)!));
        const ks = e.keyset.kind === "TupleKeysetExpression" || e.keyset.kind === "ListExpression" ? e.keyset.elements : [e.keyset];
        const keys = ks.map((k, i) => sim.entryKey(k, st, i, env));
        st.addConst({ keys, action: a, args, prio: e.priority ? Number(num(sim.eval(e.priority, env))) : null });
      }
    }
  }
  if (!st.defaultAction) st.defaultAction = null;
}

export function entryKey(sim: Machine, k: A.Expression, st: TableState, i: number, env: Env): TableEntry["keys"][number] {
  const w = st.keyWidth(i);
  const all = (1n << BigInt(w)) - 1n;
  if (k.kind === "DefaultExpression" || k.kind === "DontCareExpression") return { value: 0n, mask: 0n };
  if (k.kind === "BinaryExpression" && k.op === "&&&") {
    const m = BigInt.asUintN(w, num(sim.eval(k.right, env)));
    return { value: BigInt.asUintN(w, num(sim.eval(k.left, env))) & m, mask: m };
  }
  if (k.kind === "BinaryExpression" && k.op === "..") {
    return { value: 0n, range: [BigInt.asUintN(w, num(sim.eval(k.left, env))), BigInt.asUintN(w, num(sim.eval(k.right, env)))] };
  }
  return { value: BigInt.asUintN(w, num(sim.eval(k, env))), mask: all };
}

/** `a(1, 2)` or `a` as in `default_action`: the action and its control-plane arguments. */
export function actionCall(sim: Machine, e: A.Expression, env: Env): { action: A.ActionDeclaration; args: V[]; ref: A.ActionRef | null } | null {
  const callee = e.kind === "CallExpression" ? e.callee : e;
  const b = sim.refs.get(callee) ?? sim.refs.get(e);
  if (!b || b.kind !== "ActionDeclaration") return null;
  const cp = b.params.filter((p) => p.direction === null);
  const given = e.kind === "CallExpression" ? e.args.slice(b.params.length - cp.length) : [];
  const args = cp.map((p, i) => (given[i] ? coerce(sim.eval(given[i]!.value, env), sim.declTypes.get(p)!) : zero(sim.declTypes.get(p)!)));
  return { action: b, args, ref: null };
}

export function keyWidths(sim: Machine, t: A.TableDeclaration): number[] {
  const key = t.properties.find((p): p is A.KeyProperty => p.kind === "KeyProperty");
  return (key?.elements ?? []).map((k) => {
    const kt = sim.types.get(k.expr);
    const b = kt ? base(kt) : undefined;
    if (b && b.k === "bits") return b.width;
    if (b && b.k === "enum" && b.underlying && base(b.underlying).k === "bits") return (base(b.underlying) as { width: number }).width;
    return b && b.k === "bool" ? 1 : 32;
  });
}
