/**
 * Control-plane names: an action's name as the control plane sees it is its
 * `@name` (a leading '.' makes it absolute, otherwise it is relative to the enclosing
 * control) or its own name (relative to the control for a local action).
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

/** How many times each parser/control type name is instantiated (instances and constructor calls). */
function instanceCounts(program: A.Program): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const x = n as { kind?: string; type?: A.TypeRef };
    if ((x.kind === "Instantiation" || x.kind === "ConstructorCallExpression") && x.type) {
      const t = x.type.kind === "TypeSpecialized" ? x.type.base : x.type;
      if (t.kind === "TypeName") counts.set(t.name.text, (counts.get(t.name.text) ?? 0) + 1);
    }
    // for-in, not Object.entries: the same keys in the same order, without an array per node.
    for (const k in n) if (k !== "span") visit((n as Record<string, unknown>)[k]);
  };
  visit(program);
  return counts;
}

export function checkControlPlaneNames(program: A.Program, diags: DiagnosticBag): void {
  const counts = instanceCounts(program);
  for (const d of program.declarations) {
    if ((d.kind !== "ControlDeclaration" && d.kind !== "ParserDeclaration") || (counts.get(d.name.text) ?? 0) < 2) continue;
    // An absolute @name names one object; each instance of the control or parser would make one more.
    const block = `${d.kind === "ControlDeclaration" ? "control" : "parser"} ${d.name.text}`;
    for (const l of d.locals) {
      if (l.kind !== "TableDeclaration" && l.kind !== "ActionDeclaration" && l.kind !== "Instantiation" && l.kind !== "ValueSetDeclaration") continue;
      const n = nameAnnotation(l.annotations);
      if (!n || !n.startsWith(".")) continue;
      if (l.kind === "TableDeclaration") diags.report(Msg.Fe_TableNameInstances, l.name.span, n.slice(1), d.name.text);
      else diags.report(Msg.Fe_ObjectNameInstances, l.name.span, n.slice(1), l.kind === "ActionDeclaration" ? "action" : "instance", block);
    }
  }
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
        // A local action's name is relative to its control unless it starts with '.'.
        const n = nameAnnotation(l.annotations);
        add(l, n ?? l.name.text, n?.startsWith(".") ? n.slice(1) : `${d.name.text}.${n ?? l.name.text}`);
      }
    }
  }
  // Tables, and other named objects (instances, value sets), with an explicit @name: one
  // object per hierarchical name in each kind (the reference's duplicate hierarchical name check).
  const named = new Map<string, A.Node & { name: A.Name }>();
  const addNamed = (kind: string, n: A.Node & { name: A.Name; annotations: readonly A.Annotation[] }, prefix: string) => {
    const a = nameAnnotation(n.annotations);
    if (a === null) return;
    const key = `${kind} ${a.startsWith(".") ? a.slice(1) : prefix + a}`;
    const prev = named.get(key);
    if (prev) diags.reportWith(Msg.Fe_ControlPlaneName, n.name.span, [{ span: prev.name.span, message: "previous" }], n.name.text, prev.name.text);
    else named.set(key, n);
  };
  for (const d of program.declarations) {
    if (d.kind === "Instantiation") addNamed("object", d, "");
    if (d.kind !== "ControlDeclaration" && d.kind !== "ParserDeclaration") continue;
    for (const l of d.locals) {
      if (l.kind === "TableDeclaration") addNamed("table", l, `${d.name.text}.`);
      else if (l.kind === "Instantiation" || l.kind === "ValueSetDeclaration") addNamed("object", l, `${d.name.text}.`);
    }
  }
}
