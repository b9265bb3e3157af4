/**
 * L-values: what may be assigned or passed to out/inout parameters. A name of a
 * variable, an out/inout parameter, or a field, element or slice of an l-value.
 * Unresolved names count as l-values (nothing is reported twice).
 */
import type * as A from "../ast/nodes.js";
import type { Checker, Ctx } from "./checker.js";

export function isLValue(ck: Checker, e: A.Expression, ctx: Ctx): boolean {
  switch (e.kind) {
    case "PathExpression": {
      const b = ck.refs.get(e) ?? (e.topLevel ? ck.global : ctx.scope).lookup(e.name.text)?.[0]?.node;
      if (!b) return true;
      switch (b.kind) {
        case "VariableDeclaration":
        case "ForInVariable":
          return true;
        case "Parameter":
          return b.direction === "out" || b.direction === "inout";
        default:
          return false;
      }
    }
    case "MemberExpression": {
      const bt = ck.types.get(e.expr);
      // of a stack's members only `next` (and elements) are written: not `last` (the reference), `size`, `lastIndex`
      if (bt && (bt.k === "stack") && ["size", "lastIndex", "last"].includes(e.member.text)) return false;
      if (bt && (bt.k === "table" || bt.k === "applyResult" || bt.k === "extern" || bt.k === "typeRef")) return false;
      return isLValue(ck, e.expr, ctx);
    }
    case "IndexExpression":
    case "SliceExpression":
    case "PlusSliceExpression":
      return isLValue(ck, e.expr, ctx);
    case "DontCareExpression":
      return true;
    default:
      return false;
  }
}
