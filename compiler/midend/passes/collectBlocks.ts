/**
 * collectBlocks: lists the pipeline's blocks (main parser, main control, main
 * deparser) in program declaration order and builds each one's scope
 * (parameters, constructor parameters, local declarations). A parser or
 * control instantiated inside one of them is inlined for naming: it becomes
 * a block of its own, placed after its parent, whose tables, actions and
 * extern instances are named under the parent's control name with the
 * instance name as prefix (`ingress/sub.t`, `ingress.sub.counter`). Each
 * instance is a block of its own: `Sub() a; Sub() b;` are two blocks with
 * one declaration, and so are the four of `Outer` instantiated twice, each
 * instantiating `Sub` twice (`ingress/o1.a.t` ... `ingress/o2.b.t`).
 *
 * Before: `ctx.main`. After: `ctx.blocks` (each block once; a block that
 * instantiates itself is reported, not followed).
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import type { BlockInfo, BlockRole, MidendContext } from "../context.js";

export function collectBlocks(ctx: MidendContext): void {
  const main = ctx.main;
  if (!main) return;
  const roles = new Map<A.Declaration, BlockRole>([
    [main.parser, "parser"],
    [main.control, "control"],
    [main.deparser, "deparser"],
  ]);
  for (const d of ctx.program.declarations) {
    const role = roles.get(d);
    if (!role || (d.kind !== "ParserDeclaration" && d.kind !== "ControlDeclaration")) continue;
    roles.delete(d);
    addBlock(ctx, d, role, d.name.text, "", null, null, [d]);
  }
}

function addBlock(
  ctx: MidendContext,
  decl: A.ControlDeclaration | A.ParserDeclaration,
  role: BlockRole,
  controlName: string,
  prefix: string,
  instance: A.Instantiation | null,
  parent: BlockInfo | null,
  stack: A.Declaration[],
): void {
  const block: BlockInfo = { decl, role, controlName, prefix, instance, parent };
  ctx.blocks.push(block);
  for (const l of decl.locals) {
    if (l.kind !== "Instantiation") continue;
    const name = l.type.kind === "TypeName" ? l.type.name.text : l.type.kind === "TypeSpecialized" ? l.type.base.name.text : null;
    const sub = name === null ? undefined : ctx.env.findDecl(name, "ControlDeclaration", "ParserDeclaration");
    if (!sub) continue;
    if (stack.includes(sub)) {
      ctx.diags.report(Msg.Mid_Unsupported, l.span, `recursive instantiation of ${sub.name.text}`);
      continue;
    }
    addBlock(ctx, sub, role, controlName, `${prefix}${l.name.text}.`, l, block, [...stack, sub]);
  }
}
