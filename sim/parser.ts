/** The interpreter's parsers: the state machine, select transitions (and the test generator's steering of them). */
import type * as A from "../compiler/ast/nodes.js";
import { type V, bits, num, equal, SimError } from "./values.js";
import { Env, type Machine, RejectSignal, ParserErrorSignal, writeBits } from "./runtime.js";

export function runParser(sim: Machine, decl: A.ParserDeclaration, env: Env): void {
  const states = new Map(decl.states.map((s) => [s.name.text, s]));
  let name = "start";
  for (let steps = 0; ; steps++) {
    if (steps > 100000) throw new SimError("the parser does not terminate");
    if (name === "accept") return;
    if (name === "reject") throw new RejectSignal(sim.pkt.parserError === "NoError" ? "NoError" : sim.pkt.parserError);
    const s = states.get(name);
    if (!s) throw new SimError(`no parser state ${name}`);
    const senv = new Env(env);
    try {
      sim.execBlock(s.body, senv);
      name = s.transition ? sim.transition(s.transition, senv) : "reject";
    } catch (e) {
      if (e instanceof ParserErrorSignal) {
        sim.pkt.parserError = e.error;
        throw new RejectSignal(e.error);
      }
      throw e;
    }
  }
}

export function transition(sim: Machine, t: A.TransitionStatement, env: Env): string {
  if (t.target.kind === "PathExpression") return t.target.name.text;
  const sel = t.target;
  const keys = sel.selectors.map((x) => sim.eval(x, env));
  if (sim.opts.steer && sel.cases.length > 0) sim.steerSelect(sel.cases[sim.opts.steer(sel.cases.length)]!, keys, env);
  for (const c of sel.cases) {
    if (sim.keysetMatches(c.keyset, keys, env)) return c.state.text;
  }
  sim.pkt.parserError = "NoMatch";
  throw new ParserErrorSignal("NoMatch");
}

/** Rewrites the packet (and the selector values) so that case `c` matches, where the selectors come straight from the packet. */
export function steerSelect(sim: Machine, c: A.SelectCase, keys: V[], env: Env): void {
  const ks = c.keyset.kind === "TupleKeysetExpression" ? c.keyset.elements : c.keyset.kind === "ListExpression" && keys.length > 1 ? c.keyset.elements : [c.keyset];
  ks.forEach((k, i) => {
    const cur = keys[i];
    if (!cur || cur.t !== "b" || cur.src === undefined) return;
    let want: bigint | null = null;
    if (k.kind === "DefaultExpression" || k.kind === "DontCareExpression") return;
    if (k.kind === "BinaryExpression" && k.op === "&&&") {
      const m = num(sim.eval(k.right, env));
      want = (cur.v & ~m) | (num(sim.eval(k.left, env)) & m);
    } else if (k.kind === "BinaryExpression" && k.op === "..") {
      const lo = num(sim.eval(k.left, env));
      const hi = num(sim.eval(k.right, env));
      want = hi >= lo ? lo + (BigInt(sim.random()) % (hi - lo + 1n)) : lo;
    } else if (k.kind === "PathExpression" && sim.refs.get(k)?.kind === "ValueSetDeclaration") return;
    else want = num(sim.eval(k, env));
    const v = bits(cur.w, want, cur.s);
    writeBits(sim.pkt.pin!.data, cur.src, cur.w, num(v));
    keys[i] = { ...v, src: cur.src } as V;
  });
}

export function keysetMatches(sim: Machine, ks: A.Expression, keys: readonly V[], env: Env): boolean {
  if (ks.kind === "DefaultExpression" || ks.kind === "DontCareExpression") return true;
  if (ks.kind === "TupleKeysetExpression" || (ks.kind === "ListExpression" && keys.length > 1)) {
    const els = ks.kind === "TupleKeysetExpression" ? ks.elements : ks.elements;
    return els.every((e, i) => sim.keysetMatches(e, [keys[i]!], env));
  }
  const k = keys[0]!;
  if (ks.kind === "BinaryExpression" && ks.op === "&&&") {
    const v = num(sim.eval(ks.left, env));
    const m = num(sim.eval(ks.right, env));
    return (num(k) & m) === (v & m);
  }
  if (ks.kind === "BinaryExpression" && ks.op === "..") {
    const lo = num(sim.eval(ks.left, env));
    const hi = num(sim.eval(ks.right, env));
    const x = num(k);
    return lo <= x && x <= hi;
  }
  const b = ks.kind === "PathExpression" ? sim.refs.get(ks) : undefined;
  if (b && b.kind === "ValueSetDeclaration") return false; // value sets are empty: no control plane fills them
  return equal(k, sim.eval(ks, env));
}
