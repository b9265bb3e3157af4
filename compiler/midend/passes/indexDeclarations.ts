/**
 * indexDeclarations: sets up the mid-end's view of the front end's tables
 * (top-level declarations by name, constants with their spelling, actions
 * through `refs`); no name is resolved again here.
 *
 * Before: a checked program. After: `ctx.env` is set; nothing is reported.
 */
import { Env } from "../env.js";
import type { MidendContext } from "../context.js";

export function indexDeclarations(ctx: MidendContext): void {
  ctx.env = new Env(ctx.program, ctx.checked);
}
