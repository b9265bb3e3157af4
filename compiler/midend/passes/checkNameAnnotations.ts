/**
 * checkNameAnnotations: every `@name("...")` whose value can become a kernel
 * name (on a pipeline block, an action, a table, a key element or an extern
 * instance) must be P4 identifiers joined with `.` or `/` (a leading `.` for
 * a top-level name is allowed): the template is a shell script and prints
 * names unquoted, so spaces, quotes or shell metacharacters are refused here
 * with a located error instead of reaching it.
 *
 * Before: `ctx.blocks`. After: unchanged state; errors reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { findAnnotations, annotationString, annotationArgSpan } from "../annotations.js";
import { isSafeNameAnnotation } from "../names.js";
import { walk } from "../../ast/forEachChild.js";
import type { MidendContext } from "../context.js";

const NAMED = new Set<A.NodeKind>(["ActionDeclaration", "TableDeclaration", "KeyElement", "Instantiation", "ControlDeclaration", "ParserDeclaration"]);

export function checkNameAnnotations(ctx: MidendContext): void {
  const roots: A.Node[] = [...ctx.blocks.map((b) => b.decl), ...ctx.program.declarations.filter((d) => d.kind === "ActionDeclaration")];
  const seen = new Set<A.Annotation>();
  for (const r of roots) {
    walk(r, (n) => {
      if (!NAMED.has(n.kind) || !("annotations" in n)) return;
      for (const a of findAnnotations((n as { annotations: readonly A.Annotation[] }).annotations, "name")) {
        if (seen.has(a)) continue;
        seen.add(a);
        const v = annotationString(a);
        if (v !== null && !isSafeNameAnnotation(v)) ctx.diags.report(Msg.Mid_UnsafeName, annotationArgSpan(a), v);
      }
    });
  }
}
