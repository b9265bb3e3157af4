/**
 * Control-plane names: an action's name as the control plane sees it is its
 * `@name` (a leading '.' makes it absolute) or, at the top level, its own name.
 * Two different actions with the same absolute name would be indistinguishable
 * to the control plane. Before: the program parsed. After: conflicts reported.
 */
import type * as A from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";

function nameAnnotation(as: readonly A.Annotation[]): string | null {
  for (const a of as) {
    if (a.name.text !== "name" || a.body.form !== "unstructured") continue;
    const e = a.body.exprs?.[0];
    if (e && e.kind === "StringLiteral") return e.value;
  }
  return null;
}

export function checkControlPlaneNames(program: A.Program, diags: DiagnosticBag): void {
  const seen = new Map<string, A.ActionDeclaration>();
  const add = (a: A.ActionDeclaration, shown: string, name: string) => {
    if (name === "NoAction") return; // programs may rename their own NoAction to the core one
    const prev = seen.get(name);
    if (prev && prev !== a) diags.reportWith(Msg.Fe_ControlPlaneName, a.name.span, [{ span: prev.name.span, message: "previous" }], shown, name);
    else seen.set(name, a);
  };
  for (const d of program.declarations) {
    if (d.kind === "ActionDeclaration") {
      const n = nameAnnotation(d.annotations);
      add(d, n ?? d.name.text, (n ?? d.name.text).replace(/^\./, ""));
    } else if (d.kind === "ControlDeclaration") {
      for (const l of d.locals) {
        if (l.kind !== "ActionDeclaration") continue;
        const n = nameAnnotation(l.annotations);
        if (n && n.startsWith(".")) add(l, n, n.slice(1));
      }
    }
  }
}
