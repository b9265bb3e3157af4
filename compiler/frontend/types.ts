/**
 * The front end's semantic types. A Type is a plain tagged object; named types
 * (headers, structs, enums, externs, ...) point back to their declaration.
 * `unknown` is the type of anything the checker could not work out (a name that
 * did not resolve, a generic it could not infer): every check treats it as
 * compatible with everything, so an incomplete analysis never rejects a program.
 */
import type * as A from "../ast/nodes.js";

export type Type =
  | { readonly k: "unknown" }
  | { readonly k: "bool" }
  | { readonly k: "string" }
  | { readonly k: "error" }
  | { readonly k: "match_kind" }
  | { readonly k: "void" }
  | { readonly k: "dontcare" }
  /** bit<W> (signed false) or int<W> (signed true). */
  | { readonly k: "bits"; readonly signed: boolean; readonly width: number }
  /** Arbitrary-precision `int` (the type of an unsized literal). */
  | { readonly k: "int" }
  | { readonly k: "varbit"; readonly width: number }
  | { readonly k: "enum"; readonly decl: A.EnumDeclaration; readonly underlying: Type | null }
  | { readonly k: "struct" | "header" | "union"; readonly decl: A.StructDeclaration | A.HeaderDeclaration | A.HeaderUnionDeclaration; readonly fields: ReadonlyMap<string, Type>; readonly args: readonly Type[] }
  | { readonly k: "stack"; readonly elem: Type; readonly size: number | null }
  | { readonly k: "tuple"; readonly elems: readonly Type[] }
  | { readonly k: "list"; readonly elem: Type }
  /** `type T N` */
  | { readonly k: "newtype"; readonly decl: A.TypedefDeclaration; readonly base: Type }
  | { readonly k: "typevar"; readonly name: string; readonly node: A.Name }
  /** An extern, parser, control or package (type or instance). */
  | { readonly k: "extern"; readonly decl: A.ExternDeclaration; readonly args: readonly Type[] }
  | { readonly k: "parser"; readonly decl: A.ParserDeclaration | A.ParserTypeDeclaration; readonly args: readonly Type[] }
  | { readonly k: "control"; readonly decl: A.ControlDeclaration | A.ControlTypeDeclaration; readonly args: readonly Type[] }
  | { readonly k: "package"; readonly decl: A.PackageTypeDeclaration; readonly args: readonly Type[] }
  | { readonly k: "table"; readonly decl: A.TableDeclaration }
  | { readonly k: "action"; readonly decl: A.ActionDeclaration }
  | { readonly k: "function"; readonly decl: A.FunctionDeclaration | A.ExternFunctionDeclaration }
  | { readonly k: "method"; readonly of: string }
  | { readonly k: "state" }
  /** The result of a table apply: hit, miss, action_run. */
  | { readonly k: "applyResult"; readonly table: A.TableDeclaration }
  /** action_run's enum of the table's actions. */
  | { readonly k: "actionEnum"; readonly table: A.TableDeclaration }
  | { readonly k: "set"; readonly elem: Type }
  /** A type used in expression position: `E` in `E.a`, `T` in `T.apply()`. */
  | { readonly k: "typeRef"; readonly of: Type }
  /** `{a, b}` with no target type yet */
  | { readonly k: "listExpr"; readonly elems: readonly Type[]; readonly dots?: boolean }
  /** `{a = x}` with no target type yet */
  | { readonly k: "structExpr"; readonly fields: ReadonlyMap<string, Type>; readonly dots?: boolean }
  /** `{#}` */
  | { readonly k: "invalid" };

export type TypeOf<K extends Type["k"]> = Type & { readonly k: K };

/** How the reference names the type of `...` (which p4ts types as a don't care). */
export const ANYTYPE = "ANYTYPE";
export const Unknown: Type = { k: "unknown" };
export const Bool: Type = { k: "bool" };
export const StringT: Type = { k: "string" };
export const ErrorT: Type = { k: "error" };
export const MatchKind: Type = { k: "match_kind" };
export const Void: Type = { k: "void" };
export const DontCare: Type = { k: "dontcare" };
export const IntT: Type = { k: "int" };
export const State: Type = { k: "state" };
export const Invalid: Type = { k: "invalid" };
export const bits = (width: number, signed = false): Type => ({ k: "bits", signed, width });

export const isUnknown = (t: Type): boolean => t.k === "unknown" || t.k === "typevar";
export const isIntegral = (t: Type): boolean => t.k === "bits" || t.k === "int";

/** A type that contains a type variable or unknown part somewhere: checks involving it are skipped. */
export function isVague(t: Type): boolean {
  switch (t.k) {
    case "unknown":
    case "typevar":
    case "dontcare":
      return true;
    case "stack":
      return isVague(t.elem);
    case "tuple":
    case "listExpr":
      return t.elems.some(isVague);
    case "list":
    case "set":
      return isVague(t.elem);
    case "struct":
    case "header":
    case "union":
      return t.args.some(isVague) || t.decl.typeParams.length > 0 && t.args.length === 0;
    case "structExpr":
      return [...t.fields.values()].some(isVague);
    case "newtype":
      return isVague(t.base);
    default:
      return false;
  }
}

export function typeToString(t: Type): string {
  switch (t.k) {
    case "unknown": return "Unknown type";
    case "bool": case "string": case "error": case "match_kind": case "void": case "int": return t.k;
    case "dontcare": return "_";
    case "bits": return `${t.signed ? "int" : "bit"}<${t.width}>`;
    case "varbit": return `varbit<${t.width}>`;
    case "enum": return t.decl.name.text;
    case "struct": case "header": case "union": {
      const kw = t.k === "union" ? "header_union" : t.k;
      const args = t.args.length ? `<${t.args.map(typeToString).join(", ")}>` : "";
      return `${kw} ${t.decl.name.text}${args}`;
    }
    case "stack": return `${typeToString(t.elem)}[${t.size ?? "?"}]`;
    case "tuple": return `tuple<${t.elems.map(typeToString).join(", ")}>`;
    case "listExpr": return `tuple<${t.elems.map(typeToString).join(", ")}>`;
    case "list": return `list<${typeToString(t.elem)}>`;
    case "newtype": return t.decl.name.text;
    case "typevar": return t.name;
    case "extern": return `extern ${t.decl.name.text}`;
    case "parser": case "control": case "package": return `${t.k} ${t.decl.name.text}`;
    case "table": return `table ${t.decl.name.text}`;
    case "action": return `action ${t.decl.name.text}`;
    case "function": return `function ${t.decl.name.text}`;
    case "method": return `method ${t.of}`;
    case "state": return "state";
    case "applyResult": return `apply result of ${t.table.name.text}`;
    case "actionEnum": return `action_list(${t.table.name.text})`;
    case "set": return `set<${typeToString(t.elem)}>`;
    case "typeRef": return `Type(${typeToString(t.of)})`;
    case "structExpr": return `struct { ${[...t.fields].map(([n, f]) => `${typeToString(f)} ${n};`).join(" ")} }`;
    case "invalid": return "invalid";
  }
}

/**
 * Structural equality of two known types; `undefined` when either contains an
 * unknown part (the caller then skips its check).
 */
export function sameType(a: Type, b: Type): boolean | undefined {
  if (isVague(a) || isVague(b)) return undefined;
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "bits": {
      const o = b as TypeOf<"bits">;
      return a.signed === o.signed && a.width === o.width;
    }
    case "varbit": return a.width === (b as TypeOf<"varbit">).width;
    case "enum": case "newtype": case "extern": case "parser": case "control": case "package":
    case "table": case "action": case "function":
      return a.decl === (b as { decl: unknown }).decl;
    case "struct": case "header": case "union": {
      const o = b as TypeOf<"struct">;
      if (a.decl !== o.decl || a.args.length !== o.args.length) return false;
      let r: boolean | undefined = true;
      a.args.forEach((x, i) => { const s = sameType(x, o.args[i]); if (s === false) r = false; else if (s === undefined && r) r = undefined; });
      return r;
    }
    case "stack": {
      const o = b as TypeOf<"stack">;
      const e = sameType(a.elem, o.elem);
      if (e !== true) return e;
      return a.size === null || o.size === null ? undefined : a.size === o.size;
    }
    case "tuple": case "listExpr": {
      const o = b as TypeOf<"tuple">;
      if (a.elems.length !== o.elems.length) return false;
      let r: boolean | undefined = true;
      a.elems.forEach((x, i) => { const s = sameType(x, o.elems[i]); if (s === false) r = false; else if (s === undefined && r) r = undefined; });
      return r;
    }
    case "list": case "set": return sameType(a.elem, (b as TypeOf<"list">).elem);
    case "applyResult": case "actionEnum": return a.table === (b as TypeOf<"applyResult">).table;
    default: return true;
  }
}

/** The type after removing `type` wrappers (for operations on a new type's values, p4c requires casts; we only peek). */
export function fieldsOf(t: Type): ReadonlyMap<string, Type> | null {
  if (t.k === "struct" || t.k === "header" || t.k === "union" || t.k === "structExpr") return t.fields;
  return null;
}
