/**
 * simplifyTableKeys: turns each table's key elements into key fields: the
 * name (the element's `@name`, else the expression's source text, as the
 * reference's front end names keys), the P4 width of the expression's type,
 * the P4TC type (`bitW` or the element's `@tc_type`) and the match kind.
 *
 * Before: `ctx.tables`. After: `table.keys` / `table.keyElements`. Reported:
 * keyless tables (the kernel needs keysz >= 1), keys whose type is not a
 * bit string, unknown match kinds, invalid `@tc_type`, keys over 512 bits.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { printExpression } from "../../ast/print.js";
import type { KeyFieldModel, P4MatchKind } from "../../ir/pipeline.js";
import { nameAnnotation, isSafeNameAnnotation } from "../names.js";
import { p4tcTypeOf, typeText } from "../p4tcTypes.js";
import type { MidendContext } from "../context.js";

const MATCH_KINDS = new Set<string>(["exact", "lpm", "ternary", "range", "optional", "rangelist"]);

export function simplifyTableKeys(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    const keyProp = t.decl.properties.find((p): p is A.KeyProperty => p.kind === "KeyProperty");
    if (!keyProp || keyProp.elements.length === 0) {
      ctx.diags.report(Msg.Mid_KeylessTable, t.decl.name.span, t.name);
      continue;
    }
    for (const el of keyProp.elements) {
      const ann = nameAnnotation(el.annotations);
      const name = ann && isSafeNameAnnotation(ann.value) ? ann.value : printExpression(el.expr);
      if (!MATCH_KINDS.has(el.matchKind.text)) {
        ctx.diags.report(Msg.Mid_KeyUnsupported, el.matchKind.span, name, `match kind '${el.matchKind.text}'`);
        continue;
      }
      const type = ctx.checked.types.get(el.expr) ?? { k: "unknown" as const };
      const pt = p4tcTypeOf(ctx.diags, el.annotations, type, name, el.expr.span, {
        allowBool: true,
        reportType: (ty) =>
          ctx.diags.report(Msg.Mid_KeyUnsupported, el.expr.span, name, ty.k === "unknown" || ty.k === "typevar" ? "its type is not a bit string the mid-end can size" : `type ${typeText(ty)} is not a bit string`),
      });
      if (!pt) continue;
      const key: KeyFieldModel = { id: t.keys.length + 1, name, type: pt.type, matchKind: el.matchKind.text as P4MatchKind, bitwidth: pt.bitwidth };
      t.keys.push(key);
      t.keyElements.push(el);
    }
    const size = t.keys.reduce((s, k) => s + k.bitwidth, 0);
    if (size > 512) ctx.diags.report(Msg.Mid_KeyTooWide, keyProp.span, t.name, size);
  }
}
