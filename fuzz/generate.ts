/**
 * A generator of random, well-typed PNA programs for P4TC.
 *
 * `generateProgram(seed)` is deterministic: the same seed gives the same
 * program on every machine. Every program includes <core.p4> and <tc/pna.p4>
 * as the corpus P4TC programs do and is meant to compile, build with clang
 * and pass the kernel's verifier; a program that does not is a bug in p4ts
 * (or in this generator). What it covers:
 * - headers with 1- to 128-bit and odd-width fields, varbit fields (last,
 *   after whole bytes, alone or in stacks), header stacks (no header unions:
 *   the P4TC target rejects them, located);
 * - parser graphs: states selecting on extracted fields (values, masks,
 *   ranges, `_`), `verify`, extracts of varbit headers with constant and
 *   lookahead lengths (also lookaheads evaluated only on a condition: in an
 *   arm of `?:`, the right of `&&`/`||`), and loops over a stack's `.next`,
 *   selecting on `.last` and reading `.lastIndex`;
 * - nested control flow: if/else, switch on `action_run`, hit/miss,
 *   blocks, local variables, expressions over every operator;
 * - tables with every match kind (exact, lpm, ternary, range, optional) and
 *   properties (actions, default_action, const default_action, size, const
 *   entries, pna_direct_counter, pna_direct_meter, add_on_miss with
 *   add_entry in the default action);
 * - stack operations (push_front, pop_front, setValid/setInvalid of elements);
 * - the PNA externs (Counter, DirectCounter, Meter, DirectMeter, Register,
 *   Hash, Checksum, InternetChecksum, Random, Digest, the skb accessors,
 *   send_to_port, drop_packet, is_host_port/is_net_port);
 * - on a stream of their own (`ext`; a seed's program otherwise keeps its
 *   lines): `error` declarations (in `verify`, compared with
 *   istd.parser_error), serializable and plain enums (metadata fields,
 *   exact keys, action parameters and const-entry arguments, casts from
 *   bit<W>, switch labels, comparisons), bool metadata fields, a struct
 *   nested in the metadata (fields as scalars, whole-struct copies, a
 *   struct-typed local), top-level and control `const` declarations;
 *   int<N> locals and expressions (signed literals, arithmetic, saturating
 *   ops, arithmetic shifts, sign-extending casts, comparisons), shifts by a
 *   run-time amount, switch on bit<W> values (shared labels, default),
 *   `exit` and `return` in controls and actions, direct calls of actions
 *   from apply (a table's, with arguments; ones with in/inout/out bit<W>,
 *   in bool and in enum parameters, aliasing arguments allowed),
 *   header-typed locals and whole-header copies; tables with many key
 *   fields, keys wider than 64 bits (exact: tc p4template writes no masked
 *   value of them) and `@tc_type` on keys and action parameters
 *   (ipv4/be32/be16/macaddr/ipv6); parser locals and if/else in states, a
 *   sub-parser applied in a state, a sub-control (one instance) applied
 *   from the main control.
 * Not produced: P4 `function` declarations, slice l-values (`x[7:4] = ...`),
 * `for` loops, tuple locals, struct-valued `?:` and list-initialized struct
 * locals (valid P4 that p4ts rejects, located), `switch` in actions (P4
 * forbids it),
 * bool/int<N> directionless action parameters (P4TC control-plane
 * parameters are bit<W>, rejected located), controls instantiated twice.
 */

export interface GeneratedProgram {
  name: string;
  source: string;
}

export interface GenerateOptions {
  /** Upper bound of the nesting depth of control flow (default 3). */
  maxDepth?: number;
  /** Fields wider than 64 bits (default true). */
  wide?: boolean;
}

import { Rng } from "./rng.js";
import { ControlGen, type EnumDecl, type Extras, type Field, type HeaderType, type Scalar } from "./generate-control.js";

export { Rng };

const COMMON_WIDTHS = [8, 16, 32, 48, 64];
const ODD_WIDTHS = [1, 2, 3, 4, 5, 6, 7, 9, 11, 12, 13, 15, 17, 20, 24, 31, 33, 40, 47, 56, 63];
/** Wider than 64 bits: byte arrays in C, so whole bytes on a byte boundary (p4ts rejects the rest, located). */
const WIDE_WIDTHS = [72, 80, 96, 128];

export function generateProgram(seed: number, options: GenerateOptions = {}): GeneratedProgram {
  return new Generator(seed, options).program();
}

class Generator {
  private readonly r: Rng;
  /** Packet-shape choices (bytes skipped, emits reordered, repeated, left out or conditional): their own stream, so the rest of a seed's program stays as it was. */
  private readonly shape: Rng;
  /** Whether a lookahead length is read on a condition (in a lazily evaluated operand): its own stream, likewise. */
  private readonly lazy: Rng;
  /** The language features added later (enums, bools, nested structs, constants, int<N>, switch on bits, direct action calls, sub-parsers and sub-controls...): their own stream, likewise. */
  private readonly ext: Rng;
  private readonly extras: Extras = { enums: [], bools: [], structs: [], consts: [], errors: [] };
  private readonly maxDepth: number;
  private readonly wide: boolean;
  private readonly name: string;
  private out: string[] = [];
  private headerTypes: HeaderType[] = [];
  /** hdr struct members: name -> type (a header type, a stack, or a union) */
  /** hdr struct members: a header, or a stack (parsed in a loop over `.next` when `loop`) */
  private hdrMembers: { name: string; kind: "header" | "stack"; type: HeaderType; size?: number; loop?: boolean }[] = [];
  private metaFields: Field[] = [];
  private uid = 0;

  constructor(seed: number, options: GenerateOptions) {
    this.r = new Rng(seed);
    this.shape = new Rng((seed ^ 0x5bd1e995) >>> 0);
    this.lazy = new Rng((seed ^ 0x27d4eb2f) >>> 0);
    this.ext = new Rng((seed ^ 0x165667b1) >>> 0);
    this.maxDepth = options.maxDepth ?? 3;
    this.wide = options.wide ?? true;
    this.name = `gen_${seed >>> 0}`;
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.uid++}`;
  }

  width(allowWide = true, r: Rng = this.r): number {
    const x = r.next();
    if (x < 0.5) return r.pick(COMMON_WIDTHS);
    if (x < 0.9 || !allowWide || !this.wide) return r.pick(ODD_WIDTHS);
    return r.pick(WIDE_WIDTHS);
  }

  program(): GeneratedProgram {
    this.headers();
    this.extraTypes();
    this.emitTypes();
    this.emitParser();
    // A sub-control (instantiated once, applied from the main control), generated on the ext stream.
    const sub = this.ext.chance(0.25) ? new ControlGen(this.ext, this, 2, this.ext, this.extras, { name: "SubControlImpl" }) : undefined;
    if (sub) this.out.push(sub.emit());
    const ctl = new ControlGen(this.r, this, this.maxDepth, this.ext, this.extras, { sub: sub ? "SubControlImpl" : undefined });
    this.out.push(ctl.emit());
    this.emitDeparser();
    this.out.push(`PNA_NIC(MainParserImpl(), MainControlImpl(), MainDeparserImpl()) main;`, "");
    return { name: this.name, source: this.out.join("\n") };
  }

  // ---------------------------------------------------------------- types

  private headers(): void {
    const n = this.r.int(1, 4);
    for (let i = 0; i < n; i++) {
      const fields: Field[] = [];
      const nf = this.r.int(1, 6);
      let off = 0;
      for (let j = 0; j < nf; j++) {
        const width = this.width();
        if (width > 64 && off % 8 !== 0) {
          fields.push({ name: `a${j}`, width: 8 - (off % 8) });
          off += 8 - (off % 8);
        }
        fields.push({ name: `f${j}`, width });
        off += width;
      }
      const total = fields.reduce((s, f) => s + f.width, 0);
      if (total % 8 !== 0) fields.push({ name: `pad`, width: 8 - (total % 8) });
      // A varbit field: last, after whole bytes, at most a whole number of bytes long.
      if (this.r.chance(0.15)) fields.push({ name: "vb", width: 0, varbit: 8 * this.r.pick([1, 2, 4, 8, 16]) });
      this.headerTypes.push({ name: `h${i}_t`, fields });
    }
    for (let i = 0; i < n; i++) {
      const t = this.headerTypes[i];
      const kind = i > 0 && this.r.chance(0.25) ? "stack" : "header";
      const loop = this.r.chance(0.5) && t.fields.some((f) => !f.varbit && f.width <= 64);
      if (kind === "stack") this.hdrMembers.push({ name: `h${i}`, kind, type: t, size: this.r.int(1, 4), loop });
      else this.hdrMembers.push({ name: `h${i}`, kind, type: t });
    }
    const nm = this.r.int(0, 3);
    for (let j = 0; j < nm; j++) this.metaFields.push({ name: `m${j}`, width: this.width(false) });
  }

  /** Enums (plain and serializable), bool fields, a struct nested in the metadata, top-level constants and errors: on the ext stream. */
  private extraTypes(): void {
    const x = this.ext, e = this.extras;
    if (x.chance(0.2)) e.errors.push("GenErr0", ...(x.chance(0.5) ? ["GenErr1"] : []));
    if (x.chance(0.4)) {
      const width = x.pick([2, 8, 16, 32]);
      const n = x.int(1, Math.min(4, 1 << width));
      const values: bigint[] = [];
      while (values.length < n) {
        const v = x.bits(width);
        if (!values.includes(v)) values.push(v);
      }
      e.enums.push({ name: "SE_t", members: values.map((_, i) => `S${i}`), width, values, field: "meta.se" });
    }
    if (x.chance(0.3)) e.enums.push({ name: "E_t", members: Array.from({ length: x.int(1, 4) }, (_, i) => `E${i}`), field: "meta.pe" });
    const nb = x.chance(0.4) ? x.int(1, 2) : 0;
    for (let i = 0; i < nb; i++) e.bools.push(`meta.flag${i}`);
    if (x.chance(0.3)) {
      const fields: Field[] = Array.from({ length: x.int(1, 3) }, (_, i) => ({ name: `x${i}`, width: this.width(false, x) }));
      e.structs.push({ type: "inner_t", fields, instances: x.chance(0.5) ? ["meta.in0", "meta.in1"] : ["meta.in0"] });
    }
    const nc = x.chance(0.4) ? x.int(1, 2) : 0;
    for (let i = 0; i < nc; i++) {
      const w = this.width(false, x);
      e.consts.push({ expr: `K${i}`, width: w, writable: false, value: `${this.lit(w, x)}${x.chance(0.5) ? ` ${x.pick(["+", "^", "|"])} ${this.lit(w, x)}` : ""}` });
    }
  }

  private emitTypes(): void {
    const o = this.out;
    const e = this.extras;
    o.push(`/* generated by fuzz/generate.ts */`, `#include <core.p4>`, `#include <tc/pna.p4>`, "");
    if (e.errors.length > 0) o.push(`error { ${e.errors.join(", ")} }`, "");
    for (const en of e.enums) {
      const ms = en.members.map((m, i) => (en.width ? `${m} = ${en.values![i]}` : m));
      o.push(`enum ${en.width ? `bit<${en.width}> ` : ""}${en.name} { ${ms.join(", ")} }`, "");
    }
    for (const c of e.consts) o.push(`const bit<${c.width}> ${c.expr} = ${c.value};`);
    if (e.consts.length > 0) o.push("");
    for (const st of e.structs) o.push(`struct ${st.type} {`, ...st.fields.map((f) => `    bit<${f.width}> ${f.name};`), `}`, "");
    for (const t of this.headerTypes) {
      o.push(`header ${t.name} {`);
      for (const f of t.fields) o.push(f.varbit ? `    varbit<${f.varbit}> ${f.name};` : `    bit<${f.width}> ${f.name};`);
      o.push(`}`, "");
    }
    o.push(`struct headers_t {`);
    for (const m of this.hdrMembers) o.push(m.kind === "stack" ? `    ${m.type.name}[${m.size}] ${m.name};` : `    ${m.type.name} ${m.name};`);
    o.push(`}`, "", `struct metadata_t {`);
    for (const f of this.metaFields) o.push(`    bit<${f.width}> ${f.name};`);
    for (const en of e.enums) o.push(`    ${en.name} ${en.field.slice(5)};`);
    for (const b of e.bools) o.push(`    bool ${b.slice(5)};`);
    for (const st of e.structs) for (const i of st.instances) o.push(`    ${st.type} ${i.slice(5)};`);
    o.push(`}`, "");
  }

  /** Every header instance as an expression (stack elements by constant index). */
  headerInstances(): { expr: string; type: HeaderType }[] {
    const xs: { expr: string; type: HeaderType }[] = [];
    for (const m of this.hdrMembers) {
      if (m.kind === "stack") for (let i = 0; i < m.size!; i++) xs.push({ expr: `hdr.${m.name}[${i}]`, type: m.type });
      else xs.push({ expr: `hdr.${m.name}`, type: m.type });
    }
    return xs;
  }

  /** The header stacks, as expressions, with their sizes. */
  stacks(): { expr: string; size: number }[] {
    return this.hdrMembers.filter((m) => m.kind === "stack").map((m) => ({ expr: `hdr.${m.name}`, size: m.size! }));
  }

  /** Scalars readable in the control (header and metadata fields). */
  scalars(): Scalar[] {
    const xs: Scalar[] = [];
    for (const h of this.headerInstances())
      for (const f of h.type.fields) if (!f.varbit) xs.push({ expr: `${h.expr}.${f.name}`, width: f.width, writable: true, header: h.expr });
    for (const f of this.metaFields) xs.push({ expr: `meta.${f.name}`, width: f.width, writable: true });
    for (const st of this.extras.structs) for (const i of st.instances) for (const f of st.fields) xs.push({ expr: `${i}.${f.name}`, width: f.width, writable: true });
    return xs;
  }

  // ---------------------------------------------------------------- parser

  /** What the parser's states extract, in order: header instances, stack elements, or a whole stack in a loop. */
  private parseUnits(): { expr: string; type: HeaderType; loop?: string }[] {
    const xs: { expr: string; type: HeaderType; loop?: string }[] = [];
    for (const m of this.hdrMembers) {
      if (m.kind === "stack" && m.loop) xs.push({ expr: `hdr.${m.name}.last`, type: m.type, loop: `hdr.${m.name}` });
      else if (m.kind === "stack") for (let i = 0; i < m.size!; i++) xs.push({ expr: `hdr.${m.name}[${i}]`, type: m.type });
      else xs.push({ expr: `hdr.${m.name}`, type: m.type });
    }
    return xs;
  }

  /** The extract of a unit: a varbit header gets a length in bits, constant or read ahead. */
  private extract(into: string, t: HeaderType): string {
    const vb = t.fields.find((f) => f.varbit);
    if (!vb) return `pkt.extract(${into});`;
    const len = this.r.chance(0.3) ? this.lookaheadLength() : `(bit<32>)${8 * this.r.int(0, vb.varbit! / 8)}`;
    return `pkt.extract(${into}, ${len});`;
  }

  /** A length in bits read ahead: the next byte's value in bytes, or one that reads further only on a condition. */
  private lookaheadLength(): string {
    if (!this.lazy.chance(0.5)) return `(bit<32>)pkt.lookahead<bit<8>>() * 8`;
    const n = 8 * this.lazy.int(2, 4);
    const far = `pkt.lookahead<bit<${n}>>()[7:0]`;
    switch (this.lazy.int(0, 2)) {
      case 0:
        return `(bit<32>)(pkt.lookahead<bit<8>>()[7:7] == 1 ? ${far} : pkt.lookahead<bit<8>>()) * 8`;
      case 1:
        return `(pkt.lookahead<bit<8>>()[0:0] == 1 && ${far} != 0 ? (bit<32>)pkt.lookahead<bit<8>>() * 8 : 32w0)`;
      default:
        return `(pkt.lookahead<bit<8>>()[0:0] == 1 || ${far} == 0 ? 32w0 : (bit<32>)pkt.lookahead<bit<8>>() * 8)`;
    }
  }

  private emitParser(): void {
    const o = this.out;
    const units = this.parseUnits();
    // A sub-parser applied after the extract of one (non-loop) unit: statements on its fields, then accept or reject.
    const x = this.ext;
    const subAt = x.chance(0.15) ? x.int(0, units.length - 1) : -1;
    const sub = subAt >= 0 && !units[subAt]!.loop && units[subAt]!.type.fields.some((f) => !f.varbit && f.width <= 64) ? units[subAt]! : undefined;
    if (sub) {
      const keys = sub.type.fields.filter((f) => !f.varbit && f.width <= 64);
      const k = x.pick(keys);
      o.push(`parser SubParserImpl(packet_in pkt, inout ${sub.type.name} h, inout metadata_t meta) {`, `    state start {`);
      o.push(...this.parserStmts("h", keys, "        "));
      o.push(`        transition select(h.${k.name}) {`, `            ${this.lit(k.width, x)}: reject;`, `            default: accept;`, `        }`, `    }`, `}`, "");
    }
    o.push(
      `parser MainParserImpl(packet_in pkt, out headers_t hdr, inout metadata_t meta, in pna_main_parser_input_metadata_t istd) {`,
    );
    if (sub) o.push(`    SubParserImpl() sub_parser;`);
    // State i extracts units[i]; transitions go forward only (a stack's loop
    // state also to itself, until a select says otherwise or the stack is full).
    for (let i = 0; i < units.length; i++) {
      const h = units[i];
      const self = i === 0 ? "start" : `parse_${i}`;
      o.push(`    state ${self} {`);
      if (this.shape.chance(0.08)) o.push(`        pkt.advance(${8 * this.shape.int(1, 4)});`);
      o.push(`        ${this.extract(h.loop ? `${h.loop}.next` : h.expr, h.type)}`);
      if (sub && i === subAt) o.push(`        sub_parser.apply(pkt, ${h.expr}, meta);`);
      else if (!h.loop && x.chance(0.15)) o.push(...this.parserStmts(h.expr, h.type.fields.filter((f) => !f.varbit && f.width <= 64), "        "));
      const later = units.length - i - 1;
      const target = (k: number) => (k >= units.length ? "accept" : `parse_${k}`);
      const keys = h.type.fields.filter((f) => !f.varbit && f.width <= 64);
      if (h.loop) {
        const m = this.metaFields.length > 0 && this.r.chance(0.5) ? this.r.pick(this.metaFields) : undefined;
        if (m) o.push(`        meta.${m.name} = (bit<${m.width}>)${h.loop}.lastIndex;`);
        const f = this.r.pick(keys);
        o.push(`        transition select(${h.expr}.${f.name}) {`);
        o.push(`            ${this.selectPattern(f.width)}: ${self};`);
        if (this.r.chance(0.5)) o.push(`            ${this.selectPattern(f.width)}: ${target(this.r.int(i + 1, units.length))};`);
        o.push(`            default: ${target(i + 1)};`, `        }`, `    }`);
        continue;
      }
      if (this.r.chance(0.15) && keys.length > 0) {
        const f = this.r.pick(keys);
        const err = this.extras.errors.length > 0 && x.chance(0.6) ? x.pick(this.extras.errors) : "ParserInvalidArgument";
        o.push(`        verify(${h.expr}.${f.name} != ${this.lit(f.width)}, error.${err});`);
      }
      if (later === 0 || keys.length === 0 || this.r.chance(0.2)) {
        o.push(`        transition ${this.r.chance(0.1) && later > 0 ? "reject" : target(i + 1)};`);
      } else {
        const nk = this.r.int(1, Math.min(2, keys.length));
        const sel: Field[] = [];
        for (let k = 0; k < nk; k++) sel.push(this.r.pick(keys));
        o.push(`        transition select(${sel.map((f) => `${h.expr}.${f.name}`).join(", ")}) {`);
        const ncase = this.r.int(1, 4);
        for (let c = 0; c < ncase; c++) {
          const pats = sel.map((f) => this.selectPattern(f.width));
          const to = this.r.chance(0.1) ? "reject" : target(this.r.int(i + 1, units.length));
          o.push(`            ${nk > 1 ? `(${pats.join(", ")})` : pats[0]}: ${to};`);
        }
        o.push(`            default: ${target(this.r.int(i + 1, units.length))};`);
        o.push(`        }`);
      }
      o.push(`    }`);
    }
    o.push(`}`, "");
  }

  /** Parser statements on header `h`'s fields `keys`: a local, an if/else setting metadata (bit, bool and enum fields). */
  private parserStmts(h: string, keys: Field[], ind: string): string[] {
    const x = this.ext;
    if (keys.length === 0) return [];
    const k = x.pick(keys);
    const local = this.fresh("pv");
    const out = [`${ind}bit<${k.width}> ${local} = ${h}.${k.name};`];
    const sets = (): string[] => {
      const xs: string[] = [];
      const m = this.metaFields.length > 0 ? x.pick(this.metaFields) : undefined;
      if (m) xs.push(`${ind}    meta.${m.name} = ${m.width === k.width ? local : `(bit<${m.width}>)${local}`};`);
      if (this.extras.bools.length > 0) xs.push(`${ind}    ${x.pick(this.extras.bools)} = ${x.chance(0.5) ? "true" : `${local} != 0`};`);
      const en = this.extras.enums.length > 0 ? x.pick(this.extras.enums) : undefined;
      if (en) xs.push(`${ind}    ${en.field} = ${en.name}.${x.pick(en.members)};`);
      return xs;
    };
    out.push(`${ind}if (${local} ${x.pick(["==", "!=", "<", ">="])} ${this.lit(k.width, x)}) {`, ...sets());
    if (x.chance(0.5)) out.push(`${ind}} else {`, ...sets());
    out.push(`${ind}}`);
    return out;
  }

  private selectPattern(w: number): string {
    const x = this.r.next();
    if (x < 0.1) return "_";
    if (x < 0.25) return `${this.lit(w)} &&& ${this.lit(w)}`;
    if (x < 0.35) {
      const a = this.r.bits(w), b = this.r.bits(w);
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      return `${w}w${lo} .. ${w}w${hi}`;
    }
    return this.lit(w);
  }

  lit(w: number, r: Rng = this.r): string {
    return `${w}w${r.bits(w)}`;
  }

  // ---------------------------------------------------------------- deparser

  private emitDeparser(): void {
    const o = this.out;
    o.push(
      `control MainDeparserImpl(packet_out pkt, inout headers_t hdr, in metadata_t meta, in pna_main_output_metadata_t ostd) {`,
      `    apply {`,
    );
    const insts = this.headerInstances();
    const fields = insts.flatMap((h) => h.type.fields.filter((f) => !f.varbit).map((f) => ({ expr: `${h.expr}.${f.name}`, width: f.width })));
    if (this.r.chance(0.4)) {
      // Checksum (CRC) and InternetChecksum are deparser externs in P4TC.
      const internet = this.r.chance(0.5);
      const w = internet ? 16 : this.r.pick([16, 32]);
      const dst = fields.filter((f) => f.width === w);
      const src = fields.filter((f) => f.width <= 64 && (!internet || f.width % 16 === 0));
      if (dst.length > 0 && src.length > 0) {
        const list = () => {
          const n = this.r.int(1, 3);
          const xs: string[] = [];
          for (let i = 0; i < n; i++) xs.push(this.r.pick(src).expr);
          return `{${xs.join(", ")}}`;
        };
        if (internet) {
          o.splice(o.length - 1, 0, `    InternetChecksum() ck;`);
          o.push(`        ck.clear();`, `        ck.add(${list()});`);
          if (this.r.chance(0.4)) o.push(`        ck.subtract(${list()});`);
          if (this.r.chance(0.3)) o.push(`        ck.set_state(${this.r.pick(dst).expr});`);
          o.push(`        ${this.r.pick(dst).expr} = ck.${this.r.pick(["get", "get_state"])}();`);
        } else {
          o.splice(o.length - 1, 0, `    Checksum<bit<${w}>>(PNA_HashAlgorithm_t.${w === 16 ? "CRC16" : "CRC32"}) ck;`);
          o.push(`        ck.clear();`);
          const n = this.r.int(1, 3);
          for (let i = 0; i < n; i++) o.push(`        ck.update(${this.r.pick(src).expr});`);
          o.push(`        ${this.r.pick(dst).expr} = ck.get();`);
        }
      }
    }
    o.push(...this.emits().map((e) => `        ${e}`));
    o.push(`    }`, `}`, "");
  }

  /** The deparser's emits: every header in declaration order, or now and then two swapped, one twice, one left out or one under a condition. */
  private emits(): string[] {
    const xs = this.hdrMembers.map((m) => `pkt.emit(hdr.${m.name});`);
    if (xs.length === 0 || !this.shape.chance(0.3)) return xs;
    const i = this.shape.int(0, xs.length - 1);
    const conds = this.scalars().filter((f) => f.width <= 64);
    switch (this.shape.int(0, 3)) {
      case 0:
        if (i + 1 < xs.length) [xs[i], xs[i + 1]] = [xs[i + 1]!, xs[i]!];
        break;
      case 1:
        xs.splice(this.shape.int(i + 1, xs.length), 0, xs[i]!);
        break;
      case 2:
        xs.splice(i, 1);
        break;
      default:
        if (conds.length > 0) xs[i] = `if (${this.shape.pick(conds).expr} != 0) { ${xs[i]} }`;
    }
    return xs;
  }
}

