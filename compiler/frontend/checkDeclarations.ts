/**
 * Declarations: binds names (reporting duplicates), checks parameter lists,
 * field types of headers/structs/unions, enums, typedefs, instantiations,
 * parsers (states), controls (locals, tables, apply) and function bodies.
 * Before: top-level names are bound in `ck.global` (bindTopLevel).
 * After: every body was walked by checkStatements/checkExpressions.
 */
import type * as A from "../ast/nodes.js";
import { assertNever } from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import { printType } from "../ast/print.js";
import type { Checker, Ctx } from "./checker.js";
import { Scope, type Binding } from "./scope.js";
import { typeOf, readsRuntime, ctorParams } from "./checkExpressions.js";
import { assignable } from "./relations.js";
import { construct } from "./checkCalls.js";
import { checkBlock, checkStatement, tableActions } from "./checkStatements.js";
import { checkTable } from "./checkTables.js";
import { wrap } from "./constants.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

function nameOf(d: A.Declaration): A.Name | null {
  switch (d.kind) {
    case "ErrorDeclaration":
    case "MatchKindDeclaration":
      return null;
    default:
      return d.name;
  }
}

const isFunctionLike = (n: Binding): boolean => n.kind === "FunctionDeclaration" || n.kind === "ExternFunctionDeclaration";
const OVERLOADABLE = new Set(["ParserDeclaration", "ControlDeclaration", "PackageTypeDeclaration", "ParserTypeDeclaration", "ControlTypeDeclaration"]);

function paramsOf(n: Binding): readonly A.Parameter[] {
  switch (n.kind) {
    case "FunctionDeclaration": case "ExternFunctionDeclaration": case "MethodPrototype": case "PackageTypeDeclaration":
    case "ParserTypeDeclaration": case "ControlTypeDeclaration":
      return n.params;
    case "ParserDeclaration": case "ControlDeclaration":
      return n.constructorParams ?? [];
    default:
      return [];
  }
}

/** Binds every top-level name, the error and match_kind members; reports duplicates. */
export function bindTopLevel(ck: Checker, p: A.Program): void {
  for (const d of p.declarations) {
    if (d.kind === "ErrorDeclaration") {
      ck.errorDeclared = true;
      for (const m of d.members) {
        if (ck.errorMembers.has(m.text)) ck.diags.report(Msg.Fe_Duplicate, m.span, m.text);
        else ck.errorMembers.set(m.text, m);
      }
      continue;
    }
    if (d.kind === "MatchKindDeclaration") {
      for (const m of d.members) {
        if (ck.matchKinds.has(m.text)) ck.diags.report(Msg.Fe_Duplicate, m.span, m.text);
        else ck.matchKinds.set(m.text, m);
      }
      continue;
    }
    const name = nameOf(d);
    if (!name) continue;
    ck.declScope.set(d, ck.global);
    const prev = ck.global.add(name.text, d);
    if (prev.length > 0) {
      const overload = isFunctionLike(d) ? prev.every((x) => x.node.kind === d.kind) // a function and an extern function never share a name
        : OVERLOADABLE.has(d.kind) && prev.every((x) => x.node.kind === d.kind && distinctSignature(paramsOf(x.node), paramsOf(d)));
      if (!overload) ck.diags.report(Msg.Fe_DuplicateDecl, name.span, name.text);
    }
  }
}

function distinctSignature(a: readonly A.Parameter[], b: readonly A.Parameter[]): boolean {
  if (a.length !== b.length) return true;
  return a.some((p, i) => p.name.text !== b[i].name.text);
}

export function checkTopLevel(ck: Checker, d: A.Declaration, ctx: Ctx): void {
  switch (d.kind) {
    case "ErrorDeclaration":
    case "MatchKindDeclaration":
      return;
    case "ConstantDeclaration":
      checkConstant(ck, d, ctx);
      return;
    case "ExternDeclaration":
      checkExtern(ck, d, ctx);
      return;
    case "ExternFunctionDeclaration": {
      const scope = typeParamScope(ck, ctx.scope, d.typeParams, "function");
      ck.declScope.set(d, ctx.scope);
      checkParams(ck, d.params, { ...ctx, scope }, "function");
      ck.returnTypes.set(d, ck.resolve(d.returnType, scope));
      return;
    }
    case "FunctionDeclaration":
      checkFunction(ck, d, ctx);
      return;
    case "ActionDeclaration":
      checkAction(ck, d, ctx);
      return;
    case "ParserDeclaration":
      checkParser(ck, d, ctx);
      ck.currentBlock = null;
      return;
    case "ControlDeclaration":
      checkControl(ck, d, ctx);
      ck.currentBlock = null;
      return;
    case "HeaderDeclaration":
    case "HeaderUnionDeclaration":
    case "StructDeclaration":
      checkStructLike(ck, d, ctx);
      return;
    case "EnumDeclaration":
      checkEnum(ck, d, ctx);
      return;
    case "TypedefDeclaration":
      checkTypedef(ck, d, ctx);
      return;
    case "ParserTypeDeclaration":
    case "ControlTypeDeclaration": {
      const scope = typeParamScope(ck, ctx.scope, d.typeParams, "type");
      checkParams(ck, d.params, { ...ctx, scope }, d.kind === "ParserTypeDeclaration" ? "parser" : "control");
      return;
    }
    case "PackageTypeDeclaration": {
      const scope = typeParamScope(ck, ctx.scope, d.typeParams, "package");
      checkParams(ck, d.params, { ...ctx, scope }, "package");
      return;
    }
    case "Instantiation":
      checkInstantiation(ck, d, ctx);
      return;
    case "ValueSetDeclaration":
      checkValueSet(ck, d, ctx);
      return;
    default:
      return assertNever(d, "declaration");
  }
}

function typeParamScope(ck: Checker, outer: Scope, params: readonly A.Name[], what: string): Scope {
  const s = new Scope(outer, what);
  for (const p of params) {
    if (s.add(p.text, p, true).length > 0) ck.diags.report(Msg.Fe_Duplicate, p.span, p.text);
  }
  return s;
}

/** Binds a local name in the innermost scope, reporting a duplicate in that scope. */
function bindLocal(ck: Checker, scope: Scope, name: A.Name, node: Binding): void {
  ck.declScope.set(node, scope);
  if (scope.add(name.text, node).length > 0) ck.diags.report(Msg.Fe_Duplicate, name.span, name.text);
}

type ParamKind = "parser" | "control" | "package" | "action" | "function" | "method" | "constructor" | "blockConstructor";

function checkParams(ck: Checker, params: readonly A.Parameter[], ctx: Ctx, kind: ParamKind, into?: Scope): void {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name.text)) ck.diags.report(Msg.Fe_Duplicate, p.name.span, p.name.text);
    seen.add(p.name.text);
    const t = ck.resolve(p.type, ctx.scope);
    ck.declTypes.set(p, t);
    ck.declScope.set(p, ctx.scope);
    if (into) into.add(p.name.text, p);
    if (kind === "constructor" || kind === "blockConstructor") ctorParams.add(p);
    if ((p.direction === "out" || p.direction === "inout") && p.defaultValue) ck.diags.report(Msg.Fe_OutDefault, p.name.span, p.name.text);
    if (p.defaultValue && p.annotations.some((a) => a.name.text === "optional")) ck.diags.report(Msg.Fe_OptionalDefault, p.name.span, p.name.text);
    // A package's parameters are its constructor's ("Package types"): no direction.
    const pkgDir = kind === "package" && p.direction !== null;
    if ((kind === "constructor" || kind === "blockConstructor" || pkgDir) && p.direction !== null) ck.diags.report(Msg.Fe_CtorParamDirection, p.name.span, p.name.text);
    if (t.k === "extern" && t.decl.typeParams.length > 0 && t.args.length === 0 && p.type.kind === "TypeName" && kind !== "method" && kind !== "constructor" && kind !== "function") {
      ck.diags.report(Msg.Fe_TypeParamsNeeded, p.name.span, p.name.text);
    }
    if ((t.k === "parser" || t.k === "control") && (t.decl.kind === "ParserDeclaration" || t.decl.kind === "ControlDeclaration")) {
      ck.diags.report(Msg.Fe_ParamType, p.name.span, p.name.text, T.typeToString(t));
    } else if (p.direction !== null && !pkgDir && (t.k === "extern" || t.k === "string" || t.k === "parser" || t.k === "control" || t.k === "package")) {
      ck.diags.report(Msg.Fe_ParamDirectionType, p.name.span, p.name.text, T.typeToString(t).replace(/^extern /, ""));
    } else if ((t.k === "parser" || t.k === "control" || t.k === "package") && kind !== "package" && kind !== "constructor" && kind !== "blockConstructor" && kind !== "method") {
      ck.diags.report(Msg.Fe_ParamType, p.name.span, p.name.text, T.typeToString(t));
    } else if (kind === "blockConstructor" && t.k === "package" || kind === "constructor" && (t.k === "parser" || t.k === "control" || t.k === "package")) {
      // "Restrictions on compile time and run time calls": only packages take packages; externs take no parsers or controls.
      ck.diags.report(Msg.Fe_ParamType, p.name.span, p.name.text, T.typeToString(t));
    }
    // Action data is bit strings and the like: not int, and (P4-16, Actions) never an extern.
    if (kind === "action" && p.direction === null && (t.k === "int" || t.k === "extern")) ck.diags.report(Msg.Fe_ActionParamType, p.name.span, p.name.text, T.typeToString(t).replace(/^extern /, ""));
    if (p.defaultValue) {
      const dt = typeOf(ck, p.defaultValue, ctx, t);
      // "Optional parameters and default values": the default value has the parameter's type.
      if (t.k !== "typevar" && assignable(t, dt) === false) ck.diags.report(Msg.Fe_TypeMismatch, p.defaultValue.span, `${p.name.text} = ${ck.show(p.defaultValue)}`, T.typeToString(dt), T.typeToString(t));
      if (readsRuntime(ck, p.defaultValue, ctx)) ck.diags.report(Msg.Fe_CompileTimeConst, p.defaultValue.span, ck.show(p.defaultValue));
    }
    if (p.annotations.some((a) => a.name.text === "optional") && (kind === "action" || kind === "blockConstructor")) {
      ck.diags.report(Msg.Fe_OptionalNotAllowed, p.name.span, p.name.text);
    }
  }
}

function checkConstant(ck: Checker, d: A.ConstantDeclaration, ctx: Ctx): void {
  const t = ck.resolve(d.type, ctx.scope);
  ck.declTypes.set(d, t);
  if (t.k === "dontcare" || hasDontCare(d.type)) ck.diags.report(Msg.Fe_DontCareType, d.type.span, "_");
  // "Constants": values of extern types are instances, not constants.
  if (t.k === "extern") {
    ck.diags.report(Msg.Fe_ConstExtern, d.name.span, d.name.text);
    return;
  }
  const vt = typeOf(ck, d.value, ctx, t);
  if (assignable(t, vt) === false) ck.diags.report(Msg.Fe_TypeMismatch, d.value.span, `${d.name.text} = ${ck.show(d.value)}`, T.typeToString(vt), T.typeToString(t));
  const v = ck.constants.get(d.value);
  if (v !== undefined) ck.constants.set(d, typeof v === "bigint" ? wrap(v, t) : v);
  else if (readsRuntime(ck, d.value, ctx)) ck.diags.report(Msg.Fe_NotConstant, d.value.span, ck.show(d.value));
}

function hasDontCare(t: A.TypeRef): boolean {
  switch (t.kind) {
    case "TypeDontCare": return true;
    case "TypeSpecialized": return t.args.some(hasDontCare);
    case "TypeStack": return hasDontCare(t.element);
    case "TypeTuple": return t.elements.some(hasDontCare);
    case "TypeList": return hasDontCare(t.element);
    default: return false;
  }
}

function checkVariable(ck: Checker, d: A.VariableDeclaration, ctx: Ctx): void {
  const t = ck.resolve(d.type, ctx.scope);
  ck.declTypes.set(d, t);
  if (hasDontCare(d.type)) ck.diags.report(Msg.Fe_DontCareType, d.type.span, "_");
  if (t.k === "extern" || t.k === "parser" || t.k === "control" || t.k === "package") {
    ck.diags.report(Msg.Fe_CannotDeclareVar, d.name.span, d.name.text, T.typeToString(t).replace(/^\w+ /, ""));
  }
  if (d.init) {
    const vt = typeOf(ck, d.init, ctx, t);
    if (assignable(t, vt) === false) ck.diags.report(Msg.Fe_TypeMismatch, d.init.span, `${d.name.text} = ${ck.show(d.init)}`, T.typeToString(vt), T.typeToString(t));
  }
}

export function checkLocalDeclaration(ck: Checker, d: A.VariableDeclaration | A.ConstantDeclaration | A.Instantiation, ctx: Ctx): void {
  if (d.kind === "VariableDeclaration") checkVariable(ck, d, ctx);
  else if (d.kind === "ConstantDeclaration") checkConstant(ck, d, ctx);
  else {
    if (ctx.inFunction) ck.diags.report(Msg.Fe_InstantiationInFunction, d.name.span, d.name.text);
    checkInstantiation(ck, d, ctx);
  }
  bindLocal(ck, ctx.scope, d.name, d);
}

function checkExtern(ck: Checker, d: A.ExternDeclaration, ctx: Ctx): void {
  const scope = typeParamScope(ck, ctx.scope, d.typeParams, "extern");
  const seen = new Map<string, A.MethodPrototype[]>();
  for (const m of d.methods) {
    ck.declScope.set(m, scope);
    if (!m.isConstructor && m.name.text === d.name.text && m.returnType) ck.diags.report(Msg.Fe_CtorReturnType, m.name.span, m.name.text);
    const ms = typeParamScope(ck, scope, m.typeParams, "method");
    checkParams(ck, m.params, { ...ctx, scope: ms }, m.isConstructor ? "constructor" : "method");
    for (const p of m.params) {
      const pt = ck.declTypes.get(p);
      if (pt?.k === "extern" && pt.decl === d) ck.diags.report(Msg.Fe_SelfReference, p.type.span, d.name.text, d.name.text);
    }
    if (m.returnType) {
      const rt = ck.resolve(m.returnType, ms);
      ck.returnTypes.set(m, rt);
      if (rt.k === "int" || rt.k === "string") ck.diags.report(Msg.Fe_MethodReturnType, m.returnType.span, rt.k);
      else if (genericWithoutArgs(m.returnType, ms)) ck.diags.report(Msg.Fe_ReturnGenericNoArgs, m.returnType.span, printType(m.returnType));
      if (rt.k === "extern" && rt.decl === d && typeMentions(m.returnType, d.name.text)) ck.diags.report(Msg.Fe_SelfReference, m.returnType.span, d.name.text, `extern ${d.name.text}`);
    }
    const key = m.name.text;
    const prev = seen.get(key) ?? [];
    if (prev.some((p) => !distinctSignature(p.params, m.params))) ck.diags.report(Msg.Fe_Duplicate, m.name.span, m.name.text);
    prev.push(m);
    seen.set(key, prev);
  }
}

function checkFunction(ck: Checker, d: A.FunctionDeclaration, ctx: Ctx): void {
  const scope = typeParamScope(ck, ctx.scope, d.typeParams, "function");
  ck.declScope.set(d, ctx.scope);
  const body = new Scope(scope, "function");
  const rt = ck.resolve(d.returnType, scope);
  ck.returnTypes.set(d, rt);
  const fctx: Ctx = { ...ctx, scope: body, inFunction: true, returnType: rt, inAction: false };
  checkParams(ck, d.params, fctx, "function", body);
  const saved = ck.currentFunction;
  ck.currentFunction = d;
  checkBlock(ck, d.body.body, fctx);
  ck.currentFunction = saved;
}

function checkAction(ck: Checker, d: A.ActionDeclaration, ctx: Ctx): void {
  const body = new Scope(ctx.scope, "action");
  const actx: Ctx = { ...ctx, scope: body, inAction: true, returnType: T.Void };
  const mark = ck.diags.size;
  checkParams(ck, d.params, actx, "action", body);
  const params = ck.diags.size;
  checkBlock(ck, d.body.body, actx);
  // The reference checks an action's parameters after its body: report in its order.
  ck.diags.moveToEnd(mark, params);
}

function checkParser(ck: Checker, d: A.ParserDeclaration, ctx: Ctx): void {
  const tscope = typeParamScope(ck, ctx.scope, d.typeParams, "parser");
  const scope = new Scope(tscope, "parser");
  const pctx: Ctx = { ...ctx, scope, inParser: true };
  ck.currentBlock = d;
  checkParams(ck, d.params, pctx, "parser", scope);
  ctorDuplicates(ck, d.params, d.constructorParams, d.typeParams);
  if (d.constructorParams) checkParams(ck, d.constructorParams, pctx, "blockConstructor", scope);
  for (const l of d.locals) {
    if (l.kind === "ValueSetDeclaration") {
      checkValueSet(ck, l, pctx);
      bindLocal(ck, scope, l.name, l);
    } else checkLocalDeclaration(ck, l, pctx);
  }
  const stateScope = new Scope(scope, "states");
  for (const st of d.states) {
    if (st.name.text === "accept" || st.name.text === "reject") {
      ck.diags.report(Msg.Fe_AcceptImplemented, st.name.span, st.name.text);
      continue;
    }
    // "Parser states": states and the parser's local elements share one namespace.
    if (d.locals.some((l) => l.name.text === st.name.text)) ck.diags.report(Msg.Fe_Duplicate, st.name.span, st.name.text);
    bindLocal(ck, stateScope, st.name, st);
  }
  for (const b of ["accept", "reject"]) if (!stateScope.local(b)) stateScope.add(b, { kind: "ParserState", span: d.span, annotations: [], name: { kind: "Name", span: d.span, text: b }, body: [], transition: null });
  if (!d.states.some((s) => s.name.text === "start")) ck.diags.report(Msg.Fe_NoStartState, d.name.span, d.name.text);
  checkReachesEnd(ck, d);
  const sctx: Ctx = { ...pctx, scope: stateScope, inState: true };
  for (const st of d.states) {
    const inner: Ctx = { ...sctx, scope: new Scope(stateScope, "state") };
    for (const s of st.body) checkStatement(ck, s, inner);
    if (st.transition) checkStatement(ck, st.transition, inner);
  }
}

/** A parser whose states, from start, never reach accept or reject loops forever. */
function checkReachesEnd(ck: Checker, d: A.ParserDeclaration): void {
  const byName = new Map(d.states.map((s) => [s.name.text, s]));
  if (!byName.has("start")) return;
  const seen = new Set<string>();
  const todo = ["start"];
  while (todo.length) {
    const n = todo.pop()!;
    if (n === "accept" || n === "reject") return;
    if (seen.has(n)) continue;
    seen.add(n);
    const s = byName.get(n);
    if (!s) return; // an unknown state is reported elsewhere
    if (!s.transition) return; // implicit reject
    const t = s.transition.target;
    if (t.kind === "PathExpression") todo.push(t.name.text);
    else {
      if (!t.cases.some((c) => c.keyset.kind === "DefaultExpression" || c.keyset.kind === "DontCareExpression")) return; // no match: reject
      for (const c of t.cases) todo.push(c.state.text);
    }
  }
  ck.diags.report(Msg.Fe_ParserUnreachable, d.name.span, d.name.text);
}

function ctorDuplicates(ck: Checker, params: readonly A.Parameter[], ctor: readonly A.Parameter[] | null, typeParams: readonly A.Name[] = []): void {
  for (const p of [...params, ...(ctor ?? [])]) {
    const tp = typeParams.find((t) => t.text === p.name.text);
    if (tp) ck.diags.report(Msg.Fe_DuplicateDecl, p.name.span, p.name.text);
  }
  if (!ctor) return;
  const names = new Set(params.map((p) => p.name.text));
  for (const p of ctor) if (names.has(p.name.text)) ck.diags.report(Msg.Fe_DuplicateDecl, params.find((x) => x.name.text === p.name.text)!.name.span, p.name.text);
}

function checkControl(ck: Checker, d: A.ControlDeclaration, ctx: Ctx): void {
  const tscope = typeParamScope(ck, ctx.scope, d.typeParams, "control");
  const scope = new Scope(tscope, "control");
  const cctx: Ctx = { ...ctx, scope, inControl: true };
  ck.currentBlock = d;
  checkParams(ck, d.params, cctx, "control", scope);
  ctorDuplicates(ck, d.params, d.constructorParams, d.typeParams);
  if (d.constructorParams) checkParams(ck, d.constructorParams, cctx, "blockConstructor", scope);
  const locals = new Scope(scope, "locals");
  const lctx: Ctx = { ...cctx, scope: locals };
  for (const l of d.locals) {
    switch (l.kind) {
      case "ActionDeclaration":
        bindLocal(ck, locals, l.name, l);
        checkAction(ck, l, lctx);
        break;
      case "TableDeclaration":
        bindLocal(ck, locals, l.name, l);
        checkTable(ck, l, lctx);
        break;
      default:
        checkLocalDeclaration(ck, l, lctx);
    }
  }
  checkBlock(ck, d.body.body, lctx, "apply");
}

function checkStructLike(ck: Checker, d: A.HeaderDeclaration | A.HeaderUnionDeclaration | A.StructDeclaration, ctx: Ctx): void {
  const scope = typeParamScope(ck, ctx.scope, d.typeParams, "type");
  const seen = new Set<string>();
  const kw = d.kind === "HeaderDeclaration" ? "header" : d.kind === "StructDeclaration" ? "struct" : "header_union";
  let varbit: A.StructField | null = null; // multiple varbit fields are reported where such a header is extracted (p4c accepts unused ones)
  for (const f of d.fields) {
    if (seen.has(f.name.text)) ck.diags.report(Msg.Fe_Duplicate, f.name.span, f.name.text);
    seen.add(f.name.text);
    const t = ck.resolve(f.type, scope);
    if (!fieldAllowed(d.kind, t)) {
      ck.diags.report(Msg.Fe_FieldType, f.name.span, f.name.text, `${kw} ${d.name.text}`, T.typeToString(t));
    }
    if (t.k === "varbit" && d.kind === "HeaderDeclaration") varbit = f;
    void varbit;
    const self = (t.k === "struct" || t.k === "header" || t.k === "union") && t.decl === d ? f.type : selfMention(f.type, d);
    if (self) ck.diags.report(Msg.Fe_SelfReference, self.span, d.name.text, `${kw} ${d.name.text}`);
  }
}

/** A name of `d` written inside a field's type (a tuple, a stack, a type argument): the reference resolves it to `d` itself. */
function selfMention(t: A.TypeRef, d: A.HeaderDeclaration | A.HeaderUnionDeclaration | A.StructDeclaration): A.TypeRef | null {
  return d.typeParams.some((p) => p.text === d.name.text) ? null : typeMentions(t, d.name.text);
}

/** The first type name `name` written in `t` (inside tuples, stacks, lists and type arguments). */
function typeMentions(t: A.TypeRef, name: string): A.TypeRef | null {
  switch (t.kind) {
    case "TypeName": return t.name.text === name ? t : null;
    case "TypeSpecialized": return typeMentions(t.base, name) ?? t.args.reduce<A.TypeRef | null>((r, a) => r ?? typeMentions(a, name), null);
    case "TypeStack": case "TypeList": return typeMentions(t.element, name);
    case "TypeTuple": return t.elements.reduce<A.TypeRef | null>((r, a) => r ?? typeMentions(a, name), null);
    default: return null;
  }
}

function fieldAllowed(kind: "HeaderDeclaration" | "HeaderUnionDeclaration" | "StructDeclaration", t: Type): boolean {
  if (T.isUnknown(t)) return true;
  switch (kind) {
    case "HeaderDeclaration":
      switch (t.k) {
        case "bits": case "varbit": case "bool": case "newtype":
          return true;
        case "enum":
          return t.underlying !== null;
        case "struct":
          return [...t.fields.values()].every((x) => fieldAllowed("HeaderDeclaration", x) && x.k !== "varbit");
        case "stack":
          return t.elem.k !== "header" && t.elem.k !== "union" && (t.elem.k === "struct" || fieldAllowed("HeaderDeclaration", t.elem));
        default:
          return false;
      }
    case "HeaderUnionDeclaration":
      return t.k === "header";
    case "StructDeclaration":
      switch (t.k) {
        case "string": case "int": case "extern": case "parser": case "control": case "package": case "void": case "dontcare": case "match_kind": case "list":
        case "table": case "action": case "function": case "state":
          return false;
        default:
          return true;
      }
  }
}

function checkEnum(ck: Checker, d: A.EnumDeclaration, ctx: Ctx): void {
  const et = ck.enumType(d) as T.TypeOf<"enum">;
  if (d.underlying) {
    const u = ck.resolve(d.underlying, ctx.scope);
    if (!T.isUnknown(u) && u.k !== "bits") {
      const note = u.k === "int" ? "; note that the used type is unsized integral type" : u.k === "newtype" ? "; note that type-declared types are not allowed even if they are fixed-size" : "";
      ck.diags.report(Msg.Fe_EnumType, d.underlying.span, ck.showType(d.underlying), note);
    }
  }
  const seen = new Set<string>();
  const mscope = new Scope(ctx.scope, "enum");
  for (const m of d.members) {
    if (seen.has(m.name.text)) ck.diags.report(Msg.Fe_Duplicate, m.name.span, m.name.text);
    seen.add(m.name.text);
    if (m.value) {
      const vt = typeOf(ck, m.value, { ...ctx, scope: mscope }, et.underlying ?? undefined);
      const v = ck.constants.get(m.value);
      const u = et.underlying;
      const fits = typeof v !== "bigint" || u?.k !== "bits" || fitsUnderlying(ck, m, v, u, d);
      const fromEnum = vt.k === "enum" && vt.underlying !== null && T.sameType(vt.underlying, u ?? vt) === true; // a member of a serializable enum converts to its underlying type
      if (fits && u?.k === "bits" && v !== undefined && !T.isVague(vt) && vt.k !== "int" && !fromEnum && T.sameType(vt, u) === false) {
        ck.diags.report(Msg.Fe_EnumMemberType, m.name.span, m.name.text, T.typeToString(vt), T.typeToString(u));
      }
      if (typeof v === "bigint") ck.constants.set(m, u ? wrap(v, u) : v);
      else if (v === undefined) ck.diags.report(Msg.Fe_EnumValueNotConst, m.value.span, ck.show(m.value));
    }
    mscope.add(m.name.text, m);
    ck.declTypes.set(m, et);
  }
}

/** A serializable enum's constant fits its underlying `bit<W>`/`int<W>` (the reference rejects it, it does not wrap it). */
function fitsUnderlying(ck: Checker, m: A.EnumMember, v: bigint, u: T.TypeOf<"bits">, d: A.EnumDeclaration): boolean {
  const w = BigInt(u.width);
  const low = u.signed ? -(1n << (w - 1n)) : 0n;
  const high = (1n << (u.signed ? w - 1n : w)) - 1n;
  if (v >= low && v <= high) return true;
  const ut = T.typeToString(u);
  const extra = !u.signed && v < 0n ? `the value ${v} is negative, but the underlying type ${ut} is unsigned`
    : `the value ${v} requires ${(v < 0n ? -v : v).toString(2).length + (u.signed ? 1 : 0)} bits but the underlying ${u.signed ? "signed" : "unsigned"} type ${ut} only contains ${u.width} bits`;
  ck.diags.report(Msg.Fe_SerEnumBounds, m.name.span, m.name.text, v, d.underlying ? ck.showType(d.underlying) : ut, extra);
  return false;
}

/** A bare name of a generic extern, parser, control or package type (its type arguments left out). */
function genericWithoutArgs(t: A.TypeRef, scope: Scope): boolean {
  if (t.kind !== "TypeName") return false;
  const n = (t.topLevel ? scope.root() : scope).lookup(t.name.text)?.[0]?.node;
  switch (n?.kind) {
    case "ExternDeclaration": case "ParserTypeDeclaration": case "ControlTypeDeclaration": case "PackageTypeDeclaration":
      return n.typeParams.length > 0;
    default:
      return false;
  }
}

function checkTypedef(ck: Checker, d: A.TypedefDeclaration, ctx: Ctx): void {
  const tgt = d.target;
  if (tgt.kind === "HeaderDeclaration" || tgt.kind === "HeaderUnionDeclaration" || tgt.kind === "StructDeclaration") checkStructLike(ck, tgt, ctx);
  else if (tgt.kind === "EnumDeclaration") checkEnum(ck, tgt, ctx);
  else if (typeMentions(tgt, d.name.text)) ck.diags.report(Msg.Fe_SelfReference, typeMentions(tgt, d.name.text)!.span, d.name.text, `typedef ${d.name.text}`);
  else if (ck.resolve(tgt, ctx.scope) && genericWithoutArgs(tgt, ctx.scope)) ck.diags.report(Msg.Fe_NoTypeArgs, tgt.span, printType(tgt));
  if (d.isNewType) {
    const t = ck.typedefType(d);
    const base = t.k === "newtype" ? t.base : t;
    if (!T.isUnknown(base) && base.k !== "bits" && base.k !== "bool" && base.k !== "newtype") {
      ck.diags.report(Msg.Fe_NewTypeBase, d.name.span, d.name.text);
    }
  }
}

function checkValueSet(ck: Checker, d: A.ValueSetDeclaration, ctx: Ctx): void {
  const t = ck.resolve(d.elementType, ctx.scope);
  ck.declTypes.set(d, { k: "set", elem: t });
  // "Select expressions": the values of a set are bit<W>, int<W>, tuples, structs or serializable enums (and bool, as the reference allows).
  const legal = t.k === "bits" || t.k === "bool" || t.k === "tuple" || t.k === "struct" || t.k === "newtype" || t.k === "unknown" || t.k === "typevar" || t.k === "enum" && t.underlying !== null;
  if (!legal) ck.diags.report(Msg.Fe_ValueSetType, d.elementType.span, T.typeToString(t));
  const st = typeOf(ck, d.size, ctx);
  const size = ck.constants.get(d.size);
  if (typeof size !== "bigint" && readsRuntime(ck, d.size, ctx)) ck.diags.report(Msg.Fe_ValueSetSize, d.size.span, ck.show(d.size));
  else if (st.k !== "int" && st.k !== "bits" && st.k !== "unknown" || typeof size === "bigint" && size < 0n) ck.diags.report(Msg.Fe_ValueSetSize, d.size.span, ck.show(d.size));
}

function checkInstantiation(ck: Checker, d: A.Instantiation, ctx: Ctx): void {
  const t0 = ck.resolve(d.type, ctx.scope);
  if (t0.k === "stack") {
    // arrays of extern instances
    for (const a of d.args) typeOf(ck, a.value, ctx);
    ck.declTypes.set(d, t0);
    return;
  }
  if ((t0.k === "parser" || t0.k === "control") && t0.decl === ck.currentBlock) {
    ck.diags.report(Msg.Fe_SelfReference, d.type.span, t0.decl.name.text, T.typeToString(t0));
    return;
  }
  const t = construct(ck, t0, d.args, ctx, d.name.span, d.name.text);
  ck.declTypes.set(d, t);
  if (t.k === "extern") checkAbstractMethods(ck, d, t.decl, ctx);
  else if ((t.k === "parser" || t.k === "control" || t.k === "package") && d.initializer) {
    ck.diags.report(Msg.Fe_ActionInitializer, d.name.span, "BlockStatement");
  }
}

function checkAbstractMethods(ck: Checker, d: A.Instantiation, ext: A.ExternDeclaration, ctx: Ctx): void {
  const abstract = ext.methods.filter((m) => m.isAbstract);
  const mandatory = abstract.filter((m) => !m.annotations.some((a) => a.name.text === "optional"));
  if (!d.initializer) {
    if (mandatory.length > 0) ck.diags.report(Msg.Fe_AbstractNotImplemented, d.name.span, d.name.text, mandatory[0].name.text);
    return;
  }
  if (abstract.length === 0) { // even an empty initializer `= {}`
    const scope0 = new Scope(ctx.scope, "instance");
    for (const f of d.initializer) if (f.kind === "FunctionDeclaration") checkFunction(ck, f, { ...ctx, scope: scope0, abstractMethod: true });
    ck.diags.report(Msg.Fe_NoAbstractMethods, d.name.span);
    return;
  }
  const scope = new Scope(ctx.scope, "instance");
  for (const f of d.initializer) {
    if (f.kind === "Instantiation") {
      checkLocalDeclaration(ck, f, { ...ctx, scope });
      continue;
    }
    if (f.typeParams.length > 0) {
      ck.diags.report(Msg.Fe_AbstractGeneric, f.span, f.name.text);
      continue;
    }
    if (!abstract.some((m) => m.name.text === f.name.text)) {
      ck.diags.report(Msg.Fe_NoMatchingAbstract, f.name.span, f.name.text, ext.name.text);
      continue;
    }
    checkFunction(ck, f, { ...ctx, scope, abstractMethod: true, thisType: ck.declTypes.get(d) });
    const am = abstract.find((m) => m.name.text === f.name.text)!;
    const amRt = am.returnType ? ck.runQuietly(() => ck.resolve(am.returnType!, ck.declScope.get(ext) ?? ck.global)) : T.Unknown, fRt = ck.returnTypes.get(f);
    // An implementation may leave out the abstract method's trailing @optional parameters.
    const omitted = am.params.slice(f.params.length);
    const common = am.params.slice(0, f.params.length);
    const what = f.params.length > am.params.length || omitted.some((p) => !p.annotations.some((a) => a.name.text === "optional")) ? "parameter count"
      : common.some((p, i) => p.direction !== f.params[i].direction) ? "parameter directions"
      : common.some((p, i) => differentParamType(ck, ext, p, f.params[i])) ? "parameter types"
      : fRt && amRt.k !== "typevar" && fRt.k !== "typevar" && T.sameType(amRt, fRt) === false ? "return type" : null;
    if (what) ck.diags.report(Msg.Fe_AbstractMismatch, d.name.span, d.name.text, f.name.text, what);
  }
  for (const m of mandatory) {
    if (!d.initializer.some((f) => f.kind === "FunctionDeclaration" && f.name.text === m.name.text)) {
      ck.diags.report(Msg.Fe_AbstractNotImplemented, d.name.span, d.name.text, m.name.text);
    }
  }
}

/** Whether an abstract method's parameter and its implementation's have types that surely differ (type variables match anything). */
function differentParamType(ck: Checker, ext: A.ExternDeclaration, ap: A.Parameter, fp: A.Parameter): boolean {
  const at = ck.runQuietly(() => ck.resolve(ap.type, ck.declScope.get(ext) ?? ck.global)), ft = ck.declTypes.get(fp);
  if (!ft || at.k === "typevar" || ft.k === "typevar") return false;
  return T.sameType(at, ft) === false;
}

export { tableActions };
