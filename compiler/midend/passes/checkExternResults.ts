/**
 * checkExternResults: warns where a meter's result (the packet's color) is
 * discarded: `m.execute(i);` as a statement colors the packet for nothing
 * (the reference warns the same way).
 *
 * Before: `ctx.externs`. After: unchanged state; warnings reported.
 */
import { Msg } from "../../diagnostics/index.js";
import { callsIn } from "../../ast/forEachChild.js";
import type { MidendContext } from "../context.js";

const METERS = new Set(["Meter", "DirectMeter"]);

export function checkExternResults(ctx: MidendContext): void {
  for (const block of ctx.blocks) {
    for (const { call, isStatement } of callsIn(block.decl)) {
      if (!isStatement || call.callee.kind !== "MemberExpression" || call.callee.member.text !== "execute") continue;
      const target = call.callee.expr;
      if (target.kind !== "PathExpression") continue;
      const inst = ctx.externs.find((e) => e.block === block && e.decl.name.text === target.name.text);
      if (inst && METERS.has(inst.externName)) ctx.diags.report(Msg.Mid_MeterResultUnused, call.span, inst.name.replace(/\./g, "_"));
    }
  }
}
