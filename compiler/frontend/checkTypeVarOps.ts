/**
 * checkTypeVarOps: P4-16 "Operations on types that are type variables": a value
 * whose type is a type variable (`T x` in a generic function or method) can
 * only be assigned, passed as an argument and compared with `==`/`!=` (which
 * Fe_TypeVarCompare rejects). Arithmetic, logic, concatenation, ordering,
 * negation, members, indexing, slicing, casts, calls and use as a condition
 * are errors, reported with the diagnostic the operation gives for any other
 * type it is not defined on.
 *
 * Before: the checker has typed every expression (ck.types).
 * After: each misuse reported at the operation; nothing else changes.
 */
import type * as A from "../ast/nodes.js";
import { walk } from "../ast/forEachChild.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker } from "./checker.js";
import { SIZE_METHODS } from "./checkExpressions.js";
import * as T from "./types.js";

/** Operators defined on no type variable (`==`/`!=` have their own message; `&&&`/`..` are keysets). */
const OPS = new Set<A.BinaryOp>(["*", "/", "%", "+", "-", "|+|", "|-|", "++", "<<", ">>", "<=", ">=", "<", ">", "&", "^", "|", "&&", "||"]);

export function checkTypeVarOps(ck: Checker, program: A.Program): void {
  const tv = (e: A.Expression): T.Type | null => {
    const t = ck.types.get(e);
    return t?.k === "typevar" ? t : null;
  };
  const name = (t: T.Type): string => T.typeToString(t);
  walk(program, (n) => {
    switch (n.kind) {
      case "BinaryExpression": {
        if (!OPS.has(n.op)) return;
        const x = tv(n.left) ? n.left : tv(n.right) ? n.right : null;
        if (x) ck.diags.report(Msg.Fe_OperandType, n.span, n.op, ck.show(x), name(tv(x)!));
        return;
      }
      case "UnaryExpression": {
        const t = tv(n.operand);
        if (t) ck.diags.report(Msg.Fe_UnaryOperand, n.span, n.op, ck.show(n.operand), name(t));
        return;
      }
      case "MemberExpression": {
        const t = tv(n.expr);
        if (t && !SIZE_METHODS.has(n.member.text)) ck.diags.report(Msg.Fe_CannotExtract, n.member.span, n.member.text, ck.show(n.expr), name(t));
        return;
      }
      case "IndexExpression": {
        const t = tv(n.expr);
        if (t) ck.diags.report(Msg.Fe_IndexType, n.span, ck.show(n), name(t));
        return;
      }
      case "SliceExpression":
      case "PlusSliceExpression": {
        const t = tv(n.expr);
        if (t) ck.diags.report(Msg.Fe_SliceType, n.span, ck.show(n), name(t));
        return;
      }
      case "CastExpression": {
        const t = tv(n.expr);
        const to = ck.types.get(n);
        if (t && to?.k !== "typevar") ck.diags.report(Msg.Fe_CastNotSupported, n.span, ck.show(n), name(t), to ? name(to) : ck.showType(n.type));
        return;
      }
      case "CallExpression": {
        if (tv(n.callee)) ck.diags.report(Msg.Fe_NotCallable, n.callee.span, ck.show(n.callee));
        return;
      }
      case "IfStatement": {
        const t = tv(n.cond);
        if (t) ck.diags.report(Msg.Fe_ConditionNotBool, n.cond.span, "IfStatement", name(t));
        return;
      }
      case "ConditionalExpression": {
        const t = tv(n.cond);
        if (t) ck.diags.report(Msg.Fe_ConditionNotBool, n.cond.span, "?:", name(t));
        return;
      }
      default:
        return;
    }
  });
}
