/** Inlining: actions and functions inlined by binding their parameters to the arguments, table actions reading the entry's parameters. */
import type * as A from "../../ast/nodes.js";
import { printExpression } from "../../ast/print.js";
import type { DExpr, DStmt, RuntimeParam, ScalarType } from "../../ir/datapath.js";
import type { ActionInfo, TableInfo } from "../context.js";
import type { LowerBase } from "./base.js";
import { dtype } from "./layout.js";
import { LScope, type Where } from "./scope.js";

/** Inlines an action or function call: parameters bound to the arguments (by reference for out/inout). */
export function inline(L: LowerBase, decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
  const inner = new LScope(s);
  const pre = bindParams(L, decl.params, args, s, inner, w, cp);
  const label = L.freshLabel("end");
  const body = L.stmts(decl.body.body, inner, { ...w, returnLabel: label });
  return [{ k: "block", body: [...pre, ...body, ...(L.returnLabels.has(label) ? [{ k: "label", label } as DStmt] : [])] }];
}

/**
 * Binds parameters to call arguments in `inner`: out/inout parameters (and
 * aggregates) to the argument's storage, scalar in parameters to a local
 * holding the argument's value (returned as statements to run first).
 */
export function bindParams(L: LowerBase, params: readonly A.Parameter[], args: readonly A.Argument[], s: LScope, inner: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
  const pre: DStmt[] = [];
  let positional = 0;
  params.forEach((p, i) => {
    const a = args.find((x) => x.name?.text === p.name.text) ?? (args[positional]?.name === null ? args[positional++] : undefined);
    if (!a) {
      const v = cp?.(p, i) ?? null;
      if (v) inner.set(p, { k: "expr", e: v });
      return;
    }
    const b = a.value.kind === "PathExpression" ? s.get(a.value) : undefined;
    if (b && (b.k === "inst" || b.k === "checksum" || b.k === "table" || b.k === "pkt" || b.k === "istd" || b.k === "ostd" || b.k === "subcontrol")) {
      // Bound to what it names; its type is not one the generated C declares (the runtime headers define the PNA metadata structs).
      inner.set(p, b);
      return;
    }
    const pt = dtype(L, L.ctx.checked.declTypes.get(p) ?? L.typeOfExpr(a.value), p.span);
    if (p.direction === "out" || p.direction === "inout") {
      const lv = L.lvalue(a.value, s);
      if (lv) inner.set(p, { k: "lv", lv });
      else L.unsupported(a.span, `argument '${printExpression(a.value)}' for an ${p.direction} parameter`);
      return;
    }
    if (pt?.k === "scalar") {
      // `in` parameters are copied: a local holds the argument's value at the call.
      const v = L.expr(a.value, s, w, pt.t);
      if (!v) return;
      if (v.k === "const") inner.set(p, { k: "expr", e: v });
      else {
        const cName = L.freshLocal(p.name.text);
        pre.push({ k: "local", name: cName, type: pt, init: v });
        inner.set(p, { k: "lv", lv: { root: cName, path: [], type: pt } });
      }
      return;
    }
    const lv = L.lvalue(a.value, s);
    if (lv) inner.set(p, { k: "lv", lv });
    else L.unsupported(a.span, `argument '${printExpression(a.value)}'`);
  });
  return pre;
}

/** The body a table runs for one of its actions: control-plane parameters read from the entry. */
export function actionBody(L: LowerBase, t: TableInfo, ref: { readonly ref: A.ActionRef; readonly action: ActionInfo }, s: LScope, w: Where, paramOffsets: readonly { offset: number; size: number; network: boolean; runtime: RuntimeParam | null; type: ScalarType }[]): DStmt[] {
  const a = ref.action;
  let cpIndex = 0;
  return inline(L, a.decl, ref.ref.args ?? [], s, { ...w, table: t }, (p) => {
    if (p.direction !== null) return null;
    const o = paramOffsets[cpIndex++];
    return o ? { k: "param", offset: o.offset, size: o.size, network: o.network, runtime: o.runtime, type: o.type } : null;
  });
}
