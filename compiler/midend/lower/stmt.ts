/** Statements: blocks, ifs, assignments, locals, switches, method calls (headers, tables, sub-controls, packet, externs), stack shifts. */
import type * as A from "../../ast/nodes.js";
import { printExpression } from "../../ast/print.js";
import { BOOL_T, bitsT, type BinaryOp, type DExpr, type DStmt, type LValue, type ScalarType } from "../../ir/datapath.js";
import type { LowerBase } from "./base.js";
import { dtype, flattenHeaders, flattenLv } from "./layout.js";
import { LScope, type Where } from "./scope.js";

export function stmts(L: LowerBase, list: readonly A.StatementOrDeclaration[], s: LScope, w: Where): DStmt[] {
  const out: DStmt[] = [];
  for (const st of list) out.push(...stmt(L, st, s, w));
  return out;
}

/** Lowers one statement; table applies an expression needs are emitted before it. */
export function stmt(L: LowerBase, st: A.StatementOrDeclaration, s: LScope, w: Where): DStmt[] {
  const saved = L.pendingApplies;
  L.pendingApplies = [];
  const body = stmtInner(L, st, s, w);
  const applies: DStmt[] = L.pendingApplies.map(({ table, site }) => ({ k: "apply", table, site, cases: null }));
  L.pendingApplies = saved;
  const out = [...applies, ...body];
  // The first C statement lowered from a P4 statement names its line (inlined bodies keep their own).
  const loc = L.loc(st.span);
  if (out[0] && !out[0].loc && loc && st.kind !== "BlockStatement") out[0] = { ...out[0], loc };
  return out;
}

function stmtInner(L: LowerBase, st: A.StatementOrDeclaration, s: LScope, w: Where): DStmt[] {
  switch (st.kind) {
    case "EmptyStatement":
      return [];
    case "BlockStatement": {
      const inner = new LScope(s);
      return [{ k: "block", body: stmts(L, st.body, inner, w) }];
    }
    case "IfStatement": {
      const cond = L.expr(st.cond, s, w, BOOL_T);
      if (!cond) return [];
      const then = stmt(L, st.then, new LScope(s), w);
      const els = st.else ? stmt(L, st.else, new LScope(s), w) : [];
      return [{ k: "if", cond, then, else: els }];
    }
    case "AssignmentStatement":
      return assign(L, st, s, w);
    case "MethodCallStatement":
      return callStmt(L, st.call, s, w);
    case "VariableDeclaration": {
      const d = dtype(L, L.ctx.checked.declTypes.get(st) ?? undefined, st.span);
      if (!d) {
        L.unsupported(st.span, `local variable '${st.name.text}' of this type`);
        return [];
      }
      const cName = L.freshLocal(st.name.text);
      const lv: LValue = { root: cName, path: [], type: d };
      s.set(st, { k: "lv", lv });
      const init = st.init && d.k === "scalar" ? L.expr(st.init, s, w, d.t) : null;
      const out: DStmt[] = [{ k: "local", name: cName, type: d, init }];
      if (st.init && d.k !== "scalar") {
        const rhs = L.lvalue(st.init, s);
        if (rhs) out.push({ k: "copy", lhs: lv, rhs });
        else L.unsupported(st.init.span, "this initializer");
      }
      return out;
    }
    case "ConstantDeclaration": {
      const d = dtype(L, L.ctx.checked.declTypes.get(st) ?? undefined, st.span);
      const v = L.ctx.checked.constants.get(st);
      if (d?.k === "scalar" && (typeof v === "bigint" || typeof v === "boolean")) {
        s.set(st, { k: "expr", e: { k: "const", value: BigInt.asUintN(d.t.width, typeof v === "boolean" ? (v ? 1n : 0n) : v), type: d.t } });
      }
      return [];
    }
    case "Instantiation":
      return [];
    case "ExitStatement":
      return [...(w.onExit ?? []), { k: "exit" }];
    case "ReturnStatement":
      if (w.returnLabel === null) return [{ k: "exit" }];
      L.returnLabels.add(w.returnLabel);
      return [{ k: "return", label: w.returnLabel }];
    case "SwitchStatement":
      return switchStmt(L, st, s, w);
    case "DirectApplicationStatement": {
      L.unsupported(st.span, "direct application of a parser or control");
      return [];
    }
    default:
      L.unsupported(st.span, `statement '${st.kind}'`);
      return [];
  }
}

function assign(L: LowerBase, st: A.AssignmentStatement, s: LScope, w: Where): DStmt[] {
  const lhs = L.lvalue(st.left, s);
  if (!lhs) {
    L.unsupported(st.left.span, `assignment to '${printExpression(st.left)}'`);
    return [];
  }
  if (lhs.type.k !== "scalar") {
    if (st.right.kind === "InvalidExpression") return [{ k: "setValid", header: lhs, valid: false }];
    const rhs = L.lvalue(st.right, s);
    if (rhs) return [{ k: "copy", lhs, rhs }];
    if (st.right.kind === "ListExpression" || st.right.kind === "StructExpression") {
      const vals = L.flatten(st.right, s, w);
      const dsts = flattenLv(L, lhs);
      if (!vals || vals.length !== dsts.length) return [];
      const out: DStmt[] = dsts.map((d, i) => ({ k: "assign", lhs: (d as Extract<DExpr, { k: "lval" }>).lv, rhs: vals[i]! }));
      if (lhs.type.k === "header") out.push({ k: "setValid", header: lhs, valid: true });
      return out;
    }
    L.unsupported(st.right.span, `assigning '${printExpression(st.right)}'`);
    return [];
  }
  let rhs: DExpr | null;
  if (st.op === "=") rhs = L.expr(st.right, s, w, lhs.type.t);
  else {
    const op = st.op.slice(0, -1) as BinaryOp;
    const r = L.expr(st.right, s, w, op === "<<" || op === ">>" ? undefined : lhs.type.t);
    rhs = r ? { k: "binary", op, l: { k: "lval", lv: lhs, type: lhs.type.t }, r, type: lhs.type.t } : null;
  }
  return rhs ? [{ k: "assign", lhs, rhs }] : [];
}

function switchStmt(L: LowerBase, st: A.SwitchStatement, s: LScope, w: Where): DStmt[] {
  const x = st.expr;
  if (x.kind === "MemberExpression" && x.member.text === "action_run" && x.expr.kind === "CallExpression" && x.expr.callee.kind === "MemberExpression" && x.expr.callee.expr.kind === "PathExpression") {
    const tb = s.get(x.expr.callee.expr);
    if (tb?.k === "table") {
      const cases: { actions: number[] | "default"; body: DStmt[] }[] = [];
      let pending: number[] = [];
      for (const c of st.cases) {
        if (c.label.kind === "DefaultExpression") {
          cases.push({ actions: "default", body: c.body ? stmt(L, c.body, new LScope(s), w) : [] });
          pending = [];
          continue;
        }
        const name = c.label.kind === "PathExpression" ? c.label.name.text : null;
        const ref = tb.table.actionRefs.find((r) => (r.action ? r.action.decl.name.text : "NoAction") === name);
        pending.push(ref?.action?.id ?? 0);
        if (c.body) {
          cases.push({ actions: pending, body: stmt(L, c.body, new LScope(s), w) });
          pending = [];
        }
      }
      const site = L.tableHook(tb.table, s, w);
      return [{ k: "apply", table: tb.table.id, site, cases }];
    }
  }
  // A switch on a value: a chain of ifs.
  const v = L.expr(x, s, w);
  if (!v) return [];
  let out: DStmt[] = [];
  const groups: { labels: A.Expression[]; body: A.BlockStatement | null; isDefault: boolean }[] = [];
  let labels: A.Expression[] = [];
  for (const c of st.cases) {
    if (c.label.kind === "DefaultExpression") {
      groups.push({ labels: [], body: c.body, isDefault: true });
      continue;
    }
    labels.push(c.label);
    if (c.body) {
      groups.push({ labels, body: c.body, isDefault: false });
      labels = [];
    }
  }
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    const body = g.body ? stmt(L, g.body, new LScope(s), w) : [];
    if (g.isDefault) {
      out = body;
      continue;
    }
    let cond: DExpr | null = null;
    for (const l of g.labels) {
      const lv = L.expr(l, s, w, v.type);
      if (!lv) continue;
      const eq: DExpr = { k: "binary", op: "==", l: v, r: lv, type: BOOL_T };
      cond = cond ? { k: "binary", op: "||", l: cond, r: eq, type: BOOL_T } : eq;
    }
    if (cond) out = [{ k: "if", cond, then: body, else: out }];
  }
  return out;
}

function callStmt(L: LowerBase, e: A.CallExpression, s: LScope, w: Where): DStmt[] {
  const callee = e.callee;
  const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? L.expr(e.args[i]!.value, s, w, want) : null);
  if (callee.kind === "MemberExpression") {
    const m = callee.member.text;
    if (m === "setValid" || m === "setInvalid") {
      const lv = L.lvalue(callee.expr, s);
      return lv ? [{ k: "setValid", header: lv, valid: m === "setValid" }] : [];
    }
    if (m === "apply" && callee.expr.kind === "PathExpression") {
      const b = s.get(callee.expr);
      if (b?.k === "table") {
        const site = L.tableHook(b.table, s, w);
        return [{ k: "apply", table: b.table.id, site, cases: null }];
      }
      if (b?.k === "subcontrol") return L.subcontrolHook(b.block, e, s, w);
    }
    if (callee.expr.kind === "PathExpression") {
      const b = s.get(callee.expr);
      if (b?.k === "pkt") return packetCall(L, m, e, s, w);
      if (b) {
        const call = L.externMethod(b, m, e, s, w);
        if (call) return [{ k: "extern", call }];
      }
    }
    if (m === "push_front" || m === "pop_front") {
      const st = L.lvalue(callee.expr, s);
      const n = e.args[0] ? L.constValue(e.args[0].value) : null;
      if (!st || st.type.k !== "stack" || n === null) {
        L.unsupported(e.span, `header stack ${m} here`);
        return [];
      }
      return stackShift(st, st.type.size, st.type.elem, Number(n), m === "push_front");
    }
    L.unsupported(e.span, `call '${printExpression(e)}'`);
    return [];
  }
  if (callee.kind === "PathExpression") {
    const name = callee.name.text;
    switch (name) {
      case "send_to_port": {
        const p = arg(0, bitsT(32));
        return p ? [{ k: "extern", call: { k: "send_to_port", port: p } }] : [];
      }
      case "drop_packet":
        return [{ k: "extern", call: { k: "drop_packet" } }];
      case "verify": {
        const c = arg(0, BOOL_T);
        const errArg = e.args[1]?.value;
        const err = errArg ? L.expr(errArg, s, w) : null;
        return c && err?.k === "const" ? [{ k: "verify", cond: c, error: Number(err.value) }] : [];
      }
      case "add_entry":
      case "add_entry_if":
        return L.addEntry(e, s, w);
      case "set_entry_expire_time": {
        const p = arg(0, bitsT(8));
        return p && w.table ? [{ k: "extern", call: { k: "set_entry_expire_time", table: w.table.id, profile: p } }] : [];
      }
      case "skb_get_meta":
      case "skb_set_meta":
        return [];
      case "mirror_packet":
      case "recirculate":
        L.unsupported(e.span, name);
        return [];
    }
    if (name.startsWith("skb_set_")) {
      if (!L.abiHas("skb_meta", e.span, name)) return [];
      const v = arg(0);
      return v ? [{ k: "extern", call: { k: "skb_set", field: name.slice(8), value: v } }] : [];
    }
    const b = s.get(callee);
    if (b?.k === "decl" && (b.decl.kind === "ActionDeclaration" || b.decl.kind === "FunctionDeclaration")) return L.inline(b.decl, e.args, s, w);
    if (b?.k === "decl" && b.decl.kind === "ExternFunctionDeclaration") {
      L.unsupported(e.span, `extern function '${name}'`);
      return [];
    }
  }
  L.unsupported(e.span, `call '${printExpression(e)}'`);
  return [];
}

function packetCall(L: LowerBase, m: string, e: A.CallExpression, s: LScope, w: Where): DStmt[] {
  const target = e.args[0]?.value;
  if (m === "advance") {
    const n = target ? L.constValue(target) : null;
    if (n === null || n % 8n !== 0n) {
      L.unsupported(e.span, "advance by a value that is not a constant number of bytes");
      return [];
    }
    return [{ k: "advance", bits: Number(n) }];
  }
  if (m === "extract" && target?.kind === "MemberExpression" && target.member.text === "next") {
    const st = L.lvalue(target.expr, s);
    if (st && st.type.k === "stack") {
      if (e.args.length < 2) return [{ k: "extractNext", stack: st, size: st.type.size, layout: st.type.elem }];
      const bits = L.expr(e.args[1]!.value, s, w, bitsT(32));
      if (bits && L.headers.get(st.type.elem)?.varbit) return [{ k: "extractNext", stack: st, size: st.type.size, layout: st.type.elem, varbitBits: bits }];
      L.unsupported(e.span, "this two-argument extract");
      return [];
    }
  }
  const lv = target ? L.lvalue(target, s) : null;
  if (!lv || lv.type.k !== "header") {
    if ((lv?.type.k === "struct" || lv?.type.k === "stack") && m === "emit") return flattenHeaders(L, lv).map((h) => ({ k: "emit", header: h, layout: (h.type as { name: string }).name }));
    L.unsupported(e.span, `${m} of '${target ? printExpression(target) : ""}'`);
    return [];
  }
  if (m === "extract") {
    if (e.args.length > 1) {
      const bits = L.expr(e.args[1]!.value, s, w, bitsT(32));
      if (!bits || !L.headers.get(lv.type.name)?.varbit) {
        L.unsupported(e.span, "this two-argument extract");
        return [];
      }
      return [{ k: "extract", header: lv, layout: lv.type.name, varbitBits: bits }];
    }
    return [{ k: "extract", header: lv, layout: lv.type.name }];
  }
  if (m === "emit") return [{ k: "emit", header: lv, layout: lv.type.name }];
  L.unsupported(e.span, `packet method '${m}'`);
  return [];
}

/**
 * `push_front(n)` / `pop_front(n)` of a stack of `size` elements: elements
 * copied (validity included) to their new places, the vacated ones made
 * invalid, `nextIndex` moved.
 */
function stackShift(st: LValue, size: number, elem: string, n: number, push: boolean): DStmt[] {
  const at = (i: number): LValue => ({ root: st.root, path: [...st.path, i], type: { k: "header", name: elem } });
  const out: DStmt[] = [];
  if (push) {
    for (let i = size - 1; i >= n; i--) out.push({ k: "copy", lhs: at(i), rhs: at(i - n) });
    for (let i = 0; i < Math.min(n, size); i++) out.push({ k: "setValid", header: at(i), valid: false });
  } else {
    for (let i = 0; i + n < size; i++) out.push({ k: "copy", lhs: at(i), rhs: at(i + n) });
    for (let i = Math.max(0, size - n); i < size; i++) out.push({ k: "setValid", header: at(i), valid: false });
  }
  out.push({ k: "stackShift", stack: st, size, by: push ? n : -n });
  return out;
}

