/** What the lowering binds P4 names to while it walks a block, and where a lowered body runs. */
import type * as A from "../../ast/nodes.js";
import type { DExpr, LValue } from "../../ir/datapath.js";
import type { BlockInfo, ExternInstanceInfo, TableInfo } from "../context.js";

export type Bind =
  | { readonly k: "lv"; readonly lv: LValue }
  | { readonly k: "expr"; readonly e: DExpr }
  | { readonly k: "istd" }
  | { readonly k: "ostd" }
  | { readonly k: "pkt" }
  | { readonly k: "inst"; readonly inst: ExternInstanceInfo }
  | { readonly k: "checksum"; readonly cName: string; readonly decl: A.Instantiation }
  | { readonly k: "table"; readonly table: TableInfo }
  /** An instance of a control declared in the program, inlined where it is applied. */
  | { readonly k: "subcontrol"; readonly block: BlockInfo }
  | { readonly k: "decl"; readonly decl: A.Declaration };

export class LScope {
  private readonly m = new Map<string, Bind>();
  constructor(readonly parent: LScope | null) {}
  set(name: string, b: Bind): void {
    this.m.set(name, b);
  }
  get(name: string): Bind | undefined {
    for (let s: LScope | null = this; s; s = s.parent) {
      const b = s.m.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

/** Where a lowered body runs: the parser, the control (inside a table's action or not) or the deparser. */
export interface Where {
  readonly block: "parser" | "control" | "deparser";
  /** The table whose action is being inlined (for direct externs and add_entry). */
  readonly table: TableInfo | null;
  /** Label that a `return` jumps to (inlined action/function), or null at the top of the control. */
  readonly returnLabel: string | null;
}
