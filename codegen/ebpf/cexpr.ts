/**
 * C for datapath expressions and storage. Every scalar value of up to 64
 * bits is a C unsigned integer of its container type (u8/u16/u32/u64)
 * holding the P4 value masked to its width; each operator that can carry
 * bits past the width masks its result, and shifts by the width or more
 * yield 0 (or the sign for `>>` of int<W>), as P4 defines them.
 *
 * A value wider than 64 bits (`bit<65>`..`bit<128>`) is stored as a byte
 * array of (W + 7) / 8 bytes in network order, right-aligned. An l-value of
 * such a type renders as the array itself (for copies, memcmp and keys);
 * every other expression of such a type renders as a `p4ts_u128` rvalue
 * (runtime-headers/p4ts_arith.h) holding the value masked to its width, and
 * `wideC` gives any expression in that form. Multiply, divide, modulo and
 * variable shifts of 128-bit values go through the header's helpers, since
 * BPF has no library routines for them.
 *
 * Division and modulo by zero yield 0 at every width. On int<W>, `/` and
 * `%` truncate toward zero and the remainder takes the dividend's sign
 * (P4 defines them only for non-negative operands, where this is exact).
 */
import type { DExpr, DType, ExternCall, LValue, ScalarType } from "../../compiler/ir/datapath.js";

export function container(width: number): string {
  return width <= 8 ? "__u8" : width <= 16 ? "__u16" : width <= 32 ? "__u32" : "__u64";
}

export function containerBits(width: number): number {
  return width <= 8 ? 8 : width <= 16 ? 16 : width <= 32 ? 32 : 64;
}

export function mask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

export function lit(v: bigint, width: number): string {
  const suffix = width > 32 ? "ULL" : "U";
  return v < 10n ? `${v}${suffix}` : `0x${v.toString(16)}${suffix}`;
}

/** True for values stored as byte arrays and computed in p4ts_u128. */
export function isWide(t: ScalarType): boolean {
  return !t.bool && t.width > 64;
}

/** A p4ts_u128 constant. */
export function lit128(v: bigint): string {
  const hi = v >> 64n;
  const lo = v & mask(64);
  return hi === 0n ? `((p4ts_u128)${lit(lo, 64)})` : `P4TS_U128(${lit(hi, 64)}, ${lit(lo, 64)})`;
}

/** Masks a p4ts_u128 expression to `width` bits (65..128). */
function fit128(c: string, width: number): string {
  return width >= 128 ? `(${c})` : `((${c}) & ${lit128(mask(width))})`;
}

/** Masks `c` (a C expression of type `t`'s container or wider) to `t`'s width when the width is not the container's. */
export function fit(c: string, t: ScalarType): string {
  if (t.bool) return c;
  if (t.width === containerBits(t.width)) return `(${container(t.width)})(${c})`;
  return `((${container(t.width)})(${c}) & ${lit(mask(t.width), t.width)})`;
}

/** C type of a storage type. */
export function ctype(t: DType): string {
  switch (t.k) {
    case "scalar":
      return t.t.width > 64 ? "__u8" : t.t.bool ? "__u8" : container(t.t.width);
    case "header":
    case "struct":
      return `struct ${t.name}`;
    case "stack":
      return `struct ${t.elem}`;
  }
}

/** Array suffix of a storage type (`[16]` for a 128-bit value, `[n]` for a stack). */
export function csuffix(t: DType): string {
  if (t.k === "scalar" && t.t.width > 64) return `[${Math.ceil(t.t.width / 8)}]`;
  if (t.k === "stack") return `[${t.size}]`;
  return "";
}

/** The C access path of an l-value (`hdr->ipv4.ttl`, `local_3.f`). */
export function lvalueC(lv: LValue): string {
  let s = lv.root === "hdr" || lv.root === "meta" ? `${lv.root}->` : lv.root;
  let first = lv.root === "hdr" || lv.root === "meta";
  for (const p of lv.path) {
    if (typeof p === "number") s += `[${p}]`;
    else {
      s += first ? p : `.${p}`;
    }
    first = false;
  }
  if (first) s = lv.root; // `hdr` itself
  return s;
}

/** Sign-extends a `width`-bit value to s64. */
function sext(c: string, width: number): string {
  return width === 64 ? `((__s64)(${c}))` : `(((__s64)((__u64)(${c}) << ${64 - width})) >> ${64 - width})`;
}

/** Byte-wise read of `size` bytes at `base[offset]` as an integer (network or little-endian order). */
export function readBytes(base: string, size: number, network: boolean, offset = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < size; i++) {
    const shift = network ? 8 * (size - 1 - i) : 8 * i;
    parts.push(shift === 0 ? `(__u64)${base}[${offset + i}]` : `((__u64)${base}[${offset + i}] << ${shift})`);
  }
  return `(${parts.join(" | ")})`;
}

/**
 * A parameter of up to 8 bytes from the action blob (`act_bpf->params`), in
 * as few loads as its size allows (8/4/2/1 bytes each, largest first) instead
 * of one load per byte. The blob starts at offset 5, so the loads are
 * unaligned: the BPF JITs execute them and the verifier allows them (the
 * reference's programs read their parameters the same way). `network`:
 * the bytes are big-endian (each piece is swapped); else host order.
 */
export function readParamBlob(base: string, size: number, network: boolean, offset: number): string {
  const parts: string[] = [];
  for (let at = 0; at < size; ) {
    const n = [8, 4, 2, 1].find((k) => k <= size - at)!;
    const load = `*(const __u${8 * n} *)(const void *)(${base} + ${offset + at})`;
    const value = n === 1 ? `(__u64)${load}` : `(__u64)${network ? NTOH[n] : ""}(${load})`;
    const shift = network ? 8 * (size - at - n) : 8 * at;
    parts.push(shift === 0 ? value : `(${value} << ${shift})`);
    at += n;
  }
  return `(${parts.join(" | ")})`;
}
const NTOH: Readonly<Record<number, string>> = { 2: "bpf_ntohs", 4: "bpf_ntohl", 8: "bpf_ntohll" };

/**
 * Routines of runtime-headers/p4ts_arith.h compiled only into the programs
 * that call them: `div128` (p4ts_div128, p4ts_mod128, p4ts_sdivmod128) and
 * `shift128` (p4ts_shl_w, p4ts_lshr_w, p4ts_ashr_w).
 */
export type Routine = "div128" | "shift128";

export interface ExprCtx {
  /** The runtime routines the C written so far calls: each expression that calls one adds it. */
  readonly routines: Set<Routine>;
  /** C for an extern call used as a value (a p4ts_u128 for a register read wider than 64 bits). */
  externValue(call: ExternCall, type: ScalarType): string;
  /** C for a lookahead read at `bitOffset` bits past the current packet offset (a p4ts_u128 for types wider than 64 bits). */
  lookahead(bitOffset: number, type: ScalarType): string;
  /**
   * C for `e`, an operand P4 evaluates only on a condition (the right of `&&` and `||`, an arm of `?:`), from
   * `render`: the parser checks the packet bytes the operand's lookaheads read there (else `render()`).
   */
  lazy?(e: DExpr, render: () => string): string;
  /** True when the C of `e` checks packet bounds itself: it must then run exactly when P4 evaluates `e`, never skipped. */
  checks?(e: DExpr): boolean;
}

function lazyC(e: DExpr, x: ExprCtx, render: () => string): string {
  return x.lazy ? x.lazy(e, render) : render();
}

/** `value`, after `c` (the C of operand `e`) when that checks packet bounds: P4 evaluates an operand whose value is not needed too. */
function after(e: DExpr, c: string, value: string, x: ExprCtx): string {
  return x.checks?.(e) ? `((void)${c}, ${value})` : value;
}

/** Bytes of the storage of a value wider than 64 bits. */
export function wideBytes(width: number): number {
  return Math.ceil(width / 8);
}

/**
 * The value of `e` (any width) as a p4ts_u128 rvalue, masked to its width:
 * wide l-values are loaded from their byte arrays.
 */
export function wideC(e: DExpr, x: ExprCtx): string {
  if (!isWide(e.type)) return `((p4ts_u128)${exprC(e, x)})`;
  if (e.k === "lval") return `p4ts_load_be(${lvalueC(e.lv)}, ${wideBytes(e.type.width)})`;
  return exprC(e, x);
}

/** A shift amount as a C value compared with the shifted width: wide amounts are clamped to 64 bits. */
function amountC(e: DExpr, x: ExprCtx): string {
  return isWide(e.type) ? `p4ts_shift_amount(${wideC(e, x)})` : exprC(e, x);
}

/**
 * The parser's C for `bitOffset` bits past the packet offset: `type`'s
 * width of bits read from the bytes at `pkt + off` (bounds already
 * checked), a p4ts_u128 for types wider than 64 bits.
 */
/** `at`: the C of a pointer to the packet at `off` to read through (`pkt + off` by default). */
export function lookaheadC(bitOffset: number, t: ScalarType, at?: string): string {
  const byte = (i: number): string => (at ? `${at}[${i}]` : `pkt[off + ${i}]`);
  const first = Math.floor(bitOffset / 8);
  const last = Math.floor((bitOffset + t.width - 1) / 8);
  const n = last - first + 1;
  const right = 8 * n - (bitOffset % 8) - t.width;
  if (n <= 8) {
    const parts = Array.from({ length: n }, (_, i) => `((__u64)${byte(first + i)} << ${8 * (n - 1 - i)})`);
    return fit(`(${parts.join(" | ")}) >> ${right}`, t);
  }
  // More than 8 bytes (wide values, or 57..64 bits not byte-aligned): each byte shifted into place on its own.
  const ty = isWide(t) ? "p4ts_u128" : "__u64";
  const parts = Array.from({ length: n }, (_, i) => {
    const sh = 8 * (n - 1 - i) - right;
    const b = `(${ty})${byte(first + i)}`;
    return sh > 0 ? `(${b} << ${sh})` : sh < 0 ? `(${b} >> ${-sh})` : b;
  });
  const v = `(${parts.join(" | ")})`;
  return isWide(t) ? fit128(v, t.width) : fit(v, t);
}

export function exprC(e: DExpr, x: ExprCtx): string {
  if (isWide(e.type) && e.k !== "lval") return wideExprC(e, x);
  switch (e.k) {
    case "const":
      return e.type.bool ? (e.value ? "1" : "0") : lit(e.value, e.type.width);
    case "lval":
      return lvalueC(e.lv);
    case "valid":
      return `${lvalueC(e.header)}.ebpf_valid`;
    case "meta":
      switch (e.field) {
        case "input_port":
          return "P4TS_SKB_U32(skb, ifindex)";
        case "parser_error":
          return "compiler_meta__->parser_error";
        case "timestamp":
          return "P4TS_SKB_U64(skb, tstamp)";
        case "recirculated":
          return "compiler_meta__->recirculated";
        case "class_of_service":
          return "0";
      }
      return "0";
    case "param": {
      const blob = readParamBlob("act_bpf->params", e.size, e.network, e.offset);
      let c = fit(blob, e.type);
      if (e.runtime?.hit) c = `(act_bpf->is_default_hit_act ? ${fit(readBytes(`((__u8 *)&p4tc_filter_fields.${e.runtime.hit})`, e.size, e.network), e.type)} : ${c})`;
      if (e.runtime?.miss) c = `(act_bpf->is_default_miss_act ? ${fit(readBytes(`((__u8 *)&p4tc_filter_fields.${e.runtime.miss})`, e.size, e.network), e.type)} : ${c})`;
      return c;
    }
    case "hit":
      return `hit_${e.table}`;
    case "lookahead":
      return x.lookahead(e.bitOffset, e.type);
    case "stackLastIndex":
      return `((__u32)${lvalueC(e.stack)}_nextIndex - 1)`;
    case "stackLast": {
      // The index is clamped so the verifier sees it bounded; the parser only reads `last` after an extract.
      const lv = lvalueC(e.stack);
      return `${lv}[(__u32)(${lv}_nextIndex - 1) < ${e.size} ? (__u32)(${lv}_nextIndex - 1) : 0].${e.field}`;
    }
    case "extern":
      return x.externValue(e.call, e.type);
    case "unary": {
      const a = exprC(e.e, x);
      if (e.op === "!") return `(!${a})`;
      return fit(`${e.op}(${container(e.type.width)})${a}`, e.type);
    }
    case "cast":
      if (isWide(e.e.type)) return e.type.bool ? `(${wideC(e.e, x)} != 0)` : fit(`(__u64)${wideC(e.e, x)}`, e.type);
      return castC(exprC(e.e, x), e.e.type, e.type);
    case "cond":
      return `(${exprC(e.c, x)} ? ${lazyC(e.t, x, () => exprC(e.t, x))} : ${lazyC(e.e, x, () => exprC(e.e, x))})`;
    case "slice": {
      const t = e.type;
      if (isWide(e.e.type)) return fit(`(__u64)(${wideC(e.e, x)} >> ${e.lo})`, t);
      return fit(`(__u64)${exprC(e.e, x)} >> ${e.lo}`, t);
    }
    case "concat":
      return fit(`((__u64)${exprC(e.l, x)} << ${e.r.type.width}) | ${exprC(e.r, x)}`, e.type);
    case "binary":
      return binaryC(e, x);
  }
}

/** C (a p4ts_u128 rvalue) for an expression of a type wider than 64 bits, other than an l-value. */
function wideExprC(e: DExpr, x: ExprCtx): string {
  const W = e.type.width;
  switch (e.k) {
    case "const":
      return lit128(e.value);
    case "param": {
      // The action blob holds a wide parameter in the byte order assignments copy it in (network order).
      const load = (base: string) => `p4ts_load_be(${base}, ${e.size})`;
      let c = load(`act_bpf->params + ${e.offset}`);
      if (e.runtime?.hit) c = `(act_bpf->is_default_hit_act ? ${load(`(__u8 *)&p4tc_filter_fields.${e.runtime.hit}`)} : ${c})`;
      if (e.runtime?.miss) c = `(act_bpf->is_default_miss_act ? ${load(`(__u8 *)&p4tc_filter_fields.${e.runtime.miss}`)} : ${c})`;
      return fit128(c, W);
    }
    case "unary": {
      const a = wideC(e.e, x);
      return fit128(e.op === "-" ? `p4ts_neg128(${a})` : `~${a}`, W);
    }
    case "cast": {
      const from = e.e.type;
      if (from.signed && !from.bool && from.width < W) {
        if (isWide(from)) return fit128(`(p4ts_u128)p4ts_sext128(${wideC(e.e, x)}, ${from.width})`, W);
        return fit128(`(p4ts_u128)(p4ts_s128)${sext(exprC(e.e, x), from.width)}`, W);
      }
      return from.width > W ? fit128(wideC(e.e, x), W) : wideC(e.e, x);
    }
    case "cond":
      return `(${exprC(e.c, x)} ? ${lazyC(e.t, x, () => wideC(e.t, x))} : ${lazyC(e.e, x, () => wideC(e.e, x))})`;
    case "slice":
      return fit128(`${wideC(e.e, x)} >> ${e.lo}`, W);
    case "concat":
      return `((${wideC(e.l, x)} << ${e.r.type.width}) | ${wideC(e.r, x)})`;
    case "binary":
      return wideBinaryC(e, x);
    case "lookahead":
      return x.lookahead(e.bitOffset, e.type);
    case "extern":
      // A register read yields the full width; other externs produce at most 64 bits.
      return e.call.k === "register_read" ? x.externValue(e.call, e.type) : `((p4ts_u128)${x.externValue(e.call, { width: 64, signed: false })})`;
    default:
      throw new Error(`internal: no C for a ${W}-bit ${e.k} expression`);
  }
}

/** A binary operator whose operands are wider than 64 bits; the result is a p4ts_u128 (or a C truth value for comparisons). */
function wideBinaryC(e: Extract<DExpr, { k: "binary" }>, x: ExprCtx): string {
  const W = e.l.type.width;
  const signed = e.l.type.signed;
  const l = wideC(e.l, x);
  switch (e.op) {
    case "<<":
    case ">>": {
      if (e.r.k === "const") {
        const n = e.r.value;
        if (e.op === "<<") return n >= BigInt(W) ? after(e.l, l, lit128(0n), x) : fit128(`${l} << ${n}`, W);
        if (!signed) return n >= BigInt(W) ? after(e.l, l, lit128(0n), x) : `(${l} >> ${n})`;
        const k = n >= BigInt(W) ? BigInt(W - 1) : n;
        return k === 0n ? l : fit128(`(p4ts_u128)(p4ts_sext128(${l}, ${W}) >> ${k})`, W);
      }
      const fn = e.op === "<<" ? "p4ts_shl_w" : signed ? "p4ts_ashr_w" : "p4ts_lshr_w";
      x.routines.add("shift128");
      return `${fn}(${l}, ${wideC(e.r, x)}, ${W})`;
    }
  }
  const r = wideC(e.r, x);
  switch (e.op) {
    case "&&":
    case "||":
      throw new Error(`internal: ${e.op} on ${W}-bit values`);
    case "==":
    case "!=":
      if (e.l.k === "lval" && e.r.k === "lval") return `(__builtin_memcmp(${lvalueC(e.l.lv)}, ${lvalueC(e.r.lv)}, ${wideBytes(W)}) ${e.op} 0)`;
      return `(${l} ${e.op} ${r})`;
    case "<":
    case ">":
    case "<=":
    case ">=":
      return signed ? `(p4ts_sext128(${l}, ${W}) ${e.op} p4ts_sext128(${r}, ${W}))` : `(${l} ${e.op} ${r})`;
    case "&":
    case "|":
    case "^":
      return `(${l} ${e.op} ${r})`;
    case "+":
      return fit128(`${l} + ${r}`, W);
    case "-":
      return fit128(`p4ts_sub128(${l}, ${r})`, W);
    case "*":
      return fit128(`p4ts_mul128(${l}, ${r})`, W);
    case "/":
    case "%":
      x.routines.add("div128");
      if (signed) return `p4ts_sdivmod128(${l}, ${r}, ${W}, ${e.op === "%" ? 1 : 0})`;
      return `${e.op === "/" ? "p4ts_div128" : "p4ts_mod128"}(${l}, ${r})`;
    case "|+|":
      return signed ? `p4ts_ssat_add128(${l}, ${r}, ${W})` : `p4ts_usat_add128(${l}, ${r}, ${W})`;
    case "|-|":
      return signed ? `p4ts_ssat_sub128(${l}, ${r}, ${W})` : `p4ts_usat_sub128(${l}, ${r})`;
  }
}

function castC(c: string, from: ScalarType, to: ScalarType): string {
  if (to.bool) return `(${c} != 0)`;
  if (from.signed && to.width > from.width) return fit(sext(c, from.width), to);
  if (to.width < from.width || from.bool) return fit(c, to);
  return `(${container(to.width)})${c}`;
}

function binaryC(e: Extract<DExpr, { k: "binary" }>, x: ExprCtx): string {
  if (isWide(e.l.type)) return wideBinaryC(e, x);
  const l = exprC(e.l, x);
  if (e.op === "&&" || e.op === "||") return `(${l} ${e.op} ${lazyC(e.r, x, () => exprC(e.r, x))})`;
  const r = e.op === "<<" || e.op === ">>" ? amountC(e.r, x) : exprC(e.r, x);
  const t = e.type;
  const ot = e.l.type;
  const W = ot.width;
  const signed = ot.signed;
  // `x == x` on one variable: clang -Wtautological-compare rejects the C, so it is folded.
  if (e.l.k === "lval" && e.r.k === "lval" && l === r && ["==", "!=", "<", ">", "<=", ">="].includes(e.op))
    return ["==", "<=", ">="].includes(e.op) ? "(1)" : "(0)";
  // A variable shift computes `l` only for amounts under the width: when `l` checks packet bounds, it is computed first.
  const first = x.checks?.(e.l) ?? false;
  const lv = first ? "l__" : l;
  const shift = (c: string): string => (first ? `({ __u64 l__ = ${l}; ${c}; })` : c);
  switch (e.op) {
    case "==":
    case "!=":
      return `(${l} ${e.op} ${r})`;
    case "<":
    case ">":
    case "<=":
    case ">=":
      return signed ? `(${sext(l, W)} ${e.op} ${sext(r, W)})` : `(${l} ${e.op} ${r})`;
    case "&":
    case "|":
    case "^":
      return `(${container(t.width)})(${l} ${e.op} ${r})`;
    case "+":
    case "-":
    case "*":
      return fit(`(__u64)${l} ${e.op} (__u64)${r}`, t);
    case "/":
    case "%":
      return signed ? fit(`${e.op === "/" ? "p4ts_sdiv64" : "p4ts_smod64"}((__u64)${sext(l, W)}, (__u64)${sext(r, W)})`, t) : `(${container(t.width)})${e.op === "/" ? "p4ts_udiv64" : "p4ts_umod64"}(${l}, ${r})`;
    case "<<":
      if (e.r.k === "const") return e.r.value >= BigInt(t.width) ? after(e.l, l, lit(0n, t.width), x) : fit(`(__u64)${l} << ${e.r.value}`, t);
      return shift(`(${r} >= ${t.width} ? 0 : ${fit(`(__u64)${lv} << ${r}`, t)})`);
    case ">>":
      if (signed) return fit(`${sext(l, W)} >> (${r} >= ${W} ? ${W - 1} : ${r})`, t);
      if (e.r.k === "const") return e.r.value >= BigInt(t.width) ? after(e.l, l, lit(0n, t.width), x) : `(${container(t.width)})(${l} >> ${e.r.value})`;
      return shift(`(${r} >= ${t.width} ? 0 : (${container(t.width)})(${lv} >> ${r}))`);
    case "|+|": {
      if (W === 64) return signed ? `p4ts_ssat_add64(${l}, ${r})` : `p4ts_usat_add64(${l}, ${r})`;
      if (signed) {
        const max = (1n << BigInt(W - 1)) - 1n;
        return fit(`({ __s64 s__ = ${sext(l, W)} + ${sext(r, W)}; s__ > ${max}LL ? ${max}LL : s__ < -${max + 1n}LL ? -${max + 1n}LL : s__; })`, t);
      }
      const max = lit(mask(W), 64);
      return `(${container(W)})({ __u64 s__ = (__u64)${l} + (__u64)${r}; s__ > ${max} ? ${max} : s__; })`;
    }
    case "|-|": {
      if (W === 64 && signed) return `p4ts_ssat_sub64(${l}, ${r})`;
      if (signed) {
        const max = (1n << BigInt(W - 1)) - 1n;
        return fit(`({ __s64 s__ = ${sext(l, W)} - ${sext(r, W)}; s__ > ${max}LL ? ${max}LL : s__ < -${max + 1n}LL ? -${max + 1n}LL : s__; })`, t);
      }
      return `(${container(W)})({ __u64 a__ = ${l}, b__ = ${r}; a__ < b__ ? 0 : a__ - b__; })`;
    }
  }
}
