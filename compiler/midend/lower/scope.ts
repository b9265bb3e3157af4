/** What the lowering binds P4 names to while it walks a block, and where a lowered body runs. */
import type * as A from "../../ast/nodes.js";
import type { Binding } from "../../frontend/index.js";
import type { DExpr, DStmt, LValue } from "../../ir/datapath.js";
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

/**
 * What the declarations in scope are bound to while a body is lowered: a thin
 * view over the front end's name resolution. Names are not looked up here: a
 * use is resolved through the front end's `refs` to its declaration (a
 * parameter, local, instance, table, action or function), and the scope
 * chain says what that declaration stands for in this inlining (storage, a
 * value, an extern instance, ...).
 */
export class LScope {
  private readonly m = new Map<Binding, Bind>();
  private readonly refs: ReadonlyMap<A.Node, Binding>;
  constructor(
    readonly parent: LScope | null,
    /** The front end's resolution of name uses to declarations (inherited from the parent). */
    refs?: ReadonlyMap<A.Node, Binding>,
  ) {
    const r = refs ?? parent?.refs;
    if (!r) throw new Error("internal: a root lowering scope needs the front end's refs");
    this.refs = r;
  }
  /** Binds a declaration for the bodies lowered in this scope. */
  set(decl: Binding, b: Bind): void {
    this.m.set(decl, b);
  }
  /** What the declaration the name `use` resolved to is bound to, or undefined (unbound, or a name the front end did not resolve). */
  get(use: A.PathExpression): Bind | undefined {
    const decl = this.refs.get(use);
    if (!decl) return undefined;
    for (let s: LScope | null = this; s; s = s.parent) {
      const b = s.m.get(decl);
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
  /** The copy-out of the inlined calls being lowered, innermost first: an `exit` runs it first (P4-16 "Exit statement"). */
  readonly onExit?: readonly DStmt[];
}
