/**
 * Type resolution: turns a written TypeRef into a semantic Type in a scope.
 * Before: every declaration the program can see is bound in the scopes.
 * After: the Type is returned (Unknown when a name does not resolve or a width
 * is not a constant, after reporting what is wrong); nothing is mutated but the
 * caches and the diagnostic bag.
 */
import type * as A from "../ast/nodes.js";
import { assertNever } from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import { printType } from "../ast/print.js";
import type { Checker, TypeEnv } from "./checker.js";
import type { Scope, Binding } from "./scope.js";
import * as T from "./types.js";
import { REF_MAX_WIDTH } from "./constants.js";
import type { Type } from "./types.js";

const MAX_WIDTH = 2n ** 31n - 1n;

export function resolveType(ck: Checker, t: A.TypeRef, scope: Scope, env?: TypeEnv): Type {
  switch (t.kind) {
    case "TypeBool": return T.Bool;
    case "TypeString": return T.StringT;
    case "TypeVoid": return T.Void;
    case "TypeDontCare": return T.DontCare;
    case "TypeMatchKind": return T.MatchKind;
    case "TypeError":
      if (!ck.errorDeclared) {
        ck.diags.report(Msg.Fe_NotFound, t.span, "error");
        return T.Unknown;
      }
      return T.ErrorT;
    case "TypeBits": {
      if (t.infinite) return T.IntT;
      if (t.width === null) return T.bits(1, t.signed);
      const w = widthOf(ck, t.width, scope);
      if (w === 0 && t.signed) {
        ck.diags.report(Msg.Fe_SignedZeroWidth, t.span);
        return T.Unknown;
      }
      if (w !== null && w > REF_MAX_WIDTH) ck.diags.report(Msg.Fe_WidthUnsupported, t.span, printType(t), REF_MAX_WIDTH);
      return w === null ? T.Unknown : T.bits(w, t.signed);
    }
    case "TypeVarbit": {
      const w = widthOf(ck, t.width, scope);
      return w === null ? T.Unknown : { k: "varbit", width: w };
    }
    case "TypeName": {
      if (!t.topLevel && env?.has(t.name.text)) return env.get(t.name.text)!;
      const found = (t.topLevel ? scope.root() : scope).lookup(t.name.text);
      if (!found) {
        ck.diags.report(Msg.Fe_NotFound, t.name.span, t.name.text);
        return T.Unknown;
      }
      const e = found.find((x) => x.typeParam || isTypeDecl(x.node)) ?? found[0];
      ck.refs.set(t, e.node);
      if (e.typeParam) return { k: "typevar", name: t.name.text, node: e.node as A.Name };
      const n = e.node;
      if (!isTypeDecl(n)) {
        ck.diags.report(Msg.Fe_NotAType, t.name.span, t.name.text);
        return T.Unknown;
      }
      if ((n.kind === "StructDeclaration" || n.kind === "HeaderDeclaration" || n.kind === "HeaderUnionDeclaration") && n.typeParams.length > 0 && !ck.resolvingGeneric) {
        ck.diags.report(Msg.Fe_NoTypeArgs, t.span, t.name.text);
        return T.Unknown;
      }
      return declaredType(ck, n, []);
    }
    case "TypeSpecialized": {
      const found = (t.base.topLevel ? scope.root() : scope).lookup(t.base.name.text);
      if (!found) {
        ck.diags.report(Msg.Fe_NotFound, t.base.name.span, t.base.name.text);
        return T.Unknown;
      }
      const e = found.find((x) => isTypeDecl(x.node)) ?? found[0];
      ck.refs.set(t.base, e.node);
      const args = t.args.map((a) => resolveType(ck, a, scope, env));
      const n0 = e.node;
      if (n0.kind === "ExternDeclaration" && args.some((a) => a.k === "extern" && a.decl === n0)) {
        ck.diags.report(Msg.Fe_SelfTypeArg, t.span, n0.name.text);
        return T.Unknown;
      }
      if (n0.kind === "StructDeclaration" || n0.kind === "HeaderDeclaration" || n0.kind === "HeaderUnionDeclaration") {
        if (args.some((a) => (a.k === "struct" || a.k === "header" || a.k === "union") && a.decl === n0)) {
          ck.diags.report(Msg.Fe_SelfStructArg, t.span, n0.name.text, `${n0.kind === "StructDeclaration" ? "struct" : n0.kind === "HeaderDeclaration" ? "header" : "header_union"} ${n0.name.text}`);
          return T.Unknown;
        }
      }
      const bad = args.find((a) => a.k === "parser" || a.k === "control" || a.k === "package");
      if (bad) {
        ck.diags.report(Msg.Fe_TypeArgIsBlock, t.span, printType(t), T.typeToString(bad));
        return T.Unknown;
      }
      const params = typeParamsOf(e.node);
      if (params !== null && params.length !== args.length && !e.typeParam) {
        if (params.length === 0 && e.node.kind === "TypedefDeclaration") {
          ck.diags.report(Msg.Fe_NotGeneric, t.span, printType(t), t.base.name.text);
        } else {
          ck.diags.report(Msg.Fe_TypeArgCount, t.span, printType(t), t.base.name.text, params.length, args.length);
        }
        return T.Unknown;
      }
      const st = declaredType(ck, e.node, args);
      if ((st.k === "header" || st.k === "union" || st.k === "struct") && !ck.checkingFields) {
        for (const f of st.decl.fields) {
          const ft = st.fields.get(f.name.text);
          if (ft && f.type.kind === "TypeName" && st.decl.typeParams.some((tp) => tp.text === (f.type as A.TypeName).name.text) && !fieldOk(st.k, ft)) {
            ck.diags.report(Msg.Fe_FieldType, f.name.span, f.name.text, `${st.k === "union" ? "header_union" : st.k} ${st.decl.name.text}`, T.typeToString(ft));
          }
        }
      }
      return st;
    }
    case "TypeStack": {
      const elem = resolveType(ck, t.element, scope, env);
      if (!arrayElementOk(elem)) {
        ck.diags.report(Msg.Fe_ArrayElementType, t.element.span, printType(t), T.typeToString(elem));
        return T.Unknown;
      }
      if (mentionsRuntimeOrMember(t.size, scope)) {
        ck.diags.report(Msg.Fe_StackSize, t.span, `${T.typeToString(elem)}[?]`);
        return { k: "stack", elem, size: null };
      }
      const size = ck.constInt(t.size, scope);
      if (size === undefined) {
        if (ck.readsRuntimeValue(t.size, scope) || ck.constants.get(t.size) !== undefined) ck.diags.report(Msg.Fe_StackSize, t.span, `${T.typeToString(elem)}[?]`);
        return { k: "stack", elem, size: null };
      }
      if (size < 0n) {
        ck.diags.report(Msg.Fe_IllegalArraySize, t.size.span, size);
        return T.Unknown;
      }
      return { k: "stack", elem, size: Number(size) };
    }
    case "TypeTuple": {
      const elems = t.elements.map((x) => resolveType(ck, x, scope, env));
      elems.forEach((el, i) => {
        if (el.k === "parser" || el.k === "control" || el.k === "package" || el.k === "extern" || el.k === "void") ck.diags.report(Msg.Fe_TupleField, t.elements[i].span, printType(t.elements[i]));
      });
      return { k: "tuple", elems };
    }
    case "TypeList":
      return { k: "list", elem: resolveType(ck, t.element, scope, env) };
    default:
      return assertNever(t, "type");
  }
}

function widthOf(ck: Checker, e: A.Expression, scope: Scope): number | null {
  const v = ck.constInt(e, scope);
  if (v === undefined) {
    const nonInt = ck.constants.get(e) !== undefined; // a bool or string constant is not a width
    if (nonInt || ck.readsRuntimeValue(e, scope) || e.kind === "CastExpression" || e.kind === "ListExpression" || e.kind === "DotsExpression") ck.diags.report(Msg.Fe_WidthNotConstant, e.span, ck.show(e));
    return null;
  }
  if (v > MAX_WIDTH) {
    ck.diags.report(Msg.Fe_WidthTooLarge, e.span, v);
    return null;
  }
  if (v < 0n) {
    ck.diags.report(Msg.Fe_BadWidth, e.span, v);
    return null;
  }
  return Number(v);
}

function fieldOk(k: "header" | "union" | "struct", t: Type): boolean {
  if (T.isVague(t)) return true;
  // a struct's type argument (as the reference's struct field check): no int, string, extern, parser, control, package or void
  if (k === "struct") return !["int", "string", "extern", "parser", "control", "package", "void"].includes(t.k);
  if (k === "union") return t.k === "header";
  return t.k === "bits" || t.k === "varbit" || t.k === "bool" || t.k === "newtype" || t.k === "enum" && t.underlying !== null || t.k === "struct" || t.k === "stack";
}

/** P4-16, Type nesting rules (the "array" and "header stack" columns): what an array `E[n]` may hold. */
function arrayElementOk(t: Type): boolean {
  switch (t.k) {
    case "int": case "string": case "void": case "match_kind": case "error": case "tuple": case "list":
    case "parser": case "control": case "package":
      return false;
    case "stack":
      return t.elem.k !== "header" && t.elem.k !== "union"; // no stack of header stacks
    default:
      return true;
  }
}

/** A stack size naming a field or a parameter is not a type-level constant. */
function mentionsRuntimeOrMember(e: A.Expression, scope: Scope): boolean {
  switch (e.kind) {
    case "MemberExpression": return true;
    case "PathExpression": {
      const b = (e.topLevel ? scope.root() : scope).lookup(e.name.text)?.[0]?.node;
      return b?.kind === "Parameter" || b?.kind === "VariableDeclaration";
    }
    case "BinaryExpression": return mentionsRuntimeOrMember(e.left, scope) || mentionsRuntimeOrMember(e.right, scope);
    case "UnaryExpression": return mentionsRuntimeOrMember(e.operand, scope);
    case "CastExpression": return mentionsRuntimeOrMember(e.expr, scope);
    default: return false;
  }
}

export function isTypeDecl(n: Binding): boolean {
  switch (n.kind) {
    case "HeaderDeclaration": case "HeaderUnionDeclaration": case "StructDeclaration": case "EnumDeclaration":
    case "TypedefDeclaration": case "ParserTypeDeclaration": case "ControlTypeDeclaration": case "PackageTypeDeclaration":
    case "ExternDeclaration": case "ParserDeclaration": case "ControlDeclaration":
      return true;
    default:
      return false;
  }
}

export function typeParamsOf(n: Binding): readonly A.Name[] | null {
  switch (n.kind) {
    case "HeaderDeclaration": case "HeaderUnionDeclaration": case "StructDeclaration":
    case "ParserTypeDeclaration": case "ControlTypeDeclaration": case "PackageTypeDeclaration":
    case "ExternDeclaration": case "ParserDeclaration": case "ControlDeclaration":
      return n.typeParams;
    case "EnumDeclaration": case "TypedefDeclaration":
      return [];
    default:
      return null;
  }
}

/** The type a type declaration denotes, with type arguments for generic ones. */
export function declaredType(ck: Checker, n: Binding, args: readonly Type[]): Type {
  switch (n.kind) {
    case "HeaderDeclaration":
    case "HeaderUnionDeclaration":
    case "StructDeclaration":
      return ck.structType(n, args);
    case "EnumDeclaration":
      return ck.enumType(n);
    case "TypedefDeclaration":
      return ck.typedefType(n);
    case "ExternDeclaration":
      return { k: "extern", decl: n, args };
    case "ParserTypeDeclaration":
    case "ParserDeclaration":
      return { k: "parser", decl: n, args };
    case "ControlTypeDeclaration":
    case "ControlDeclaration":
      return { k: "control", decl: n, args };
    case "PackageTypeDeclaration":
      return { k: "package", decl: n, args };
    default:
      return T.Unknown;
  }
}
