/**
 * The checker's shared state: the scopes, the side tables (types of
 * expressions, what names resolve to, constant values, declared types) and the
 * type constructors that need caching (struct/header types, enums, typedefs).
 * The walks over declarations, statements and expressions live in
 * checkDeclarations.ts, checkStatements.ts and checkExpressions.ts; they all
 * take a Checker and a Ctx (where in the program they are).
 */
import type * as A from "../ast/nodes.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";
import { printExpression, printType } from "../ast/print.js";
import { Scope, type Binding } from "./scope.js";
import type { ConstValue } from "./constants.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

/** Type variables in force while resolving a generic declaration's fields. */
export type TypeEnv = ReadonlyMap<string, Type>;

/**
 * The walks the checker's modules call on each other. They are filled once by
 * the front end's entry point (index.ts), so the walker modules never import
 * each other in a circle: checker.ts is the only hub.
 */
export interface CheckFns {
  resolveType(ck: Checker, t: A.TypeRef, scope: Scope, env?: TypeEnv): Type;
  typeOf(ck: Checker, e: A.Expression, ctx: Ctx, expected?: Type): Type;
  /** The value of a compile-time integer expression in a bare scope (undefined when not constant). */
  constInt(ck: Checker, e: A.Expression, scope: Scope): bigint | undefined;
  /** True when `e` surely reads run-time state in a bare scope. */
  readsRuntime(ck: Checker, e: A.Expression, scope: Scope): boolean;
  checkCall(ck: Checker, e: A.CallExpression, ctx: Ctx): Type;
  checkConstructorCall(ck: Checker, e: A.ConstructorCallExpression, ctx: Ctx): Type;
  checkStatement(ck: Checker, s: A.StatementOrDeclaration, ctx: Ctx): void;
  checkBlock(ck: Checker, body: readonly A.StatementOrDeclaration[], ctx: Ctx, scopeName?: string): void;
  checkLocalDeclaration(ck: Checker, d: A.VariableDeclaration | A.ConstantDeclaration | A.Instantiation, ctx: Ctx): void;
}

/** Where the walk is: the scope and the enclosing constructs that change the rules. */
export interface Ctx {
  readonly scope: Scope;
  readonly inParser: boolean;
  readonly inControl: boolean;
  readonly inAction: boolean;
  readonly inFunction: boolean;
  readonly inState: boolean;
  readonly inLoop: boolean;
  /** The return type of the enclosing function or method (null outside one, Void for actions). */
  readonly returnType: Type | null;
  readonly abstractMethod: boolean;
  /** In an abstract method's implementation: the instance's extern type, which `this` has. */
  readonly thisType?: Type;
  /** The table whose properties are being checked. */
  readonly table: A.TableDeclaration | null;
}

export class Checker {
  /** Type of every expression checked. */
  readonly types = new Map<A.Node, Type>();
  /** What each PathExpression, TypeName and ActionRef resolved to. */
  readonly refs = new Map<A.Node, Binding>();
  /** Compile-time values of expressions and constant declarations. */
  readonly constants = new Map<A.Node, ConstValue>();
  /** Declared type of variables, constants, parameters and instances. */
  readonly declTypes = new Map<Binding, Type>();
  /** Return types of functions, extern functions and methods (with their own type variables). */
  readonly returnTypes = new Map<A.Node, Type>();

  readonly global = new Scope(null, "program");
  readonly errorMembers = new Map<string, A.Name>();
  readonly matchKinds = new Map<string, A.Name>();
  errorDeclared = false;
  /** Set while resolving a generic declaration's own fields (bare generic names are allowed there). */
  resolvingGeneric = false;
  /** Set while a struct-like declaration's fields are checked (their own rules apply). */
  checkingFields = false;
  /** The parser or control whose body is being checked. */
  currentBlock: A.ParserDeclaration | A.ControlDeclaration | null = null;
  /** The function whose body is being checked (it cannot call itself). */
  currentFunction: A.FunctionDeclaration | null = null;
  /** Switch expressions (where `t.apply().action_run` is allowed). */
  readonly switchExprs = new Set<A.Expression>();
  /** Every `action_run` member expression seen. */
  readonly actionRuns: A.MemberExpression[] = [];
  /** Calls of a generic callee whose return type holds a type variable no argument binds (an error if the value is unused). */
  readonly unboundReturn = new Map<A.CallExpression, string>();

  private readonly structCache = new Map<A.Node, Type>();
  private readonly enumCache = new Map<A.EnumDeclaration, Type>();
  private readonly typedefCache = new Map<A.TypedefDeclaration, Type>();
  private readonly resolving = new Set<A.Node>();

  /** The scope each top-level or local declaration was declared in (for resolving its types lazily). */
  readonly declScope = new Map<Binding, Scope>();

  constructor(readonly diags: DiagnosticBag, readonly fns: CheckFns) {}

  topCtx(): Ctx {
    return {
      scope: this.global, inParser: false, inControl: false, inAction: false, inFunction: false,
      inState: false, inLoop: false, returnType: null, abstractMethod: false, table: null,
    };
  }

  show(e: A.Expression): string {
    return printExpression(e);
  }

  showType(t: A.TypeRef): string {
    return printType(t);
  }

  constInt(e: A.Expression, scope: Scope): bigint | undefined {
    return this.fns.constInt(this, e, scope);
  }

  /** True when `e` reads a variable or a run-time parameter (so it is surely not a constant). */
  readsRuntimeValue(e: A.Expression, scope: Scope): boolean {
    return this.fns.readsRuntime(this, e, scope);
  }

  resolve(t: A.TypeRef, scope: Scope, env?: TypeEnv): Type {
    return this.fns.resolveType(this, t, scope, env);
  }

  /** The struct, header or header union type of a declaration (with type arguments for generic ones). */
  structType(d: A.StructDeclaration | A.HeaderDeclaration | A.HeaderUnionDeclaration, args: readonly Type[]): Type {
    const k = d.kind === "StructDeclaration" ? "struct" : d.kind === "HeaderDeclaration" ? "header" : "union";
    if (args.length === 0) {
      const c = this.structCache.get(d);
      if (c) return c;
    }
    if (this.resolving.has(d)) return T.Unknown;
    this.resolving.add(d);
    const env = new Map<string, Type>();
    d.typeParams.forEach((p, i) => env.set(p.text, args[i] ?? T.Unknown));
    const scope = this.declScope.get(d) ?? this.global;
    const fields = new Map<string, Type>();
    for (const f of d.fields) if (!fields.has(f.name.text)) fields.set(f.name.text, this.quietly(() => this.resolve(f.type, scope, env)));
    this.resolving.delete(d);
    const t: Type = { k, decl: d, fields, args };
    if (args.length === 0) this.structCache.set(d, t);
    return t;
  }

  enumType(d: A.EnumDeclaration): Type {
    let t = this.enumCache.get(d);
    if (!t) {
      const underlying = d.underlying ? this.quietly(() => this.resolve(d.underlying!, this.declScope.get(d) ?? this.global)) : null;
      t = { k: "enum", decl: d, underlying };
      this.enumCache.set(d, t);
    }
    return t;
  }

  typedefType(d: A.TypedefDeclaration): Type {
    const c = this.typedefCache.get(d);
    if (c) return c;
    if (this.resolving.has(d)) return T.Unknown;
    this.resolving.add(d);
    const scope = this.declScope.get(d) ?? this.global;
    const tgt = d.target;
    let base: Type;
    switch (tgt.kind) {
      case "HeaderDeclaration": case "HeaderUnionDeclaration": case "StructDeclaration":
        base = this.structType(tgt, []);
        break;
      case "EnumDeclaration":
        base = this.enumType(tgt);
        break;
      default:
        base = this.quietly(() => this.resolve(tgt, scope));
    }
    this.resolving.delete(d);
    const t: Type = d.isNewType ? { k: "newtype", decl: d, base } : base;
    this.typedefCache.set(d, t);
    return t;
  }

  /** Runs `f` with diagnostics suppressed: types resolved lazily are reported where they are declared. */
  private quietly<R>(f: () => R): R {
    return this.diags.muteDuring(f);
  }

  /** The scope a callable's parameter types resolve in. */
  paramScope(n: A.Node): Scope | undefined {
    return this.declScope.get(n);
  }

  /** True for declarations of the core library (core.p4), whose built-ins have special rules. */
  isCoreDecl(n: A.Node): boolean {
    return /(^|[\\/])core\.p4$/.test(n.span.file);
  }

  runQuietly<R>(f: () => R): R {
    return this.quietly(f);
  }
}
