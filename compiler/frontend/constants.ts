/**
 * Compile-time values and the arithmetic on them (BigInt semantics): bit<W>
 * values wrap modulo 2^W, int<W> values wrap to two's complement, `int` values
 * are exact. Pure functions; the checker decides what to do with `undefined`
 * (not a constant) and with the problems these report through `fold`'s result.
 */
import type { Type } from "./types.js";

export type ConstValue = bigint | boolean | string;

/** The widest `bit<W>`/`int<W>` the reference accepts (its maximumWidthSupported). */
export const REF_MAX_WIDTH = 2048;

/** Wraps an integer to the range of a fixed-width type; exact for `int`. */
export function wrap(v: bigint, t: Type): bigint {
  if (t.k !== "bits") return v;
  if (t.width <= 0) return 0n;
  const w = BigInt(t.width);
  return t.signed ? BigInt.asIntN(t.width, v) : BigInt.asUintN(Number(w), v);
}

export type FoldResult =
  | { readonly value: ConstValue }
  | { readonly problem: "divZero" | "divNegative" | "shiftNegative" }
  | undefined;

/** Folds a binary operator on two integers; `t` is the result type. */
export function foldIntBinary(op: string, a: bigint, b: bigint, t: Type): FoldResult {
  const r = (v: bigint): FoldResult => ({ value: wrap(v, t) });
  switch (op) {
    case "+": return r(a + b);
    case "-": return r(a - b);
    case "*": return r(a * b);
    case "/":
    case "%":
      if (b === 0n) return { problem: "divZero" };
      if (t.k === "int" && (a < 0n || b < 0n)) return { problem: "divNegative" };
      return r(op === "/" ? a / b : a % b);
    case "|+|":
    case "|-|": {
      const v = op === "|+|" ? a + b : a - b;
      if (t.k !== "bits") return r(v);
      const w = BigInt(t.width);
      const max = t.signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
      const min = t.signed ? -(1n << (w - 1n)) : 0n;
      return { value: v > max ? max : v < min ? min : v };
    }
    case "&": return r(a & b);
    case "|": return r(a | b);
    case "^": return r(a ^ b);
    case "<<":
    case ">>":
      if (b < 0n) return { problem: "shiftNegative" };
      if (b > 4096n) return r(op === "<<" ? 0n : a < 0n ? -1n : 0n);
      return r(op === "<<" ? a << b : a >> b);
    case "==": return { value: a === b };
    case "!=": return { value: a !== b };
    case "<": return { value: a < b };
    case "<=": return { value: a <= b };
    case ">": return { value: a > b };
    case ">=": return { value: a >= b };
    default: return undefined;
  }
}
