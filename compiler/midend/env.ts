/**
 * The mid-end's view of declarations: scopes, resolved types, expression types
 * and compile-time constants, computed from the AST for the constructs the
 * P4TC control plane needs (l-value key expressions, action parameters,
 * constructor arguments, table property values, entry keysets).
 *
 * This is deliberately small and self-contained: the front end has already
 * rejected ill-typed programs, so every helper here answers `unknown` / `null`
 * instead of reporting when it meets something it does not model, and the
 * passes turn that into a located "unsupported" error where it matters.
 */
import type * as A from "../ast/nodes.js";

// ---------------------------------------------------------------------------
// Resolved types

export type RType =
  | { readonly kind: "bits"; readonly width: number; readonly signed: boolean }
  | { readonly kind: "varbit"; readonly width: number }
  | { readonly kind: "int" }
  | { readonly kind: "bool" }
  | { readonly kind: "string" }
  | { readonly kind: "error" }
  | { readonly kind: "match_kind" }
  | { readonly kind: "void" }
  | {
      readonly kind: "struct" | "header" | "header_union";
      readonly name: string;
      readonly decl: A.StructDeclaration | A.HeaderDeclaration | A.HeaderUnionDeclaration;
      /** Type arguments by type-parameter name (generic structs). */
      readonly args: ReadonlyMap<string, RType>;
    }
  | { readonly kind: "enum"; readonly name: string; readonly decl: A.EnumDeclaration; readonly underlying: RType | null }
  /** `type T N;`: a new type over `base` (PortId_t over bit<32>). */
  | { readonly kind: "newtype"; readonly name: string; readonly decl: A.TypedefDeclaration; readonly base: RType }
  | { readonly kind: "stack"; readonly element: RType; readonly size: number }
  | { readonly kind: "tuple"; readonly elements: readonly RType[] }
  | { readonly kind: "extern"; readonly name: string; readonly decl: A.ExternDeclaration; readonly args: readonly RType[] }
  | { readonly kind: "control"; readonly name: string; readonly decl: A.ControlDeclaration | A.ControlTypeDeclaration }
  | { readonly kind: "parser"; readonly name: string; readonly decl: A.ParserDeclaration | A.ParserTypeDeclaration }
  | { readonly kind: "package"; readonly name: string; readonly decl: A.PackageTypeDeclaration }
  | { readonly kind: "typevar"; readonly name: string }
  | { readonly kind: "unknown" };

export const UNKNOWN: RType = { kind: "unknown" };
export const BOOL: RType = { kind: "bool" };

export function bits(width: number, signed = false): RType {
  return { kind: "bits", width, signed };
}

/** The P4 width in bits of a scalar type (`bit<W>`, `int<W>`, bool, serializable enum, new type), or null. */
export function widthOf(t: RType): number | null {
  switch (t.kind) {
    case "bits":
      return t.width;
    case "bool":
      return 1;
    case "newtype":
      return widthOf(t.base);
    case "enum":
      return t.underlying ? widthOf(t.underlying) : null;
    default:
      return null;
  }
}

/** Follows new types (`type bit<32> PortId_t`) down to the underlying type. */
export function underlying(t: RType): RType {
  let u = t;
  while (u.kind === "newtype") u = u.base;
  return u;
}

export function typeToString(t: RType): string {
  switch (t.kind) {
    case "bits":
      return `${t.signed ? "int" : "bit"}<${t.width}>`;
    case "varbit":
      return `varbit<${t.width}>`;
    case "struct":
    case "header":
    case "header_union":
    case "enum":
    case "newtype":
    case "extern":
    case "control":
    case "parser":
    case "package":
      return t.name;
    case "typevar":
      return t.name;
    case "stack":
      return `${typeToString(t.element)}[${t.size}]`;
    case "tuple":
      return `tuple<${t.elements.map(typeToString).join(", ")}>`;
    default:
      return t.kind;
  }
}

// ---------------------------------------------------------------------------
// Symbols and scopes

export type Sym =
  | { readonly kind: "param"; readonly decl: A.Parameter; readonly type: RType }
  | { readonly kind: "var"; readonly decl: A.VariableDeclaration; readonly type: RType }
  | { readonly kind: "const"; readonly decl: A.ConstantDeclaration; readonly type: RType; readonly scope: Scope }
  | { readonly kind: "instance"; readonly decl: A.Instantiation; readonly type: RType }
  | { readonly kind: "action"; readonly decl: A.ActionDeclaration }
  | { readonly kind: "table"; readonly decl: A.TableDeclaration }
  | { readonly kind: "function"; readonly decl: A.FunctionDeclaration }
  | { readonly kind: "externFunction"; readonly decl: A.ExternFunctionDeclaration }
  | { readonly kind: "valueSet"; readonly decl: A.ValueSetDeclaration }
  | { readonly kind: "type"; readonly decl: A.Declaration }
  /** A type variable bound to a concrete type (type arguments of generic declarations). */
  | { readonly kind: "typeArg"; readonly type: RType };

/** A lexical scope: names to symbols, with a parent. */
export class Scope {
  private readonly names = new Map<string, Sym>();

  constructor(
    readonly parent: Scope | null,
    /** The top-level scope, for `.name` lookups. */
    readonly root: Scope | null = parent?.root ?? parent,
  ) {}

  define(name: string, sym: Sym): void {
    this.names.set(name, sym);
  }

  /** The innermost symbol called `name`. */
  lookup(name: string, topLevel = false): Sym | undefined {
    if (topLevel) return (this.root ?? this).lookupHere(name);
    for (let s: Scope | null = this; s; s = s.parent) {
      const hit = s.names.get(name);
      if (hit) return hit;
    }
    return undefined;
  }

  lookupHere(name: string): Sym | undefined {
    return this.names.get(name);
  }
}

// ---------------------------------------------------------------------------
// The environment

/** Name of the declaration, for the kinds that have one. */
export function declName(d: A.Declaration): string | null {
  return "name" in d && d.name ? d.name.text : null;
}

export class Env {
  /** The top-level scope (program declarations, last one wins for overloads). */
  readonly global: Scope;

  constructor(readonly program: A.Program) {
    this.global = new Scope(null, null);
    for (const d of program.declarations) this.defineTopLevel(d);
  }

  private defineTopLevel(d: A.Declaration): void {
    const g = this.global;
    switch (d.kind) {
      case "ConstantDeclaration":
        g.define(d.name.text, { kind: "const", decl: d, type: this.resolveType(d.type, g), scope: g });
        return;
      case "ActionDeclaration":
        g.define(d.name.text, { kind: "action", decl: d });
        return;
      case "FunctionDeclaration":
        g.define(d.name.text, { kind: "function", decl: d });
        return;
      case "ExternFunctionDeclaration":
        g.define(d.name.text, { kind: "externFunction", decl: d });
        return;
      case "Instantiation":
        g.define(d.name.text, { kind: "instance", decl: d, type: this.resolveType(d.type, g) });
        return;
      case "ValueSetDeclaration":
        g.define(d.name.text, { kind: "valueSet", decl: d });
        return;
      case "ErrorDeclaration":
      case "MatchKindDeclaration":
        return;
      case "TypedefDeclaration":
        // An inline derived declaration (`typedef struct S {..} T`) is reachable under both names.
        if (d.target.kind === "StructDeclaration" || d.target.kind === "HeaderDeclaration" || d.target.kind === "HeaderUnionDeclaration" || d.target.kind === "EnumDeclaration")
          g.define(d.target.name.text, { kind: "type", decl: d.target });
        g.define(d.name.text, { kind: "type", decl: d });
        return;
      default:
        g.define(d.name.text, { kind: "type", decl: d });
    }
  }

  /** The top-level declaration called `name`, of one of `kinds`. */
  findDecl<K extends A.Declaration["kind"]>(name: string, ...kinds: K[]): Extract<A.Declaration, { kind: K }> | undefined {
    for (const d of this.program.declarations) {
      if (kinds.includes(d.kind as K) && declName(d) === name) return d as Extract<A.Declaration, { kind: K }>;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------
  // Types

  resolveType(t: A.TypeRef, scope: Scope): RType {
    switch (t.kind) {
      case "TypeBool":
        return BOOL;
      case "TypeError":
        return { kind: "error" };
      case "TypeMatchKind":
        return { kind: "match_kind" };
      case "TypeString":
        return { kind: "string" };
      case "TypeVoid":
        return { kind: "void" };
      case "TypeDontCare":
        return UNKNOWN;
      case "TypeBits": {
        if (t.infinite) return { kind: "int" };
        if (t.width === null) return bits(1, t.signed);
        const w = this.evalConst(t.width, scope);
        return w ? bits(Number(w.value), t.signed) : UNKNOWN;
      }
      case "TypeVarbit": {
        const w = this.evalConst(t.width, scope);
        return w ? { kind: "varbit", width: Number(w.value) } : UNKNOWN;
      }
      case "TypeName":
        return this.resolveNamedType(t.name.text, [], scope, t.topLevel);
      case "TypeSpecialized":
        return this.resolveNamedType(
          t.base.name.text,
          t.args.map((a) => this.resolveType(a, scope)),
          scope,
          t.base.topLevel,
        );
      case "TypeStack": {
        const n = this.evalConst(t.size, scope);
        return { kind: "stack", element: this.resolveType(t.element, scope), size: n ? Number(n.value) : 0 };
      }
      case "TypeTuple":
        return { kind: "tuple", elements: t.elements.map((e) => this.resolveType(e, scope)) };
      case "TypeList":
        return UNKNOWN;
    }
  }

  private resolveNamedType(name: string, args: RType[], scope: Scope, topLevel: boolean): RType {
    const sym = scope.lookup(name, topLevel);
    if (!sym) return { kind: "typevar", name };
    if (sym.kind === "typeArg") return sym.type;
    if (sym.kind !== "type") return UNKNOWN;
    return this.typeOfDecl(sym.decl, args);
  }

  /** The type a type declaration names, with type arguments. */
  typeOfDecl(d: A.Declaration, args: readonly RType[] = []): RType {
    const bind = (params: readonly A.Name[]): Map<string, RType> => {
      const m = new Map<string, RType>();
      params.forEach((p, i) => m.set(p.text, args[i] ?? { kind: "typevar", name: p.text }));
      return m;
    };
    switch (d.kind) {
      case "StructDeclaration":
        return { kind: "struct", name: d.name.text, decl: d, args: bind(d.typeParams) };
      case "HeaderDeclaration":
        return { kind: "header", name: d.name.text, decl: d, args: bind(d.typeParams) };
      case "HeaderUnionDeclaration":
        return { kind: "header_union", name: d.name.text, decl: d, args: bind(d.typeParams) };
      case "EnumDeclaration":
        return { kind: "enum", name: d.name.text, decl: d, underlying: d.underlying ? this.resolveType(d.underlying, this.global) : null };
      case "TypedefDeclaration": {
        const target =
          d.target.kind === "StructDeclaration" || d.target.kind === "HeaderDeclaration" || d.target.kind === "HeaderUnionDeclaration" || d.target.kind === "EnumDeclaration"
            ? this.typeOfDecl(d.target, args)
            : this.resolveType(d.target, this.global);
        return d.isNewType ? { kind: "newtype", name: d.name.text, decl: d, base: target } : target;
      }
      case "ExternDeclaration":
        return { kind: "extern", name: d.name.text, decl: d, args };
      case "ControlDeclaration":
      case "ControlTypeDeclaration":
        return { kind: "control", name: d.name.text, decl: d };
      case "ParserDeclaration":
      case "ParserTypeDeclaration":
        return { kind: "parser", name: d.name.text, decl: d };
      case "PackageTypeDeclaration":
        return { kind: "package", name: d.name.text, decl: d };
      default:
        return UNKNOWN;
    }
  }

  /** A scope in which the type parameters of a generic struct are bound to its arguments. */
  private structScope(t: Extract<RType, { kind: "struct" | "header" | "header_union" }>): Scope {
    if (t.args.size === 0) return this.global;
    const s = new Scope(this.global);
    for (const [n, a] of t.args) s.define(n, { kind: "typeArg", type: a });
    return s;
  }

  /** The fields of a struct-like type, with their resolved types. */
  fieldsOf(t: RType): { field: A.StructField; type: RType }[] {
    if (t.kind !== "struct" && t.kind !== "header" && t.kind !== "header_union") return [];
    const s = this.structScope(t);
    return t.decl.fields.map((f) => ({ field: f, type: this.resolveType(f.type, s) }));
  }

  // -------------------------------------------------------------------------
  // Expressions

  /** The type of an expression (an l-value or a simple r-value); `unknown` when not modelled. */
  typeOf(e: A.Expression, scope: Scope): RType {
    switch (e.kind) {
      case "IntLiteral":
        return e.width === null ? { kind: "int" } : bits(e.width, e.signed);
      case "BoolLiteral":
        return BOOL;
      case "StringLiteral":
        return { kind: "string" };
      case "PathExpression": {
        const sym = scope.lookup(e.name.text, e.topLevel);
        if (!sym) return UNKNOWN;
        switch (sym.kind) {
          case "param":
          case "var":
          case "const":
          case "instance":
            return sym.type;
          default:
            return UNKNOWN;
        }
      }
      case "MemberExpression": {
        const base = this.typeOf(e.expr, scope);
        if (base.kind === "stack") {
          if (e.member.text === "next" || e.member.text === "last") return base.element;
          if (e.member.text === "size" || e.member.text === "lastIndex") return bits(32);
          return UNKNOWN;
        }
        const f = this.fieldsOf(base).find((x) => x.field.name.text === e.member.text);
        return f ? f.type : UNKNOWN;
      }
      case "TypeMemberExpression": {
        if (e.type.kind === "TypeError") return { kind: "error" };
        return this.resolveType(e.type, scope);
      }
      case "IndexExpression": {
        const base = this.typeOf(e.expr, scope);
        if (base.kind === "stack") return base.element;
        if (base.kind === "tuple") {
          const i = this.evalConst(e.index, scope);
          return i ? base.elements[Number(i.value)] ?? UNKNOWN : UNKNOWN;
        }
        return UNKNOWN;
      }
      case "SliceExpression": {
        const hi = this.evalConst(e.hi, scope);
        const lo = this.evalConst(e.lo, scope);
        return hi && lo ? bits(Number(hi.value - lo.value) + 1) : UNKNOWN;
      }
      case "PlusSliceExpression": {
        const w = this.evalConst(e.width, scope);
        return w ? bits(Number(w.value)) : UNKNOWN;
      }
      case "CastExpression":
        return this.resolveType(e.type, scope);
      case "UnaryExpression":
        return e.op === "!" ? BOOL : this.typeOf(e.operand, scope);
      case "BinaryExpression": {
        switch (e.op) {
          case "==":
          case "!=":
          case "<":
          case ">":
          case "<=":
          case ">=":
          case "&&":
          case "||":
            return BOOL;
          case "++": {
            const l = widthOf(this.typeOf(e.left, scope));
            const r = widthOf(this.typeOf(e.right, scope));
            return l !== null && r !== null ? bits(l + r) : UNKNOWN;
          }
          case "<<":
          case ">>":
            return this.typeOf(e.left, scope);
          default: {
            const l = this.typeOf(e.left, scope);
            return l.kind === "int" || l.kind === "unknown" ? this.typeOf(e.right, scope) : l;
          }
        }
      }
      case "ConditionalExpression": {
        const t = this.typeOf(e.then, scope);
        return t.kind === "int" ? this.typeOf(e.else, scope) : t;
      }
      case "CallExpression": {
        if (e.callee.kind === "MemberExpression" && e.callee.member.text === "isValid") return BOOL;
        return UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }

  // -------------------------------------------------------------------------
  // Compile-time constants

  /**
   * The value of a compile-time constant expression, or null. `text` is how
   * the reference prints the folded constant (literal in its original base,
   * without a width prefix); `width` is the constant's bit width when known.
   */
  evalConst(e: A.Expression, scope: Scope): ConstValue | null {
    switch (e.kind) {
      case "IntLiteral":
        return { value: e.value, width: e.width, base: e.base, text: formatInt(e.value, e.base) };
      case "BoolLiteral":
        return { value: e.value ? 1n : 0n, width: 1, base: 10, text: e.value ? "true" : "false", isBool: true };
      case "PathExpression": {
        const sym = scope.lookup(e.name.text, e.topLevel);
        if (!sym || sym.kind !== "const") return null;
        const v = this.evalConst(sym.decl.value, sym.scope);
        return v ? fit(v, widthOf(sym.type)) : null;
      }
      case "CastExpression": {
        const v = this.evalConst(e.expr, scope);
        if (!v) return null;
        const t = this.resolveType(e.type, scope);
        if (t.kind === "bool") return { ...v, width: 1, isBool: true };
        return fit(v, widthOf(t));
      }
      case "TypeMemberExpression": {
        if (e.type.kind !== "TypeName") return null;
        const t = this.resolveType(e.type, scope);
        const en = underlyingEnum(t);
        if (!en) return null;
        const idx = en.decl.members.findIndex((m) => m.name.text === e.member.text);
        if (idx < 0) return null;
        const m = en.decl.members[idx]!;
        if (m.value) {
          const v = this.evalConst(m.value, this.global);
          return v ? fit(v, en.underlying ? widthOf(en.underlying) : null) : null;
        }
        // A plain enum member: its position (how the reference passes PNA_CounterType_t etc.).
        return { value: BigInt(idx), width: null, base: 10, text: String(idx), enumMember: true };
      }
      case "MemberExpression": {
        // `E.A` parsed as a member of a path naming a type.
        if (e.expr.kind === "PathExpression") {
          const sym = scope.lookup(e.expr.name.text, e.expr.topLevel);
          if (sym?.kind === "type") {
            const tm: A.TypeMemberExpression = {
              kind: "TypeMemberExpression",
              span: e.span,
              type: { kind: "TypeName", span: e.expr.span, name: e.expr.name, topLevel: e.expr.topLevel },
              member: e.member,
            };
            return this.evalConst(tm, scope);
          }
        }
        return null;
      }
      case "UnaryExpression": {
        const v = this.evalConst(e.operand, scope);
        if (!v) return null;
        switch (e.op) {
          case "+":
            return v;
          case "-":
            return fit({ ...v, value: -v.value, text: formatInt(-v.value, 10), base: 10 }, v.width);
          case "~":
            return v.width === null ? null : fit({ ...v, value: ~v.value }, v.width, true);
          case "!":
            return { value: v.value === 0n ? 1n : 0n, width: 1, base: 10, text: v.value === 0n ? "true" : "false", isBool: true };
        }
        return null;
      }
      case "BinaryExpression": {
        if (e.op === "&&&" || e.op === "..") return null;
        const l = this.evalConst(e.left, scope);
        const r = this.evalConst(e.right, scope);
        if (!l || !r) return null;
        const width = l.width ?? r.width;
        let v: bigint;
        switch (e.op) {
          case "+": v = l.value + r.value; break;
          case "-": v = l.value - r.value; break;
          case "*": v = l.value * r.value; break;
          case "/": if (r.value === 0n) return null; v = l.value / r.value; break;
          case "%": if (r.value === 0n) return null; v = l.value % r.value; break;
          case "<<": v = l.value << r.value; break;
          case ">>": v = l.value >> r.value; break;
          case "&": v = l.value & r.value; break;
          case "|": v = l.value | r.value; break;
          case "^": v = l.value ^ r.value; break;
          case "++": {
            if (l.width === null || r.width === null) return null;
            v = (l.value << BigInt(r.width)) | r.value;
            return { value: v, width: l.width + r.width, base: l.base, text: formatInt(v, l.base) };
          }
          default:
            return null;
        }
        return fit({ value: v, width, base: l.base, text: formatInt(v, l.base) }, width, true);
      }
      default:
        return null;
    }
  }
}

export interface ConstValue {
  readonly value: bigint;
  /** Bit width when known (`8w5`, typed constants, casts); null for an unsized integer. */
  readonly width: number | null;
  readonly base: 2 | 8 | 10 | 16;
  /** The reference's text of the constant: original base, no width prefix. */
  readonly text: string;
  readonly isBool?: boolean;
  /** A member of a non-serializable enum (value = its position). */
  readonly enumMember?: boolean;
}

function underlyingEnum(t: RType): Extract<RType, { kind: "enum" }> | null {
  const u = underlying(t);
  return u.kind === "enum" ? u : null;
}

/** Prints an integer the way the reference prints a folded constant: in its base, lower-case hex. */
export function formatInt(v: bigint, base: 2 | 8 | 10 | 16): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const body = base === 16 ? `0x${a.toString(16)}` : base === 8 ? `0o${a.toString(8)}` : base === 2 ? `0b${a.toString(2)}` : a.toString(10);
  return neg ? `-${body}` : body;
}

/** Truncates a constant to `width` bits (two's complement wrap for negative values). */
function fit(v: ConstValue, width: number | null, reprint = false): ConstValue {
  if (width === null) return v;
  const mod = 1n << BigInt(width);
  let value = v.value % mod;
  if (value < 0n) value += mod;
  const changed = value !== v.value;
  return { ...v, value, width, text: changed || reprint ? formatInt(value, v.base) : v.text };
}
