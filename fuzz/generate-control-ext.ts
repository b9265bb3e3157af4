/**
 * The state of the generator's main control (fuzz/generate-control.ts) and
 * the later features generated on their own stream (generate.ts's `ext`):
 * control constants and locals, int<N> expressions, run-time shifts, exit
 * and return, direct action calls.
 */
import type { Rng } from "./rng.js";


export interface Field {
  name: string;
  /** bit width; 0 for a varbit field (then `max` is its maximum). */
  width: number;
  varbit?: number;
}

export interface HeaderType {
  name: string;
  fields: Field[];
}

/** An l-value or r-value of type bit<width> the generator can read. */
export interface Scalar {
  expr: string;
  width: number;
  /** can be assigned */
  writable: boolean;
  /** header instance whose validity guards it (for select keys) */
  header?: string;
  /** a constant's initializer */
  value?: string;
}

/** An enum (serializable when `width`) and the metadata field of its type. */
export interface EnumDecl {
  name: string;
  members: string[];
  width?: number;
  values?: bigint[];
  field: string;
}

/** The program's declarations on the ext stream, which the controls use. */
export interface Extras {
  enums: EnumDecl[];
  /** bool metadata fields */
  bools: string[];
  /** a struct type nested in the metadata, and its instances there */
  structs: { type: string; fields: Field[]; instances: string[] }[];
  /** top-level `const bit<W>` declarations */
  consts: Scalar[];
  /** declared `error` members */
  errors: string[];
}

/** What the control generator asks of the program generator. */
export interface ProgramShape {
  width(allowWide?: boolean, r?: Rng): number;
  lit(w: number, r?: Rng): string;
  headerInstances(): { expr: string; type: HeaderType }[];
  scalars(): Scalar[];
  stacks(): { expr: string; size: number }[];
}

export type Kind = "exact" | "lpm" | "ternary" | "range" | "optional";

export interface ActionDecl {
  name: string;
  params: number[];
  /** the serializable enum type of each parameter that has one */
  enums?: (EnumDecl | undefined)[];
}

/** A table key: a scalar, or a serializable enum field (`enum`). */
export interface Key {
  s: Scalar;
  kind: Kind;
  enum?: EnumDecl;
  tcType?: string;
  /** added by extKeys: its entry values are chosen on the ext stream */
  ext?: boolean;
}

export interface TableDecl {
  name: string;
  actions: ActionDecl[];
}

export abstract class ControlGenBase {
  /** The main generator's statements and expressions, which the later features nest. */
  abstract expr(w: number, depth: number, params: Scalar[]): string;
  abstract bool(depth: number, params: Scalar[]): string;
  protected abstract stmt(level: number, depth: number, params: Scalar[], inAction?: boolean): string[];
  protected abstract readable(params: Scalar[]): Scalar[];
  protected abstract writable(params: Scalar[], prefer: number): Scalar | undefined;

  protected decls: string[] = [];
  protected actions: ActionDecl[] = [];
  protected tables: TableDecl[] = [];
  protected locals: Scalar[] = [];
  protected externs: { kind: string; name: string; width: number; index?: number }[] = [];
  /** Actions with directional parameters, called directly from apply. */
  protected directActions: { name: string; params: { dir: "in" | "inout" | "out"; type: string; width?: number; enum?: EnumDecl }[] }[] = [];
  protected uid = 0;
  protected xuid = 0;
  protected r: Rng;
  /** The stream this control was created with (`x` itself for the sub-control). */
  protected readonly main: Rng;
  /** Locals of the later features: readable only while one is generated. */
  protected extLocalsList: Scalar[] = [];

  /**
   * `x` is the stream of the later features (generate.ts's `ext`): their
   * choices are made on it, and while one is generated `r` is `x`, so the
   * rest of a seed's program stays as it was.
   */
  constructor(
    r: Rng,
    protected readonly g: ProgramShape,
    protected readonly maxDepth: number,
    protected readonly x: Rng,
    protected readonly extras: Extras,
    protected readonly opts: { name?: string; sub?: string } = {},
  ) {
    this.r = r;
    this.main = r;
  }

  protected withExt<T>(fn: () => T): T {
    const saved = this.r;
    this.r = this.x;
    try {
      return fn();
    } finally {
      this.r = saved;
    }
  }

  /** A fresh name: of its own series while a later feature is generated (`r` is `x`), so the other names stay as they were. */
  protected fresh(p: string): string {
    if (this.r === this.x && this.r !== this.main) return `${p}x${this.xuid++}`;
    return `${p}${this.uid++}`;
  }

  protected extLocals(): string[] {
    const out: string[] = [];
    if (this.r.chance(0.5)) {
      const w = this.g.width(false, this.r);
      const name = this.fresh("C");
      this.decls.push(`    const bit<${w}> ${name} = ${this.g.lit(w, this.r)};`);
      this.extLocalsList.push({ expr: name, width: w, writable: false });
    }
    if (this.r.chance(0.5)) {
      const w = this.r.pick([4, 8, 16, 32, 64]);
      const name = this.fresh("i");
      out.push(`        int<${w}> ${name} = (int<${w}>)${this.expr(w, 1, [])};`);
      this.extLocalsList.push({ expr: `((bit<${w}>)${name})`, width: w, writable: false });
      const v = `(bit<${w}>)(${name} ${this.r.pick(["+", "-", "*", "|+|", "|-|", "&", "^"])} ${this.intExpr(w, 1, [])})`;
      const dst = this.readable([]).filter((x) => x.writable && x.width === w);
      if (dst.length > 0) out.push(`        ${this.r.pick(dst).expr} = ${v};`);
    }
    const st = this.extras.structs[0];
    if (st && this.r.chance(0.5)) {
      const name = this.fresh("sv");
      out.push(`        ${st.type} ${name} = ${this.r.pick(st.instances)};`);
      for (const f of st.fields) this.extLocalsList.push({ expr: `${name}.${f.name}`, width: f.width, writable: true });
      out.push(`        ${name}.${st.fields[0]!.name} = ${this.expr(st.fields[0]!.width, 1, [])};`, `        ${this.r.pick(st.instances)} = ${name};`);
    }
    if (this.r.chance(0.4)) {
      const h = this.r.pick(this.g.headerInstances());
      const name = this.fresh("hv");
      const f = h.type.fields.find((f) => !f.varbit);
      if (!h.type.fields.some((f) => f.varbit) && f) {
        out.push(`        ${h.type.name} ${name} = ${h.expr};`, `        ${name}.${f.name} = ${this.expr(f.width, 1, [])};`);
        const same = this.g.headerInstances().filter((o) => o.type === h.type);
        out.push(`        if (${name}.isValid()) { ${this.r.pick(same).expr} = ${name}; }`);
      }
    }
    return out;
  }

  /**
   * An action with directional parameters (inout and out bit<W>, in bool, in
   * a serializable enum), called directly from apply: not in any table.
   */
  protected genDirectAction(): void {
    const name = this.fresh("dact");
    const params: { dir: "in" | "inout" | "out"; type: string; width?: number; enum?: EnumDecl }[] = [];
    const n = this.r.int(1, 4);
    for (let i = 0; i < n; i++) {
      const y = this.r.next();
      const ser = this.extras.enums.filter((e) => e.width);
      if (y < 0.2) params.push({ dir: "in", type: "bool" });
      else if (y < 0.3 && ser.length > 0) {
        const e = this.r.pick(ser);
        params.push({ dir: "in", type: e.name, enum: e });
      } else {
        const w = this.g.width(false, this.r);
        params.push({ dir: this.r.pick(["in", "inout", "out"]), type: `bit<${w}>`, width: w });
      }
    }
    const ps: Scalar[] = params.flatMap((p, i) => (p.width ? [{ expr: `q${i}`, width: p.width, writable: p.dir !== "in" }] : []));
    // An out parameter is uninitialized on entry: each is assigned first.
    const body = params.flatMap((p, i) => (p.dir === "out" ? [`        q${i} = ${this.expr(p.width!, 1, ps.filter((q) => q.expr !== `q${i}`))};`] : []));
    params.forEach((p, i) => {
      if (p.type === "bool") body.push(`        if (q${i}) {`, ...this.stmt(3, this.maxDepth - 1, ps, true), `        }`);
      else if (p.enum) body.push(`        if (q${i} == ${p.enum.name}.${this.r.pick(p.enum.members)}) {`, ...this.stmt(3, this.maxDepth - 1, ps, true), `        }`);
    });
    const nb = this.r.int(1, 3);
    for (let i = 0; i < nb; i++) body.push(...this.stmt(2, this.maxDepth - 1, ps, true));
    this.decls.push(`    action ${name}(${params.map((p, i) => `${p.dir} ${p.type} q${i}`).join(", ")}) {`, ...body, `    }`);
    this.directActions.push({ name, params });
  }

  /** An expression of type int<w>: casts of bit<w> expressions, signed literals, and operators on them. */
  protected intExpr(w: number, depth: number, params: Scalar[]): string {
    const y = this.r.next();
    if (depth <= 0 || y < 0.3) return `(int<${w}>)${this.expr(w, 1, params)}`;
    if (y < 0.45) {
      const v = BigInt.asIntN(w, this.r.bits(w));
      return v < 0n ? `(-${w}s${-v})`.replace(`-${w}s${1n << BigInt(w - 1)}`, `(int<${w}>)${w}w${1n << BigInt(w - 1)}`) : `${w}s${v}`;
    }
    if (y < 0.7) return `(${this.intExpr(w, depth - 1, params)} ${this.r.pick(["+", "-", "*", "|+|", "|-|", "&", "|", "^"])} ${this.intExpr(w, depth - 1, params)})`;
    if (y < 0.8) return `(-${this.intExpr(w, depth - 1, params)})`;
    if (y < 0.9) return `(${this.intExpr(w, depth - 1, params)} ${this.r.pick([">>", "<<"])} ${this.r.chance(0.5) ? this.r.int(0, w + 1) : this.shiftAmount(params)})`;
    // sign extension or truncation from another width
    const ow = this.r.pick([4, 8, 16, 32, 64].filter((o) => o !== w));
    return `((int<${w}>)${this.intExpr(ow, depth - 1, params)})`;
  }

  /** A shift amount read at run time: a bit<N> scalar (N <= 8 mostly, so it is sometimes below the width). */
  protected shiftAmount(params: Scalar[]): string {
    const small = this.readable(params).filter((s) => s.width <= 8);
    if (small.length > 0 && this.r.chance(0.7)) return this.r.pick(small).expr;
    const any = this.readable(params).filter((s) => s.width <= 64);
    return any.length > 0 ? this.r.pick(any).expr : `8w${this.r.int(0, 70)}`;
  }

  /** A statement of the later features (on the ext stream), or none. */
  protected extStmt(level: number, depth: number, params: Scalar[], inAction: boolean): string[] {
    const ind = "    ".repeat(level);
    const inner = () => this.stmt(level + 2, depth + 1, params, inAction);
    const y = this.r.next();
    if (y < 0.15 && depth < this.maxDepth && !inAction) {
      // switch on a bit<W> value (no switch statements in actions): distinct labels, some sharing a body, maybe a default
      const cands = this.readable(params).filter((s) => s.width <= 64);
      if (cands.length === 0) return [];
      const sel = this.r.pick(cands);
      const labels = new Set<bigint>();
      const nl = this.r.int(1, 4);
      for (let i = 0; i < nl; i++) labels.add(this.r.bits(sel.width));
      const lines = [`${ind}switch (${sel.expr}) {`];
      for (const v of labels) {
        if (this.r.chance(0.3)) lines.push(`${ind}    ${sel.width}w${v}:`);
        else lines.push(`${ind}    ${sel.width}w${v}: {`, ...inner(), `${ind}    }`);
      }
      if (lines[lines.length - 1]!.endsWith(":")) lines[lines.length - 1] += " { }";
      if (this.r.chance(0.5)) lines.push(`${ind}    default: {`, ...inner(), `${ind}    }`);
      lines.push(`${ind}}`);
      return lines;
    }
    if (y < 0.3 && this.extras.enums.length > 0) {
      const e = this.r.pick(this.extras.enums);
      if (depth < this.maxDepth && !inAction && this.r.chance(0.4)) {
        const lines = [`${ind}switch (${e.field}) {`];
        for (const m of e.members) if (this.r.chance(0.6)) lines.push(`${ind}    ${e.name}.${m}: {`, ...inner(), `${ind}    }`);
        if (this.r.chance(0.5)) lines.push(`${ind}    default: {`, ...inner(), `${ind}    }`);
        return [...lines, `${ind}}`];
      }
      // a serializable enum from a bit<W> value: any value, named or not
      if (e.width && this.r.chance(0.5)) return [`${ind}${e.field} = (${e.name})${this.expr(e.width, 1, params)};`];
      return [`${ind}${e.field} = ${e.name}.${this.r.pick(e.members)};`];
    }
    if (y < 0.4 && this.extras.bools.length > 0) return [`${ind}${this.r.pick(this.extras.bools)} = ${this.bool(2, params)};`];
    if (y < 0.55) {
      const s = this.writable(params, 0);
      if (!s || s.width > 64) return [];
      const w = s.width;
      if (this.r.chance(0.5)) return [`${ind}${s.expr} = (${this.expr(w, 1, params)} ${this.r.pick(["<<", ">>"])} ${this.shiftAmount(params)});`];
      const iw = this.r.pick([4, 8, 16, 32, 64]);
      const v = `(bit<${iw}>)${this.intExpr(iw, 2, params)}`;
      return [`${ind}${s.expr} = ${iw === w ? v : `(bit<${w}>)${v}`};`];
    }
    if (y < 0.65) {
      const out = inAction ? "return" : this.r.pick(["exit", "return"]);
      return [`${ind}if (${this.bool(1, params)}) {`, `${ind}    ${this.r.chance(0.3) ? "exit" : out};`, `${ind}}`];
    }
    if (y < 0.85 && !inAction) {
      // a direct call of an action: one with directional parameters, or a table's with arguments for its parameters
      const d = this.directActions.length > 0 && this.r.chance(0.6) ? this.r.pick(this.directActions) : undefined;
      if (d) {
        const args = d.params.map((p) => {
          if (p.type === "bool") return this.bool(1, params);
          if (p.enum) return `${p.enum.name}.${this.r.pick(p.enum.members)}`;
          if (p.dir === "in") return this.expr(p.width!, 1, params);
          const lv = this.readable(params).filter((x) => x.writable && x.width === p.width);
          return lv.length > 0 ? this.r.pick(lv).expr : null;
        });
        if (args.some((a) => a === null)) return [];
        return [`${ind}${d.name}(${args.join(", ")});`];
      }
      const a = this.actions.length > 0 ? this.r.pick(this.actions) : undefined;
      if (!a) return [];
      return [`${ind}${a.name}(${a.params.map((w, i) => (a.enums?.[i] ? `${a.enums[i]!.name}.${this.r.pick(a.enums[i]!.members)}` : this.expr(w, 1, params))).join(", ")});`];
    }
    const st = this.extras.structs[0];
    if (st && st.instances.length > 1) return [`${ind}${st.instances[this.r.int(0, 1)]} = ${st.instances[this.r.int(0, 1)]};`];
    // a whole-header copy between instances of one type (a stack's elements, or a header to itself)
    const h = this.r.pick(this.g.headerInstances());
    const same = this.g.headerInstances().filter((o) => o.type === h.type);
    return [`${ind}${this.r.pick(same).expr} = ${h.expr};`];
  }

  /** An expression of the later features of type bit<w>, or none. */
  protected extExpr(w: number, depth: number, params: Scalar[]): string | undefined {
    const y = this.r.next();
    if (y < 0.3 && w <= 64) return `(${this.expr(w, depth - 1, params)} ${this.r.pick(["<<", ">>"])} ${this.shiftAmount(params)})`;
    if (y < 0.55 && w <= 64) {
      const iw = this.r.pick([4, 8, 16, 32, 64]);
      const v = `(bit<${iw}>)${this.intExpr(iw, depth - 1, params)}`;
      return iw === w ? v : `((bit<${w}>)${v})`;
    }
    if (y < 0.7) {
      const ks = this.extras.consts;
      if (ks.length > 0) {
        const k = this.r.pick(ks);
        return k.width === w ? k.expr : `((bit<${w}>)${k.expr})`;
      }
    }
    if (y < 0.85) {
      const ser = this.extras.enums.filter((e) => e.width);
      if (ser.length > 0) {
        const e = this.r.pick(ser);
        return e.width === w ? `((bit<${w}>)${e.field})` : `((bit<${w}>)(bit<${e.width}>)${e.field})`;
      }
    }
    if (this.extras.bools.length > 0) return `(${this.r.pick(this.extras.bools)} ? ${this.expr(w, depth - 1, params)} : ${this.expr(w, depth - 1, params)})`;
    return undefined;
  }

  /** A boolean of the later features, or none. */
  protected extBool(depth: number, params: Scalar[]): string | undefined {
    const y = this.r.next();
    if (y < 0.25 && this.extras.bools.length > 0) return this.r.pick(this.extras.bools);
    if (y < 0.5 && this.extras.enums.length > 0) {
      const e = this.r.pick(this.extras.enums);
      return `(${e.field} ${this.r.pick(["==", "!="])} ${e.name}.${this.r.pick(e.members)})`;
    }
    if (y < 0.75) {
      const w = this.r.pick([4, 8, 16, 32, 64]);
      return `(${this.intExpr(w, Math.max(depth, 1), params)} ${this.r.pick(["<", ">", "<=", ">=", "==", "!="])} ${this.intExpr(w, Math.max(depth, 1), params)})`;
    }
    if (y < 0.85) return `(istd.parser_error ${this.r.pick(["==", "!="])} error.${this.r.pick(["NoError", "PacketTooShort", "ParserInvalidArgument", ...this.extras.errors])})`;
    if (y < 0.95) return `(${this.bool(depth - 1, params)} == ${this.bool(depth - 1, params)})`;
    return undefined;
  }

  // ---------------------------------------------------------------- externs

}
