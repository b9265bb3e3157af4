/**
 * indexDeclarations: builds the top-level scope (types, constants, actions,
 * externs, controls, parsers, instances) that later passes resolve names in.
 *
 * Before: a checked program. After: `ctx.env` is set; nothing is reported.
 */
import { Env } from "../env.js";
import type { MidendContext } from "../context.js";

export function indexDeclarations(ctx: MidendContext): void {
  ctx.env = new Env(ctx.program, ctx.checked);
}
