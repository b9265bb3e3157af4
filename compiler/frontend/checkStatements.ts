/**
 * Statements: assignments (l-value and type), conditions (bool), switch labels,
 * return values, loop control, select expressions and transitions, direct
 * applications, and local declarations (through checkDeclarations).
 * Before: `ctx.scope` holds what is visible at the statement. After: local
 * declarations are bound in a fresh scope per block.
 */
import type * as A from "../ast/nodes.js";
import { assertNever } from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker, Ctx } from "./checker.js";
import { Scope } from "./scope.js";
import { typeOf, lookupValue, readsRuntime } from "./checkExpressions.js";
import { assignable, unify, numeric } from "./relations.js";
import { isLValue } from "./lvalues.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

export function checkBlock(ck: Checker, body: readonly A.StatementOrDeclaration[], ctx: Ctx, scopeName = "block"): void {
  const inner = { ...ctx, scope: new Scope(ctx.scope, scopeName) };
  for (const s of body) checkStatement(ck, s, inner);
}

function condition(ck: Checker, e: A.Expression, ctx: Ctx, what: string): void {
  const t = typeOf(ck, e, ctx);
  if (e.kind === "DotsExpression") ck.diags.report(Msg.Fe_ConditionNotBool, e.span, what, T.ANYTYPE);
  else if (!T.isUnknown(t) && t.k !== "bool" && t.k !== "dontcare") ck.diags.report(Msg.Fe_ConditionNotBool, e.span, what, T.typeToString(t));
}

export function checkAssignment(ck: Checker, s: A.AssignmentStatement, ctx: Ctx): void {
  const lt = typeOf(ck, s.left, ctx);
  if (!isLValue(ck, s.left, ctx)) ck.diags.report(Msg.Fe_NotLValue, s.left.span, ck.show(s.left));
  if (s.op === "=") {
    const rt = typeOf(ck, s.right, ctx, lt);
    if (assignable(lt, rt) === false) ck.diags.report(Msg.Fe_TypeMismatch, s.span, `${ck.show(s.left)} = ${ck.show(s.right)}`, T.typeToString(rt), T.typeToString(lt));
  } else {
    const op = s.op.slice(0, -1) as A.BinaryOp;
    typeOf(ck, { kind: "BinaryExpression", span: s.span, op, left: s.left, right: s.right }, ctx);
  }
}

export function checkStatement(ck: Checker, s: A.StatementOrDeclaration, ctx: Ctx): void {
  switch (s.kind) {
    case "VariableDeclaration":
    case "ConstantDeclaration":
    case "Instantiation":
      ck.fns.checkLocalDeclaration(ck, s, ctx);
      return;
    case "AssignmentStatement":
      checkAssignment(ck, s, ctx);
      return;
    case "MethodCallStatement": {
      typeOf(ck, s.call, ctx);
      // nothing binds a type variable that only the unused result mentions
      const tv = s.call.kind === "CallExpression" ? ck.unboundReturn.get(s.call) : undefined;
      if (tv !== undefined) ck.diags.report(Msg.Fe_CannotInferType, s.call.span, ck.show(s.call), tv);
      return;
    }
    case "DirectApplicationStatement": {
      const t = ck.resolve(s.type, ctx.scope);
      if (ctx.inAction) ck.diags.report(Msg.Fe_ApplyInAction, s.span, `${ck.showType(s.type)}.apply()`);
      if (t.k === "parser" || t.k === "control") {
        // "Direct type invocation": only a declared parser or control whose constructor needs no arguments.
        const ctor = t.decl.kind === "ParserDeclaration" || t.decl.kind === "ControlDeclaration" ? t.decl.constructorParams ?? [] : null;
        if (ctor === null || ctor.some((p) => p.defaultValue === null && !p.annotations.some((a) => a.name.text === "optional"))) {
          ck.diags.report(Msg.Fe_NoMatchingCtor, s.type.span, ck.showType(s.type), t.decl.name.text);
        }
        const call: A.CallExpression = {
          kind: "CallExpression", span: s.span, typeArgs: [], args: s.args,
          callee: { kind: "MemberExpression", span: s.span, member: { kind: "Name", span: s.span, text: "apply" }, expr: { kind: "PathExpression", span: s.type.span, topLevel: false, name: s.type.kind === "TypeName" ? s.type.name : s.type.base.name } },
        };
        ck.types.set(call.callee.kind === "MemberExpression" ? call.callee.expr : call, t);
        typeOf(ck, call, { ...ctx, inAction: false });
      } else {
        if (!T.isUnknown(t)) ck.diags.report(Msg.Fe_CannotExtract, s.span, "apply", ck.showType(s.type), `Type(${T.typeToString(t)})`);
        for (const a of s.args) typeOf(ck, a.value, ctx);
      }
      return;
    }
    case "EmptyStatement":
    case "ExitStatement":
      return;
    case "BlockStatement":
      checkBlock(ck, s.body, ctx);
      return;
    case "ReturnStatement": {
      const rt = ctx.returnType;
      if (s.value) {
        const vt = typeOf(ck, s.value, ctx, rt ?? undefined);
        if (rt === null || rt.k === "void") {
          ck.diags.report(ctx.inFunction ? Msg.Fe_ReturnInVoid : Msg.Fe_ReturnOutsideFunction, s.span, `return ${ck.show(s.value)}`);
          return;
        }
        if (assignable(rt, vt) === false) ck.diags.report(Msg.Fe_TypeMismatch, s.span, `return ${ck.show(s.value)}`, T.typeToString(vt), T.typeToString(rt));
      } else if (rt && rt.k !== "void" && !T.isVague(rt)) {
        ck.diags.report(Msg.Fe_ReturnMissing, s.span, "return", T.typeToString(rt));
      }
      return;
    }
    case "BreakStatement":
    case "ContinueStatement":
      if (!ctx.inLoop) {
        const w = s.kind === "BreakStatement" ? "break" : "continue";
        ck.diags.report(Msg.Fe_BreakOutsideLoop, s.span, w);
      }
      return;
    case "IfStatement":
      condition(ck, s.cond, ctx, "IfStatement");
      checkStatement(ck, s.then, { ...ctx, scope: new Scope(ctx.scope, "then") });
      if (s.else) checkStatement(ck, s.else, { ...ctx, scope: new Scope(ctx.scope, "else") });
      return;
    case "SwitchStatement":
      checkSwitch(ck, s, ctx);
      return;
    case "ForStatement": {
      const inner = { ...ctx, scope: new Scope(ctx.scope, "for"), inLoop: true };
      for (const i of s.init) checkStatement(ck, i, inner);
      condition(ck, s.cond, inner, "ForStatement");
      for (const u of s.update) checkStatement(ck, u, inner);
      checkStatement(ck, s.body, inner);
      return;
    }
    case "ForInStatement": {
      const inner = { ...ctx, scope: new Scope(ctx.scope, "for"), inLoop: true };
      const ct = typeOf(ck, s.collection, ctx);
      // "For statement": the collection is a range, a header stack or a list.
      if (!T.isVague(ct) && ct.k !== "stack" && ct.k !== "list" && ct.k !== "listExpr" && ct.k !== "set" && !(s.collection.kind === "BinaryExpression" && s.collection.op === "..")) {
        ck.diags.report(Msg.Fe_ForInCollection, s.collection.span, T.typeToString(ct));
      }
      const vt = ck.resolve(s.varType, ctx.scope);
      const range = s.collection.kind === "BinaryExpression" && s.collection.op === ".." ? s.collection : null;
      for (const end of range && !T.isVague(vt) ? [range.left, range.right] : []) {
        const et = ck.types.get(end);
        if (et && !T.isVague(et) && assignable(vt, et) === false) ck.diags.report(Msg.Fe_TypeMismatch, end.span, ck.show(end), T.typeToString(et), T.typeToString(vt));
      }
      const elem = ct.k === "stack" || ct.k === "list" ? ct.elem : null;
      if (elem && !T.isVague(elem) && !T.isVague(vt) && !SCALAR.has(elem.k) && !SCALAR.has(vt.k) && T.sameType(elem, vt) === false) {
        // the reference requires a cast to exist from the element type to the variable's: none between distinct structured types
        if (ct.k === "stack") ck.diags.report(Msg.Fe_ForInElement, s.varName.span, s.varName.text, T.typeToString(ct));
        else ck.diags.report(Msg.Fe_ForInListElement, s.varName.span, s.varName.text, T.typeToString(ct));
      }
      const v = { kind: "ForInVariable" as const, stmt: s };
      ck.declTypes.set(v, vt);
      inner.scope.add(s.varName.text, v);
      checkStatement(ck, s.body, inner);
      return;
    }
    case "TransitionStatement":
      checkTransition(ck, s, ctx);
      return;
    default:
      return assertNever(s, "statement");
  }
}

const SCALAR = new Set(["bits", "int", "bool", "enum", "newtype"]);

function checkSwitch(ck: Checker, s: A.SwitchStatement, ctx: Ctx): void {
  ck.switchExprs.add(s.expr);
  const t = typeOf(ck, s.expr, ctx);
  // "Switch statement": an action_run, bit<W>, int<W>, an enum or error (not bool, int, structs, ...).
  const switchable = T.isUnknown(t) || ["actionEnum", "bits", "enum", "newtype", "error"].includes(t.k);
  if (!switchable) ck.diags.report(Msg.Fe_SwitchType, s.expr.span, ck.show(s.expr), T.typeToString(t));
  let defaults = 0;
  for (const c of switchable ? s.cases : []) {
    if (c.label.kind === "DefaultExpression") {
      if (++defaults > 1) ck.diags.reportWith(Msg.Fe_DuplicateDefault, s.span, [{ span: c.label.span, message: "another default label" }]);
      continue;
    }
    if (t.k === "actionEnum") {
      if (c.label.kind !== "PathExpression") {
        ck.diags.report(Msg.Fe_SwitchLabel, c.label.span, ck.show(c.label));
        continue;
      }
      const b = lookupValue(ck, c.label, ctx);
      if (!b) continue;
      const inTable = tableActions(t.table).some((r) => r.name.text === (c.label as A.PathExpression).name.text);
      if (b.kind !== "ActionDeclaration" || !inTable) ck.diags.report(Msg.Fe_NotALabel, c.label.span, ck.show(c.label));
      continue;
    }
    const lt = typeOf(ck, c.label, ctx);
    if (readsRuntime(ck, c.label, ctx)) ck.diags.report(Msg.Fe_CompileTimeConst, c.label.span, ck.show(c.label));
    if (T.isUnknown(t)) continue;
    if (unify(t, lt) === null) {
      ck.diags.reportWith(Msg.Fe_CannotCompare, s.expr.span, [{ span: c.label.span, message: "label" }], ck.show(s.expr), T.typeToString(t), ck.show(c.label), T.typeToString(lt));
    }
  }
  for (const c of s.cases) if (c.body) checkBlock(ck, c.body.body, ctx);
}

export function tableActions(t: A.TableDeclaration): readonly A.ActionRef[] {
  for (const p of t.properties) if (p.kind === "ActionsProperty") return p.actions;
  return [];
}

function checkTransition(ck: Checker, s: A.TransitionStatement, ctx: Ctx): void {
  if (s.target.kind === "PathExpression") {
    stateRef(ck, s.target, ctx);
    return;
  }
  checkSelect(ck, s.target, ctx);
}

function stateRef(ck: Checker, e: A.PathExpression, ctx: Ctx): void {
  const b = lookupValue(ck, e, ctx);
  if (b && b.kind !== "ParserState") ck.diags.report(Msg.Fe_NotAState, e.span, ck.show(e));
}

export function checkSelect(ck: Checker, sel: A.SelectExpression, ctx: Ctx): void {
  const sts = sel.selectors.map((x) => typeOf(ck, x, ctx));
  sts.forEach((t, i) => {
    // "Select expressions": each selector is bit<W>, int<W>, bool, an enum (or error), or a tuple of these.
    if (t.k === "struct" || t.k === "header" || t.k === "union" || t.k === "stack" || t.k === "varbit" || t.k === "string" || t.k === "match_kind") {
      ck.diags.report(Msg.Fe_SelectStruct, sel.selectors[i].span, `{ ${sel.selectors.map((x) => ck.show(x)).join(", ")} }`, T.typeToString(t));
    }
  });
  for (const c of sel.cases) {
    const ks = c.keyset;
    const elems = ks.kind === "TupleKeysetExpression" ? ks.elements : [ks];
    if (elems.length === sts.length) {
      elems.forEach((k, i) => keysetElement(ck, k, sts[i], ctx, sel.span));
    } else {
      const kts = elems.map((k) => typeOf(ck, k, ctx));
      // "Select expressions": a keyset has one component per selector; one `default`/`_` or a value set of structs covers them all.
      // A value set of structs (or tuples) has one field per selector.
      const setOf = kts[0].k === "set" ? kts[0].elem : kts[0];
      const whole = elems.length === 1 && (elems[0].kind === "DefaultExpression" || elems[0].kind === "DontCareExpression" || setOf.k === "struct" && setOf.fields.size === sts.length || setOf.k === "tuple" && setOf.elems.length === sts.length);
      if (!whole && ![...kts, ...sts].some((t) => T.isUnknown(t))) {
        const tuple = (ts: readonly Type[]) => `tuple<${ts.map((t) => T.typeToString(t)).join(", ")}>`;
        ck.diags.reportWith(Msg.Fe_SelectKeyset, sel.span, [{ span: ks.span, message: "keyset" }], ck.show(ks), tuple(kts), tuple(sts));
      }
    }
    const target: A.PathExpression = { kind: "PathExpression", span: c.state.span, name: c.state, topLevel: false };
    stateRef(ck, target, ctx);
  }
}

function keysetElement(ck: Checker, k: A.Expression, sel: Type, ctx: Ctx, at: A.Node["span"]): void {
  if (k.kind === "DefaultExpression" || k.kind === "DontCareExpression") return;
  if (k.kind === "ListExpression" && sel.k === "listExpr" && k.elements.length === sel.elems.length) {
    k.elements.forEach((x, i) => keysetElement(ck, x, sel.elems[i], ctx, at));
    return;
  }
  if (k.kind === "CallExpression") ck.diags.report(Msg.Fe_NoCallsInKeyset, k.span, ck.show(k));
  if (k.kind === "BinaryExpression" && (k.op === "&&&" || k.op === "..")) {
    for (const side of [k.left, k.right]) if (readsRuntime(ck, side, ctx)) ck.diags.report(Msg.Fe_NotConstant, side.span, ck.show(side));
  }
  let kt = typeOf(ck, k, ctx, sel);
  if (kt.k === "set") kt = kt.elem;
  // A value set of structs matches one selector per field (the spec's single-selector example has a one-field struct).
  if (kt.k === "struct") {
    if (kt.fields.size !== 1 && !T.isVague(sel)) ck.diags.reportWith(Msg.Fe_SelectKeyset, at, [{ span: k.span, message: "keyset" }], ck.show(k), T.typeToString(kt), T.typeToString(sel));
    return;
  }
  if (T.isVague(kt) || T.isVague(sel)) return;
  if (unify(numeric(sel), numeric(kt)) === null) {
    ck.diags.reportWith(Msg.Fe_SelectKeyset, at, [{ span: k.span, message: "keyset" }], ck.show(k), T.typeToString(kt), T.typeToString(sel));
  }
}
