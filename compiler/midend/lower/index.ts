/**
 * The machinery of the datapath lowering (see passes/lowerDatapath.ts): a
 * scope of bindings from P4 names to storage, expressions or declarations,
 * and the translation of P4 types, expressions and statements to the
 * datapath IR (compiler/ir/datapath.ts). Actions and functions are inlined by
 * binding their parameters; anything the IR cannot express is reported as a
 * located "not supported by the P4TC target" error and lowered to nothing.
 *
 * By seam: scope.ts (bindings), base.ts (the lowering's state), layout.ts
 * (types and layouts), expr.ts (expressions), externs.ts (extern calls),
 * stmt.ts (statements), inline.ts (actions and functions), select.ts (parser
 * transitions). This file is the one hub: it wires the operations the parts
 * call on one another.
 */
import type * as A from "../../ast/nodes.js";
import type { Type } from "../../frontend/index.js";
import type { DExpr, DStmt, DType, ExternCall, LValue, RuntimeParam, ScalarType, SelectCase } from "../../ir/datapath.js";
import type { ActionInfo, TableInfo } from "../context.js";
import { LowerBase } from "./base.js";
import { expr, flatten, lvalue } from "./expr.js";
import { addEntry, externMethod } from "./externs.js";
import { actionBody, bindParams, inline } from "./inline.js";
import { dtype } from "./layout.js";
import type { Bind, LScope, Where } from "./scope.js";
import { selectCases } from "./select.js";
import { stmt, stmts } from "./stmt.js";

export { paramLayout } from "./layout.js";
export { LScope, type Bind, type Where } from "./scope.js";

export class Lowerer extends LowerBase {
  lvalue(e: A.Expression, s: LScope): LValue | null {
    return lvalue(this, e, s);
  }
  expr(e: A.Expression, s: LScope, w: Where, want?: ScalarType): DExpr | null {
    return expr(this, e, s, w, want);
  }
  flatten(e: A.Expression, s: LScope, w: Where): DExpr[] | null {
    return flatten(this, e, s, w);
  }
  externMethod(b: Bind, m: string, e: A.CallExpression, s: LScope, w: Where): ExternCall | null {
    return externMethod(this, b, m, e, s, w);
  }
  addEntry(e: A.CallExpression, s: LScope, w: Where): DStmt[] {
    return addEntry(this, e, s, w);
  }
  stmts(list: readonly A.StatementOrDeclaration[], s: LScope, w: Where): DStmt[] {
    return stmts(this, list, s, w);
  }
  inline(decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
    return inline(this, decl, args, s, w, cp);
  }

  // For the pass (passes/lowerDatapath.ts).
  /** Lowers one statement; table applies an expression needs are emitted before it. */
  stmt(st: A.StatementOrDeclaration, s: LScope, w: Where): DStmt[] {
    return stmt(this, st, s, w);
  }
  /** The datapath type of a front-end type; registers header and struct layouts. */
  dtype(t: Type | undefined, span: A.Node["span"]): DType | null {
    return dtype(this, t, span);
  }
  bindParams(params: readonly A.Parameter[], args: readonly A.Argument[], s: LScope, inner: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
    return bindParams(this, params, args, s, inner, w, cp);
  }
  actionBody(t: TableInfo, ref: { readonly ref: A.ActionRef; readonly action: ActionInfo }, s: LScope, w: Where, paramOffsets: readonly { offset: number; size: number; network: boolean; runtime: RuntimeParam | null; type: ScalarType }[]): DStmt[] {
    return actionBody(this, t, ref, s, w, paramOffsets);
  }
  selectCases(sel: A.SelectExpression, s: LScope, w: Where): { keys: DExpr[]; cases: SelectCase[] } | null {
    return selectCases(this, sel, s, w);
  }
}
