/**
 * checkDontCare: where the don't-care expression `_` may stand (P4-16,
 * "Calling convention": `_` only as an `out` argument whose value is ignored;
 * "Select expressions" and "Entries": a keyset matching anything). Anywhere
 * else (an assignment's value, an operand, a condition, an initializer, a
 * returned value) it is an error. Arguments are left to the call checks and
 * annotation bodies are not P4 expressions.
 *
 * Before: the program is parsed. After: each misplaced `_` reported.
 */
import type * as A from "../ast/nodes.js";
import { forEachChild } from "../ast/forEachChild.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";
import { Msg } from "../diagnostics/messages.js";

export function checkDontCare(program: A.Program, diags: DiagnosticBag): void {
  const visit = (n: A.Node, parent: A.Node | null, inKeyset: boolean): void => {
    if (n.kind === "Annotation") return;
    if (n.kind === "DontCareExpression" && !inKeyset && parent?.kind !== "Argument") diags.report(Msg.Fe_DontCarePlace, n.span);
    const keysetHere = inKeyset || n.kind === "SelectCase" || n.kind === "TableEntry";
    forEachChild(n, (c) => visit(c, n, keysetHere && !(n.kind === "TableEntry" && c !== n.keyset)));
  };
  visit(program, null, false);
}
