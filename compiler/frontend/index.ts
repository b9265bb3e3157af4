/**
 * The front end's entry point: name resolution, type checking and constant
 * evaluation over a parsed program. Reports into the diagnostic bag (never
 * throws for a bad program) and returns the side tables later stages use.
 * Before: the program parsed without errors. After: every declaration, statement
 * and expression was checked once; `CheckedProgram` maps nodes to their types,
 * resolved declarations and constant values.
 */
import type * as A from "../ast/nodes.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";
import { Msg } from "../diagnostics/messages.js";
import { Checker, type CheckFns } from "./checker.js";
import { warnUnusedAndShadowed } from "./warnUnusedAndShadowed.js";
import { typeOf, constIntIn, readsRuntimeIn } from "./checkExpressions.js";
import { checkCall, checkConstructorCall } from "./checkCalls.js";
import { checkBlock, checkStatement } from "./checkStatements.js";
import { bindTopLevel, checkTopLevel, checkLocalDeclaration } from "./checkDeclarations.js";
import { resolveType } from "./resolveTypes.js";
import { checkAnnotations, checkStructuredAnnotations } from "./checkAnnotations.js";
import { checkControlPlaneNames } from "./checkControlPlaneNames.js";
import { checkPlacement } from "./checkPlacement.js";
import { checkSpecRules } from "./checkSpecRules.js";
import { checkDeclarationOrder, checkParameterShadowing } from "./checkOrder.js";
import { checkTypeVarOps } from "./checkTypeVarOps.js";
import { checkDontCare } from "./checkDontCare.js";
import type { Binding } from "./scope.js";
import type { ConstValue } from "./constants.js";
import type { Type } from "./types.js";

export type { Type } from "./types.js";
export type { ConstValue } from "./constants.js";
export type { Binding } from "./scope.js";

export interface CheckedProgram {
  /** The type of each expression. */
  readonly types: ReadonlyMap<A.Node, Type>;
  /** The declaration each name use (PathExpression, TypeName, ActionRef, call callee) resolved to. */
  readonly refs: ReadonlyMap<A.Node, Binding>;
  /** Compile-time values of expressions, constant declarations and enum members. */
  readonly constants: ReadonlyMap<A.Node, ConstValue>;
  /** Declared types of variables, constants, parameters and instances. */
  readonly declTypes: ReadonlyMap<Binding, Type>;
}

/** The walks, wired once (the walker modules reach each other only through these). */
const FNS: CheckFns = {
  resolveType, typeOf, constInt: constIntIn, readsRuntime: readsRuntimeIn,
  checkCall, checkConstructorCall, checkStatement, checkBlock, checkLocalDeclaration,
};

/** `mainFile`: the program's own file (its span file), for the warnings that only concern it. */
export function checkProgram(program: A.Program, diags: DiagnosticBag, mainFile?: string): CheckedProgram {
  const ck = new Checker(diags, FNS);
  const mark = diags.size;
  bindTopLevel(ck, program);
  checkAnnotations(ck, program);
  checkControlPlaneNames(program, diags);
  const ctx = ck.topCtx();
  for (const d of program.declarations) checkTopLevel(ck, d, ctx);
  checkDeclarationOrder(ck, program);
  checkParameterShadowing(program, diags);
  checkStructuredAnnotations(ck, program);
  for (const d of program.declarations) {
    if (!("annotations" in d)) continue;
    for (const a of d.annotations) {
      if (a.body.form !== "expressions") continue;
      for (const x of a.body.exprs) ck.runQuietly(() => typeOf(ck, x, ctx));
      for (const x of a.body.exprs) {
        if (x.kind === "BinaryExpression" && (x.op === "==" || x.op === "!=") && ck.types.get(x.left)?.k === "extern" && ck.types.get(x.right)?.k === "extern") {
          diags.report(Msg.Fe_ExternCompare, x.span, ck.show(x.left), ck.show(x.right));
        }
      }
    }
  }
  checkPlacement(program, diags);
  checkDontCare(program, diags);
  checkSpecRules(ck, program);
  checkTypeVarOps(ck, program);
  for (const e of ck.actionRuns) {
    if (!ck.switchExprs.has(e)) diags.report(Msg.Fe_ActionRunOutsideSwitch, e.span, ck.show(e));
  }
  // The reference resolves every name in a pass of its own before it types
  // anything, and stops there when a name is missing: its first error is then
  // the first undeclared name, wherever a type error precedes it in the file.
  diags.moveFirst(mark, (d) => d.code === Msg.Fe_NotFound.code);
  if (!diags.hasErrors()) warnUnusedAndShadowed(program, ck.refs, diags, mainFile ?? program.declarations.at(-1)?.span.file ?? "");
  return { types: ck.types, refs: ck.refs, constants: ck.constants, declTypes: ck.declTypes };
}
