/**
 * collectTables: lists the pipeline's tables in declaration order (blocks in
 * program order, a block's tables in the order of its locals) and names them
 * `Control/table` (an inlined sub-control's table: `Control/inst.table`).
 *
 * Before: `ctx.blocks`. After: `ctx.tables` with their names and defaults
 * (size 1024, default permissions, no key yet); the kernel limits on the
 * table count (32) and name length (31 bytes) are reported.
 */
import { Msg } from "../../diagnostics/index.js";
import { PERMISSIONS } from "../../ir/pipeline.js";
import { byteLength } from "../names.js";
import type { MidendContext, TableInfo } from "../context.js";

export function collectTables(ctx: MidendContext): void {
  for (const block of ctx.blocks) {
    if (block.decl.kind !== "ControlDeclaration") continue;
    for (const decl of block.decl.locals) {
      if (decl.kind !== "TableDeclaration") continue;
      const name = `${block.controlName}/${block.prefix}${decl.name.text}`;
      if (byteLength(name) > 31) ctx.diags.report(Msg.Mid_NameTooLong, decl.name.span, name, byteLength(name));
      const t: TableInfo = {
        decl,
        block,
        name,
        id: 0,
        keys: [],
        keyElements: [],
        actionRefs: [],
        defaultAction: null,
        defaultMiss: null,
        defaultHit: null,
        tentries: 1024,
        permissions: PERMISSIONS.table,
        jsonPermissions: PERMISSIONS.table,
        explicitAcl: false,
        jsonNumMask: 8,
        addOnMissProperty: false,
        addOnMiss: false,
        idleTimeout: "NO_TIMEOUT",
        directCounter: null,
        directMeter: null,
        constEntries: [],
      };
      ctx.tables.push(t);
    }
  }
  if (ctx.tables.length > 32) ctx.diags.report(Msg.Mid_TooManyTables, ctx.tables[32]!.decl.name.span, ctx.tables.length);
}
