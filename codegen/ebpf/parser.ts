/** `NAME_parser.c`: the parser program (section `p4tc/parse`). */
import type { DatapathModel, DExpr, DStmt, HeaderLayout, LValue } from "../../compiler/ir/datapath.js";
import { exprC, isWide, lit, lit128, lookaheadC, lvalueC, wideC, type Routine } from "./cexpr.js";
import { layoutOf, type Emitter } from "./emitter.js";
import { externValueC } from "./externs.js";
import { BANNER } from "./header.js";
import { extractFields } from "./packet.js";
import { commonStmt, condC, locText } from "./statements.js";
import { CWriter } from "./writer.js";

export function renderParser(name: string, dp: DatapathModel, routines: Set<Routine>, trace = false): string {
  // 1. banner, the parser header, the filter fields
  // 2. tc_parse_func: the header map's entry cleared, checksum states, the parser's locals
  // 3. one labelled block per state (from `start`), then packet_too_short and reject
  // 4. accept: the parser error and the parsed length stored for the main program
  const w = new CWriter();
  // The packet bytes past `off` checked where the C being rendered runs (by its statement, or a lazy operand's guard).
  let covered = 0;
  // In a lazy operand, its lookaheads read through the pointer its guard checked (`la<n>__`), made opaque to clang: from
  // `pkt + off` recomputed, clang's reads got a register the verifier had not seen checked (generated program 100168).
  let lazyAt: string | undefined;
  let lazies = 0;
  w.line(BANNER(name)).line(`#include "${name}_parser.h"`).line().line("struct p4tc_filter_fields p4tc_filter_fields;").line();
  const e: Emitter = {
    w,
    dp,
    routines,
    lookahead: (b, t) => lookaheadC(b, t, lazyAt),
    // A lazily evaluated operand checks the bytes its own lookaheads read, where it runs, when its statement did not.
    lazy: (x, render) => {
      const n = eagerReach(x);
      if (n <= covered) return render();
      const outer = covered;
      const outerAt = lazyAt;
      const at = `la${lazies++}__`;
      covered = n;
      lazyAt = at;
      const c = render();
      covered = outer;
      lazyAt = outerAt;
      return `({ const __u8 *${at} = pkt + off; asm volatile("" : "+r"(${at})); if (${at} + ${n} > end) goto packet_too_short; ${c}; })`;
    },
    checks: (x) => lazyReach(x) > covered,
    externValue: (c, t) => externValueC(e, c, t),
    stmt: (s) => {
      const outer = covered;
      covered = eagerReach(stmtExprs(s));
      parserStmt(e, s, covered);
      covered = outer;
    },
  };
  w.block('SEC("p4tc/parse") int tc_parse_func(struct __sk_buff *skb)', () => {
    w.line("struct pna_global_metadata *compiler_meta__ = P4TS_GLOBAL_METADATA(skb);");
    w.line("__u32 zero__ = 0;");
    w.line("struct hdr_md *hdrMd = bpf_map_lookup_elem(&hdr_md_cpumap, &zero__);");
    w.line("if (!hdrMd)").line("\treturn TC_ACT_SHOT;");
    w.line("__builtin_memset(hdrMd, 0, sizeof(*hdrMd));");
    w.line(`struct ${dp.headersStruct} *hdr = &hdrMd->cpumap_hdr;`);
    w.line(`struct ${dp.metaStruct} *meta = &hdrMd->cpumap_usermeta;`);
    w.line("__u8 *pkt = (__u8 *)(long)skb->data;");
    w.line("__u8 *end = (__u8 *)(long)skb->data_end;");
    w.line("__u32 off = 0;");
    for (const c of dp.checksums) w.line(`struct p4tc_ext_csum_params ${c.name} = {0};`);
    for (const c of dp.checksums) w.line(`(void)${c.name};`);
    w.line("__u8 parser_error__ = 0; /* stored to the metadata once, on the way out */");
    w.line("(void)meta;").line("(void)hdr;").line("(void)pkt;").line("(void)end;");
    for (const s of dp.parser.locals) e.stmt(s);
    w.line("goto start;");
    for (const st of dp.parser.states) {
      if (st.name === "accept" || st.name === "reject") continue;
      w.label(st.name);
      if (st.loc) w.line(`/* state ${st.name}, ${locText(st.loc)} */`);
      w.block("", () => {
        if (trace) w.line(`bpf_printk("p4ts: parser state ${st.name}");`);
        for (const s of st.body) e.stmt(s);
      });
    }
    w.label("packet_too_short");
    w.line(`parser_error__ = ${dp.errors.indexOf("PacketTooShort")};`);
    w.label("reject");
    w.line("if (parser_error__ == 0)").line("\treturn TC_ACT_SHOT;");
    w.line("/* A parser error: the control sees it in istd.parser_error. */");
    w.label("accept");
    // The error kept opaque: when no state reaches accept, clang folds it to a constant and stores it to skb->cb
    // through a modified context pointer, which the verifier rejects ("dereference of modified ctx ptr").
    w.line('asm volatile("" : "+r"(parser_error__));');
    w.line("compiler_meta__->parser_error = parser_error__;");
    w.line("hdrMd->ebpf_packetOffsetInBits = off * 8;");
    w.line("return TC_ACT_PIPE;");
  });
  w.line().line("P4TS_LICENSE_GPL;");
  return w.text();
}

/**
 * The expressions a statement evaluates whenever it runs, and the extern calls that hold them (a checksum's
 * `add` of a lookahead). An if's branches are statements of their own: each checks its lookaheads where it runs.
 */
function stmtExprs(s: DStmt): unknown[] {
  switch (s.k) {
    case "select":
      return [...s.keys];
    case "assign":
      return [s.rhs];
    case "if":
    case "verify":
      return [s.cond];
    case "extract":
    case "extractNext":
      return s.varbitBits ? [s.varbitBits] : [];
    case "local":
      return s.init ? [s.init] : [];
    case "extern":
      return [s.call];
    default:
      return [];
  }
}

/**
 * Walks the lookaheads of `x` (expressions, extern calls, lists of them) evaluated whenever `x` is, and hands
 * `lazy` each operand P4-16 evaluates only on a condition (§8: `&&` and `||` short-circuit, `?:` evaluates
 * one arm): a lookahead there reads the packet, and may find it too short, only when that operand runs.
 */
function walkLookaheads(x: unknown, eager: (n: number) => void, lazy: (e: DExpr) => void): void {
  if (!x || typeof x !== "object") return;
  const d = x as DExpr;
  if (d.k === "lookahead") eager(Math.ceil(d.extent / 8));
  else if (d.k === "binary" && (d.op === "&&" || d.op === "||")) {
    walkLookaheads(d.l, eager, lazy);
    lazy(d.r);
  } else if (d.k === "cond") {
    walkLookaheads(d.c, eager, lazy);
    lazy(d.t);
    lazy(d.e);
  } else for (const v of Object.values(x)) walkLookaheads(v, eager, lazy);
}

/** The packet bytes past `off` the lookaheads evaluated whenever `x` is read. */
function eagerReach(x: unknown): number {
  let max = 0;
  walkLookaheads(x, (n) => (max = Math.max(max, n)), () => {});
  return max;
}

/** The packet bytes past `off` the lookaheads of `x`'s lazily evaluated operands read, when they run. */
function lazyReach(x: unknown): number {
  let max = 0;
  walkLookaheads(x, () => {}, (e) => (max = Math.max(max, eagerReach(e), lazyReach(e))));
  return max;
}

/**
 * The checks of a varbit extract, before anything is written (P4-16 two-argument
 * `extract`: PacketTooShort when the packet is shorter than the fixed part and
 * `vbits__` bits, then HeaderTooShort when the size is more than the field holds;
 * a size that is not a whole number of bytes is treated as one the field cannot
 * hold). `n` is the fixed part's size in bytes.
 */
function varbitChecks(e: Emitter, h: HeaderLayout, n: number): void {
  const { w, dp } = e;
  const vb = h.varbit!;
  w.block(`if (vbits__ % 8 != 0 || vbits__ > ${vb.maxBits})`, () => {
    w.line(`parser_error__ = (__u64)off * 8 + ${n * 8} + vbits__ > (__u64)skb->len * 8 ? ${dp.errors.indexOf("PacketTooShort")} : ${dp.errors.indexOf("HeaderTooShort")};`);
    w.line("goto reject;");
  });
  w.line(`if (pkt + off + ${n > 0 ? `${n} + ` : ""}vbits__ / 8 > end)`).line("\tgoto packet_too_short;");
}

/** Reads the varbit field of header `dst` (its size in bits in `vbits__`, checked by varbitChecks) at `off`, then moves `off` past it. */
function readVarbit(e: Emitter, h: HeaderLayout, dst: string, i: string): void {
  const { w } = e;
  const vb = h.varbit!;
  const v = `${dst}.${vb.name}`;
  w.block("", () => {
    w.line("__u32 vlen__ = vbits__ / 8;");
    // One byte at a time, each behind its own bounds check: a loop the verifier bounds by the field's size.
    w.block(`for (__u32 ${i} = 0; ${i} < ${vb.maxBits / 8}; ${i}++)`, () => {
      w.line(`if (${i} >= vlen__)`).line("\tbreak;");
      // One pointer for the check and the load: the verifier tracks the range on it (not on a recomputed pkt + off).
      w.line(`__u8 *b__ = pkt + off + ${i};`);
      w.line("P4TS_PKT_OPAQUE(b__);");
      w.line("if (b__ + 1 > end)").line("\tgoto packet_too_short;");
      w.line(`${v}[${i}] = *b__;`);
    });
    w.line(`${v}_len = vlen__;`);
    w.line("off += vlen__;");
  });
}

/** Statement `s`, after the check of the `la` bytes its eagerly evaluated lookaheads read. */
function parserStmt(e: Emitter, s: DStmt, la: number): void {
  const { w, dp } = e;
  if (la > 0) w.line(`if (pkt + off + ${la} > end)`).line("\tgoto packet_too_short;");
  commonStmt(e, s, (s) => {
    switch (s.k) {
      case "extract": {
        const h = layoutOf(dp, s.layout);
        const n = h.bits / 8;
        // The size argument is evaluated before anything is extracted (a lookahead in it sees this header).
        const vb = h.varbit && s.varbitBits;
        if (vb) w.line("{").line(`__u32 vbits__ = ${exprC(s.varbitBits!, e)};`);
        if (n > 0) w.line(`if (pkt + off + ${n} > end)`).line("\tgoto packet_too_short;");
        if (vb) varbitChecks(e, h, n);
        if (n > 0) {
          w.block("", () => {
            w.line("__u8 *p__ = pkt + off;");
            const skip = unusedOf(dp, s.header);
            if (skip.size === h.fields.length) w.line("(void)p__;");
            extractFields(w, h, lvalueC(s.header), "p__", skip);
          });
          w.line(`off += ${n};`);
        } else extractFields(w, h, lvalueC(s.header), "pkt + off"); // only a varbit field: no fixed bytes to read
        if (vb) {
          readVarbit(e, h, lvalueC(s.header), "i__");
          w.line("}");
        }
        return;
      }
      case "extractNext": {
        const h = layoutOf(dp, s.layout);
        const n = h.bits / 8;
        const lv = lvalueC(s.stack);
        w.block("", () => {
          // As for extract: the varbit size is evaluated first.
          if (h.varbit && s.varbitBits) w.line(`__u32 vbits__ = ${exprC(s.varbitBits, e)};`);
          w.line(`__u32 i__ = ${lv}_nextIndex;`);
          w.block(`if (i__ >= ${s.size})`, () => {
            w.line(`parser_error__ = ${dp.errors.indexOf("StackOutOfBounds")};`);
            w.line("goto reject;");
          });
          // Otherwise clang may compute the element's address from i__ before the check,
          // in a register the verifier then finds unbounded.
          w.line(`asm volatile("" : "+r"(i__)); /* the element address is computed after the check */`);
          if (n > 0) w.line(`if (pkt + off + ${n} > end)`).line("\tgoto packet_too_short;");
          if (h.varbit && s.varbitBits) varbitChecks(e, h, n);
          if (n > 0) {
            w.line("__u8 *p__ = pkt + off;");
            extractFields(w, h, `${lv}[i__]`, "p__");
          } else extractFields(w, h, `${lv}[i__]`, "pkt + off");
          if (h.varbit && s.varbitBits) {
            if (n > 0) w.line(`off += ${n};`);
            readVarbit(e, h, `${lv}[i__]`, "k__");
          }
          w.line(`${lv}_nextIndex = i__ + 1;`);
        });
        if (n > 0 && !(h.varbit && s.varbitBits)) w.line(`off += ${n};`);
        return;
      }
      case "advance":
        w.line(`if (pkt + off + ${s.bits / 8} > end)`).line("\tgoto packet_too_short;");
        w.line(`off += ${s.bits / 8};`);
        return;
      case "verify":
        w.block(`if (!(${condC(s.cond, e)}))`, () => {
          w.line(`parser_error__ = ${s.error};`);
          w.line("goto reject;");
        });
        return;
      case "transition":
        w.line(`goto ${s.to};`);
        return;
      case "select":
        selectC(e, s);
        return;
      case "exit":
        w.line("goto accept;");
        return;
      case "apply":
      case "emit":
        w.line("/* p4ts: not allowed in a parser */");
        return;
    }
  });
}

/** A select: its cases tried in order, NoMatch when none matches. */
function selectC(e: Emitter, s: Extract<DStmt, { k: "select" }>): void {
  const { w, dp } = e;
  // Keys wider than 64 bits compare as p4ts_u128 values.
  // Rendered on first use (a key only `_` matches is not written, nor are the routines it would call).
  const rendered: string[] = [];
  const keyC = (i: number): string => (isWide(s.keys[i]!.type) ? wideC(s.keys[i]!, e) : `(__u64)${exprC(s.keys[i]!, e)}`);
  const key = (i: number): string => (rendered[i] ??= keyC(i));
  const kl = (i: number, v: bigint): string => (isWide(s.keys[i]!.type) ? lit128(v) : lit(v, 64));
  const cases = (): void => {
    for (const c of s.cases) {
      const conds = c.keys
        .map((k, i) => {
          switch (k.k) {
            case "any":
              return null;
            case "value":
              return `${key(i)} == ${kl(i, k.value)}`;
            case "mask":
              return `(${key(i)} & ${kl(i, k.mask)}) == ${kl(i, k.value & k.mask)}`;
            case "range":
              return `(${key(i)} >= ${kl(i, k.lo)} && ${key(i)} <= ${kl(i, k.hi)})`;
          }
        })
        .filter((x): x is string => x !== null);
      if (conds.length === 0) {
        w.line(`goto ${c.to};`);
        return;
      }
      w.line(`if (${conds.join(" && ")})`).line(`\tgoto ${c.to};`);
    }
    w.line(`parser_error__ = ${dp.errors.indexOf("NoMatch")};`);
    w.line("goto reject;");
  };
  // A key that checks packet bounds in a lazy operand must run where P4 evaluates it: every key, in order, before
  // any case is tried (the cases' conditions compute a key on first use, and only while the case still matches).
  if (!s.keys.some((k) => e.checks?.(k))) {
    cases();
    return;
  }
  w.block("", () => {
    s.keys.forEach((k, i) => {
      w.line(`${isWide(k.type) ? "p4ts_u128" : "__u64"} key${i}__ = ${keyC(i)};`).line(`(void)key${i}__;`);
      rendered[i] = `key${i}__`;
    });
    cases();
  });
}

/** The fields of header `hdr.H` nobody reads back (DatapathModel.unusedFields). */
function unusedOf(dp: DatapathModel, lv: LValue): Set<string> {
  const h = lv.root === "hdr" && lv.path.length === 1 ? String(lv.path[0]) : null;
  return new Set(h === null ? [] : dp.unusedFields.filter((f) => f.startsWith(`${h}.`)).map((f) => f.slice(h.length + 1)));
}
