/**
 * collectActions: lists the actions that become kernel actions, in the
 * reference's order (program declaration order; a control's actions in the
 * order of its locals; global actions where they are declared), names them
 * (`Control/action`, a plain `action` for a top-level one; `@name("x")`
 * replaces the local name, `@name(".x")` makes it top-level) and computes
 * their control-plane parameters (the directionless ones, with P4TC types).
 *
 * NoAction is the kernel's built-in action and is never listed. Actions that
 * nothing refers to (no table, default action, entry or call) are dropped,
 * as the reference's front end removes them. Two declarations with the same
 * kernel name are listed once.
 *
 * A control instantiated more than once has its actions once per instance
 * (`Control/i1.act`, `Control/i2.act`): they are listed per block, never per
 * declaration.
 *
 * Before: `ctx.blocks`. After: `ctx.actions` (ids not yet assigned) and
 * `ctx.actionsByBlock`; invalid parameter types / `@tc_type` values reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { NO_ACTION } from "../../ir/pipeline.js";
import { nameAnnotation, isSafeNameAnnotation } from "../names.js";
import { p4tcTypeOf } from "../p4tcTypes.js";
import { walk } from "../../ast/forEachChild.js";
import type { ActionInfo, ActionParamInfo, BlockInfo, MidendContext } from "../context.js";

/** The action a name refers to in a scope, or undefined. */
export function collectActions(ctx: MidendContext): void {
  const used = usedActions(ctx);
  const order: { index: number; run: () => void }[] = [];
  const declIndex = new Map(ctx.program.declarations.map((d, i) => [d as A.Node, i]));
  ctx.program.declarations.forEach((d, i) => {
    if (d.kind === "ActionDeclaration" && d.name.text !== NO_ACTION) order.push({ index: i, run: () => addAction(ctx, d, null, used) });
  });
  let groupIndex = -1;
  for (const b of ctx.blocks) {
    if (b.instance === null) groupIndex = declIndex.get(b.decl) ?? groupIndex;
    const block = b;
    order.push({
      index: groupIndex,
      run: () => {
        if (block.decl.kind !== "ControlDeclaration") return;
        for (const l of block.decl.locals) if (l.kind === "ActionDeclaration") addAction(ctx, l, block, used);
      },
    });
  }
  order.sort((a, b) => a.index - b.index); // stable: blocks keep their order
  for (const o of order) o.run();
}

function addAction(ctx: MidendContext, decl: A.ActionDeclaration, block: BlockInfo | null, used: Set<A.ActionDeclaration>): void {
  if (!used.has(decl)) return;
  let controlName = block?.controlName ?? null;
  let localName = `${block?.prefix ?? ""}${decl.name.text}`;
  const ann = nameAnnotation(decl.annotations);
  if (ann && isSafeNameAnnotation(ann.value)) {
    if (ann.value.startsWith(".")) {
      controlName = null;
      localName = ann.value.slice(1).replace(/\./g, "/");
    } else if (block === null) localName = ann.value.replace(/\./g, "/");
    else localName = `${block.prefix}${ann.value}`;
  }
  const name = controlName === null ? localName : `${controlName}/${localName}`;
  const params: ActionParamInfo[] = [];
  const directionalParams: A.Parameter[] = [];
  for (const p of decl.params) {
    const type = ctx.checked.declTypes.get(p) ?? { k: "unknown" };
    if (p.direction !== null) {
      directionalParams.push(p);
      continue;
    }
    const t = p4tcTypeOf(ctx.diags, p.annotations, type, p.name.text, p.span);
    if (t) params.push({ decl: p, name: p.name.text, type: t.type, bitwidth: t.bitwidth });
  }
  if (params.length > 16) ctx.diags.report(Msg.Mid_ActionParamLimit, decl.name.span, name, params.length);
  const info: ActionInfo = { decl, block, name, localName, controlName, params, directionalParams, id: 0 };
  const dup = ctx.actions.find((a) => a.name === name);
  let inBlock = ctx.actionsByBlock.get(block);
  if (!inBlock) ctx.actionsByBlock.set(block, (inBlock = new Map()));
  inBlock.set(decl, dup ?? info);
  if (!dup) ctx.actions.push(info);
}

/** Actions referred to from the pipeline: action lists, default actions, entries, calls from apply blocks. */
function usedActions(ctx: MidendContext): Set<A.ActionDeclaration> {
  const used = new Set<A.ActionDeclaration>();
  const mark = (use: A.Node): void => {
    const d = ctx.env.actionOf(use);
    if (d) used.add(d);
  };
  for (const b of ctx.blocks) {
    walk(b.decl, (n) => {
      // A call from inside an action is inlined into its caller: it does not make the callee a kernel action.
      if (n.kind === "ActionDeclaration") return false;
      if (n.kind === "ActionRef") mark(n);
      else if (n.kind === "CallExpression" && n.callee.kind === "PathExpression") mark(n.callee);
      else if (n.kind === "ValueProperty" && n.name.text === "default_action" && n.value.kind === "PathExpression") mark(n.value);
    });
  }
  return used;
}
