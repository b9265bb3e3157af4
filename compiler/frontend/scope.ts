/**
 * Lexical scopes for name resolution. A scope maps a name to every declaration
 * of it in that scope (more than one only for overloads: extern functions,
 * methods and actions distinguished by argument count). Lookup walks outwards.
 */
import type * as A from "../ast/nodes.js";

/** Anything a name can resolve to: a declaration node, a parameter, a parser state, a type parameter's Name, ... */
export type Binding = A.Node | ForInVariable;

/** The loop variable of `for (T x in ...)`: a binding with its own type. */
export interface ForInVariable {
  readonly kind: "ForInVariable";
  readonly stmt: A.ForInStatement;
}

/** A type parameter `T` of a generic declaration, bound to a Name node. */
export interface ScopeEntry {
  readonly node: Binding;
  /** True for type parameters (`T` in `extern E<T>`). */
  readonly typeParam: boolean;
}

export class Scope {
  private readonly names = new Map<string, ScopeEntry[]>();

  constructor(readonly parent: Scope | null, readonly what: string) {}

  /** Adds a binding; returns the entries already bound to the name in this scope (empty when new). */
  add(name: string, node: Binding, typeParam = false): readonly ScopeEntry[] {
    const prev = this.names.get(name);
    if (prev) {
      prev.push({ node, typeParam });
      return prev.slice(0, -1);
    }
    this.names.set(name, [{ node, typeParam }]);
    return [];
  }

  local(name: string): readonly ScopeEntry[] | undefined {
    return this.names.get(name);
  }

  lookup(name: string): readonly ScopeEntry[] | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const e = s.names.get(name);
      if (e) return e;
    }
    return undefined;
  }

  /** The bindings of a name in every enclosing scope, innermost first. */
  lookupAll(name: string): (readonly ScopeEntry[])[] {
    const r: (readonly ScopeEntry[])[] = [];
    for (let s: Scope | null = this; s; s = s.parent) {
      const e = s.names.get(name);
      if (e) r.push(e);
    }
    return r;
  }

  root(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }
}
