/**
 * Calls: functions, extern functions, actions, extern methods, built-in
 * methods (isValid, setValid, push_front, ...), `apply` on tables, parsers and
 * controls, and constructor calls. Picks the overload by argument count, then
 * checks named/positional arguments, out/inout arguments are writable, and
 * argument types where both sides are known.
 * Before: the callee's declaration is in scope. After: the call's result type
 * is returned (Unknown for generic results not inferred).
 */
import type * as A from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker, Ctx } from "./checker.js";
import { typeOf, constOf, readsRuntime, HEADER_METHODS, SIZE_METHODS } from "./checkExpressions.js";
import { isLValue } from "./lvalues.js";
import { declaredType } from "./resolveTypes.js";
import { match, subst, explainSignature, type Bindings } from "./unify.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

type Callable = {
  readonly params: readonly A.Parameter[];
  readonly typeParams: readonly A.Name[];
  readonly returnType: A.TypeRef | null;
  readonly node: A.Node;
  /** Type parameters of the enclosing extern (for methods). */
  readonly outerTypeParams?: readonly A.Name[];
  readonly scopeNode?: A.Node;
};

export function checkCall(ck: Checker, e: A.CallExpression, ctx: Ctx): Type {
  const callee = e.callee;
  const twice = e.args.find((a, i) => a.name !== null && e.args.findIndex((x) => x.name?.text === a.name!.text) < i);
  if (twice) ck.diags.report(Msg.Fe_SameArgName, twice.name!.span, `${twice.name!.text} = ${ck.show(twice.value)}`);
  if (mixedNamedArgs(ck, e.args)) {
    checkArgsLoose(ck, e.args, ctx);
    return T.Unknown;
  }
  e.typeArgs.forEach((t) => {
    const r = ck.resolve(t, ctx.scope);
    ck.types.set(t, r);
    if (r.k === "void") ck.diags.report(Msg.Fe_IllegalTypeArg, t.span, "void", callee.kind === "MemberExpression" ? callee.member.text : ck.show(callee));
  });
  // Functions, actions and extern functions by name.
  if (callee.kind === "PathExpression") {
    const scope = callee.topLevel ? ck.global : ctx.scope;
    const levels = scope.lookupAll(callee.name.text);
    const found = levels.find((l) => l.some((x) => fitsCount(paramsOfCallee(x.node), e.args))) ?? levels[0];
    if (!found) {
      ck.diags.report(Msg.Fe_NotFound, callee.name.span, callee.name.text);
      checkArgsLoose(ck, e.args, ctx);
      return T.Unknown;
    }
    const nodes = found.map((f) => f.node);
    if (nodes.length === 1 && nodes[0] === ck.currentFunction) {
      ck.diags.report(Msg.Fe_NotFound, callee.name.span, callee.name.text);
      checkArgsLoose(ck, e.args, ctx);
      return T.Unknown;
    }
    ck.refs.set(callee, nodes[0]);
    const first = nodes[0];
    if (first.kind === "ActionDeclaration") {
      if (ctx.inFunction) ck.diags.report(Msg.Fe_FunctionCallsAction, e.span, ck.show(e));
      if (e.typeArgs.length > 0) ck.diags.report(Msg.Fe_NotGenericCall, e.span, ck.show(e));
      checkArgs(ck, e, { params: first.params, typeParams: [], returnType: null, node: first }, ctx, "action");
      ck.types.set(callee, { k: "action", decl: first });
      return T.Void;
    }
    if (first.kind === "FunctionDeclaration" || first.kind === "ExternFunctionDeclaration") {
      const cands = nodes.filter((n): n is A.FunctionDeclaration | A.ExternFunctionDeclaration => n.kind === "FunctionDeclaration" || n.kind === "ExternFunctionDeclaration");
      const c = pick(ck, e, cands.map((n) => ({ params: n.params, typeParams: n.typeParams, returnType: n.returnType, node: n })), callee.name.text);
      ck.types.set(callee, { k: "function", decl: first });
      if (!c) {
        checkArgsLoose(ck, e.args, ctx);
        return T.Unknown;
      }
      const fn = c.node as A.FunctionDeclaration | A.ExternFunctionDeclaration;
      ck.refs.set(callee, fn);
      if (fn.kind === "ExternFunctionDeclaration" && fn.name.text === "verify" && !ctx.inParser && ck.isCoreDecl(fn)) {
        ck.diags.report(Msg.Fe_OnlyInParser, e.span, ck.show(e));
      }
      const b = checkArgs(ck, e, c, ctx, "function");
      if (fn.kind === "ExternFunctionDeclaration" && fn.name.text === "static_assert" && ck.isCoreDecl(fn)) foldStaticAssert(ck, e);
      return legalReturn(ck, e, returnTypeOf(ck, c, b), ctx);
    }
    const t = typeOf(ck, callee, ctx);
    checkArgsLoose(ck, e.args, ctx);
    if (!T.isUnknown(t)) ck.diags.report(Msg.Fe_NotCallable, callee.span, ck.show(callee));
    return T.Unknown;
  }
  if (callee.kind === "MemberExpression") {
    const baseT = typeOf(ck, callee.expr, ctx);
    const name = callee.member.text;
    // A header union has isValid() only (P4-16, Operations on header unions): its headers have setValid/setInvalid.
    const builtin = baseT.k === "header" && HEADER_METHODS.has(name) || baseT.k === "union" && name === "isValid"
      || SIZE_METHODS.has(name) && baseT.k !== "extern" && baseT.k !== "table" && baseT.k !== "parser" && baseT.k !== "control";
    if (builtin) ck.types.set(callee, { k: "method", of: name });
    const mt = typeOf(ck, callee, ctx);
    if (T.isUnknown(mt) || mt.k !== "method") {
      checkArgsLoose(ck, e.args, ctx);
      if (!T.isUnknown(mt) && !T.isUnknown(baseT)) ck.diags.report(Msg.Fe_NotCallable, callee.span, ck.show(callee));
      return T.Unknown;
    }
    if (builtin && SIZE_METHODS.has(name)) return sizeMethod(ck, e, baseT, name);
    switch (baseT.k) {
      case "header":
      case "union":
        if (name !== "isValid" && !isLValue(ck, callee.expr, ctx)) ck.diags.report(Msg.Fe_MustBeLValue, callee.span, ck.show(callee));
        checkArgCount(ck, e, 0, name);
        return name === "isValid" ? T.Bool : T.Void;
      case "stack": {
        // P4-16 "Operations on header stacks": push_front/pop_front change the stack, outside parsers.
        if (ctx.inParser) ck.diags.report(Msg.Fe_StackOpInParser, callee.span, ck.show(callee));
        else if (!isLValue(ck, callee.expr, ctx)) ck.diags.report(Msg.Fe_MustBeLValue, callee.span, ck.show(callee));
        checkArgCount(ck, e, 1, name);
        e.args.forEach((a) => {
          typeOf(ck, a.value, ctx);
          const v = constOf(ck, a.value);
          if (readsRuntime(ck, a.value, ctx)) ck.diags.report(Msg.Fe_CompileTimeConst, a.value.span, ck.show(a.value));
          else if (typeof v === "bigint" && v < 0n) ck.diags.report(Msg.Fe_NegativeCount, a.value.span, ck.show(a.value), name);
        });
        return T.Void;
      }
      case "table":
        if (ctx.inAction) ck.diags.report(Msg.Fe_ApplyInAction, e.span, ck.show(e));
        checkArgCount(ck, e, 0, name);
        return { k: "applyResult", table: baseT.decl };
      case "parser":
      case "control": {
        if (ctx.inAction) ck.diags.report(Msg.Fe_ApplyInAction, e.span, ck.show(e));
        checkArgs(ck, e, { params: baseT.decl.params, typeParams: [], returnType: null, node: baseT.decl, outerTypeParams: baseT.decl.typeParams }, ctx, "apply", baseT);
        return T.Void;
      }
      case "typeRef": {
        const of = baseT.of;
        if (of.k === "parser" || of.k === "control") {
          checkArgs(ck, e, { params: of.decl.params, typeParams: [], returnType: null, node: of.decl, outerTypeParams: of.decl.typeParams }, ctx, "apply", of);
        } else checkArgsLoose(ck, e.args, ctx);
        return T.Void;
      }
      case "extern": {
        const ms = baseT.decl.methods.filter((m) => m.name.text === name && !m.isConstructor);
        const c = pick(ck, e, ms.map((m) => ({ params: m.params, typeParams: m.typeParams, returnType: m.returnType, node: m, outerTypeParams: baseT.decl.typeParams, scopeNode: baseT.decl })), `${ck.show(callee)}`);
        if (!c) {
          checkArgsLoose(ck, e.args, ctx);
          return T.Unknown;
        }
        ck.refs.set(callee, c.node as A.MethodPrototype);
        const b = checkArgs(ck, e, c, ctx, "method", baseT);
        if (baseT.decl.name.text === "packet_in" && (name === "extract") && e.args.length >= 1) {
          const at = ck.types.get(e.args[0].value);
          if (at && !T.isVague(at) && at.k !== "header" && at.k !== "dontcare") {
            ck.diags.report(Msg.Fe_ExtractNotHeader, e.args[0].value.span, ck.show(e.args[0].value));
          }
          if (at && at.k === "header" && !T.isVague(at)) {
            // P4-16, Packet extraction: one argument for a fixed-width header, two for one with exactly one varbit field.
            const vb = at.decl.fields.filter((f) => at.fields.get(f.name.text)?.k === "varbit");
            const arg = e.args[0].value;
            if (e.args.length === 2 && vb.length > 1) ck.diags.reportWith(Msg.Fe_MultipleVarbit, vb[0].name.span, [{ span: e.span, message: "extracted here" }], vb[0].name.text, vb[1].name.text);
            else if (e.args.length === 2 && vb.length === 0) ck.diags.report(Msg.Fe_ExtractVarbit, arg.span, ck.show(arg), 2, "exactly one varbit field");
            else if (e.args.length === 1 && vb.length > 0) ck.diags.report(Msg.Fe_ExtractVarbit, arg.span, ck.show(arg), 1, "no varbit field");
          }
        }
        if (baseT.decl.name.text === "packet_out" && name === "emit" && e.args.length === 1) {
          // P4-16, Packet deparsing: emit is illegal on a base type, an enum or error.
          const at = ck.types.get(e.args[0].value);
          if (at && ["bits", "int", "bool", "varbit", "string", "enum", "error", "match_kind"].includes(at.k)) ck.diags.report(Msg.Fe_EmitType, e.args[0].value.span, ck.show(e.args[0].value), T.typeToString(at));
          else if (at && !emittable(e.typeArgs.length === 1 ? ck.types.get(e.typeArgs[0]) ?? at : at)) ck.diags.report(Msg.Fe_EmitNested, e.span, ck.show(e));
        }
        // The reference needs lookahead's type argument written out, even where it could be inferred.
        if (baseT.decl.name.text === "packet_in" && name === "lookahead" && e.typeArgs.length === 0) ck.diags.report(Msg.Fe_LookaheadTypeArg, e.span, "lookahead");
        if (baseT.decl.name.text === "packet_in" && name === "lookahead" && e.typeArgs.length === 1) {
          const lt = ck.types.get(e.typeArgs[0]) ?? ck.resolve(e.typeArgs[0], ctx.scope);
          const fs = T.fieldsOf(lt);
          if (lt.k === "varbit" || fs && [...fs.values()].some((f) => f.k === "varbit")) ck.diags.report(Msg.Fe_FixedWidthTypeArg, e.typeArgs[0].span, ck.showType(e.typeArgs[0]));
          return lt;
        }
        return legalReturn(ck, e, returnTypeOf(ck, c, b), ctx);
      }
      default:
        checkArgsLoose(ck, e.args, ctx);
        return T.Unknown;
    }
  }
  const ct = typeOf(ck, callee, ctx);
  if (callee.kind === "TypeMemberExpression" && SIZE_METHODS.has(callee.member.text) && ct.k === "method") {
    return sizeMethod(ck, e, ck.resolve(callee.type, ctx.scope), callee.member.text);
  }
  checkArgsLoose(ck, e.args, ctx);
  if (callee.kind === "CallExpression" && (ct.k === "void" || ck.types.get(callee.callee)?.k === "action")) {
    ck.diags.report(Msg.Fe_ActionCallResult, e.span, ck.show(callee));
  }
  return T.Unknown;
}

/**
 * `x.minSizeInBits()` and the other size methods: no arguments, and (P4-16 "Compile-time
 * size determination") no size for int, string, error, match_kind and enums without an
 * underlying type.
 */
function sizeMethod(ck: Checker, e: A.CallExpression, base: Type, name: string): Type {
  checkArgCount(ck, e, 0, name);
  const of = base.k === "typeRef" ? base.of : base;
  if (["int", "string", "error", "match_kind"].includes(of.k) || of.k === "enum" && !of.underlying) {
    ck.diags.report(Msg.Fe_NoWidth, e.span, ck.show(e), T.typeToString(of));
  }
  // "Compile-time size determination": the sizes are compile-time known.
  const bits = sizeInBits(of, name.startsWith("min"));
  if (bits !== undefined) ck.constants.set(e, BigInt(name.endsWith("Bytes") ? Math.ceil(bits / 8) : bits));
  return T.IntT;
}

/** The size of a value of type `t` in bits (varbits count their maximum, or 0 with `min`); undefined when unknown. */
function sizeInBits(t: Type, min: boolean): number | undefined {
  const sum = (ts: Iterable<Type>): number | undefined => {
    let n = 0;
    for (const x of ts) { const b = sizeInBits(x, min); if (b === undefined) return undefined; n += b; }
    return n;
  };
  switch (t.k) {
    case "bits": return t.width;
    case "bool": return 1;
    case "varbit": return min ? 0 : t.width;
    case "enum": return t.underlying ? sizeInBits(t.underlying, min) : undefined;
    case "newtype": return sizeInBits(t.base, min);
    case "header": case "struct": return sum(t.fields.values());
    case "tuple": return sum(t.elems);
    case "stack": { const b = sizeInBits(t.elem, min); return b === undefined || t.size === null ? undefined : b * t.size; }
    default: return undefined;
  }
}

/** `static_assert(check[, message])` holds at compile time: a false check fails with its message. */
function foldStaticAssert(ck: Checker, e: A.CallExpression): void {
  if (!e.args[0]) return;
  const v = constOf(ck, e.args[0].value);
  if (v === true) ck.constants.set(e, true);
  else if (v === false) {
    const m = e.args[1]?.value;
    ck.diags.report(Msg.Fe_StaticAssertFailed, e.span, ck.show(e), m?.kind === "StringLiteral" ? m.value : "static_assert failed");
  }
  // A check p4ts cannot fold is left alone (run-time checks are refused as directionless arguments).
}

function checkArgCount(ck: Checker, e: A.CallExpression, n: number, name: string): void {
  if (e.args.length !== n) ck.diags.report(Msg.Fe_ArgCount, e.span, ck.show(e), name, e.args.length);
}

function checkArgsLoose(ck: Checker, args: readonly A.Argument[], ctx: Ctx): void {
  for (const a of args) typeOf(ck, a.value, ctx);
}

function required(p: A.Parameter): boolean {
  return p.defaultValue === null && !p.annotations.some((a) => a.name.text === "optional");
}

function encloses(outer: A.CallExpression["span"], inner: A.CallExpression["span"]): boolean {
  const before = (a: { line: number; col: number }, b: { line: number; col: number }) => a.line < b.line || a.line === b.line && a.col <= b.col;
  return outer.file === inner.file && before({ line: outer.line, col: outer.col }, inner) && before({ line: inner.endLine, col: inner.endCol }, { line: outer.endLine, col: outer.endCol });
}

/** Chooses the overload whose parameters fit the arguments; reports when none does. */
function pick(ck: Checker, e: { args: readonly A.Argument[]; span: A.CallExpression["span"] }, cands: Callable[], name: string): Callable | null {
  if (cands.length === 0) return null;
  const n = e.args.length;
  const named = e.args.some((a) => a.name !== null);
  const fits = cands.filter((c) => {
    if (named) {
      const names = new Set(c.params.map((p) => p.name.text));
      if (!e.args.every((a) => a.name === null || names.has(a.name.text))) return false;
      const given = new Set(e.args.map((a) => a.name?.text));
      return c.params.every((p) => given.has(p.name.text) || !required(p));
    }
    const min = c.params.filter(required).length;
    return n >= min && n <= c.params.length;
  });
  if (fits.length === 0) {
    ck.diags.report(Msg.Fe_ArgCount, e.span, name + "(...)", name, n);
    return null;
  }
  if (fits.length > 1) {
    // Same arity overloads: prefer one whose parameter count is exact, else give up quietly.
    const exact = fits.filter((c) => c.params.length === n);
    if (exact.length === 1) return exact[0];
    if (exact.length > 1 && !named && exact.every((c) => c.node.kind === "MethodPrototype")) ck.diags.report(Msg.Fe_Ambiguous, e.span, name.replace(/^.*\./, ""));
    else if (exact.length > 1 && exact.every((c) => c.node.kind === "ExternFunctionDeclaration" || c.node.kind === "FunctionDeclaration")) {
      // a function does not see itself (no recursion): only the others are candidates (sample issue3197.p4)
      const visible = exact.filter((c) => !encloses(c.node.span, e.span));
      if (visible.length === 1) return visible[0];
      if (visible.length > 1) ck.diags.report(Msg.Fe_MultipleMatching, e.span, name);
    }
    return null;
  }
  return fits[0];
}

/** The callee's type variables (and its extern's), bound from explicit type arguments or the instance. */
function bindingsFor(ck: Checker, c: Callable, e: A.CallExpression, ctx: Ctx, instance?: Type): Bindings {
  const b: Bindings = new Map();
  c.typeParams.forEach((tp, i) => b.set(tp, e.typeArgs[i] ? ck.types.get(e.typeArgs[i]) ?? ck.runQuietly(() => ck.resolve(e.typeArgs[i], ctx.scope)) : null));
  const outer = c.outerTypeParams ?? [];
  const args = instance && "args" in instance && instance.args.length === outer.length ? instance.args : [];
  outer.forEach((tp, i) => b.set(tp, args[i] ?? null));
  return b;
}

/** Checks arguments against parameters: named/positional, out/inout writable, types. */
function checkArgs(ck: Checker, e: A.CallExpression, c: Callable, ctx: Ctx, what: "action" | "function" | "method" | "apply", instance?: Type): Bindings {
  const named = e.args.some((a) => a.name !== null); // all or none (mixedNamedArgs)
  const b = bindingsFor(ck, c, e, ctx, instance);
  if (e.typeArgs.length > 0 && e.typeArgs.length !== c.typeParams.length && what !== "action") {
    ck.diags.report(Msg.Fe_TypeArgCountCall, e.span, ck.show(e), c.typeParams.length, e.typeArgs.length);
  }
  const pairs: [A.Parameter | undefined, A.Argument][] = e.args.map((a, i) => [
    a.name ? c.params.find((p) => p.name.text === a.name!.text) : c.params[i], a,
  ]);
  if (what !== "action" && !named && e.args.length < c.params.filter(required).length) {
    ck.diags.report(Msg.Fe_ArgCount, e.span, ck.show(e), ck.show(e.callee), e.args.length);
  }
  if (what === "action" && !named) {
    if (e.args.length > c.params.length) ck.diags.report(Msg.Fe_ArgCount, e.span, ck.show(e), ck.show(e.callee), e.args.length);
    else if (!ctx.table) {
      const missing = c.params.slice(e.args.length).find(required);
      if (missing) ck.diags.report(Msg.Fe_ParamNotBound, e.span, ck.show(e), missing.name.text);
    }
  }
  for (const [p, a] of pairs) {
    if (!p) {
      if (a.name) ck.diags.report(Msg.Fe_NoSuchParam, a.name.span, ck.show(e), a.name.text);
      typeOf(ck, a.value, ctx);
      continue;
    }
    const pt = ck.declTypes.get(p) ?? T.Unknown;
    const at = typeOf(ck, a.value, ctx, subst(ck, pt, b));
    if (a.value.kind === "DontCareExpression") {
      // "Method invocations and function calls": `_` only as an out argument.
      if (p.direction !== "out") ck.diags.report(Msg.Fe_DontCareArg, a.value.span, ck.show(a.value));
      continue;
    }
    if (at.k === "parser" || at.k === "control" || at.k === "package" || at.k === "table") {
      ck.diags.report(Msg.Fe_ArgCannotHaveType, a.value.span, ck.show(a.value), at.k === "table" ? "Type_Table" : T.typeToString(at));
      continue;
    }
    const out = p.direction === "out" || p.direction === "inout";
    if (out && !isLValue(ck, a.value, ctx)) {
      ck.diags.report(Msg.Fe_ReadOnlyArg, e.span, ck.show(e), p.name.text);
      continue;
    }
    // "Calling convention": outside actions, a directionless argument is compile-time known.
    if (p.direction === null && what !== "action" && pt.k !== "extern" && readsRuntime(ck, a.value, ctx)) {
      ck.diags.report(Msg.Fe_DirectionlessArgConst, a.span, ck.show(a.value), p.name.text);
      continue;
    }
    const ok = match(ck, pt, at, b, out);
    if (ok === false) ck.diags.report(Msg.Fe_ArgType, a.value.span, ck.show(e), T.typeToString(at), p.name.text, T.typeToString(subst(ck, pt, b, false)));
  }
  if (e.typeArgs.length === 0 && (what === "function" || what === "method")) unboundTypeParams(ck, e, c, b, pairs);
  if (e.typeArgs.length === 0) {
    for (const [p, a] of pairs) {
      const pt = p ? ck.declTypes.get(p) : undefined;
      if (!pt || pt.k !== "typevar" || !c.typeParams.includes(pt.node) || b.get(pt.node)) continue;
      const at = ck.types.get(a.value);
      if (at?.k === "int") ck.diags.report(Msg.Fe_CannotInferWidth, a.value.span, ck.show(a.value));
      else if (at?.k === "listExpr" && a.value.kind === "ListExpression") {
        // a type variable is never bound to a tuple holding `int`: each such element is reported
        for (const x of a.value.elements) if (ck.types.get(x)?.k === "int") ck.diags.report(Msg.Fe_CannotInferWidth, x.span, ck.show(x));
      } else if (at?.k === "structExpr") ck.diags.report(Msg.Fe_UnknownStructArg, a.value.span);
      else if (a.value.kind === "DontCareExpression") ck.diags.report(Msg.Fe_CannotInferType, e.span, ck.show(e), pt.name);
    }
  }
  return b;
}

/**
 * The reference binds every type variable of a generic call (bindVariables.cpp): one
 * that no argument mentions is an error, unless it stands only in left-out optional
 * parameters (a don't care) or in the return type, which the call's context may bind
 * (checked for call statements, whose value nothing uses).
 */
function unboundTypeParams(ck: Checker, e: A.CallExpression, c: Callable, b: Bindings, pairs: readonly (readonly [A.Parameter | undefined, A.Argument])[]): void {
  const given = new Set(pairs.map(([p]) => p));
  const inParams = (tp: A.Name, ps: readonly A.Parameter[]): boolean => ps.some((p) => mentions(ck.declTypes.get(p) ?? T.Unknown, tp));
  for (const tp of c.typeParams) {
    if (b.get(tp) || inParams(tp, c.params.filter((p) => given.has(p)))) continue;
    if (inParams(tp, c.params.filter((p) => !given.has(p)))) continue;
    const ret = c.returnType ? ck.returnTypes.get(c.node) : undefined;
    if (ret && mentions(ret, tp)) {
      if (!ck.unboundReturn.has(e)) ck.unboundReturn.set(e, tp.text);
    } else {
      ck.diags.report(Msg.Fe_CannotInferType, e.span, ck.show(e), tp.text);
    }
  }
}

/** Whether type `t` mentions the type variable declared by `tp`. */
function mentions(t: Type, tp: A.Name): boolean {
  switch (t.k) {
    case "typevar": return t.node === tp;
    case "stack": case "list": case "set": return mentions(t.elem, tp);
    case "tuple": return t.elems.some((x) => mentions(x, tp));
    case "struct": case "header": case "union": case "extern": case "parser": case "control": case "package":
      return t.args.some((x) => mentions(x, tp));
    default: return false;
  }
}

/**
 * A call does not produce a parser, control or package; it produces an extern
 * instance only when every argument is compile-time known (a factory).
 */
function legalReturn(ck: Checker, e: A.CallExpression, t: Type, ctx: Ctx): Type {
  const illegal = t.k === "parser" || t.k === "control" || t.k === "package"
    || t.k === "extern" && e.args.some((a) => readsRuntime(ck, a.value, ctx));
  if (!illegal) return t;
  ck.diags.report(Msg.Fe_IllegalReturnType, e.span, ck.show(e), T.typeToString(t));
  return T.Unknown;
}

function returnTypeOf(ck: Checker, c: Callable, b: Bindings): Type {
  if (!c.returnType) return T.Void;
  return subst(ck, ck.returnTypes.get(c.node) ?? T.Unknown, b);
}

export function checkConstructorCall(ck: Checker, e: A.ConstructorCallExpression, ctx: Ctx): Type {
  const t = ck.resolve(e.type, ctx.scope);
  if (t.k === "extern" && t.decl.methods.some((m) => m.isAbstract)) {
    ck.diags.report(Msg.Fe_AbstractCtorCall, e.span, t.decl.name.text, t.decl.name.text);
  }
  return construct(ck, t, e.args, ctx, e.span, ck.show(e));
}

/**
 * Checks constructor arguments of an extern, parser, control or package
 * instance (count, then types matched against the constructor parameters,
 * inferring the type's type variables). Returns the instance's type with the
 * inferred type arguments.
 */
export function construct(ck: Checker, t: Type, args: readonly A.Argument[], ctx: Ctx, at: A.Node["span"], what: string): Type {
  if (T.isUnknown(t)) {
    for (const a of args) typeOf(ck, a.value, ctx);
    return t;
  }
  let params: readonly A.Parameter[] | null = null;
  let typeParams: readonly A.Name[] = [];
  let explicit: readonly Type[] = [];
  let name = "";
  switch (t.k) {
    case "extern": {
      const ctors = t.decl.methods.filter((m) => m.isConstructor);
      typeParams = t.decl.typeParams;
      explicit = t.args;
      name = t.decl.name.text;
      if (ctors.length === 0) {
        for (const a of args) typeOf(ck, a.value, ctx);
        ck.diags.report(Msg.Fe_NoMatchingCtor, at, what, name);
        return t;
      }
      {
        const fit = ctors.filter((m) => fitsCount(m.params, args));
        if (fit.length === 0) {
          for (const a of args) typeOf(ck, a.value, ctx);
          ck.diags.report(Msg.Fe_NoMatchingCtor, at, what, name);
          return t;
        }
        params = fit.length === 1 ? fit[0].params : null;
      }
      break;
    }
    case "parser":
    case "control":
    case "package": {
      const d = t.decl;
      typeParams = d.typeParams;
      explicit = t.args;
      name = d.name.text;
      params = d.kind === "ParserDeclaration" || d.kind === "ControlDeclaration" ? d.constructorParams ?? [] : d.kind === "PackageTypeDeclaration" ? d.params : null;
      if (params && !fitsCount(params, args)) {
        for (const a of args) typeOf(ck, a.value, ctx);
        // parsers and controls overload on their constructor parameters (sample issue1334.p4): another declaration may fit
        const other = (ck.global.lookup(name) ?? []).some((x) => (x.node.kind === "ParserDeclaration" || x.node.kind === "ControlDeclaration") && x.node !== d && fitsCount(x.node.constructorParams ?? [], args));
        if (!other) ck.diags.report(Msg.Fe_NoMatchingCtor, at, what, name);
        return t;
      }
      break;
    }
    default:
      for (const a of args) typeOf(ck, a.value, ctx);
      ck.diags.report(Msg.Fe_CannotAllocate, at, what, T.typeToString(t));
      return T.Unknown;
  }
  const b: Bindings = new Map();
  typeParams.forEach((tp, i) => b.set(tp, explicit.length === typeParams.length ? explicit[i] : null));
  if (t.k === "package" && args.length === 0 && explicit.length === 0 && typeParams.length > 0) {
    ck.diags.report(Msg.Fe_CannotInferType, at, what, typeParams[0].text);
  }
  if (!params || args.some((a) => a.name !== null)) {
    for (const a of args) {
      typeOf(ck, a.value, ctx);
      ctorArgKnown(ck, a.value, ctx);
    }
    return t;
  }
  args.forEach((a, i) => {
    const p = params![i];
    const pt = p ? ck.declTypes.get(p) ?? T.Unknown : T.Unknown;
    const at2 = typeOf(ck, a.value, ctx, subst(ck, pt, b));
    ctorArgKnown(ck, a.value, ctx);
    if (!p || a.value.kind === "DontCareExpression") return;
    if (match(ck, pt, at2, b, false) === false) {
      const where = t.k === "package" ? t.decl.name.span : at;
      const why = explainSignature(ck, pt, at2, b);
      ck.diags.reportWith(Msg.Fe_CtorArgType, where, [{ span: a.value.span, message: "argument" }, ...(why ? [why] : [])], t.k === "package" ? `package ${name}` : what, ck.show(a.value), T.typeToString(at2), p.name.text, T.typeToString(subst(ck, pt, b, false)));
    }
  });
  for (const a of args) {
    const v = a.value;
    if (v.kind !== "CallExpression" || v.callee.kind !== "PathExpression") continue;
    const fn = ck.refs.get(v.callee);
    if (fn?.kind !== "ExternFunctionDeclaration") continue;
    v.args.forEach((x, i) => {
      const p = fn.params[i];
      if (p && p.direction === null && readsRuntime(ck, x.value, ctx)) ck.diags.report(Msg.Fe_DirectionlessConst, v.span, ck.show(v), ck.show(x.value), p.name.text);
    });
  }
  if (explicit.length === 0 && typeParams.length > 0) {
    // P4-16, Type specialization: an instance binds every type variable, explicitly or through its arguments.
    const unbound = t.k === "extern" ? typeParams.find((tp) => !b.get(tp)) : undefined;
    if (unbound) ck.diags.report(Msg.Fe_CannotInferType, at, what, unbound.text);
    return { ...t, args: typeParams.map((tp) => b.get(tp) ?? T.Unknown) } as Type;
  }
  return t;
}

/**
 * "Instantiations" are evaluated at compile time: constructor arguments do not
 * read variables or run-time parameters. (Calls are left alone: extern
 * factories and @pure extern functions are legal arguments.)
 */
function ctorArgKnown(ck: Checker, e: A.Expression, ctx: Ctx): void {
  if (e.kind !== "CallExpression" && readsRuntime(ck, e, ctx)) ck.diags.report(Msg.Fe_CtorArgNotConst, e.span, ck.show(e));
}

function paramsOfCallee(n: A.Node | { kind: "ForInVariable" }): readonly A.Parameter[] {
  return n.kind === "ActionDeclaration" || n.kind === "FunctionDeclaration" || n.kind === "ExternFunctionDeclaration" ? n.params : [];
}

export function fitsCount(params: readonly A.Parameter[], args: readonly A.Argument[]): boolean {
  if (args.some((a) => a.name !== null)) {
    // named arguments (the reference's callMatches): each names a parameter, and every required parameter is named
    const names = new Set(args.map((a) => a.name?.text));
    return args.every((a) => a.name === null || params.some((p) => p.name.text === a.name!.text)) && params.every((p) => names.has(p.name.text) || !required(p));
  }
  const min = params.filter(required).length;
  return args.length >= min && args.length <= params.length;
}

export { declaredType };

/** What `emit` takes: headers, stacks and unions, and structs and tuples of them (recursively). */
function emittable(t: T.Type): boolean {
  switch (t.k) {
    case "struct": case "structExpr": return [...t.fields.values()].every(emittable);
    case "tuple": case "listExpr": return t.elems.every(emittable);
    case "bits": case "int": case "bool": case "varbit": case "string": case "enum": case "error": case "match_kind": case "newtype": return false;
    default: return true;
  }
}

/** "Calling convention": either all or none of a call's arguments are named; reports the first that breaks it. */
export function mixedNamedArgs(ck: Checker, args: readonly A.Argument[]): boolean {
  const odd = args.find((a) => (a.name === null) !== (args[0].name === null));
  if (odd) ck.diags.report(Msg.Fe_NamedArgsMixed, odd.span, odd.name ? `${odd.name.text} = ${ck.show(odd.value)}` : ck.show(odd.value));
  return odd !== undefined;
}
