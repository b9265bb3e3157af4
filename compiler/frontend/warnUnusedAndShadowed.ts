/**
 * warnUnusedAndShadowed: the two warnings of the reference that users rely on
 * to spot dead or confusing code, for declarations in the program's own file
 * (not in included architecture files):
 *
 * - `unused`: a top-level control, parser or function, or an action, table,
 *   function or extern instance that no name in the program refers to
 *   (`control 'c' is unused`, `table 't' is unused`, `'a' is unused`);
 *   `@noWarn("unused")` silences it.
 * - `shadow`: a parser or control local, or a parameter, with the name of a
 *   top-level action, function, constant or instance (`'x' shadows 'x'`,
 *   with the shadowed declaration as related location).
 *
 * Before: every declaration was checked, `refs` holds each resolved name.
 * After: warnings reported; nothing else changes.
 */
import type * as A from "../ast/nodes.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";
import { Msg } from "../diagnostics/messages.js";
import type { Binding } from "./scope.js";
import { walk } from "../ast/forEachChild.js";

function noWarnUnused(anns: readonly A.Annotation[]): boolean {
  return anns.some((a) => a.name.text === "noWarn" && a.body.form === "unstructured" && a.body.tokens.some((t) => t.tokenKind === "string" && t.text === "\"unused\""));
}

export function warnUnusedAndShadowed(program: A.Program, refs: ReadonlyMap<A.Node, Binding>, diags: DiagnosticBag, mainFile: string): void {
  const used = new Set<Binding>(refs.values());
  const mine = (d: A.Node): boolean => d.span.file === mainFile;

  const unused = (d: A.Node & { name: A.Name; annotations?: readonly A.Annotation[] }, what: string): void => {
    if (!mine(d) || used.has(d) || noWarnUnused(d.annotations ?? [])) return;
    diags.report(Msg.Fe_Unused, d.name.span, what, d.name.text);
  };

  const topValues = new Map<string, A.Node & { name: A.Name }>();
  for (const d of program.declarations) {
    switch (d.kind) {
      case "ControlDeclaration":
        unused(d, "control ");
        break;
      case "ParserDeclaration":
        unused(d, "parser ");
        break;
      case "FunctionDeclaration":
      case "ActionDeclaration":
        unused(d, "");
        break;
    }
    if (d.kind === "ActionDeclaration" || d.kind === "FunctionDeclaration" || d.kind === "ConstantDeclaration" || d.kind === "Instantiation") topValues.set(d.name.text, d);
  }

  const shadow = (n: A.Node & { name: A.Name }): void => {
    const top = topValues.get(n.name.text);
    if (!top || top === n || !mine(n)) return;
    diags.reportWith(Msg.Fe_Shadows, n.name.span, [{ span: top.name.span }], n.name.text, top.name.text);
  };

  for (const d of program.declarations) {
    if (d.kind !== "ControlDeclaration" && d.kind !== "ParserDeclaration") continue;
    for (const l of d.locals) {
      if (l.kind === "ActionDeclaration" || l.kind === "FunctionDeclaration" as string) unused(l as A.ActionDeclaration, "");
      else if (l.kind === "TableDeclaration") unused(l, "table ");
      else if (l.kind === "Instantiation") unused(l, "");
      if ("name" in l && l.name) shadow(l as A.Node & { name: A.Name });
    }
    walk(d, (n) => {
      if (n.kind === "ActionDeclaration") for (const p of n.params) shadow(p);
    });
  }
}
