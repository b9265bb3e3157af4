/**
 * resolveTableActions: resolves each table's `actions` list to kernel actions
 * with their scope (`@tableonly` → TableOnly, `@defaultonly` → DefaultOnly,
 * else TableAndDefault) and annotation names, and checks the default-hit
 * annotations: at most one `@default_hit`, at most one `@default_hit_const`,
 * not both in one table, not on a `@tableonly` reference. A table without a
 * `default_action` property gets an implicit `@defaultonly NoAction` at the
 * end, as the P4 front end adds it.
 *
 * Before: `ctx.tables`, `ctx.actionsByBlock` (a table's actions are its own block's). After: `table.actionRefs`;
 * errors reported for unknown actions and conflicting annotations.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { NO_ACTION, type ActionScope } from "../../ir/pipeline.js";
import { hasAnnotation } from "../annotations.js";
import type { MidendContext, TableActionRefInfo, TableInfo } from "../context.js";

export function resolveTableActions(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    const prop = t.decl.properties.find((p): p is A.ActionsProperty => p.kind === "ActionsProperty");
    for (const ref of prop?.actions ?? []) {
      const info = resolveRef(ctx, t, ref);
      if (info) t.actionRefs.push(info);
    }
    const hasDefault = t.decl.properties.some((p) => p.kind === "ValueProperty" && p.name.text === "default_action");
    if (!hasDefault && !t.actionRefs.some((r) => r.action === null && r.scope === "DefaultOnly")) {
      const span = t.decl.name.span;
      const implicit: A.ActionRef = { kind: "ActionRef", span, annotations: [], name: { kind: "Name", span, text: NO_ACTION }, topLevel: false, args: null };
      t.actionRefs.push({ ref: implicit, action: null, scope: "DefaultOnly", annotations: ["defaultonly"], defaultHit: false, defaultHitConst: false, mayOverride: false, implicit: true });
    }
    checkDefaultHit(ctx, t);
  }
}

function resolveRef(ctx: MidendContext, t: TableInfo, ref: A.ActionRef): TableActionRefInfo | null {
  const name = ref.name.text;
  let action = null;
  if (name !== NO_ACTION) {
    const decl = ctx.env.actionOf(ref);
    action = decl ? ctx.actionOf(t.block, decl) ?? null : null;
    // The front end resolves every listed action (Fe_NotFound, Fe_NotAnAction).
    if (!action) throw new Error(`internal: action '${name}' of table '${t.decl.name.text}' does not resolve after the front end`);
  }
  const ann = (n: string): boolean => hasAnnotation(ref.annotations, n);
  const tableOnly = ann("tableonly");
  const defaultOnly = ann("defaultonly");
  if (tableOnly && defaultOnly) ctx.diags.report(Msg.Mid_TableOnlyDefaultOnly, ref.span, t.decl.name.text, name);
  const scope: ActionScope = tableOnly ? "TableOnly" : defaultOnly ? "DefaultOnly" : "TableAndDefault";
  return {
    ref,
    action,
    scope,
    annotations: ref.annotations.map((a) => a.name.text),
    defaultHit: ann("default_hit"),
    defaultHitConst: ann("default_hit_const"),
    mayOverride: ann("tc_may_override"),
    implicit: false,
  };
}

/** The default-hit rules, with the reference's messages. */
function checkDefaultHit(ctx: MidendContext, t: TableInfo): void {
  const table = t.decl.name.text;
  let conflict = false;
  for (const r of t.actionRefs) {
    const tableOnly = r.scope === "TableOnly" && hasAnnotation(r.ref.annotations, "tableonly");
    const marks = [tableOnly ? "'@tableonly'" : null, r.defaultHit ? "'@default_hit'" : null, r.defaultHitConst ? "'@default_hit_const'" : null].filter((x): x is string => x !== null);
    if ((r.defaultHit || r.defaultHitConst) && marks.length >= 2) {
      const list = marks.length === 2 ? `${marks[0]} and ${marks[1]}` : `${marks.slice(0, -1).join(", ")} and ${marks[marks.length - 1]}`;
      ctx.diags.report(Msg.Mid_ActionRefAnnotations, r.ref.span, table, r.ref.name.text, list);
      conflict = true;
    }
  }
  if (conflict) return;
  for (const r of t.actionRefs)
    if (r.mayOverride && !r.defaultHit && !r.defaultHitConst) ctx.diags.report(Msg.Mid_MayOverrideWithoutDefaultHit, r.ref.span, table, r.ref.name.text);
  const hits = t.actionRefs.filter((r) => r.defaultHit);
  const consts = t.actionRefs.filter((r) => r.defaultHitConst);
  if (hits.length > 1) ctx.diags.report(Msg.Mid_DefaultHitRepeated, hits[1]!.ref.span, table, "default_hit");
  if (consts.length > 1) ctx.diags.report(Msg.Mid_DefaultHitRepeated, consts[1]!.ref.span, table, "default_hit_const");
  if (hits.length === 1 && consts.length === 1) ctx.diags.report(Msg.Mid_DefaultHitAndConst, consts[0]!.ref.span, table);
}
