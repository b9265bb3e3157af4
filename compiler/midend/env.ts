/**
 * The mid-end's view of the program over the front end's tables (names and
 * types are resolved once, by the front end): top-level declarations by name,
 * and compile-time constants with their spelling. The front end keeps a
 * constant's value; the control plane also needs how the reference prints it
 * (`text`: the literal's base, no width prefix), computed here from the
 * expression, with names resolved through the front end's `refs` and types
 * from its `types` / `declTypes`.
 *
 * The front end has already rejected ill-typed programs, so every helper here
 * answers `null` instead of reporting when it meets something it does not
 * model, and the passes turn that into a located error where it matters.
 */
import type * as A from "../ast/nodes.js";
import type { CheckedProgram, Type } from "../frontend/index.js";
import { scalarWidth, underlyingType } from "./p4tcTypes.js";

/** Name of the declaration, for the kinds that have one. */
export function declName(d: A.Declaration): string | null {
  return "name" in d && d.name ? d.name.text : null;
}

export class Env {
  constructor(
    readonly program: A.Program,
    readonly checked: CheckedProgram,
  ) {}

  /** The top-level declaration called `name`, of one of `kinds`. */
  findDecl<K extends A.Declaration["kind"]>(name: string, ...kinds: K[]): Extract<A.Declaration, { kind: K }> | undefined {
    for (const d of this.program.declarations) {
      if (kinds.includes(d.kind as K) && declName(d) === name) return d as Extract<A.Declaration, { kind: K }>;
    }
    return undefined;
  }

  /** The action a name use (action list entry, call, default action) resolved to. */
  actionOf(use: A.Node): A.ActionDeclaration | undefined {
    const d = this.checked.refs.get(use);
    return d?.kind === "ActionDeclaration" ? d : undefined;
  }

  /**
   * The value of a compile-time constant expression, or null. `text` is how
   * the reference prints the folded constant (literal in its original base,
   * without a width prefix); `width` is the constant's bit width when known.
   */
  evalConst(e: A.Expression): ConstValue | null {
    switch (e.kind) {
      case "IntLiteral":
        return { value: e.value, width: e.width, base: e.base, text: formatInt(e.value, e.base) };
      case "BoolLiteral":
        return { value: e.value ? 1n : 0n, width: 1, base: 10, text: e.value ? "true" : "false", isBool: true };
      case "PathExpression": {
        const d = this.checked.refs.get(e);
        if (d?.kind !== "ConstantDeclaration") return null;
        const v = this.evalConst(d.value);
        const t = this.checked.declTypes.get(d);
        return v ? fit(v, t ? scalarWidth(t) : null) : null;
      }
      case "CastExpression": {
        const v = this.evalConst(e.expr);
        const t = this.checked.types.get(e);
        if (!v || !t) return null;
        if (t.k === "bool") return { ...v, width: 1, isBool: true };
        return fit(v, scalarWidth(t));
      }
      case "TypeMemberExpression":
        if (e.type.kind !== "TypeName") return null;
        return this.enumMember(underlyingEnum(this.checked.types.get(e)), e.member.text);
      case "MemberExpression":
        // `E.A` parsed as a member of a path naming a type.
        if (e.expr.kind === "PathExpression" && this.checked.types.get(e.expr)?.k === "typeRef") return this.enumMember(underlyingEnum(this.checked.types.get(e)), e.member.text);
        return null;
      case "UnaryExpression": {
        const v = this.evalConst(e.operand);
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
        const l = this.evalConst(e.left);
        const r = this.evalConst(e.right);
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

  /** evalConst() of a value passed as a `width`-bit parameter: `-1` is all ones (2^width - 1), as the parameter holds it. */
  evalConstAs(e: A.Expression, width: number): ConstValue | null {
    const v = this.evalConst(e);
    return v && !v.isBool && width > 0 ? fit(v, width) : v;
  }

  /** Member `member` of `en`: its value in a serializable enum, else its position (how the reference passes PNA_CounterType_t etc.). */
  private enumMember(en: Extract<Type, { k: "enum" }> | null, member: string): ConstValue | null {
    if (!en) return null;
    const idx = en.decl.members.findIndex((m) => m.name.text === member);
    if (idx < 0) return null;
    const m = en.decl.members[idx]!;
    if (m.value) {
      const v = this.evalConst(m.value);
      return v ? fit(v, en.underlying ? scalarWidth(en.underlying) : null) : null;
    }
    return { value: BigInt(idx), width: null, base: 10, text: String(idx), enumMember: true };
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

function underlyingEnum(t: Type | undefined): Extract<Type, { k: "enum" }> | null {
  const u = t ? underlyingType(t) : null;
  return u?.k === "enum" ? u : null;
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
