/**
 * The state of one datapath lowering (the layouts, error codes, checksums and
 * fresh names it collects) and the operations its parts call on one another.
 * The parts (layout.ts, expr.ts, externs.ts, stmt.ts, inline.ts, select.ts)
 * import only this file, scope.ts and layout.ts; lower/index.ts wires the
 * abstract operations to them, so the parts do not import each other.
 */
import type { AbiConstruct } from "../../ir/abi/index.js";
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import type { Type } from "../../frontend/index.js";
import type { DExpr, DStmt, ExternCall, HeaderLayout, LValue, ScalarType, SrcLoc, StructLayout } from "../../ir/datapath.js";
import type { BlockInfo, MidendContext, TableInfo } from "../context.js";
import type { Bind, LScope, Where } from "./scope.js";

/**
 * The struct, union and enum tags the generated C declares besides the P4
 * types': the runtime headers' (runtime-headers/*.h; a test checks the list
 * against them) and the C's own (`hdr_md`, `p4tc_filter_fields`).
 */
export const RESERVED_C_TAGS: ReadonlySet<string> = new Set([
  "__sk_buff", "bpf_flow_keys", "bpf_sock", "xdp_md",
  "bpf_adj_room_mode", "bpf_map_type", "xdp_action",
  "pna_main_parser_input_metadata_t", "pna_main_input_metadata_t", "pna_main_output_metadata_t", "pna_global_metadata",
  "pna_meter_color", "pna_mirror_type", "pna_source",
  "p4tc_ext_bpf_params", "p4tc_ext_bpf_res", "p4tc_ext_bpf_val", "p4tc_ext_csum_params", "p4tc_filter_fields_common",
  "p4tc_skb_aggregate", "p4tc_skb_meta_get", "p4tc_skb_meta_set",
  "p4tc_table_entry_act_bpf", "p4tc_table_entry_act_bpf_params", "p4tc_table_entry_create_bpf_params", "p4tc_table_entry_key_hdr",
  "p4ts_divrem", "p4ts_shift", "p4ts_harness_pkt",
  "p4ts_emu_counter", "p4ts_emu_entry", "p4ts_emu_ext_key", "p4ts_emu_key", "p4ts_emu_mask", "p4ts_emu_masks", "p4ts_emu_meter", "p4ts_emu_scratch", "p4ts_emu_table",
  "hdr_md", "p4tc_filter_fields",
]);

export abstract class LowerBase {
  readonly headers = new Map<string, HeaderLayout>();
  readonly structs = new Map<string, StructLayout>();
  readonly errors: string[] = [];
  readonly checksums: { name: string; algo: "csum16" | "crc16" | "crc32" }[] = [];
  readonly runtimeParams: { name: string; size: number }[] = [];
  private nextLocal = 0;
  /** Called when a table is applied, with the scope it is applied in: the pass lowers this apply site then and returns its index in the table's sites. */
  tableHook: (t: TableInfo, s: LScope, w: Where) => number = () => 0;
  /** Called to inline an applied sub-control (`call` is the apply): returns its lowered body. */
  subcontrolHook: (block: BlockInfo, call: A.CallExpression, s: LScope, w: Where) => DStmt[] = () => [];
  private nextLabel = 0;
  /** Labels a lowered `return` jumps to (an inlined body ends with its label only when one does). */
  readonly returnLabels = new Set<string>();
  /** Table applies referenced from the expression being lowered (`t.apply().hit`): the statement lowering runs them first. */
  pendingApplies: { table: number; site: number }[] = [];

  private readonly cTypeNames = new Map<string, string>();
  private cTagContext: { readonly p4Names: ReadonlySet<string>; readonly keyTags: ReadonlySet<string> } | undefined;

  /**
   * The C struct tag of P4 header or struct type `name`: the name itself,
   * unless the generated C already uses that tag (the runtime headers' structs,
   * the PNA metadata structs among them, and the C's own): then the name with
   * a suffix that no P4 type and no such tag has.
   */
  cTypeName(name: string): string {
    let c = this.cTypeNames.get(name);
    if (c !== undefined) return c;
    // The program's type names and the table key tags, gathered on the first call.
    this.cTagContext ??= {
      p4Names: new Set(this.ctx.program.declarations.flatMap((d) => ("name" in d && d.name && typeof d.name === "object" && "text" in d.name ? [(d.name as A.Name).text] : []))),
      keyTags: new Set(this.ctx.tables.map((t) => `${t.name.replace(/[^A-Za-z0-9_]/g, "_")}_key`)),
    };
    const { p4Names, keyTags } = this.cTagContext;
    const taken = (n: string): boolean => RESERVED_C_TAGS.has(n) || keyTags.has(n) || [...this.cTypeNames.values()].includes(n);
    c = name;
    for (let i = 0; taken(c) || (c !== name && p4Names.has(c)); i++) c = `${name}_${i}`;
    this.cTypeNames.set(name, c);
    return c;
  }

  constructor(readonly ctx: MidendContext) {
    for (const d of ctx.program.declarations) if (d.kind === "ErrorDeclaration") for (const m of d.members) if (!this.errors.includes(m.text)) this.errors.push(m.text);
  }

  unsupported(span: A.Node["span"], what: string): void {
    this.ctx.diags.report(Msg.Mid_Unsupported, span, what);
  }
  /** False (after reporting at `span`) when the ABI being built for lacks construct `c`. */
  abiHas(c: AbiConstruct, span: A.Node["span"], what: string): boolean {
    const why = this.ctx.abi.lacks(c);
    if (why === null) return true;
    this.ctx.diags.report(Msg.Mid_AbiLacks, span, what, this.ctx.abi.name, why);
    return false;
  }


  /** The source location of a node for the generated C: the file's base name and line (none for built-in nodes). */
  loc(span: A.Node["span"]): SrcLoc | undefined {
    if (span.line <= 0 || span.file.startsWith("<")) return undefined;
    return { file: span.file.replace(/^.*[\\/]/, ""), line: span.line };
  }

  freshLocal(base: string): string {
    return `${base.replace(/[^A-Za-z0-9_]/g, "_")}_${this.nextLocal++}`;
  }
  freshLabel(base: string): string {
    return `${base}_${this.nextLabel++}`;
  }

  typeOfExpr(e: A.Expression): Type | undefined {
    return this.ctx.checked.types.get(e);
  }

  constValue(e: A.Expression): bigint | null {
    const v = this.ctx.checked.constants.get(e);
    if (typeof v === "bigint") return v;
    if (typeof v === "boolean") return v ? 1n : 0n;
    if (e.kind === "IntLiteral") return e.value;
    return null;
  }

  errorCode(name: string): number {
    let i = this.errors.indexOf(name);
    if (i < 0) {
      this.errors.push(name);
      i = this.errors.length - 1;
    }
    return i;
  }

  // The parts, wired by lower/index.ts.
  /** An l-value for `e`, or null when it is not one (expr.ts). */
  abstract lvalue(e: A.Expression, s: LScope): LValue | null;
  /** Lowers an expression with a scalar result; `want` types unsized constants (expr.ts). */
  abstract expr(e: A.Expression, s: LScope, w: Where, want?: ScalarType): DExpr | null;
  /** The fields of a list/struct/header argument, flattened, as scalar expressions (expr.ts). */
  abstract flatten(e: A.Expression, s: LScope, w: Where): DExpr[] | null;
  /** A method call on an extern instance, checksum or packet; null when unknown (externs.ts). */
  abstract externMethod(b: Bind, m: string, e: A.CallExpression, s: LScope, w: Where): ExternCall | null;
  /** `add_entry` / `add_entry_if` in an action of table `w.table` (externs.ts). */
  abstract addEntry(e: A.CallExpression, s: LScope, w: Where): DStmt[];
  /** Lowers statements in order (stmt.ts). */
  abstract stmts(list: readonly A.StatementOrDeclaration[], s: LScope, w: Where): DStmt[];
  /** Inlines an action or function call (inline.ts). */
  abstract inline(decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[];
}
