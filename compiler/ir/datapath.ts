/**
 * The datapath part of the pipeline model: what the eBPF back end renders.
 * The mid-end lowers the P4 parser, main control and main deparser to this
 * small typed IR (compiler/midend/datapath/); the eBPF back end turns it into
 * C (codegen/ebpf/). Everything P4-specific that C has no direct form for is
 * already resolved here: names are bound, actions and functions inlined,
 * table applications carry their table id, constants are folded, and every
 * expression has a scalar type with an exact bit width.
 *
 * Values of up to 64 bits are held in host order in the smallest C unsigned
 * integer that fits (u8/u16/u32/u64), always kept masked to their width.
 * Wider values (`bit<65>`..`bit<128>`) are byte arrays in network order;
 * expressions on them compute in 128-bit integers (codegen/ebpf/cexpr.ts).
 */

/** A scalar type: `bit<W>`/`int<W>` (bool is `bit<1>` with `bool` set). */
export interface ScalarType {
  readonly width: number;
  readonly signed: boolean;
  readonly bool?: boolean;
}

export type DType =
  | { readonly k: "scalar"; readonly t: ScalarType }
  | { readonly k: "header"; readonly name: string }
  | { readonly k: "struct"; readonly name: string }
  | { readonly k: "stack"; readonly elem: string; readonly size: number };

/** A header type laid out on the wire. */
export interface HeaderLayout {
  /** C struct name. */
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly width: number; readonly signed: boolean; readonly bitOffset: number }[];
  /** Wire size in bits (of the fixed part, when the header has a varbit field). */
  readonly bits: number;
  /** The header's `varbit<max>` field, last on the wire: C `__u8 NAME[max/8]` plus `NAME_len` (bytes present). */
  readonly varbit?: { readonly name: string; readonly maxBits: number };
}

/** A struct type (headers struct, metadata, struct-typed fields). */
export interface StructLayout {
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly type: DType }[];
}

export type PnaMeta = "input_port" | "parser_error" | "timestamp" | "recirculated" | "class_of_service";

/** An expression; `type` is its scalar type (l-values of aggregate type are `LValue`s). */
export type DExpr =
  | { readonly k: "const"; readonly value: bigint; readonly type: ScalarType }
  | { readonly k: "lval"; readonly lv: LValue; readonly type: ScalarType }
  | { readonly k: "valid"; readonly header: LValue; readonly type: ScalarType }
  | { readonly k: "unary"; readonly op: "-" | "~" | "!"; readonly e: DExpr; readonly type: ScalarType }
  | { readonly k: "binary"; readonly op: BinaryOp; readonly l: DExpr; readonly r: DExpr; readonly type: ScalarType }
  | { readonly k: "concat"; readonly l: DExpr; readonly r: DExpr; readonly type: ScalarType }
  | { readonly k: "slice"; readonly e: DExpr; readonly hi: number; readonly lo: number; readonly type: ScalarType }
  | { readonly k: "cast"; readonly e: DExpr; readonly type: ScalarType }
  | { readonly k: "cond"; readonly c: DExpr; readonly t: DExpr; readonly e: DExpr; readonly type: ScalarType }
  | { readonly k: "meta"; readonly field: PnaMeta; readonly type: ScalarType }
  /** A control-plane action parameter of the running table entry. */
  | { readonly k: "param"; readonly offset: number; readonly size: number; readonly network: boolean; readonly runtime: RuntimeParam | null; readonly type: ScalarType }
  | { readonly k: "extern"; readonly call: ExternCall; readonly type: ScalarType }
  /**
   * `pkt.lookahead<bit<W>>()`, or a field of `pkt.lookahead<H>()` at `bitOffset` from the current position.
   * `extent`: the bits past the current position the packet must hold (W, or all of H: P4-16 `lookahead<T>()`
   * signals PacketTooShort when fewer than sizeof(T) bits are left, whichever field is read).
   */
  | { readonly k: "lookahead"; readonly bitOffset: number; readonly extent: number; readonly type: ScalarType }
  /** `stack.last.field`: a field of the last extracted element of a header stack (the stack's `nextIndex - 1`). */
  | { readonly k: "stackLast"; readonly stack: LValue; readonly size: number; readonly field: string; readonly type: ScalarType }
  /** `stack.lastIndex` (`nextIndex - 1`, 32 bits) */
  | { readonly k: "stackLastIndex"; readonly stack: LValue; readonly type: ScalarType }
  /** A table's hit flag after its apply statement ran. */
  | { readonly k: "hit"; readonly table: number; readonly type: ScalarType };

/**
 * A `@tc_may_override` default-action parameter: when the kernel runs the
 * table's default miss (or hit) action, its value comes from the filter's
 * `.bss` field `miss` (or `hit`), set with `tc filter ... bind ...`.
 */
export interface RuntimeParam {
  readonly miss: string | null;
  readonly hit: string | null;
}

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "<<" | ">>" | "&" | "|" | "^"
  | "==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||" | "|+|" | "|-|";

/** A storage location: a root variable, then fields and constant stack indices. */
export interface LValue {
  /** C root: `hdr`, `meta`, `ostd` (the user structs in the shared map), or a local's C name. */
  readonly root: string;
  readonly path: readonly (string | number)[];
  readonly type: DType;
}

export type ExternCall =
  | { readonly k: "send_to_port"; readonly port: DExpr }
  | { readonly k: "drop_packet" }
  | { readonly k: "counter"; readonly extId: string; readonly instId: number; readonly mode: "pkts" | "bytes" | "pktsnbytes"; readonly index: DExpr | null; readonly table: number | null }
  | { readonly k: "meter"; readonly extId: string; readonly instId: number; readonly bytes: boolean; readonly index: DExpr | null; readonly color: DExpr | null; readonly table: number | null }
  | { readonly k: "register_read"; readonly extId: string; readonly instId: number; readonly index: DExpr }
  /** The value's fields (one for a scalar register), packed in order into the value blob. */
  | { readonly k: "register_write"; readonly extId: string; readonly instId: number; readonly index: DExpr; readonly value: readonly DExpr[] }
  | { readonly k: "digest"; readonly extId: string; readonly instId: number; readonly fields: readonly DExpr[] }
  | { readonly k: "csum_clear"; readonly inst: string }
  | { readonly k: "csum_add" | "csum_sub"; readonly inst: string; readonly fields: readonly DExpr[] }
  | { readonly k: "csum_get"; readonly inst: string }
  | { readonly k: "csum_get_state"; readonly inst: string }
  | { readonly k: "csum_set_state"; readonly inst: string; readonly value: DExpr }
  | { readonly k: "hash"; readonly algo: "crc16" | "crc32" | "ones_complement16"; readonly fields: readonly DExpr[]; readonly base: DExpr | null; readonly max: DExpr | null }
  | { readonly k: "random"; readonly min: DExpr; readonly max: DExpr }
  | { readonly k: "is_port"; readonly which: "net" | "host"; readonly port: DExpr }
  | { readonly k: "add_entry"; readonly table: number; readonly actionId: number; readonly params: readonly { readonly offset: number; readonly size: number; readonly network: boolean; readonly value: DExpr }[]; readonly profile: DExpr }
  | { readonly k: "set_entry_expire_time"; readonly table: number; readonly profile: DExpr }
  | { readonly k: "skb_get"; readonly field: string }
  | { readonly k: "skb_set"; readonly field: string; readonly value: DExpr };

/**
 * Where a lowered statement, action or parser state came from in the P4
 * source: the file's base name (so the C does not depend on the working
 * directory or how the path was spelled) and its 1-based first line. The C
 * carries it as a comment, so verifier errors and `bpftool prog dump` output
 * lead back to the P4.
 */
export interface SrcLoc {
  readonly file: string;
  readonly line: number;
}

export type DStmt = DStmtKind & { readonly loc?: SrcLoc };

type DStmtKind =
  | { readonly k: "assign"; readonly lhs: LValue; readonly rhs: DExpr }
  /** Whole header/struct copy. */
  | { readonly k: "copy"; readonly lhs: LValue; readonly rhs: LValue }
  | { readonly k: "local"; readonly name: string; readonly type: DType; readonly init: DExpr | null }
  | { readonly k: "if"; readonly cond: DExpr; readonly then: readonly DStmt[]; readonly else: readonly DStmt[] }
  | { readonly k: "block"; readonly body: readonly DStmt[] }
  | { readonly k: "setValid"; readonly header: LValue; readonly valid: boolean }
  | { readonly k: "extern"; readonly call: ExternCall }
  /**
   * Look the table up with the keys of its apply site `site` (an index into
   * the table's `sites`) and run that site's action body; `switch` cases by
   * action id run after it.
   */
  | { readonly k: "apply"; readonly table: number; readonly site: number; readonly cases: readonly { readonly actions: readonly number[] | "default"; readonly body: readonly DStmt[] }[] | null }
  | { readonly k: "exit" }
  /** Leaves the innermost inlined action/function body. */
  | { readonly k: "return"; readonly label: string }
  | { readonly k: "label"; readonly label: string }
  // parser
  /** `varbitBits`: the size of the varbit field in bits, for `extract(h, bits)`. */
  | { readonly k: "extract"; readonly header: LValue; readonly layout: string; readonly varbitBits?: DExpr }
  /** The `nextIndex` update of `push_front(n)` (+n, at most `size`) or `pop_front(n)` (-n, at least 0). */
  | { readonly k: "stackShift"; readonly stack: LValue; readonly size: number; readonly by: number }
  /** `extract(stack.next)`: into element `nextIndex` (error StackOutOfBounds when full), then `nextIndex++`. */
  | { readonly k: "extractNext"; readonly stack: LValue; readonly size: number; readonly layout: string; readonly varbitBits?: DExpr }
  | { readonly k: "advance"; readonly bits: number }
  | { readonly k: "verify"; readonly cond: DExpr; readonly error: number }
  | { readonly k: "transition"; readonly to: string }
  | { readonly k: "select"; readonly keys: readonly DExpr[]; readonly cases: readonly SelectCase[] }
  // deparser
  | { readonly k: "emit"; readonly header: LValue; readonly layout: string };

export interface SelectCase {
  /** One entry per key: a value, a value/mask, a range, or don't care. */
  readonly keys: readonly ({ readonly k: "value"; readonly value: bigint } | { readonly k: "mask"; readonly value: bigint; readonly mask: bigint } | { readonly k: "range"; readonly lo: bigint; readonly hi: bigint } | { readonly k: "any" })[];
  readonly to: string;
}

export interface ParserState {
  readonly name: string;
  readonly loc?: SrcLoc;
  readonly body: readonly DStmt[];
}

/**
 * A table as the data path sees it: one kernel table (id, key layout, entries,
 * direct externs), looked up from one or more apply sites. A control instance
 * applied more than once applies its tables once per apply (P4-16, Invoking a
 * control: the same stateful constructs each time), each apply with its own
 * argument bindings: each site has its own key expressions and action bodies.
 */
export interface TableDatapath {
  readonly id: number;
  /** C identifier base (`MainControlImpl_ipv4_tbl`). */
  readonly cName: string;
  readonly keySize: number;
  /** Key widths and byte orders (the same at every site). */
  readonly keyFields: readonly { readonly width: number; readonly network: boolean }[];
  /** The apply sites, in lowering order; an `apply` statement names one by index. */
  readonly sites: readonly TableSite[];
  /** The bytes of `act_bpf.params` an entry of this table can use: the largest parameter block of its actions. */
  readonly paramBytes: number;
}

/** One apply of a table, lowered with the bindings in force there. */
export interface TableSite {
  /** One value per key field of the table (`TableDatapath.keyFields`). */
  readonly keys: readonly DExpr[];
  /** One per action the table can run (NoAction left out), with the body to run at this site. */
  readonly actions: readonly { readonly id: number; readonly name: string; readonly loc?: SrcLoc; readonly body: readonly DStmt[] }[];
}

/** Every action body of every apply site of `tables`. */
export function siteActionBodies(tables: readonly TableDatapath[]): DStmt[] {
  return tables.flatMap((t) => t.sites.flatMap((s) => s.actions.flatMap((a) => a.body)));
}

export interface DatapathModel {
  readonly headers: readonly HeaderLayout[];
  readonly structs: readonly StructLayout[];
  /** The headers struct and user metadata struct of the pipeline (C struct names). */
  readonly headersStruct: string;
  readonly metaStruct: string;
  /** `error` members in code order (NoError = 0). */
  readonly errors: readonly string[];
  readonly parser: { readonly locals: readonly DStmt[]; readonly states: readonly ParserState[] };
  readonly control: { readonly locals: readonly DStmt[]; readonly body: readonly DStmt[] };
  readonly deparser: { readonly locals: readonly DStmt[]; readonly body: readonly DStmt[] };
  readonly tables: readonly TableDatapath[];
  /** Runtime (tc_may_override) action parameters, in the JSON order iproute2 fills `.bss` in: C field name and byte size. */
  readonly runtimeParams: readonly { readonly name: string; readonly size: number }[];
  /** Checksum instances (their running state is a local of the C function): C name and algorithm. */
  readonly checksums: readonly { readonly name: string; readonly algo: "csum16" | "crc16" | "crc32" }[];
  /** Headers the control or deparser may change (field writes, validity, copies): only those are written back. */
  readonly modifiedHeaders: readonly string[];
  /** True when the bytes before the payload may differ from the parsed ones (compiler/midend/passes/packetShape.ts): the deparser resizes the packet and writes every emitted header. */
  readonly mayResize: boolean;
  /** `H.f` fields of extracted headers nobody reads back (and the deparser does not write): the parser does not store them. */
  readonly unusedFields: readonly string[];
  /** A 14-byte header emitted first and never changed, whose bytes stay in front of the packet when it is resized: not written back. */
  readonly inPlaceFront: string | null;
}

export const BOOL_T: ScalarType = { width: 1, signed: false, bool: true };
export const bitsT = (width: number, signed = false): ScalarType => ({ width, signed });

/** True for P4TC types whose values travel in network byte order. */
export function isNetworkType(type: string): boolean {
  return type === "macaddr" || type === "ipv4" || type === "ipv6" || type === "be16" || type === "be32" || type === "be64";
}

export type EmitStmt = Extract<DStmt, { k: "emit" }>;

/**
 * The deparser's emits in code order, and whether any of them may not run
 * although the deparser does: an emit under an `if` or a table's switch case,
 * or any emit when the deparser can leave early (`exit`, an inlined `return`).
 * Branches are exclusive and jumps only go forward, so the emits that do run
 * are a subsequence of `emits`, in this order.
 */
export function deparserEmits(body: readonly DStmt[]): { emits: EmitStmt[]; conditional: boolean } {
  const emits: EmitStmt[] = [];
  let conditional = false;
  let leaves = false;
  const walk = (list: readonly DStmt[], nested: boolean): void => {
    for (const s of list) {
      if (s.k === "emit") {
        emits.push(s);
        if (nested) conditional = true;
      } else if (s.k === "block") walk(s.body, nested);
      else if (s.k === "if") {
        walk(s.then, true);
        walk(s.else, true);
      } else if (s.k === "apply") for (const c of s.cases ?? []) walk(c.body, true);
      else if (s.k === "exit" || s.k === "return") leaves = true;
    }
  };
  walk(body, false);
  return { emits, conditional: conditional || (leaves && emits.length > 0) };
}
