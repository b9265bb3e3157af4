/**
 * findMainPackage: finds the top-level instance `main`, checks that it is a
 * `PNA_NIC` and binds its three blocks (main parser, main control, main
 * deparser) to their declarations.
 *
 * Before: `ctx.env`. After: `ctx.main` is set, or an error is reported (no
 * `main`, another package, or an argument that is not an instance of a
 * parser/control declared in the program).
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { printType } from "../../ast/print.js";
import type { MidendContext } from "../context.js";

const ROLES = [
  { param: "main_parser", kind: "ParserDeclaration", what: "parser" },
  { param: "main_control", kind: "ControlDeclaration", what: "control" },
  { param: "main_deparser", kind: "ControlDeclaration", what: "control" },
] as const;

export function findMainPackage(ctx: MidendContext): void {
  const main = ctx.program.declarations.find((d): d is A.Instantiation => d.kind === "Instantiation" && d.name.text === "main");
  if (!main) {
    ctx.diags.report(Msg.Mid_NoMain, ctx.program.span);
    return;
  }
  const typeName = main.type.kind === "TypeName" ? main.type.name.text : main.type.kind === "TypeSpecialized" ? main.type.base.name.text : printType(main.type);
  if (typeName !== "PNA_NIC") {
    ctx.diags.report(Msg.Mid_MainNotPnaNic, main.type.span, typeName);
    return;
  }
  const pkg = ctx.env.findDecl("PNA_NIC", "PackageTypeDeclaration");
  if (pkg?.params.some((p) => p.name.text === "pre_control")) {
    ctx.diags.report(Msg.Mid_PreControlUnsupported, main.type.span);
    return;
  }
  const blocks: (A.ParserDeclaration | A.ControlDeclaration | null)[] = [];
  ROLES.forEach((role, i) => {
    const arg = main.args.find((a) => a.name?.text === role.param) ?? main.args.filter((a) => a.name === null)[i];
    const decl = arg ? blockOf(ctx, arg.value) : null;
    if (!decl || decl.kind !== role.kind) {
      ctx.diags.report(Msg.Mid_MainArgument, arg?.span ?? main.span, "main", role.param, role.what);
      blocks.push(null);
    } else blocks.push(decl);
  });
  const [parser, control, deparser] = blocks;
  if (parser?.kind === "ParserDeclaration" && control?.kind === "ControlDeclaration" && deparser?.kind === "ControlDeclaration")
    ctx.main = { decl: main, parser, control, deparser };
}

/** The parser/control declaration an argument of `main` instantiates: `P()`, `P<T>()`, or a top-level instance name. */
export function blockOf(ctx: MidendContext, e: A.Expression): A.ParserDeclaration | A.ControlDeclaration | null {
  let name: string | null = null;
  if (e.kind === "ConstructorCallExpression") name = e.type.kind === "TypeName" ? e.type.name.text : e.type.base.name.text;
  else if (e.kind === "CallExpression" && e.callee.kind === "PathExpression") name = e.callee.name.text;
  else if (e.kind === "PathExpression") {
    const inst = ctx.env.findDecl(e.name.text, "Instantiation");
    if (inst) name = inst.type.kind === "TypeName" ? inst.type.name.text : inst.type.kind === "TypeSpecialized" ? inst.type.base.name.text : null;
    else name = e.name.text;
  }
  if (name === null) return null;
  return ctx.env.findDecl(name, "ParserDeclaration", "ControlDeclaration") ?? null;
}
