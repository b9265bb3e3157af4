/**
 * C for datapath expressions and storage. Every scalar value is a C unsigned
 * integer of its container type (u8/u16/u32/u64) holding the P4 value masked
 * to its width; each operator that can carry bits past the width masks its
 * result, and shifts by the width or more yield 0, as P4 defines them.
 * Values wider than 64 bits are byte arrays in network order: they can be
 * copied and compared only.
 */
import type { DExpr, DType, ExternCall, LValue, ScalarType } from "../datapath.js";

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

/** Byte-wise read of `size` bytes at `base` as an integer (network or little-endian order). */
export function readBytes(base: string, size: number, network: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < size; i++) {
    const shift = network ? 8 * (size - 1 - i) : 8 * i;
    parts.push(shift === 0 ? `(__u64)${base}[${i}]` : `((__u64)${base}[${i}] << ${shift})`);
  }
  return `(${parts.join(" | ")})`;
}

export interface ExprCtx {
  /** C for an extern call used as a value. */
  externValue(call: ExternCall, type: ScalarType): string;
  /** C for a lookahead read at `bitOffset` bits past the current packet offset. */
  lookahead(bitOffset: number, type: ScalarType): string;
}

export function exprC(e: DExpr, x: ExprCtx): string {
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
          return "skb->ifindex";
        case "parser_error":
          return "compiler_meta__->parser_error";
        case "timestamp":
          return "skb->tstamp";
        case "recirculated":
          return "compiler_meta__->recirculated";
        case "class_of_service":
          return "0";
      }
      return "0";
    case "param": {
      const blob = readBytes("act_bpf->params", e.size, e.network).replace(/act_bpf->params\[(\d+)\]/g, (_m, i: string) => `act_bpf->params[${e.offset + Number(i)}]`);
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
      return castC(exprC(e.e, x), e.e.type, e.type);
    case "cond":
      return `(${exprC(e.c, x)} ? ${exprC(e.t, x)} : ${exprC(e.e, x)})`;
    case "slice": {
      const t = e.type;
      return fit(`(__u64)${exprC(e.e, x)} >> ${e.lo}`, t);
    }
    case "concat":
      return fit(`((__u64)${exprC(e.l, x)} << ${e.r.type.width}) | ${exprC(e.r, x)}`, e.type);
    case "binary":
      return binaryC(e, x);
  }
}

function castC(c: string, from: ScalarType, to: ScalarType): string {
  if (to.bool) return `(${c} != 0)`;
  if (from.signed && to.width > from.width) return fit(sext(c, from.width), to);
  if (to.width < from.width || from.bool) return fit(c, to);
  return `(${container(to.width)})${c}`;
}

function binaryC(e: Extract<DExpr, { k: "binary" }>, x: ExprCtx): string {
  const l = exprC(e.l, x);
  const r = exprC(e.r, x);
  const t = e.type;
  const ot = e.l.type;
  const W = ot.width;
  const signed = ot.signed;
  switch (e.op) {
    case "&&":
    case "||":
      return `(${l} ${e.op} ${r})`;
    case "==":
    case "!=":
      if (W > 64) return `(__builtin_memcmp(${l}, ${r}, ${Math.ceil(W / 8)}) ${e.op} 0)`;
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
      return signed ? fit(`${sext(l, W)} ${e.op} ${sext(r, W)}`, t) : `(${container(t.width)})(${r} == 0 ? 0 : ${l} ${e.op} ${r})`;
    case "<<":
      if (e.r.k === "const") return e.r.value >= BigInt(t.width) ? lit(0n, t.width) : fit(`(__u64)${l} << ${e.r.value}`, t);
      return `(${r} >= ${t.width} ? 0 : ${fit(`(__u64)${l} << ${r}`, t)})`;
    case ">>":
      if (signed) return fit(`${sext(l, W)} >> (${r} >= ${W} ? ${W - 1} : ${r})`, t);
      if (e.r.k === "const") return e.r.value >= BigInt(t.width) ? lit(0n, t.width) : `(${container(t.width)})(${l} >> ${e.r.value})`;
      return `(${r} >= ${t.width} ? 0 : (${container(t.width)})(${l} >> ${r}))`;
    case "|+|": {
      if (signed) {
        const max = (1n << BigInt(W - 1)) - 1n;
        return fit(`({ __s64 s__ = ${sext(l, W)} + ${sext(r, W)}; s__ > ${max}LL ? ${max}LL : s__ < -${max + 1n}LL ? -${max + 1n}LL : s__; })`, t);
      }
      const max = lit(mask(W), 64);
      return `(${container(W)})({ __u64 s__ = (__u64)${l} + (__u64)${r}; s__ > ${max} ? ${max} : s__; })`;
    }
    case "|-|": {
      if (signed) {
        const max = (1n << BigInt(W - 1)) - 1n;
        return fit(`({ __s64 s__ = ${sext(l, W)} - ${sext(r, W)}; s__ > ${max}LL ? ${max}LL : s__ < -${max + 1n}LL ? -${max + 1n}LL : s__; })`, t);
      }
      return `(${container(W)})({ __u64 a__ = ${l}, b__ = ${r}; a__ < b__ ? 0 : a__ - b__; })`;
    }
  }
}
