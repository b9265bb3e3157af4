/**
 * P4-16 names are declared before they are used ("Name resolution"): apart
 * from parser states and type variables, a name refers only to a declaration
 * that precedes it in the program. Locals are bound in order as their block is
 * walked; top-level declarations are all bound up front (so their types can be
 * resolved lazily), so this pass rejects a use of a top-level declaration that
 * comes later in the program, or a constant used in its own initializer, as
 * the reference does: "declaration not found" at the use.
 */
import type * as A from "../ast/nodes.js";
import { walk } from "../ast/forEachChild.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker } from "./checker.js";

export function checkDeclarationOrder(ck: Checker, program: A.Program): void {
  const index = new Map<unknown, number>();
  program.declarations.forEach((d, i) => index.set(d, i));
  program.declarations.forEach((d, i) => {
    walk(d, (n) => {
      if (n.kind !== "TypeName" && n.kind !== "PathExpression" && n.kind !== "ActionRef") return;
      const b = ck.refs.get(n);
      const j = b ? index.get(b) : undefined;
      if (j === undefined) return;
      if (j > i || (j === i && d.kind === "ConstantDeclaration")) ck.diags.report(Msg.Fe_NotFound, n.name.span, n.name.text);
    });
  });
}

/**
 * A variable, constant or instance declared in a block (an action, function or
 * apply body, a parser state, a nested block) does not take the name of a
 * parameter of an enclosing parser, control, action or function: the
 * reference makes this an error ("declaration of 'x' shadows a parameter 'x'"),
 * unlike other shadowing, which only warns. Locals declared directly in a
 * parser or control share the parameters' scope and only get the warning.
 */
export function checkParameterShadowing(program: A.Program, diags: Checker["diags"]): void {
  const inBody = (root: A.Node, params: ReadonlyMap<string, A.Parameter>): void => {
    walk(root, (n) => {
      if (n.kind === "ActionDeclaration" || n.kind === "FunctionDeclaration") {
        inBody(n.body, withParams(params, n.params));
        return false;
      }
      if (n.kind !== "VariableDeclaration" && n.kind !== "ConstantDeclaration" && n.kind !== "Instantiation") return;
      const p = params.get(n.name.text);
      if (p) diags.reportWith(Msg.Fe_ShadowsParameter, n.span, [{ span: p.span, message: "parameter" }], n.name.text, p.name.text);
    });
  };
  for (const d of program.declarations) {
    switch (d.kind) {
      case "ControlDeclaration": case "ParserDeclaration": {
        const ps = withParams(new Map(), [...d.params, ...(d.constructorParams ?? [])]);
        for (const l of d.locals) if (l.kind === "ActionDeclaration" || l.kind === "FunctionDeclaration" as string) inBody(l, ps);
        if (d.kind === "ControlDeclaration") inBody(d.body, ps);
        else for (const s of d.states) inBody(s, ps);
        break;
      }
      case "ActionDeclaration": case "FunctionDeclaration":
        inBody(d, new Map());
        break;
    }
  }
}

function withParams(outer: ReadonlyMap<string, A.Parameter>, params: readonly A.Parameter[]): Map<string, A.Parameter> {
  const m = new Map(outer);
  for (const p of params) m.set(p.name.text, p);
  return m;
}
