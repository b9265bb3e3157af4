/**
 * assignIds: numbers what the kernel identifies by number: actions (actid)
 * 1..n and tables (tblid) 1..n in the order collected, extern instances
 * 1..n within their extern type in declaration order.
 *
 * Before: `ctx.actions`, `ctx.tables`, `ctx.externs` complete.
 * After: every `id` field set.
 */
import type { MidendContext } from "../context.js";

export function assignIds(ctx: MidendContext): void {
  ctx.actions.forEach((a, i) => (a.id = i + 1));
  ctx.tables.forEach((t, i) => (t.id = i + 1));
  const perType = new Map<string, number>();
  for (const e of ctx.externs) {
    if (!e.hasControlPath) continue;
    const n = (perType.get(e.externName) ?? 0) + 1;
    perType.set(e.externName, n);
    e.id = n;
  }
}
