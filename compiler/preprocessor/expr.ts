/**
 * Evaluates the integer expression of `#if` / `#elif` after macro expansion and
 * `defined` replacement: C's operators and precedence, identifiers are 0,
 * arithmetic in 64-bit signed BigInt. Throws ExprError on a malformed expression
 * (caught by the preprocessor and reported as a diagnostic).
 */
import type { PPToken } from "./tokenize.js";

export class ExprError extends Error {}

const BIN: Record<string, number> = {
  "*": 10, "/": 10, "%": 10,
  "+": 9, "-": 9,
  "<<": 8, ">>": 8,
  "<": 7, ">": 7, "<=": 7, ">=": 7,
  "==": 6, "!=": 6,
  "&": 5, "^": 4, "|": 3, "&&": 2, "||": 1,
};

function parseIntLiteral(text: string): bigint {
  const t = text.replace(/[uUlL]+$/, "");
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
  if (/^0[bB][01]+$/.test(t)) return BigInt(t);
  if (/^0[0-7]*$/.test(t)) return t === "0" ? 0n : BigInt("0o" + t.slice(1));
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  throw new ExprError(`invalid integer ${text}`);
}

function charValue(text: string): bigint {
  const body = text.slice(1, -1);
  if (body.startsWith("\\")) {
    const esc: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34 };
    return BigInt(esc[body[1]] ?? body.charCodeAt(1));
  }
  return BigInt(body.charCodeAt(0));
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

/** The deepest nesting of parentheses, unary operators and conditionals in an #if expression. */
export const MAX_EXPR_DEPTH = 200;

export function evaluate(tokens: readonly PPToken[]): bigint {
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]?.text;
  const next = () => tokens[pos++];

  function primary(): bigint {
    if (++depth > MAX_EXPR_DEPTH) throw new ExprError(`nested deeper than ${MAX_EXPR_DEPTH} levels`);
    try {
      return primaryInner();
    } finally {
      depth--;
    }
  }

  function primaryInner(): bigint {
    const t = next();
    if (!t) throw new ExprError("unexpected end of expression");
    if (t.kind === "num") return parseIntLiteral(t.text);
    if (t.kind === "char") return charValue(t.text);
    if (t.kind === "id") return 0n;
    switch (t.text) {
      case "(": {
        const v = ternary();
        if (next()?.text !== ")") throw new ExprError("missing ')'");
        return v;
      }
      case "!": return primary() === 0n ? 1n : 0n;
      case "~": return wrap(~primary());
      case "-": return wrap(-primary());
      case "+": return primary();
    }
    throw new ExprError(`unexpected '${t.text}'`);
  }

  function binary(minPrec: number): bigint {
    let left = primary();
    for (;;) {
      const op = peek();
      const prec = op !== undefined ? BIN[op] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      next();
      if (op === "&&" || op === "||") {
        const right = binary(prec + 1);
        left = op === "&&" ? (left !== 0n && right !== 0n ? 1n : 0n) : left !== 0n || right !== 0n ? 1n : 0n;
        continue;
      }
      const right = binary(prec + 1);
      left = apply(op!, left, right);
    }
  }

  function ternary(): bigint {
    const c = binary(1);
    if (peek() !== "?") return c;
    next();
    if (++depth > MAX_EXPR_DEPTH) throw new ExprError(`nested deeper than ${MAX_EXPR_DEPTH} levels`);
    const a = ternary();
    if (next()?.text !== ":") throw new ExprError("missing ':' in conditional");
    const b = ternary();
    depth--;
    return c !== 0n ? a : b;
  }

  if (tokens.length === 0) throw new ExprError("empty expression");
  const v = ternary();
  if (pos < tokens.length) throw new ExprError(`unexpected '${tokens[pos].text}'`);
  return v;
}

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case "*": return wrap(a * b);
    case "/": if (b === 0n) throw new ExprError("division by zero"); return wrap(a / b);
    case "%": if (b === 0n) throw new ExprError("division by zero"); return wrap(a % b);
    case "+": return wrap(a + b);
    case "-": return wrap(a - b);
    case "<<": return wrap(a << b);
    case ">>": return a >> b;
    case "<": return a < b ? 1n : 0n;
    case ">": return a > b ? 1n : 0n;
    case "<=": return a <= b ? 1n : 0n;
    case ">=": return a >= b ? 1n : 0n;
    case "==": return a === b ? 1n : 0n;
    case "!=": return a !== b ? 1n : 0n;
    case "&": return a & b;
    case "^": return a ^ b;
    case "|": return a | b;
  }
  throw new ExprError(`unknown operator ${op}`);
}
