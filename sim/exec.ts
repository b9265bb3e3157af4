/** The interpreter's statements and calls: blocks, assignments, if/switch, copy-in/copy-out invocation of actions, functions and sub-blocks, the PNA extern functions. */
import type * as A from "../compiler/ast/nodes.js";
import type { Type } from "../compiler/frontend/index.js";
import { printExpression } from "../compiler/ast/print.js";
import { type V, bits, zero, clone, num, equal, coerce, SimError, TRUE, FALSE, VOID } from "./values.js";
import { ExternState } from "./externs.js";
import { Env, type Machine, type Lval, type PacketIn, type BlockInstance, ExitSignal, ReturnSignal, RejectSignal, ParserErrorSignal, isBlock } from "./runtime.js";

export function declareVar(sim: Machine, d: A.VariableDeclaration, env: Env): void {
  const t = sim.declTypes.get(d);
  const v = d.init ? sim.eval(d.init, env) : t ? zero(t) : VOID;
  env.set(d, t ? coerce(clone(v), t) : clone(v));
}

export function execBlock(sim: Machine, body: readonly A.StatementOrDeclaration[], env: Env): void {
  for (const s of body) sim.exec(s, env);
}

export function exec(sim: Machine, s: A.StatementOrDeclaration, env: Env): void {
  switch (s.kind) {
    case "VariableDeclaration": sim.declareVar(s, env); return;
    case "ConstantDeclaration": env.set(s, sim.evalConstDecl(s)); return;
    case "Instantiation": env.set(s, sim.instantiate(s, env)); return;
    case "EmptyStatement": return;
    case "BlockStatement": sim.execBlock(s.body, new Env(env)); return;
    case "AssignmentStatement": {
      const lv = sim.lval(s.left, env);
      const lt = sim.types.get(s.left);
      let v: V;
      if (s.op === "=") v = sim.eval(s.right, env);
      else v = sim.binary(s.op.slice(0, -1) as A.BinaryOp, lv.get(), sim.eval(s.right, env), lt);
      lv.set(lt ? coerce(clone(v), lt) : clone(v));
      return;
    }
    case "MethodCallStatement": sim.call(s.call, env); return;
    case "DirectApplicationStatement": {
      const b = sim.refs.get(s.type.kind === "TypeName" ? s.type : s.type.base) ?? sim.refs.get(s);
      if (!b || (b.kind !== "ControlDeclaration" && b.kind !== "ParserDeclaration")) throw new SimError("unsupported direct application");
      const inst = sim.instantiateBlock(b, []);
      sim.applySub(inst, s.args, env);
      return;
    }
    case "IfStatement":
      if (sim.truth(sim.eval(s.cond, env))) sim.exec(s.then, new Env(env));
      else if (s.else) sim.exec(s.else, new Env(env));
      return;
    case "SwitchStatement": sim.execSwitch(s, env); return;
    case "ReturnStatement": throw new ReturnSignal(s.value ? sim.eval(s.value, env) : VOID);
    case "ExitStatement": throw new ExitSignal();
    case "TransitionStatement": throw new SimError("transition inside a state body");
    case "ForStatement":
    case "ForInStatement":
    case "BreakStatement":
    case "ContinueStatement":
      throw new SimError(`${s.kind} is not supported by the interpreter`);
  }
}

export function execSwitch(sim: Machine, s: A.SwitchStatement, env: Env): void {
  const isActionRun = s.expr.kind === "MemberExpression" && s.expr.member.text === "action_run";
  const v = sim.eval(s.expr, env);
  let matched = false;
  for (const c of s.cases) {
    if (!matched) {
      if (c.label.kind === "DefaultExpression") matched = true;
      else if (isActionRun) {
        const b = sim.refs.get(c.label);
        matched = v.t === "obj" && (v.o === b || (b !== undefined && b.kind === "ActionDeclaration" && v.o === b));
      } else matched = equal(v, sim.eval(c.label, env));
    }
    if (matched && c.body) {
      sim.exec(c.body, env);
      return;
    }
  }
}

export function truth(sim: Machine, v: V): boolean {
  if (v.t === "bool") return v.v;
  return num(v) !== 0n;
}

export function call(sim: Machine, c: A.CallExpression, env: Env): V {
  const callee = c.callee;
  if (callee.kind === "MemberExpression") {
    const m = callee.member.text;
    const bt = sim.types.get(callee.expr);
    const target = sim.refs.get(callee.expr);
    // t.apply()
    if (m === "apply" && target && target.kind === "TableDeclaration") return sim.applyTable(target, env);
    if (bt && (bt.k === "header" || bt.k === "union" || bt.k === "stack" || bt.k === "struct") || (bt && bt.k === "newtype")) {
      return sim.dataMethod(callee.expr, m, c, env);
    }
    const obj = sim.eval(callee.expr, env);
    if (obj.t === "hdr" || obj.t === "stack" || (obj.t === "struct" && obj.union)) return sim.dataMethod(callee.expr, m, c, env);
    if (obj.t === "obj") {
      const o = obj.o;
      if (m === "apply" && isBlock(o)) {
        sim.applySub(o, c.args, env);
        return VOID;
      }
      if (o === "packet_out" || (typeof o === "object" && o !== null && "offBits" in o)) return sim.packetMethod(o as PacketIn | "packet_out", m, c, env);
      if (o instanceof ExternState) {
        const args = sim.callArgs(c, env);
        return o.call(m, args.map((a) => a.v), sim.types.get(c) ?? null, args.map((a) => a.t));
      }
    }
    throw new SimError(`unsupported method call ${printExpression(c)}`);
  }
  const b = callee.kind === "PathExpression" ? sim.refs.get(callee) : undefined;
  if (!b) throw new SimError(`unsupported call ${printExpression(c)}`);
  switch (b.kind) {
    case "ActionDeclaration": return sim.invoke(b.params, c.args, env, (fenv) => sim.execBlock(b.body.body, fenv));
    case "FunctionDeclaration": return sim.invoke(b.params, c.args, env, (fenv) => sim.execBlock(b.body.body, fenv));
    case "ExternFunctionDeclaration": return sim.externFunction(b, c, env);
    default: throw new SimError(`unsupported call ${printExpression(c)}`);
  }
}

/** Calls a body with copy-in/copy-out parameters. `preset` binds directionless action parameters. */
export function invoke(sim: Machine, params: readonly A.Parameter[], args: readonly A.Argument[], env: Env, body: (fenv: Env) => void, preset?: ReadonlyMap<A.Parameter, V>): V {
  // Names are resolved to their declarations by the front end, so the callee's
  // environment can extend the caller's: it sees the enclosing control's names.
  const fenv = new Env(env);
  const outs: { p: A.Parameter; lv: Lval }[] = [];
  let pos = 0;
  for (const p of params) {
    const t = sim.declTypes.get(p);
    if (preset?.has(p)) {
      fenv.set(p, preset.get(p)!);
      continue;
    }
    const a = args.find((x) => x.name?.text === p.name.text) ?? (args[pos] && !args[pos]!.name ? args[pos] : undefined);
    pos++;
    if (!a || a.value.kind === "DontCareExpression") {
      fenv.set(p, p.defaultValue ? sim.eval(p.defaultValue, env) : t ? zero(t) : VOID);
      continue;
    }
    if (p.direction === "out" || p.direction === "inout") {
      const lv = sim.lval(a.value, env);
      outs.push({ p, lv });
      fenv.set(p, p.direction === "inout" ? clone(lv.get()) : t ? zero(t) : VOID);
    } else {
      const v = clone(sim.eval(a.value, env));
      fenv.set(p, t ? coerce(v, t) : v);
    }
  }
  let ret: V = VOID;
  try {
    body(fenv);
  } catch (e) {
    if (e instanceof ReturnSignal) ret = e.value;
    else {
      // A sub-parser's reject is its caller's (P4-16 "Sub-parsers": its states are the caller's, its parameters the
      // caller's arguments): what it extracted before the error stays in the caller's headers.
      // `exit` ends the callers too, and their out/inout parameters are still copied out (P4-16 "Exit statement").
      if (e instanceof RejectSignal || e instanceof ExitSignal) for (const o of outs) o.lv.set(clone(fenv.get(o.p)!.v));
      throw e;
    }
  }
  for (const o of outs) o.lv.set(clone(fenv.get(o.p)!.v));
  return ret;
}

export function applySub(sim: Machine, inst: BlockInstance, args: readonly A.Argument[], env: Env): void {
  const params = inst.decl.params;
  sim.invoke(params, args, env, (fenv) => {
    // packet_in/packet_out parameters: pass the packet objects through.
    sim.runBlockBody(inst, fenv, true);
  });
}

export function callArgs(sim: Machine, c: A.CallExpression, env: Env): { v: V; t: Type | null }[] {
  return c.args.map((a) => ({ v: sim.eval(a.value, env), t: sim.types.get(a.value) ?? null }));
}

export function externFunction(sim: Machine, d: A.ExternFunctionDeclaration, c: A.CallExpression, env: Env): V {
  const name = d.name.text;
  const arg = (i: number): V => sim.eval(c.args[i]!.value, env);
  switch (name) {
    case "verify":
      if (!sim.truth(arg(0))) {
        const e = arg(1);
        throw new ParserErrorSignal(e.t === "err" ? e.v : "NoError");
      }
      return VOID;
    case "send_to_port":
      sim.pkt.egressPort = num(arg(0));
      sim.pkt.dropped = false;
      return VOID;
    case "drop_packet":
      sim.pkt.dropped = true;
      return VOID;
    case "is_net_port": arg(0); return TRUE;
    case "is_host_port": arg(0); return FALSE;
    case "SelectByDirection": return sim.truth(arg(0)) ? arg(1) : arg(2);
    case "static_assert": return TRUE;
    case "add_entry":
    case "add_entry_if": {
      const off = name === "add_entry_if" ? 1 : 0;
      if (off && !sim.truth(arg(0))) return bits(1, 1n);
      const actionName = arg(off);
      const params = arg(off + 1);
      const cur = sim.pkt.table;
      if (!cur || actionName.t !== "str") return bits(1, 1n);
      const a = sim.actionByName(cur.state, actionName.v);
      if (!a) return bits(1, 1n);
      const pv = params.t === "struct" ? [...params.f.values()] : params.t === "tuple" ? params.e : [];
      const cp = a.params.filter((p) => p.direction === null);
      const added = cur.state.addNew({ keys: cur.key.map((v) => ({ value: v })), action: a, args: cp.map((p, i) => coerce(pv[i] ?? bits(1, 0n), sim.declTypes.get(p)!)), prio: null });
      return bits(1, added ? 0n : 1n);
    }
    case "skb_get_tstamp": case "skb_get_mark": case "skb_get_tc_classid": case "skb_get_tc_index": case "skb_get_queue_mapping":
    case "skb_get_protocol": case "skb_get_tc_at_ingress": case "skb_get_from_ingress": case "allocate_flow_id": {
      const t = sim.types.get(c);
      return t ? zero(t) : VOID;
    }
    default:
      for (const a of c.args) sim.eval(a.value, env);
      return VOID; // timers, skb setters, mirror: no effect on the packet
  }
}
