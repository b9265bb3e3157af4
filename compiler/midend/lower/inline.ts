/** Inlining: actions and functions inlined by binding their parameters to the arguments, table actions reading the entry's parameters. */
import type * as A from "../../ast/nodes.js";
import { walk } from "../../ast/forEachChild.js";
import { printExpression } from "../../ast/print.js";
import type { DExpr, DStmt, LValue, RuntimeParam, ScalarType } from "../../ir/datapath.js";
import type { ActionInfo, TableInfo } from "../context.js";
import type { LowerBase } from "./base.js";
import { dtype } from "./layout.js";
import { LScope, type Where } from "./scope.js";

/** Inlines an action or function call: parameters bound to the arguments (by reference for out/inout). */
export function inline(L: LowerBase, decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
  const inner = new LScope(s);
  const post: DStmt[] = [];
  const pre = bindParams(L, decl.params, args, s, inner, w, cp, mayAlias(decl, args, s) ? post : undefined);
  const label = L.freshLabel("end");
  const body = L.stmts(decl.body.body, inner, { ...w, returnLabel: label, onExit: [...post, ...(w.onExit ?? [])] });
  return [{ k: "block", body: [...pre, ...body, ...(L.returnLabels.has(label) ? [{ k: "label", label } as DStmt] : []), ...post] }];
}

/** The name an argument's storage starts from (`hdr` of `hdr.h.a[3:0]`), or null. */
function rootName(e: A.Expression): string | null {
  for (let x: A.Expression = e; ; ) {
    if (x.kind === "PathExpression") return x.name.text;
    if (x.kind === "MemberExpression") x = x.expr;
    else if (x.kind === "IndexExpression") x = x.expr;
    else return null;
  }
}

/**
 * Whether the body may reach an out/inout argument's storage otherwise than
 * through its parameter: it names the argument's root, another out/inout
 * argument overlaps it, or it calls an action or function or applies a table
 * (which may write anything). Then the parameters are copied in and out.
 */
function mayAlias(decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope): boolean {
  const outs = new Set(decl.params.filter((p) => p.direction === "out" || p.direction === "inout").map((p) => p.name.text));
  if (outs.size === 0) return false;
  const roots = args.map((a) => rootName(a.value));
  // Two out/inout arguments overlap when one's storage path is the other's or within it.
  const argOf = (p: A.Parameter, i: number): A.Argument | undefined => args.find((x) => x.name?.text === p.name.text) ?? (args[i] && !args[i]!.name ? args[i] : undefined);
  const paths = decl.params.flatMap((p, i) => {
    const a = outs.has(p.name.text) ? argOf(p, i) : undefined;
    return a ? [printExpression(a.value)] : [];
  });
  if (paths.some((a, i) => paths.some((b, j) => i !== j && (a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`))))) return true;
  const named = new Set<string>();
  let calls = false;
  walk(decl.body, (n) => {
    if (n.kind === "PathExpression") named.add(n.name.text);
    if (n.kind === "CallExpression") {
      const b = n.callee.kind === "PathExpression" ? s.get(n.callee) : undefined;
      if ((b?.k === "decl" && (b.decl.kind === "ActionDeclaration" || b.decl.kind === "FunctionDeclaration")) || (n.callee.kind === "MemberExpression" && n.callee.member.text === "apply")) calls = true;
    }
  });
  return calls || roots.some((r) => r !== null && named.has(r));
}

/**
 * Binds parameters to call arguments in `inner`: out/inout parameters (and
 * aggregates) to the argument's storage, scalar in parameters to a local
 * holding the argument's value (returned as statements to run first).
 */
export function bindParams(L: LowerBase, params: readonly A.Parameter[], args: readonly A.Argument[], s: LScope, inner: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null, post?: DStmt[]): DStmt[] {
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
      if (lv && post && pt?.k === "scalar") {
        // Copy-in/copy-out (P4-16 "Calling convention"): the body may write the argument's storage otherwise too
        // (directly, or as another argument); the parameter is a local, copied to the argument at the end.
        const cName = L.freshLocal(p.name.text);
        const local: LValue = { root: cName, path: [], type: pt };
        pre.push({ k: "local", name: cName, type: pt, init: p.direction === "inout" ? { k: "lval", lv, type: pt.t } : null });
        inner.set(p, { k: "lv", lv: local });
        post.push({ k: "assign", lhs: lv, rhs: { k: "lval", lv: local, type: pt.t } });
      } else if (lv) inner.set(p, { k: "lv", lv });
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
