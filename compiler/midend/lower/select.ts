/** Parser transitions: a select's keys and its cases (values, masks, ranges, default). */
import type * as A from "../../ast/nodes.js";
import { printExpression } from "../../ast/print.js";
import type { DExpr, SelectCase } from "../../ir/datapath.js";
import type { LowerBase } from "./base.js";
import type { LScope, Where } from "./scope.js";

export function selectCases(L: LowerBase, sel: A.SelectExpression, s: LScope, w: Where): { keys: DExpr[]; cases: SelectCase[] } | null {
  const keys: DExpr[] = [];
  for (const k of sel.selectors) {
    const x = L.expr(k, s, w);
    if (!x) return null;
    keys.push(x);
  }
  const cases: SelectCase[] = [];
  for (const c of sel.cases) {
    const parts = c.keyset.kind === "TupleKeysetExpression" ? c.keyset.elements : keys.length > 1 && c.keyset.kind === "ListExpression" ? c.keyset.elements : [c.keyset];
    const ks: SelectCase["keys"][number][] = [];
    if (parts.length === 1 && (parts[0]!.kind === "DefaultExpression" || parts[0]!.kind === "DontCareExpression")) {
      cases.push({ keys: keys.map(() => ({ k: "any" })), to: c.state.text });
      continue;
    }
    if (parts.length !== keys.length) {
      L.unsupported(c.keyset.span, "a keyset of another arity than the select");
      return null;
    }
    for (const p of parts) {
      if (p.kind === "DefaultExpression" || p.kind === "DontCareExpression") ks.push({ k: "any" });
      else if (p.kind === "BinaryExpression" && p.op === "&&&") {
        const v = L.constValue(p.left);
        const m = L.constValue(p.right);
        if (v === null || m === null) return badKeyset(L, p);
        ks.push({ k: "mask", value: v, mask: m });
      } else if (p.kind === "BinaryExpression" && p.op === "..") {
        const lo = L.constValue(p.left);
        const hi = L.constValue(p.right);
        if (lo === null || hi === null) return badKeyset(L, p);
        ks.push({ k: "range", lo, hi });
      } else {
        const v = L.constValue(p);
        if (v === null) return badKeyset(L, p);
        ks.push({ k: "value", value: v });
      }
    }
    cases.push({ keys: ks, to: c.state.text });
  }
  return { keys, cases };
}

function badKeyset(L: LowerBase, p: A.Expression): null {
  L.unsupported(p.span, `keyset '${printExpression(p)}' (only constants, masks, ranges and default)`);
  return null;
}
