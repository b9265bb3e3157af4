// Exactness of the C the eBPF back end generates for P4 arithmetic, at every
// width from 1 to 128. Each case is a datapath expression over operands read
// from byte arrays, rendered by the real exprC/assignC into a C function;
// the functions are compiled natively with the host C compiler and run over
// pools of edge and random operands, and every result is compared with a
// BigInt implementation of the P4-16 semantics below. The same functions
// are compiled once for BPF to prove they need no library routines; the
// 64-, 65- and 128-bit ones are also loaded into the kernel (the verifier
// must accept them) and run there on a sample of the operands; and a P4
// program computing on 128-bit values goes through the whole compiler.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { BOOL_T, type BinaryOp, type DExpr, type ScalarType } from "../../../compiler/ir/datapath.js";
import { ctype, csuffix, lookaheadC, type ExprCtx } from "../../../codegen/ebpf/cexpr.js";
import { assignC } from "../../../codegen/ebpf/statements.js";
import { CWriter } from "../../../codegen/ebpf/writer.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { compile } from "../../../compiler/compile.js";
import { buildObjects, cacheKey, cacheRestore, cacheStore } from "../../../build/index.js";
import { cachedRun, cleanupTmpDirs, hasClang, hasTool, isRoot, missingOf, onPath, realClang, run, testIf, tmpDir, withBpffs } from "../build/tools.js";

afterAll(cleanupTmpDirs);

// ---------------------------------------------------------------------------
// The reference: P4-16 semantics on BigInt bit patterns (values masked to their width)

const WIDTHS = [1, 7, 8, 16, 31, 32, 33, 48, 64, 65, 128] as const;

const T = (width: number, signed = false): ScalarType => ({ width, signed });
const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
/** The bit pattern `v` of a `w`-bit int as a signed number. */
const sx = (v: bigint, w: number): bigint => (v >> BigInt(w - 1) ? v - (1n << BigInt(w)) : v);
const wrap = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);
const tname = (t: ScalarType): string => (t.bool ? "bool" : `${t.signed ? "int" : "bit"}<${t.width}>`);

/**
 * `a op b` for operands of type `t`. Division and modulo by zero give 0 (the
 * value p4ts defines); on int<W> they truncate toward zero and the remainder
 * takes the dividend's sign (exact P4 for the non-negative operands P4
 * allows; MIN / -1 wraps to MIN).
 */
function refBinary(op: BinaryOp, t: ScalarType, a: bigint, b: bigint): bigint {
  const W = t.width;
  const s = t.signed;
  const A = s ? sx(a, W) : a;
  const B = s ? sx(b, W) : b;
  const bool = (c: boolean): bigint => (c ? 1n : 0n);
  switch (op) {
    case "+":
      return wrap(a + b, W);
    case "-":
      return wrap(a - b, W);
    case "*":
      return wrap(a * b, W);
    case "/":
      return B === 0n ? 0n : wrap(A / B, W);
    case "%":
      return B === 0n ? 0n : wrap(A % B, W);
    case "&":
      return a & b;
    case "|":
      return a | b;
    case "^":
      return a ^ b;
    case "<<":
      return b >= BigInt(W) ? 0n : wrap(a << b, W);
    case ">>":
      if (!s) return b >= BigInt(W) ? 0n : a >> b;
      return wrap(A >> (b >= BigInt(W) ? BigInt(W - 1) : b), W);
    case "==":
      return bool(a === b);
    case "!=":
      return bool(a !== b);
    case "<":
      return bool(A < B);
    case ">":
      return bool(A > B);
    case "<=":
      return bool(A <= B);
    case ">=":
      return bool(A >= B);
    case "&&":
      return bool(a !== 0n && b !== 0n);
    case "||":
      return bool(a !== 0n || b !== 0n);
    case "|+|":
    case "|-|": {
      const v = op === "|+|" ? A + B : A - B;
      const lo = s ? -(1n << BigInt(W - 1)) : 0n;
      const hi = s ? (1n << BigInt(W - 1)) - 1n : mask(W);
      return wrap(v < lo ? lo : v > hi ? hi : v, W);
    }
  }
}

/** `(to)v` for `v` of type `from`: sign-extends a signed value that widens, keeps the low bits otherwise. */
function refCast(from: ScalarType, to: ScalarType, v: bigint): bigint {
  if (to.bool) return v !== 0n ? 1n : 0n;
  if (from.signed && !from.bool && to.width > from.width) return wrap(sx(v, from.width), to.width);
  return wrap(v, to.width);
}

// ---------------------------------------------------------------------------
// Operand pools: edge values and deterministic random ones

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(0x9a4c);
function randBits(w: number): bigint {
  let v = 0n;
  for (let i = 0; i < w; i += 32) v = (v << 32n) | BigInt(Math.floor(rand() * 4294967296));
  return wrap(v, w);
}

/** Edge values of a `w`-bit type (0, 1, 2, max, max-1, the top bit, min/max of the signed reading) and random values of random magnitude. */
function pool(w: number, random: number): bigint[] {
  const top = 1n << BigInt(w - 1);
  const vals = [0n, 1n, 2n, 3n, mask(w), mask(w) - 1n, top, top - 1n, top + 1n, mask(w) - 2n];
  for (let i = 0; i < random; i++) {
    const v = randBits(w);
    vals.push(i % 2 ? v : v >> BigInt(Math.floor(rand() * w)));
  }
  return [...new Set(vals.map((v) => wrap(v, w)))];
}

const BOOLS = [0n, 1n];

/** Shift amounts for a `W`-bit value: 0, 1, W-1, W, W+1, 200 (and 2^100 for a 128-bit amount). */
function shiftAmounts(W: number, amountWidth: number): bigint[] {
  const v = [0n, 1n, BigInt(W - 1), BigInt(W), BigInt(W + 1), 200n, 3n];
  if (amountWidth > 100) v.push(1n << 100n, mask(amountWidth));
  return [...new Set(v.filter((x) => x <= mask(amountWidth)))];
}

// ---------------------------------------------------------------------------
// Cases

interface Case {
  readonly name: string;
  readonly group: string;
  /** Operand types and their value pools; the run covers their cartesian product (first operand outermost). */
  readonly ops: readonly { readonly t: ScalarType; readonly pool: readonly bigint[] }[];
  readonly build: (ops: readonly DExpr[]) => DExpr;
  readonly ref: (vals: readonly bigint[]) => bigint;
}

const lvalOf = (name: string, t: ScalarType): DExpr => ({ k: "lval", lv: { root: name, path: [], type: { k: "scalar", t } }, type: t });
const bin = (op: BinaryOp, l: DExpr, r: DExpr, type: ScalarType): DExpr => ({ k: "binary", op, l, r, type });
const cst = (value: bigint, type: ScalarType): DExpr => ({ k: "const", value, type });

const ARITH: readonly BinaryOp[] = ["+", "-", "*", "/", "%", "&", "|", "^", "|+|", "|-|"];
const CMP: readonly BinaryOp[] = ["==", "!=", "<", ">", "<=", ">="];

function buildCases(): Case[] {
  const cases: Case[] = [];
  const pools = new Map<string, bigint[]>();
  const poolOf = (t: ScalarType): bigint[] => {
    if (t.bool) return BOOLS;
    const k = `${t.width}`;
    if (!pools.has(k)) pools.set(k, pool(t.width, t.width === 1 ? 0 : 8));
    return pools.get(k)!;
  };
  for (const W of WIDTHS) {
    for (const signed of [false, true]) {
      const t = T(W, signed);
      const p = poolOf(t);
      const g = `${W}`;
      for (const op of ARITH) cases.push({ name: `${tname(t)} ${op} ${tname(t)}`, group: g, ops: [{ t, pool: p }, { t, pool: p }], build: ([a, b]) => bin(op, a!, b!, t), ref: ([a, b]) => refBinary(op, t, a!, b!) });
      for (const op of CMP) cases.push({ name: `${tname(t)} ${op} ${tname(t)}`, group: g, ops: [{ t, pool: p }, { t, pool: p }], build: ([a, b]) => bin(op, a!, b!, BOOL_T), ref: ([a, b]) => refBinary(op, t, a!, b!) });
      // with a constant operand
      for (const k of [p[p.length - 1]!, mask(W)]) {
        for (const op of ["+", "*", "-", "<", "==", "/"] as const) {
          const rt = CMP.includes(op) ? BOOL_T : t;
          cases.push({ name: `${tname(t)} ${op} ${k}`, group: g, ops: [{ t, pool: p }], build: ([a]) => bin(op, a!, cst(k, t), rt), ref: ([a]) => refBinary(op, t, a!, k) });
        }
      }
      for (const op of ["<<", ">>"] as const) {
        for (const aw of [8, 32, 128]) {
          const at = T(aw);
          cases.push({ name: `${tname(t)} ${op} ${tname(at)}`, group: g, ops: [{ t, pool: p }, { t: at, pool: shiftAmounts(W, aw) }], build: ([a, b]) => bin(op, a!, b!, t), ref: ([a, b]) => refBinary(op, t, a!, b!) });
        }
        for (const n of shiftAmounts(W, 8)) cases.push({ name: `${tname(t)} ${op} ${n}`, group: g, ops: [{ t, pool: p }], build: ([a]) => bin(op, a!, cst(n, T(8)), t), ref: ([a]) => refBinary(op, t, a!, n) });
      }
      cases.push({ name: `-${tname(t)}`, group: g, ops: [{ t, pool: p }], build: ([a]) => ({ k: "unary", op: "-", e: a!, type: t }), ref: ([a]) => wrap(-a!, W) });
      cases.push({ name: `~${tname(t)}`, group: g, ops: [{ t, pool: p }], build: ([a]) => ({ k: "unary", op: "~", e: a!, type: t }), ref: ([a]) => mask(W) ^ a! });
      cases.push({ name: `bool ? ${tname(t)} : ${tname(t)}`, group: g, ops: [{ t: BOOL_T, pool: BOOLS }, { t, pool: p }, { t, pool: p }], build: ([c, a, b]) => ({ k: "cond", c: c!, t: a!, e: b!, type: t }), ref: ([c, a, b]) => (c ? a! : b!) });
      // casts to every width and signedness, and to bool
      for (const to of [...WIDTHS.flatMap((w) => [T(w), T(w, true)]), BOOL_T]) {
        if (to.width === W && to.signed === signed && !to.bool) continue;
        cases.push({ name: `(${tname(to)})${tname(t)}`, group: "cast", ops: [{ t, pool: p }], build: ([a]) => ({ k: "cast", e: a!, type: to }), ref: ([a]) => refCast(t, to, a!) });
      }
    }
    // casts from bool
    const tw = T(W);
    cases.push({ name: `(${tname(tw)})bool`, group: "cast", ops: [{ t: BOOL_T, pool: BOOLS }], build: ([a]) => ({ k: "cast", e: a!, type: tw }), ref: ([a]) => a! });
    // slices
    const spans: [number, number][] = [[W - 1, 0], [W - 1, W - 1], [0, 0], [Math.floor((W - 1) / 2), Math.floor(W / 4)], [W - 1, Math.min(W - 1, 3)]];
    if (W > 64) spans.push([63, 0], [64, 0], [W - 1, 64], [W - 1, 1], [Math.min(100, W - 1), 37], [W - 1, W - 64]);
    for (const [hi, lo] of spans) {
      const rt = T(hi - lo + 1);
      for (const signed of [false, true]) {
        const t = T(W, signed);
        cases.push({ name: `${tname(t)}[${hi}:${lo}]`, group: "slice", ops: [{ t, pool: poolOf(t) }], build: ([a]) => ({ k: "slice", e: a!, hi, lo, type: rt }), ref: ([a]) => (a! >> BigInt(lo)) & mask(hi - lo + 1) });
      }
    }
    // concatenations with every width that fits
    for (const U of WIDTHS) {
      if (W + U > 128) continue;
      const signed = (W + U) % 2 === 1;
      const lt = T(W, signed);
      const rt = T(U, !signed);
      const ct = T(W + U, signed);
      cases.push({ name: `${tname(lt)} ++ ${tname(rt)}`, group: "concat", ops: [{ t: lt, pool: poolOf(lt) }, { t: rt, pool: poolOf(rt) }], build: ([a, b]) => ({ k: "concat", l: a!, r: b!, type: ct }), ref: ([a, b]) => (a! << BigInt(U)) | b! });
    }
  }
  // bool operators
  for (const op of ["&&", "||", "==", "!="] as const) cases.push({ name: `bool ${op} bool`, group: "bool", ops: [{ t: BOOL_T, pool: BOOLS }, { t: BOOL_T, pool: BOOLS }], build: ([a, b]) => bin(op, a!, b!, BOOL_T), ref: ([a, b]) => refBinary(op, T(1), a!, b!) });
  cases.push({ name: "!bool", group: "bool", ops: [{ t: BOOL_T, pool: BOOLS }], build: ([a]) => ({ k: "unary", op: "!", e: a!, type: BOOL_T }), ref: ([a]) => 1n - a! });
  // compound expressions crossing the 64-bit boundary
  for (const W of [64, 65, 100, 128]) {
    const t = T(W);
    const p = pool(W, 6);
    cases.push({
      name: `(a + b) * a - b / (a | 1), bit<${W}>`,
      group: "compound",
      ops: [{ t, pool: p }, { t, pool: p }],
      build: ([a, b]) => bin("-", bin("*", bin("+", a!, b!, t), a!, t), bin("/", b!, bin("|", a!, cst(1n, t), t), t), t),
      ref: ([a, b]) => wrap((a! + b!) * a! - b! / (a! | 1n), W),
    });
    const s = T(W, true);
    cases.push({
      name: `((int<${W}>)a >> 3) |+| -(int<${W}>)b`,
      group: "compound",
      ops: [{ t, pool: p }, { t, pool: p }],
      build: ([a, b]) => bin("|+|", bin(">>", { k: "cast", e: a!, type: s }, cst(3n, T(8)), s), { k: "unary", op: "-", e: { k: "cast", e: b!, type: s }, type: s }, s),
      ref: ([a, b]) => refBinary("|+|", s, refBinary(">>", s, a!, 3n), wrap(-b!, W)),
    });
  }
  // parser lookaheads: W bits at a bit offset into the 256-bit string of two 128-bit operands
  {
    const t128 = T(128);
    const p = pool(128, 8);
    for (const W of [8, 33, 57, 64, 65, 100, 128]) {
      for (const at of [0, 3, 7, 8, 61, 64, 127]) {
        const t = T(W);
        cases.push({
          name: `lookahead<bit<${W}>> at bit ${at}`,
          group: "lookahead",
          ops: [{ t: t128, pool: p.slice(0, 6) }, { t: t128, pool: p.slice(6, 12) }],
          build: () => ({ k: "lookahead", bitOffset: at, extent: at + W, type: t }),
          ref: ([a, b]) => (((a! << 128n) | b!) >> BigInt(256 - at - W)) & mask(W),
        });
      }
    }
  }
  // division: dividends and divisors of every magnitude around the 32- and 64-bit digit boundaries
  for (const W of [65, 96, 128]) {
    const p = new Set<bigint>([0n, 1n, 2n, 3n, 7n, 10n]);
    for (const k of [8, 31, 32, 33, 48, 63, 64, 65, 80, 95, 96, 97, 120, 127, 128].filter((k) => k <= W)) {
      const top = 1n << BigInt(k - 1);
      p.add(mask(k)).add(top).add(top + 1n).add(top | randBits(k - 1)).add(mask(k) ^ (1n << BigInt(Math.floor(k / 2))));
    }
    const pl = [...p].map((v) => wrap(v, W));
    for (const signed of [false, true]) {
      const t = T(W, signed);
      for (const op of ["/", "%"] as const) cases.push({ name: `${tname(t)} ${op} ${tname(t)} (division pool)`, group: "division", ops: [{ t, pool: pl }, { t, pool: pl }], build: ([a, b]) => bin(op, a!, b!, t), ref: ([a, b]) => refBinary(op, t, a!, b!) });
    }
  }
  {
    const a64 = T(64);
    const p = poolOf(a64);
    cases.push({
      name: "(bit<128>)a * (bit<128>)b == a ++ b (64-bit a, b)",
      group: "compound",
      ops: [{ t: a64, pool: p }, { t: a64, pool: p }],
      build: ([a, b]) => bin("*", { k: "cast", e: a!, type: T(128) }, { k: "cast", e: b!, type: T(128) }, T(128)),
      ref: ([a, b]) => a! * b!,
    });
    cases.push({
      name: "((bit<128>)a << 64 | b)[95:32] (64-bit a, b)",
      group: "compound",
      ops: [{ t: a64, pool: p }, { t: a64, pool: p }],
      build: ([a, b]) => ({ k: "slice", e: bin("|", bin("<<", { k: "cast", e: a!, type: T(128) }, cst(64n, T(8)), T(128)), { k: "cast", e: b!, type: T(128) }, T(128)), hi: 95, lo: 32, type: a64 }),
      ref: ([a, b]) => (((a! << 64n) | b!) >> 32n) & mask(64),
    });
    const w96 = T(96, true);
    const p96 = pool(96, 8);
    cases.push({
      name: "int<96> a < b ? a : b, then (int<128>)",
      group: "compound",
      ops: [{ t: w96, pool: p96 }, { t: w96, pool: p96 }],
      build: ([a, b]) => ({ k: "cast", e: { k: "cond", c: bin("<", a!, b!, BOOL_T), t: a!, e: b!, type: w96 }, type: T(128, true) }),
      ref: ([a, b]) => refCast(w96, T(128, true), sx(a!, 96) < sx(b!, 96) ? a! : b!),
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------
// C generation

/** Lookaheads read the case's input bytes as the packet (`pkt`, `off` are declared in each case function). */
const ctx: ExprCtx = {
  routines: new Set(),
  externValue: () => {
    throw new Error("no externs here");
  },
  lookahead: lookaheadC,
};

const bytesOf = (w: number): number => Math.ceil(w / 8);
const hex16 = (v: bigint): string => v.toString(16).padStart(32, "0");
const cBytes = (v: bigint): string => `{${Array.from({ length: 16 }, (_, i) => `0x${((v >> BigInt(8 * (15 - i))) & 0xffn).toString(16)}`).join(",")}}`;

/** One C function `void case_N(const __u8 *in, __u8 *out)`: operand k at in + 16k, the result at out, each 16 bytes in network order. */
function caseFunction(c: Case, i: number, prefix = ""): string {
  const w = new CWriter();
  w.block(`${prefix}void case_${i}(const __u8 *in, __u8 *out)`, () => {
    w.line(`/* ${c.name} */`);
    w.line("const __u8 *pkt = in;").line("__u32 off = 0;").line("(void)pkt;").line("(void)off;");
    const ops = c.ops.map((o, k) => {
      const name = `a${k}`;
      if (!o.t.bool && o.t.width > 64) {
        const n = bytesOf(o.t.width);
        w.line(`__u8 ${name}[${n}];`);
        w.line(`__builtin_memcpy(${name}, in + ${16 * k + 16 - n}, ${n});`);
      } else {
        const ct = ctype({ k: "scalar", t: o.t });
        w.line(`${ct} ${name} = (${ct})p4ts_load_be(in + ${16 * k}, 16);`);
      }
      w.line(`(void)${name};`);
      return lvalOf(name, o.t);
    });
    const e = c.build(ops);
    const rt: ScalarType = e.type;
    const dt = { k: "scalar" as const, t: rt };
    w.line(`${ctype(dt)} r${csuffix(dt)};`);
    assignC(w, { root: "r", path: [], type: dt }, e, ctx);
    if (!rt.bool && rt.width > 64) {
      const n = bytesOf(rt.width);
      w.line("__builtin_memset(out, 0, 16);");
      w.line(`__builtin_memcpy(out + ${16 - n}, r, ${n});`);
    } else w.line("p4ts_store_be(out, 16, (p4ts_u128)r);");
  });
  return w.text();
}

function casesSource(cases: readonly Case[]): string {
  return ["#define P4TS_ARITH_DIV128 1", "#define P4TS_ARITH_SHIFT128 1", '#include "p4ts_bpf.h"', "", ...cases.map((c, i) => caseFunction(c, i))].join("\n");
}

/** The native driver: runs every case over the cartesian product of its pools and prints each result as 32 hex digits. */
function driverSource(cases: readonly Case[]): string {
  const pools: string[] = [];
  const poolIds = new Map<readonly bigint[], number>();
  const poolId = (p: readonly bigint[]): number => {
    let id = poolIds.get(p);
    if (id === undefined) {
      id = poolIds.size;
      poolIds.set(p, id);
      pools.push(`static const unsigned char pool_${id}[${p.length}][16] = {${p.map(cBytes).join(",")}};`);
    }
    return id;
  };
  const rows = cases.map((c, i) => {
    const ids = c.ops.map((o) => poolId(o.pool));
    const ps = [0, 1, 2].map((k) => (k < ids.length ? `pool_${ids[k]}` : "0"));
    const ns = [0, 1, 2].map((k) => (k < ids.length ? c.ops[k]!.pool.length : 1));
    return `{case_${i}, ${ids.length}, {${ps.join(", ")}}, {${ns.join(", ")}}},`;
  });
  return [
    "#include <stdio.h>",
    "#include <string.h>",
    "typedef void (*case_fn)(const unsigned char *, unsigned char *);",
    ...cases.map((_, i) => `void case_${i}(const unsigned char *in, unsigned char *out);`),
    ...pools,
    "static const struct { case_fn fn; int nops; const unsigned char (*pool[3])[16]; int n[3]; } CASES[] = {",
    ...rows,
    "};",
    "int main(void) {",
    "  unsigned char in[48], out[16];",
    "  for (unsigned c = 0; c < sizeof(CASES) / sizeof(CASES[0]); c++)",
    "    for (int i = 0; i < CASES[c].n[0]; i++)",
    "      for (int j = 0; j < CASES[c].n[1]; j++)",
    "        for (int k = 0; k < CASES[c].n[2]; k++) {",
    "          int idx[3] = {i, j, k};",
    "          memset(in, 0, sizeof(in));",
    "          for (int o = 0; o < CASES[c].nops; o++) memcpy(in + 16 * o, CASES[c].pool[o][idx[o]], 16);",
    "          memset(out, 0xa5, sizeof(out));",
    "          CASES[c].fn(in, out);",
    "          for (int b = 0; b < 16; b++) printf(\"%02x\", out[b]);",
    "          putchar('\\n');",
    "        }",
    "  return 0;",
    "}",
    "",
  ].join("\n");
}

/** Every operand tuple of a case, in the driver's order. */
function tuples(c: Case): bigint[][] {
  let acc: bigint[][] = [[]];
  for (const o of c.ops) acc = acc.flatMap((t) => o.pool.map((v) => [...t, v]));
  return acc;
}

interface Mismatch {
  readonly case: string;
  readonly operands: string;
  readonly got: string;
  readonly want: string;
}

/** Compares the driver's output lines with the reference; returns the mismatches per group. */
function check(cases: readonly Case[], lines: readonly string[]): { results: Map<string, number>; mismatches: Map<string, Mismatch[]> } {
  const results = new Map<string, number>();
  const mismatches = new Map<string, Mismatch[]>();
  let at = 0;
  for (const c of cases) {
    for (const vals of tuples(c)) {
      const got = lines[at++] ?? "<missing>";
      const want = hex16(c.ref(vals));
      results.set(c.group, (results.get(c.group) ?? 0) + 1);
      if (got !== want) {
        const list = mismatches.get(c.group) ?? [];
        list.push({ case: c.name, operands: vals.map((v) => `0x${v.toString(16)}`).join(", "), got, want });
        mismatches.set(c.group, list);
      }
    }
  }
  if (at !== lines.length) {
    const list = mismatches.get("output") ?? [];
    list.push({ case: "line count", operands: "", got: String(lines.length), want: String(at) });
    mismatches.set("output", list);
  }
  return { results, mismatches };
}

// ---------------------------------------------------------------------------

const CASES = buildCases();
const GROUPS = [...WIDTHS.map(String), "cast", "slice", "concat", "bool", "compound", "division", "lookahead"];
const HOST_CC = onPath("cc") ?? onPath("gcc") ?? onPath("clang");
const ccMissing = missingOf([HOST_CC !== undefined, "a host C compiler (cc)"]);
const kernelArithMissing = missingOf(hasClang(), hasTool("bpftool"), isRoot());

/** Runs a command without blocking (so that the BPF compile overlaps the native one): exit status and output. */
function runAsync(cmd: string, args: readonly string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, [...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("error", (e) => resolve({ status: null, out: String(e) }));
    p.on("close", (status) => resolve({ status, out }));
  });
}

describe("exact P4 arithmetic in generated C, run natively", () => {
  let outcome: ReturnType<typeof check> | null = null;
  let lines: string[] = [];
  let bpf: Promise<{ status: number | null; out: string }> | null = null;

  beforeAll(() => {
    const src = casesSource(CASES);
    const dir = process.env.P4TS_ARITH_KEEP ?? tmpDir("arith");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "cases.c"), src);
    fs.writeFileSync(path.join(dir, "driver.c"), driverSource(CASES));
    const clang = realClang();
    if (clang !== undefined) {
      const args = ["--target=bpf", "-mcpu=v3", "-O2", "-Wall", "-Werror", "-nostdinc", "-I", runtimeHeadersDir, "-c", "-o", path.join(dir, "cases.bpf.o"), path.join(dir, "cases.c")];
      const files = { inputs: [path.join(dir, "cases.c")], outputs: [path.join(dir, "cases.bpf.o")], includeDirs: [runtimeHeadersDir] };
      const key = process.env.P4TS_BUILD_CACHE ? cacheKey({ exe: clang, args, ...files }) : undefined;
      bpf = key && cacheRestore(process.env.P4TS_BUILD_CACHE!, key, files.outputs)
        ? Promise.resolve({ status: 0, out: "" })
        : runAsync(clang, args).then((r) => {
            if (key && r.status === 0 && r.out === "") cacheStore(process.env.P4TS_BUILD_CACHE!, key, files.outputs);
            return r;
          });
    }
    if (HOST_CC === undefined) return;
    const inputs = [path.join(dir, "cases.c"), path.join(dir, "driver.c")];
    const cc = cachedRun(HOST_CC, ["-O2", "-Wall", "-Werror", "-I", runtimeHeadersDir, "-o", path.join(dir, "arith"), ...inputs], { inputs, outputs: [path.join(dir, "arith")], includeDirs: [runtimeHeadersDir] });
    if (cc.status !== 0) throw new Error(`host compile failed:\n${cc.out.slice(0, 4000)}`);
    const r = run(path.join(dir, "arith"), []);
    if (r.status !== 0) throw new Error(`the test program failed (${r.status}):\n${r.stderr.slice(0, 2000)}`);
    lines = r.stdout.split("\n").filter((l) => l !== "");
    outcome = check(CASES, lines);
  });

  afterAll(async () => {
    await bpf;
  });

  test("the cases cover every width and group", () => {
    for (const g of GROUPS) expect(CASES.some((c) => c.group === g)).toBe(true);
    // Exactly what buildCases() generates today: a change to the generator must restate it.
    expect(CASES.length).toBe(1917);
  });

  testIf(ccMissing, "the program prints one result for every operand tuple the cases generate", () => {
    expect(lines).toHaveLength(CASES.reduce((n, c) => n + tuples(c).length, 0));
  });

  for (const g of GROUPS) testIf(ccMissing, `group ${g}: every result equals the BigInt reference`, () => {
    expect(outcome!.results.get(g) ?? 0).toBeGreaterThan(0);
    expect((outcome!.mismatches.get(g) ?? []).slice(0, 12)).toEqual([]);
    expect(outcome!.mismatches.get("output") ?? []).toEqual([]);
  });

  testIf(ccMissing, "the comparison catches a wrong result", () => {
    const bad = [...lines];
    const i = Math.floor(bad.length / 2);
    bad[i] = bad[i]!.replace(/.$/, (d) => (d === "0" ? "1" : "0"));
    const mismatches = [...check(CASES, bad).mismatches.values()].flat();
    expect(mismatches).toHaveLength(1);
  });

  testIf(missingOf(hasClang()), "the same functions build for BPF (clang-19 -mcpu=v3 -Wall -Werror): no library calls", async () => {
    const r = await bpf!;
    expect(r.out.slice(0, 4000)).toBe("");
    expect(r.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------
// In the kernel: the cases at 64, 65 and 128 bits (where the helpers and the
// BPF lowering of 128-bit arithmetic matter) loaded as tc programs, which the
// verifier must accept, and run with BPF_PROG_TEST_RUN over a sample of the
// operands. A packet is a sequence of 64-byte records: the case number
// (4 bytes, network order) at 0, the operands at 16; the program overwrites
// bytes 0..15 with the result.

const KERNEL_GROUPS = new Set(["64", "65", "128", "compound", "division"]);
const KERNEL_CHUNK = 60;
const RECORDS_PER_PACKET = 50;
const KERNEL_SAMPLES = 12;

function kernelSource(chunk: readonly Case[]): string {
  const w = new CWriter();
  w.line("#define P4TS_ARITH_DIV128 1").line("#define P4TS_ARITH_SHIFT128 1").line('#include "p4ts_bpf.h"').line();
  chunk.forEach((c, i) => w.line(caseFunction(c, i, "static __always_inline ")));
  w.line("struct arith_loop { struct __sk_buff *skb; };").line();
  w.block("static long arith_step(__u32 i, void *data)", () => {
    w.line("struct arith_loop *l = data;");
    w.line("__u8 rec[64];");
    w.line("__u8 out[16];");
    w.line("if (bpf_skb_load_bytes(l->skb, i * 64, rec, 64) < 0)").line("\treturn 1;");
    w.line("__u32 id = ((__u32)rec[0] << 24) | ((__u32)rec[1] << 16) | ((__u32)rec[2] << 8) | rec[3];");
    w.line("__builtin_memset(out, 0xa5, 16);");
    w.block("switch (id)", () => {
      chunk.forEach((_, i) => w.line(`case ${i}: case_${i}(rec + 16, out); break;`));
      w.line("default: return 1;");
    });
    w.line("bpf_skb_store_bytes(l->skb, i * 64, out, 16, 0);");
    w.line("return 0;");
  });
  w.line('SEC("tc")');
  w.block("int arith(struct __sk_buff *skb)", () => {
    w.line("struct arith_loop l = { skb };");
    w.line("bpf_loop(skb->len / 64, arith_step, &l, 0);");
    w.line("return TC_ACT_OK;");
  });
  w.line("P4TS_LICENSE_GPL;");
  return w.text();
}

/** An even sample of a case's operand tuples (all of them when few). */
function sample(c: Case): bigint[][] {
  const all = tuples(c);
  if (all.length <= KERNEL_SAMPLES) return all;
  return Array.from({ length: KERNEL_SAMPLES }, (_, i) => all[Math.floor((i * (all.length - 1)) / (KERNEL_SAMPLES - 1))]!);
}

const toBytes = (v: bigint, n: number): number[] => Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));


/**
 * A long chain of 128-bit statements (variable shifts, division, saturation,
 * comparisons), ROUNDS times over: the verifier's work must stay linear in
 * the length of the program (each variable shift or division inline used
 * to multiply the paths it walks).
 */
const CHAIN_ROUNDS = 16;

function chainProgram(): { source: string; ref: (a: bigint, b: bigint, c: bigint, n: bigint) => bigint } {
  const u = T(128);
  const s = T(128, true);
  const v = (name: string, t: ScalarType = u): DExpr => lvalOf(name, t);
  const lv = (name: string) => ({ root: name, path: [], type: { k: "scalar" as const, t: u } });
  const stmts: [string, DExpr][] = [
    ["a", bin("^", bin("<<", v("a"), v("n", T(8)), u), v("b"), u)],
    ["b", bin("+", { k: "cast", e: bin(">>", { k: "cast", e: v("b"), type: s }, v("c"), s), type: u }, v("a"), u)],
    ["c", bin("-", bin("|+|", v("c"), v("a"), u), bin("|-|", v("b"), v("c"), u), u)],
    ["b", { k: "cond", c: bin("<", v("a"), v("c"), BOOL_T), t: bin(">>", v("b"), v("a"), u), e: v("b"), type: u }],
    ["a", bin("^", bin("*", v("a"), v("c"), u), bin("/", v("b"), bin("|", v("c"), cst(1n, u), u), u), u)],
  ];
  const w = new CWriter();
  w.line("#define P4TS_ARITH_DIV128 1").line("#define P4TS_ARITH_SHIFT128 1").line('#include "p4ts_bpf.h"').line();
  w.line('SEC("tc")');
  w.block("int chain(struct __sk_buff *skb)", () => {
    w.line("__u8 rec[64];");
    w.line("if (bpf_skb_load_bytes(skb, 0, rec, 64) < 0)").line("	return TC_ACT_OK;");
    w.line("__u8 a[16], b[16], c[16], r[16];");
    w.line("__builtin_memcpy(a, rec, 16);").line("__builtin_memcpy(b, rec + 16, 16);").line("__builtin_memcpy(c, rec + 32, 16);");
    w.line("__u8 n = rec[48];");
    for (let k = 0; k < CHAIN_ROUNDS; k++) for (const [to, e] of stmts) assignC(w, lv(to), e, ctx);
    assignC(w, lv("r"), bin("^", bin("^", v("a"), v("b"), u), v("c"), u), ctx);
    w.line("bpf_skb_store_bytes(skb, 0, r, 16, 0);");
    w.line("return TC_ACT_OK;");
  });
  w.line("P4TS_LICENSE_GPL;");
  const ref = (a0: bigint, b0: bigint, c0: bigint, n: bigint): bigint => {
    let [a, b, c] = [a0, b0, c0];
    for (let k = 0; k < CHAIN_ROUNDS; k++) {
      a = refBinary("<<", u, a, n) ^ b;
      b = refBinary("+", u, refBinary(">>", s, b, c), a);
      c = refBinary("-", u, refBinary("|+|", u, c, a), refBinary("|-|", u, b, c));
      b = a < c ? refBinary(">>", u, b, a) : b;
      a = refBinary("*", u, a, c) ^ refBinary("/", u, b, c | 1n);
    }
    return a ^ b ^ c;
  };
  return { source: w.text(), ref };
}

describe("the 64-, 65- and 128-bit cases in the kernel (verifier and BPF_PROG_TEST_RUN)", () => {
  testIf(kernelArithMissing, `a chain of ${CHAIN_ROUNDS * 5} 128-bit statements passes the verifier well inside its budget, with the reference's result`, () => {
    const clang = realClang()!;
    const dir = tmpDir("arith-chain");
    const { source, ref } = chainProgram();
    fs.writeFileSync(path.join(dir, "chain.c"), source);
    const chain = { inputs: [path.join(dir, "chain.c")], outputs: [path.join(dir, "chain.o")], includeDirs: [runtimeHeadersDir] };
    const c = cachedRun(clang!, ["--target=bpf", "-mcpu=v3", "-O2", "-g", "-Wall", "-Werror", "-nostdinc", "-I", runtimeHeadersDir, "-c", "-o", chain.outputs[0]!, chain.inputs[0]!], chain);
    expect(c.out).toBe("");
    const inputs = [0, 1, 2, 3].map((i) => [randBits(128), randBits(128), i === 0 ? 0n : randBits(128) >> BigInt(i * 30), BigInt(i * 37 + 1)] as const);
    withBpffs((bpffs) => {
      const pin = path.join(bpffs, `p4ts-arith-chain-${process.pid}`);
      try {
        const r = run("bpftool", ["-d", "prog", "load", path.join(dir, "chain.o"), pin, "type", "classifier"]);
        if (r.status !== 0) throw new Error(`the verifier refused the chain:\n${r.out.slice(-3000)}`);
        const processed = Number(/processed (\d+) insns/.exec(r.out)?.[1] ?? "NaN");
        expect(processed).toBeLessThan(200_000);
        inputs.forEach(([a, b, cc, n], i) => {
          const rec = [...toBytes(a, 16), ...toBytes(b, 16), ...toBytes(cc, 16), Number(n), ...new Array<number>(15).fill(0)];
          fs.writeFileSync(path.join(dir, `in_${i}.bin`), Buffer.from(rec));
        });
        const batch = inputs.map((_, i) => `prog run pinned ${pin} data_in ${path.join(dir, `in_${i}.bin`)} data_out ${path.join(dir, `out_${i}.bin`)}`).join("\n");
        fs.writeFileSync(path.join(dir, "batch.txt"), batch + "\n");
        const b = run("bpftool", ["batch", "file", path.join(dir, "batch.txt")]);
        if (b.status !== 0) throw new Error(`bpftool batch failed:\n${b.out.slice(-3000)}`);
      } finally {
        fs.rmSync(pin, { force: true });
      }
      inputs.forEach(([a, b, cc, n], i) => {
        const got = fs.readFileSync(path.join(dir, `out_${i}.bin`)).subarray(0, 16).toString("hex");
        expect(got).toBe(hex16(ref(a, b, cc, n)));
      });
    });
  });

  testIf(kernelArithMissing, "every sampled result equals the BigInt reference", () => {
    const clang = realClang()!;
    const cases = CASES.filter((c) => KERNEL_GROUPS.has(c.group));
    const dir = tmpDir("arith-kern");
    const chunks: Case[][] = [];
    for (let i = 0; i < cases.length; i += KERNEL_CHUNK) chunks.push(cases.slice(i, i + KERNEL_CHUNK));
    const objs = chunks.map((chunk, k) => {
      const src = path.join(dir, `kern_${k}.c`);
      const obj = path.join(dir, `kern_${k}.o`);
      fs.writeFileSync(src, kernelSource(chunk));
      const r = cachedRun(clang!, ["--target=bpf", "-mcpu=v3", "-O2", "-g", "-Wall", "-Werror", "-nostdinc", "-I", runtimeHeadersDir, "-c", "-o", obj, src], { inputs: [src], outputs: [obj], includeDirs: [runtimeHeadersDir] });
      if (r.status !== 0) throw new Error(`clang failed on ${src}:\n${r.out.slice(0, 3000)}`);
      return obj;
    });
    // The packets, and what each record should come back with.
    const packets: { chunk: number; file: string; want: { name: string; operands: readonly bigint[]; want: string }[] }[] = [];
    chunks.forEach((chunk, k) => {
      let recs: number[] = [];
      let want: (typeof packets)[number]["want"] = [];
      const flush = () => {
        if (!want.length) return;
        const file = path.join(dir, `in_${packets.length}.bin`);
        fs.writeFileSync(file, Buffer.from(recs));
        packets.push({ chunk: k, file, want });
        recs = [];
        want = [];
      };
      chunk.forEach((c, i) => {
        for (const vals of sample(c)) {
          const rec = new Array<number>(64).fill(0);
          rec.splice(0, 4, ...toBytes(BigInt(i), 4));
          vals.forEach((v, o) => rec.splice(16 + 16 * o, 16, ...toBytes(v, 16)));
          recs.push(...rec);
          want.push({ name: c.name, operands: vals, want: hex16(c.ref(vals)) });
          if (want.length === RECORDS_PER_PACKET) flush();
        }
      });
      flush();
    });
    const mismatches: Mismatch[] = [];
    let checked = 0;
    withBpffs((bpffs) => {
      const pins = objs.map((_, k) => path.join(bpffs, `p4ts-arith-${process.pid}-${k}`));
      try {
        objs.forEach((obj, k) => {
          const r = run("bpftool", ["prog", "load", obj, pins[k]!, "type", "classifier"]);
          if (r.status !== 0) throw new Error(`the verifier refused ${obj}:\n${r.out.slice(-3000)}`);
        });
        const batch = packets.map((p, i) => `prog run pinned ${pins[p.chunk]} data_in ${p.file} data_out ${path.join(dir, `out_${i}.bin`)}`).join("\n");
        fs.writeFileSync(path.join(dir, "batch.txt"), batch + "\n");
        const b = run("bpftool", ["batch", "file", path.join(dir, "batch.txt")]);
        if (b.status !== 0) throw new Error(`bpftool batch failed:\n${b.out.slice(-3000)}`);
      } finally {
        for (const pin of pins) fs.rmSync(pin, { force: true });
      }
      packets.forEach((p, i) => {
        const out = fs.readFileSync(path.join(dir, `out_${i}.bin`));
        p.want.forEach((w, j) => {
          const got = out.subarray(64 * j, 64 * j + 16).toString("hex");
          checked++;
          if (got !== w.want) mismatches.push({ case: w.name, operands: w.operands.map((v) => `0x${v.toString(16)}`).join(", "), got, want: w.want });
        });
      });
    });
    expect(mismatches.slice(0, 12)).toEqual([]);
    // One record back for every sampled operand tuple sent.
    expect(checked).toBe(cases.reduce((n, c) => n + sample(c).length, 0));
  });
});

// ---------------------------------------------------------------------------
// End to end: a P4 program computing on 128- and 96-bit values compiles (the
// mid-end lowers the operators instead of rejecting them) and builds for BPF.

const WIDE_PROGRAM = `#include <core.p4>
#include <tc/pna.p4>

header ethernet_t {
    @tc_type("macaddr") bit<48> dstAddr;
    @tc_type("macaddr") bit<48> srcAddr;
    bit<16> etherType;
}

header ipv6_t {
    bit<4>   version;
    bit<8>   trafficClass;
    bit<20>  flowLabel;
    bit<16>  payloadLength;
    bit<8>   nextHeader;
    bit<8>   hopLimit;
    @tc_type ("ipv6") bit<128> srcAddr;
    @tc_type ("ipv6") bit<128> dstAddr;
}

struct main_metadata_t {}

struct headers_t {
    ethernet_t ethernet;
    ipv6_t     ipv6;
}

parser MainParserImpl(packet_in pkt, out headers_t hdr, inout main_metadata_t main_meta, in pna_main_parser_input_metadata_t istd) {
    state start {
        pkt.extract(hdr.ethernet);
        transition select(hdr.ethernet.etherType) {
            0x86DD: parse_ipv6;
            default: accept;
        }
    }
    state parse_ipv6 {
        transition select(pkt.lookahead<bit<128>>()) {
            128w0x1 &&& 128w0xff: reject;
            default: parse_ipv6_2;
        }
    }
    state parse_ipv6_2 {
        pkt.extract(hdr.ipv6);
        transition select(hdr.ipv6.srcAddr) {
            128w1: accept;
            128w0x20010db8000000000000000000000000 &&& 128w0xffffffff000000000000000000000000: accept;
            default: accept;
        }
    }
}

control MainControlImpl(inout headers_t hdr, inout main_metadata_t user_meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    Register<bit<128>, bit<32>>(4) acc;
    action set_dst(bit<128> addr6) {
        hdr.ipv6.dstAddr = addr6 + 1;
        hdr.ipv6.hopLimit = hdr.ipv6.hopLimit - 1;
    }
    table tbl {
        key = { hdr.ipv6.srcAddr : exact; }
        actions = { set_dst; NoAction; }
        default_action = NoAction;
        size = 100;
    }
    apply {
        bit<128> t = hdr.ipv6.srcAddr + hdr.ipv6.dstAddr;
        hdr.ipv6.dstAddr = (t * 3) ^ (hdr.ipv6.srcAddr >> hdr.ipv6.hopLimit);
        if (hdr.ipv6.srcAddr < hdr.ipv6.dstAddr) {
            hdr.ipv6.flowLabel = hdr.ipv6.srcAddr[19:0];
        }
        int<96> s = (int<96>)hdr.ipv6.srcAddr[95:0];
        s = (s |-| 5) >> 2;
        hdr.ipv6.srcAddr = hdr.ipv6.srcAddr[127:96] ++ (bit<96>)s;
        hdr.ipv6.dstAddr = hdr.ipv6.dstAddr / (bit<128>)hdr.ipv6.payloadLength % 1000;
        hdr.ipv6.payloadLength = (bit<16>)(hdr.ipv6.dstAddr |+| t);
        hdr.ipv6.srcAddr = -(~hdr.ipv6.srcAddr) << (hdr.ipv6.nextHeader & 7);
        if (hdr.ipv6.dstAddr == t) {
            hdr.ipv6.hopLimit = 0;
        }
        tbl.apply();
    }
}

control MainDeparserImpl(packet_out pkt, inout headers_t hdr, in main_metadata_t user_meta, in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.ethernet);
        pkt.emit(hdr.ipv6);
    }
}

PNA_NIC(MainParserImpl(), MainControlImpl(), MainDeparserImpl()) main;
`;

/** The same program with a 128-bit register as the control's only work. */
const REGISTER_PROGRAM = WIDE_PROGRAM.replace(/ {4}apply \{\n {8}bit<128> t[^]*?tbl\.apply\(\);\n {4}\}/, "    apply {\n        acc.write(1, acc.read(1) * 3 + hdr.ipv6.srcAddr);\n        tbl.apply();\n    }");

/** Arithmetic past 128 bits, which the mid-end must refuse rather than let the back end truncate. */
const TOO_WIDE_PROGRAM = WIDE_PROGRAM.replace(/ {4}apply \{\n {8}bit<128> t[^]*?tbl\.apply\(\);\n {4}\}/, "    apply {\n        bit<200> big = (bit<200>)hdr.ipv6.srcAddr;\n        big = big + 1;\n        hdr.ipv6.srcAddr = big[127:0];\n        tbl.apply();\n    }");

describe("a P4 program with 65..128-bit arithmetic", () => {
  test("values wider than 128 bits: casts, operators and slices are refused with a diagnostic", () => {
    // The program under test is the 200-bit one (the rewrite of WIDE_PROGRAM's apply took).
    expect(TOO_WIDE_PROGRAM).toContain("bit<200> big = (bit<200>)hdr.ipv6.srcAddr;");
    const r = compile({ input: { source: TOO_WIDE_PROGRAM, fileName: "too_wide.p4" } });
    expect(r.ok).toBe(false);
    const text = r.format();
    for (const what of ["cast", "operator '+'", "slice"]) expect(text).toContain(`${what} on values wider than 128 bits is not supported`);
  });

  testIf(missingOf(hasClang()), "a 128-bit register reads back its full width (little-endian, as writes pack it) and builds", () => {
    expect(REGISTER_PROGRAM).toContain("acc.write(1, acc.read(1) * 3 + hdr.ipv6.srcAddr);");
    const r = compile({ input: { source: REGISTER_PROGRAM, fileName: "wide_reg.p4" } });
    expect(r.format()).toBe("");
    const c = r.outputs!["wide_reg_control_blocks.c"]!;
    expect(c).toContain("p4ts_load_le(rv__->out_params, 16)");
    expect(c).toContain("p4ts_mul128(");
    // Multiplying needs neither optional routine: the header enables only the ones the C calls.
    expect(r.outputs!["wide_reg_parser.h"]).not.toContain("P4TS_ARITH_DIV128");
    expect(r.outputs!["wide_reg_parser.h"]).not.toContain("P4TS_ARITH_SHIFT128");
    const clang = realClang()!;
    const out = tmpDir("arith-p4");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, "wide_reg", clang!);
    expect(b.diagnostics).toBe("");
    expect(b.ok).toBe(true);
  });

  testIf(missingOf(hasClang()), "compiles, uses the exact helpers, and builds for BPF with -Wall -Werror", () => {
    const r = compile({ input: { source: WIDE_PROGRAM, fileName: "wide_arith.p4" } });
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    const c = r.outputs!["wide_arith_control_blocks.c"]!;
    for (const helper of ["p4ts_mul128", "p4ts_lshr_w", "p4ts_shl_w", "p4ts_neg128", "p4ts_ssat_sub128", "p4ts_div128", "p4ts_mod128", "p4ts_usat_add128", "p4ts_store_be"]) expect(c).toContain(helper);
    expect(c).not.toMatch(/unsupported/);
    // The division routine is compiled in because the program divides 128-bit values.
    expect(r.outputs!["wide_arith_parser.h"]).toContain("#define P4TS_ARITH_DIV128 1");
    expect(r.outputs!["wide_arith_parser.h"]).toContain("#define P4TS_ARITH_SHIFT128 1");
    const clang = realClang()!;
    const out = tmpDir("arith-p4");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, "wide_arith", clang!);
    expect(b.diagnostics).toBe("");
    expect(b.ok).toBe(true);
  });
});
