/**
 * checkAddEntry: finds the add-on-miss tables and checks the `add_entry`
 * calls. A table is add-on-miss when its default (miss) action calls
 * `add_entry(...)`: the data path then creates entries, so without `@tc_acl`
 * its template permissions are 0x3de6 (CRUDPS:CRXP). Rules, as the
 * reference gives them: `add_entry` only in the default action of a table;
 * the action it names must be in the table's action list (NoAction too) and
 * not `@defaultonly` (a hit action); the action
 * parameters passed must match that action's parameters in number; a table
 * using it should say `add_on_miss = true`; an explicit `@tc_acl` should
 * give the data path 'C'.
 *
 * Before: `ctx.tables` with `actionRefs`, `defaultAction`, permissions.
 * After: `table.addOnMiss` and its permissions; errors and warnings reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { PERMISSIONS } from "../../ir/pipeline.js";
import { walk } from "../../ast/forEachChild.js";
import type { ActionInfo, MidendContext, TableInfo } from "../context.js";

const DATA_PATH_CREATE = 0x40;

export function checkAddEntry(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    const dflt = t.defaultAction?.action ?? null;
    for (const r of t.actionRefs) {
      if (!r.action) continue;
      for (const call of addEntryCalls(r.action)) {
        if (r.action !== dflt) {
          ctx.diags.report(Msg.Mid_AddEntryNotInDefault, call.span);
          continue;
        }
        checkCall(ctx, t, call);
      }
    }
    if (dflt && addEntryCalls(dflt).length > 0) markAddOnMiss(ctx, t);
  }
}

function addEntryCalls(action: ActionInfo): A.CallExpression[] {
  const out: A.CallExpression[] = [];
  walk(action.decl.body, (n) => {
    if (n.kind === "CallExpression" && n.callee.kind === "PathExpression" && (n.callee.name.text === "add_entry" || n.callee.name.text === "add_entry_if")) out.push(n);
  });
  return out;
}

function argument(call: A.CallExpression, name: string, position: number): A.Argument | undefined {
  return call.args.find((a) => a.name?.text === name) ?? (call.args.every((a) => a.name === null) ? call.args[position] : undefined);
}

function checkCall(ctx: MidendContext, t: TableInfo, call: A.CallExpression): void {
  const offset = call.callee.kind === "PathExpression" && call.callee.name.text === "add_entry_if" ? 1 : 0;
  const nameArg = argument(call, "action_name", offset);
  if (!nameArg || nameArg.value.kind !== "StringLiteral") {
    ctx.diags.report(Msg.Mid_AddEntryActionName, nameArg?.value.span ?? call.span);
    return;
  }
  const actionName = nameArg.value.value;
  // The action is looked up by its written name among the table's own action list
  // (NoAction included, whose info is null); a @defaultonly one cannot be a hit action.
  const target = t.actionRefs.find((r) => !r.implicit && r.ref.name.text === actionName);
  if (!target) {
    ctx.diags.report(Msg.Mid_AddEntryNotHitAction, nameArg.value.span, `${t.block.controlName}_${t.decl.name.text}`, actionName);
    return;
  }
  if (target.scope === "DefaultOnly") {
    ctx.diags.report(Msg.Mid_AddEntryDefaultOnlyHit, nameArg.value.span, actionName);
    return;
  }
  const paramsArg = argument(call, "action_params", offset + 1);
  const count = paramsArg ? passedCount(paramsArg.value) : null;
  const params = target.action?.params.length ?? 0;
  if (count !== null && count !== params)
    ctx.diags.report(Msg.Mid_AddEntryParamCount, target.action?.decl.name.span ?? target.ref.span, `${t.block.controlName}.${actionName}`);
}

/** How many action parameters an `action_params` argument passes (`{}`, `{a, b}`, `(T){...}`), or null when unknown. */
function passedCount(e: A.Expression): number | null {
  switch (e.kind) {
    case "ListExpression":
      return e.elements.length;
    case "StructExpression":
      return e.fields.length;
    case "CastExpression":
      return passedCount(e.expr);
    default:
      return null;
  }
}

function markAddOnMiss(ctx: MidendContext, t: TableInfo): void {
  t.addOnMiss = true;
  if (!t.addOnMissProperty) ctx.diags.report(Msg.Mid_AddEntryWithoutAddOnMiss, t.decl.name.span);
  if (!t.explicitAcl) {
    t.permissions = PERMISSIONS.addOnMissTable;
    return;
  }
  if ((parseInt(t.permissions, 16) & DATA_PATH_CREATE) === 0) ctx.diags.report(Msg.Mid_AddOnMissNoCreate, t.decl.name.span, t.decl.name.text);
}
