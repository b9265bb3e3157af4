/**
 * The interpreter's run-time values. Scalars carry their exact width
 * (BigInt, wrapped at every operation); headers, structs, unions and stacks
 * are mutable containers that the interpreter clones on every copy
 * (assignment, copy-in, copy-out), so aliasing never leaks between
 * variables. Built from the front end's types only (compiler/frontend).
 */
import type * as A from "../compiler/ast/nodes.js";
import type { Type } from "../compiler/frontend/index.js";

export type V =
  /** `src`: the bit offset in the input packet the value was extracted from (kept while the value is only copied). */
  | { readonly t: "b"; readonly w: number; readonly s: boolean; readonly v: bigint; readonly src?: number }
  | { readonly t: "int"; readonly v: bigint }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "err"; readonly v: string }
  | { readonly t: "enum"; readonly v: string }
  | { readonly t: "vb"; readonly max: number; w: number; v: bigint }
  | HeaderV
  | StructV
  | StackV
  | { readonly t: "tuple"; readonly e: V[] }
  /** Anything that is not data: an extern instance, a table, a parser/control instance, an action. */
  | { readonly t: "obj"; readonly o: unknown }
  | { readonly t: "void" };

export interface HeaderV {
  readonly t: "hdr";
  valid: boolean;
  readonly f: Map<string, V>;
}
/** A struct or a header union (`union` true). */
export interface StructV {
  readonly t: "struct";
  readonly union: boolean;
  readonly f: Map<string, V>;
}
export interface StackV {
  readonly t: "stack";
  readonly e: HeaderV[];
  next: number;
}

export const VOID: V = { t: "void" };
export const TRUE: V = { t: "bool", v: true };
export const FALSE: V = { t: "bool", v: false };

export function bits(w: number, v: bigint, s = false): V {
  return { t: "b", w, s, v: s ? BigInt.asIntN(w, v) : w === 0 ? 0n : BigInt.asUintN(w, v) };
}
export const bool = (b: boolean): V => (b ? TRUE : FALSE);

/** Unwraps `type` and leaves everything else. */
export function base(t: Type): Type {
  while (t.k === "newtype") t = t.base;
  return t;
}

/** The zero value of a type: 0, false, NoError, the first enum member, invalid headers (as the generated code's zeroed maps give). */
export function zero(t0: Type): V {
  const t = base(t0);
  switch (t.k) {
    case "bits": return bits(t.width, 0n, t.signed);
    case "int": return { t: "int", v: 0n };
    case "bool": return FALSE;
    case "string": return { t: "str", v: "" };
    case "error": return { t: "err", v: "NoError" };
    case "varbit": return { t: "vb", max: t.width, w: 0, v: 0n };
    case "enum":
      if (t.underlying) {
        const u = base(t.underlying);
        if (u.k === "bits") return bits(u.width, 0n, u.signed);
      }
      return { t: "enum", v: t.decl.members[0]?.name.text ?? "" };
    case "header": {
      const f = new Map<string, V>();
      for (const [n, ft] of t.fields) f.set(n, zero(ft));
      return { t: "hdr", valid: false, f };
    }
    case "struct":
    case "union": {
      const f = new Map<string, V>();
      for (const [n, ft] of t.fields) f.set(n, zero(ft));
      return { t: "struct", union: t.k === "union", f };
    }
    case "stack": {
      const e: HeaderV[] = [];
      for (let i = 0; i < (t.size ?? 0); i++) e.push(zero(t.elem) as HeaderV);
      return { t: "stack", e, next: 0 };
    }
    case "tuple":
      return { t: "tuple", e: t.elems.map(zero) };
    default:
      return VOID;
  }
}

export function clone(v: V): V {
  switch (v.t) {
    case "hdr": return { t: "hdr", valid: v.valid, f: cloneFields(v.f) };
    case "struct": return { t: "struct", union: v.union, f: cloneFields(v.f) };
    case "stack": return { t: "stack", e: v.e.map((h) => clone(h) as HeaderV), next: v.next };
    case "tuple": return { t: "tuple", e: v.e.map(clone) };
    case "vb": return { t: "vb", max: v.max, w: v.w, v: v.v };
    default: return v;
  }
}
function cloneFields(f: Map<string, V>): Map<string, V> {
  const m = new Map<string, V>();
  for (const [k, x] of f) m.set(k, clone(x));
  return m;
}

/** The integer in a scalar value (bool as 0/1). */
export function num(v: V): bigint {
  switch (v.t) {
    case "b": case "int": return v.v;
    case "bool": return v.v ? 1n : 0n;
    case "vb": return v.v;
    default: throw new SimError(`not a number: ${v.t}`);
  }
}

/** Deep equality as `==` defines it (invalid headers are equal whatever their fields hold). */
export function equal(a: V, b: V): boolean {
  if (a.t === "hdr" && b.t === "hdr") {
    if (a.valid !== b.valid) return false;
    if (!a.valid) return true;
    return fieldsEqual(a.f, b.f);
  }
  if (a.t === "struct" && b.t === "struct") return fieldsEqual(a.f, b.f);
  if (a.t === "stack" && b.t === "stack") return a.e.length === b.e.length && a.e.every((x, i) => equal(x, b.e[i]!));
  if (a.t === "tuple" && b.t === "tuple") return a.e.length === b.e.length && a.e.every((x, i) => equal(x, b.e[i]!));
  if (a.t === "vb" && b.t === "vb") return a.w === b.w && a.v === b.v;
  if ((a.t === "b" || a.t === "int" || a.t === "bool") && (b.t === "b" || b.t === "int" || b.t === "bool")) return num(a) === num(b);
  if ("v" in a && "v" in b) return a.v === b.v;
  return false;
}
function fieldsEqual(a: Map<string, V>, b: Map<string, V>): boolean {
  for (const [k, x] of a) if (!equal(x, b.get(k)!)) return false;
  return true;
}

/** Converts a value to a type: int literals to bit<W>, tuples and struct expressions to structs/headers, bool/bit<1>, enums. */
export function coerce(v: V, t0: Type): V {
  const t = base(t0);
  switch (t.k) {
    case "bits":
      if (v.t === "b" || v.t === "int") return bits(t.width, v.v, t.signed);
      if (v.t === "bool") return bits(t.width, v.v ? 1n : 0n, t.signed);
      return v;
    case "int":
      return v.t === "b" ? { t: "int", v: v.v } : v;
    case "bool":
      return v.t === "b" || v.t === "int" ? bool(v.v !== 0n) : v;
    case "enum":
      if (t.underlying && (v.t === "b" || v.t === "int")) return coerce(v, t.underlying);
      return v;
    case "header":
    case "struct":
    case "union": {
      if (v.t === "tuple") {
        const out = zero(t) as HeaderV | StructV;
        [...t.fields].forEach(([n, ft], i) => { if (v.e[i]) out.f.set(n, coerce(v.e[i]!, ft)); });
        if (out.t === "hdr") out.valid = true;
        return out;
      }
      if (v.t === "struct" && t.k !== "struct" && t.k !== "union") {
        // A struct expression assigned to a header: a valid header.
        const out = zero(t) as HeaderV;
        for (const [n, ft] of t.fields) if (v.f.has(n)) out.f.set(n, coerce(v.f.get(n)!, ft));
        out.valid = true;
        return out;
      }
      if (v.t === "struct" || v.t === "hdr") {
        const out = clone(v) as HeaderV | StructV;
        for (const [n, ft] of t.fields) if (out.f.has(n)) out.f.set(n, coerce(out.f.get(n)!, ft));
        return out;
      }
      return v;
    }
    case "tuple":
      return v.t === "tuple" ? { t: "tuple", e: v.e.map((x, i) => (t.elems[i] ? coerce(x, t.elems[i]!) : x)) } : v;
    case "stack":
      if (v.t === "tuple") {
        const out = zero(t) as StackV;
        v.e.forEach((x, i) => { if (out.e[i]) out.e[i] = coerce(x, t.elem) as HeaderV; });
        return out;
      }
      return v;
    default:
      return v;
  }
}

/** A failure of the interpreter itself or an unsupported construct: the run stops with this message. */
export class SimError extends Error {}

/** The fixed-width fields of a header in order, with their widths (a varbit field has its current width). */
export function headerBits(h: HeaderV): { name: string; v: V }[] {
  return [...h.f].map(([name, v]) => ({ name, v }));
}

export function widthOf(v: V): number {
  switch (v.t) {
    case "b": return v.w;
    case "bool": return 1;
    case "vb": return v.w;
    case "hdr": case "struct": { let n = 0; for (const x of v.f.values()) n += widthOf(x); return n; }
    case "tuple": return v.e.reduce((n, x) => n + widthOf(x), 0);
    case "stack": return v.e.reduce((n, x) => n + widthOf(x), 0);
    default: return 0;
  }
}

/** Appends the bits of a value (fields in order, most significant first) to `out` as 0/1 numbers. */
export function pushBits(v: V, out: number[]): void {
  switch (v.t) {
    case "b": case "vb": {
      const w = v.w;
      const u = BigInt.asUintN(w, v.v);
      for (let i = w - 1; i >= 0; i--) out.push(Number((u >> BigInt(i)) & 1n));
      return;
    }
    case "bool": out.push(v.v ? 1 : 0); return;
    case "hdr": case "struct": for (const x of v.f.values()) pushBits(x, out); return;
    case "tuple": for (const x of v.e) pushBits(x, out); return;
    case "stack": for (const x of v.e) pushBits(x, out); return;
    default: return;
  }
}

/** Bits (0/1, most significant first) to bytes, the last byte padded with zeros. */
export function bitsToBytes(b: readonly number[]): Buffer {
  const out = Buffer.alloc(Math.ceil(b.length / 8));
  b.forEach((x, i) => { if (x) out[i >> 3]! |= 0x80 >> (i & 7); });
  return out;
}

export type Decl = A.Node;
