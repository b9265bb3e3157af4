/**
 * bindDirectExterns: binds the direct externs named by the table properties
 * `pna_direct_counter = c;` / `pna_direct_meter = m;` to their tables. A
 * direct extern holds one element per table entry, so its `numel` is the
 * table's `tentries`; it must be of the right type, bound to one table only,
 * and its methods may only be called from actions of the table that owns it.
 *
 * Before: `ctx.tables` (with `tentries`, `actionRefs`), `ctx.externs`.
 * After: `table.directCounter`/`directMeter`, `instance.boundTables`,
 * `instance.numel` of direct externs; misuse reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { walk } from "../../ast/forEachChild.js";
import type { ExternInstanceInfo, MidendContext, TableInfo } from "../context.js";

const PROPS = [
  { prop: "pna_direct_counter", extern: "DirectCounter", field: "directCounter" },
  { prop: "pna_direct_meter", extern: "DirectMeter", field: "directMeter" },
] as const;

export function bindDirectExterns(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    for (const p of t.decl.properties) {
      if (p.kind !== "ValueProperty") continue;
      const spec = PROPS.find((s) => s.prop === p.name.text);
      if (!spec) continue;
      const inst = p.value.kind === "PathExpression" ? instanceIn(ctx, t, p.value.name.text) : undefined;
      if (!inst) {
        ctx.diags.report(Msg.Mid_DirectExternNotInstance, p.value.span, t.decl.name.text, spec.prop, spec.extern);
        continue;
      }
      if (inst.externName !== spec.extern) {
        ctx.diags.reportWith(Msg.Mid_DirectExternWrongType, p.value.span, [{ span: inst.decl.name.span }], inst.decl.name.text, spec.extern, inst.name);
        continue;
      }
      const other = inst.boundTables[0];
      if (other) {
        ctx.diags.report(Msg.Mid_DirectExternShared, p.value.span, spec.extern, inst.name, other.name, t.name);
        continue;
      }
      inst.boundTables.push(t);
      inst.numel = t.tentries;
      t[spec.field] = { prop: p, instance: inst };
    }
  }
  checkDirectCalls(ctx);
}

function instanceIn(ctx: MidendContext, t: TableInfo, name: string): ExternInstanceInfo | undefined {
  return ctx.externs.find((e) => e.block === t.block && e.decl.name.text === name);
}

/** A direct extern's methods may only run in actions of the table bound to it. */
function checkDirectCalls(ctx: MidendContext): void {
  const reported = new Set<A.CallExpression>();
  for (const t of ctx.tables) {
    for (const r of t.actionRefs) {
      if (!r.action) continue;
      walk(r.action.decl.body, (n) => {
        if (n.kind !== "CallExpression" || n.callee.kind !== "MemberExpression" || n.callee.expr.kind !== "PathExpression") return;
        const inst = instanceIn(ctx, t, n.callee.expr.name.text);
        if (!inst || !inst.tableBindable) return;
        if (t.directCounter?.instance === inst || t.directMeter?.instance === inst) return;
        reported.add(n);
        reportNotOwned(ctx, n, t, inst);
      });
    }
  }
  checkUnboundCalls(ctx, reported);
}

function reportNotOwned(ctx: MidendContext, call: A.CallExpression, t: TableInfo, inst: ExternInstanceInfo): void {
  const callee = call.callee as A.MemberExpression;
  const text = `${(callee.expr as A.PathExpression).name.text}.${callee.member.text}()`;
  ctx.diags.reportWith(
    Msg.Mid_DirectCounterNotOwned,
    call.span,
    [{ span: t.decl.name.span }],
    text,
    `${t.block.controlName}.${t.decl.name.text}`,
    inst.externName,
    inst.name.replace(/\./g, "_"),
  );
}

/** A direct extern bound to no table has no entries to count or meter: its method calls are errors wherever they are. */
function checkUnboundCalls(ctx: MidendContext, reported: ReadonlySet<A.CallExpression>): void {
  for (const inst of ctx.externs) {
    if (!inst.tableBindable || inst.boundTables.length > 0 || !inst.block) continue;
    const prop = PROPS.find((p) => p.extern === inst.externName)!.prop;
    walk(inst.block.decl, (n) => {
      if (n.kind !== "CallExpression" || n.callee.kind !== "MemberExpression" || n.callee.expr.kind !== "PathExpression") return;
      if (n.callee.expr.name.text !== inst.decl.name.text || reported.has(n)) return;
      const text = `${n.callee.expr.name.text}.${n.callee.member.text}()`;
      ctx.diags.report(Msg.Mid_DirectExternUnbound, n.span, text, inst.externName, inst.decl.name.text, prop.replace(/^pna_/, ""));
    });
  }
}
