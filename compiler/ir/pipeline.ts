/**
 * The pipeline model: what the Linux P4TC kernel (and iproute2's `tc`) sees of a
 * compiled PNA program. It is the ONLY input of the control-plane back ends
 * (`codegen/template`, `codegen/introspection`): they never see the AST.
 *
 * The mid-end builds it from the checked program. Every field holds data that is
 * already computed (ids, kernel names, permission strings, P4TC type strings),
 * so the renderers only format. The rules for computing each field are in
 * `codegen/README.md` ("Pipeline model: what the mid-end fills"), and the few
 * rule tables that are pure data live here as constants and tiny helpers.
 *
 * The model is plain data: no classes, no methods, no references to the AST.
 * Numbers that can exceed 2^53 (key values, masks, action arguments) are
 * `bigint`; everything else is `number`, `string`, `boolean` or `null`.
 * Optional facts are `null`, never missing, so that strict Handlebars views and
 * deep-equality tests see every field.
 */

// ---------------------------------------------------------------------------
// Scalar vocabularies
// ---------------------------------------------------------------------------

/**
 * A P4TC type string as iproute2 and the kernel spell it: `bit<W>` of P4 is
 * `bitW` (e.g. `bit32`, `bit48`, `bit7`, `bit128`); a `@tc_type("…")`
 * annotation replaces it with one of the named types.
 */
export type P4tcType = `bit${number}` | P4tcNamedType;

/** The values a `@tc_type("…")` annotation may take (anything else is a user error). */
export type P4tcNamedType = "dev" | "macaddr" | "ipv4" | "ipv6" | "be16" | "be32" | "be64";

/** The named P4TC types, in the order the contract lists them. */
export const P4TC_NAMED_TYPES: readonly P4tcNamedType[] = ["dev", "macaddr", "ipv4", "ipv6", "be16", "be32", "be64"];

/** Width in bits that each named type implies (a `dev` port is 32 bits, a MAC 48, …). */
export const P4TC_NAMED_TYPE_WIDTH: Readonly<Record<P4tcNamedType, number>> = {
  dev: 32,
  macaddr: 48,
  ipv4: 32,
  ipv6: 128,
  be16: 16,
  be32: 32,
  be64: 64,
};

/** Type of an extern control-path field: a P4TC type, or `rate` (Meter cir/pir of a BYTES meter). */
export type ExternParamType = P4tcType | "rate";

/** The P4 match kind of one key field, as written in the program. */
export type P4MatchKind = "exact" | "lpm" | "ternary" | "range" | "optional" | "rangelist";

/** The kernel table type (`type` in the template): derived from all key match kinds. */
export type TableMatchType = "exact" | "lpm" | "ternary";

/** Scope of an action in a table's action list (JSON `action_scope`; template `flags`). */
export type ActionScope = "TableAndDefault" | "TableOnly" | "DefaultOnly";

/** The kernel's built-in action (act id 0). It is never created and never appears in the JSON. */
export const NO_ACTION = "NoAction";

import type { DatapathModel } from "./datapath.js";
import type { P4tcAbiName } from "./abi/types.js";

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

/** Everything the control-plane back ends need to know about one program. */
export interface PipelineModel {
  /** Pipeline name: the stem of the P4 file name (`simple_l3` for `simple_l3.p4`). Under 32 bytes. */
  pipelineName: string;
  /** `numtables N` of the pipeline create: the number of P4 tables. Always equals `tables.length`. */
  numTables: number;
  /** Actions the kernel creates, in `actid` order (1..n). NoAction is not listed. */
  actions: ActionModel[];
  /** Extern types that have a control path (`tc_ControlPath_X`), in template order. */
  externs: ExternModel[];
  /** Tables in `tblid` order (1..n). */
  tables: TableModel[];
  /** The P4TC ABI the model was built for (`compiler/ir/abi`); absent means the default, `p4c`. */
  abi?: P4tcAbiName;
  /** The parser, control and deparser lowered for the eBPF back end (absent in control-plane-only models). */
  datapath?: DatapathModel;
}

/** One P4 action as a kernel action template. */
export interface ActionModel {
  /**
   * Kernel action name, without the pipeline: `CTRL/act` for an action
   * declared in control CTRL (`MainControlImpl/next_hop`), plain `act` for a
   * top-level action (`send_nh`). The template path is `PNAME/` + name and
   * the JSON table-action `name` is this string.
   */
  name: string;
  /** The action's own P4 name (`next_hop`), used in const-entry action paths. */
  localName: string;
  /** The enclosing control's name (`MainControlImpl`), or `null` for a top-level action. */
  controlName: string | null;
  /** `actid`: 1..n in declaration (post-order) order; also the JSON action `id`. */
  id: number;
  /** Control-plane parameters (the action's directionless parameters) in declaration order. */
  params: ActionParamModel[];
}

/** One control-plane (directionless) parameter of an action. */
export interface ActionParamModel {
  /** 1..n in declaration order (the kernel numbers them implicitly; the JSON states them). */
  id: number;
  /** Parameter name as declared. */
  name: string;
  /** `bitW`, or the parameter's `@tc_type` value. */
  type: P4tcType;
  /** P4 width in bits of the declared type (32 for a `dev` on `PortId_t`). */
  bitwidth: number;
}

/** One P4 table. */
export interface TableModel {
  /** Kernel table name `CTRL/TBL` (`MainControlImpl/ipv4_tbl`); under 32 bytes. JSON `name`. */
  name: string;
  /** Name of the control that declares the table (`MainControlImpl`); const-entry action paths use it. */
  controlName: string;
  /** `tblid` (1..n in declaration order); JSON `id`. */
  id: number;
  /** Template `type`: derived from the key match kinds (see README). */
  matchType: TableMatchType;
  /** Template `keysz` and JSON `keysize`: `kernelKeySize` of the key fields' P4 widths. */
  keySize: number;
  /** Key fields in key order. */
  keys: KeyFieldModel[];
  /** Template `tentries` and JSON `tentries`: the `size` property, else 1024. */
  tentries: number;
  /** Template `permissions`, e.g. `0x3da4` (lower-case hex, no padding). */
  permissions: string;
  /**
   * JSON `permissions`. Equals `permissions` except for an add-on-miss table
   * without `@tc_acl`: the template then has the add-on-miss default `0x3de6`
   * while the reference JSON keeps the normal default `0x3da4`.
   */
  jsonPermissions: string;
  /** Template `nummasks`: 1 for an exact table, 8 otherwise (`@nummask` is ignored here). */
  numMasks: number;
  /** JSON `nummask`: the `@nummask(N)` value, else 8 (also for exact tables). */
  jsonNumMask: number;
  /** `num_timer_profiles N` on the template create line, or `null` when not printed. */
  numTimerProfiles: number | null;
  /** True when `add_entry` is called in the table's default (miss) action (add-on-miss table). */
  addOnMiss: boolean;
  /** The table's `pna_idle_timeout` property; printed by neither control-plane back end. */
  idleTimeout: "NO_TIMEOUT" | "NOTIFY_CONTROL" | "AUTO_DELETE";
  /** The `pna_direct_counter` property: the DirectCounter instance bound to the table, or `null`. */
  directCounter: DirectExternRef | null;
  /** The `pna_direct_meter` property: the DirectMeter instance bound to the table, or `null`. */
  directMeter: DirectExternRef | null;
  /** The P4 `actions` list in list order, NoAction included (never empty: see README). */
  actions: TableActionModel[];
  /** The default hit action (`@default_hit` / `@default_hit_const` reference), or `null`. */
  defaultHitAction: DefaultActionModel | null;
  /** The default miss action (P4 `default_action`), or `null` when it is NoAction. */
  defaultMissAction: DefaultActionModel | null;
  /** The `const entries`, in source order. */
  constEntries: ConstEntryModel[];
}

/** One key field of a table. */
export interface KeyFieldModel {
  /** 1..n in key order (JSON `id`). */
  id: number;
  /** The key element's `@name` (the frontend adds one holding the source text: `hdr.ipv4.srcAddr`). */
  name: string;
  /** `bitW`, or the key element's `@tc_type` value. */
  type: P4tcType;
  /** The P4 match kind as written. */
  matchKind: P4MatchKind;
  /** P4 width in bits. */
  bitwidth: number;
}

/** One element of a table's `actions` list. */
export interface TableActionModel {
  /** `ActionModel.name` of the referenced action, or `NoAction`. */
  action: string;
  /** `TableOnly` for `@tableonly`, `DefaultOnly` for `@defaultonly`, else `TableAndDefault`. */
  scope: ActionScope;
  /** Names of the annotations on the action reference, in source order (e.g. `["tc_may_override", "default_hit_const"]`). */
  annotations: string[];
}

/** A default (hit or miss) action of a table: one `update table/… default_*_action` line. */
export interface DefaultActionModel {
  /** `ActionModel.name` of the action (never NoAction: a NoAction default has no model). */
  action: string;
  /** `permissions` printed before `action` (`0x1024` for `const default_action` / `@default_hit_const`), or `null`. */
  permissions: string | null;
  /** True when `@tc_may_override` applies: the params below are all `runtime`. */
  mayOverride: boolean;
  /** The `param` words printed after the action, in parameter order (empty: none printed). */
  params: DefaultActionParamModel[];
}

/** One `param` of a default action. */
export interface DefaultActionParamModel {
  /** Parameter name (an `ActionParamModel.name` of the action). */
  name: string;
  /**
   * True: printed as `param NAME flags runtime` (the value lives in the
   * filter's `.bss`); the JSON table-action param then gets
   * `"runtime": true` and `"default_value"`.
   */
  runtime: boolean;
  /**
   * The argument constant as the reference prints it: the P4 literal in its
   * original base without width prefix (`8`, `0xffff1111…`). `null` only for a
   * runtime param that has no P4 value (a `@tc_may_override` default-hit action).
   */
  text: string | null;
  /** The argument's numeric value (`null` exactly when `text` is `null`). */
  value: bigint | null;
}

/** One element of `const entries`. */
export interface ConstEntryModel {
  /** One value per table key field, in key order. */
  keys: ConstKeyValue[];
  /** `ActionModel.name` of the entry's action. */
  action: string;
  /** The action's arguments, one per control-plane parameter, in parameter order. */
  args: ActionArgModel[];
  /**
   * Explicit kernel priority (`prio N`, smaller wins), or `null` to let the
   * kernel number entries in creation order (earlier entries win), which is
   * P4's default order for const entries.
   */
  priority: number | null;
  /** Entry permissions: always `0x1024` (R:RX) for const entries. */
  permissions: string;
}

/** An action argument in a const entry. */
export interface ActionArgModel {
  /** Parameter name. */
  name: string;
  /** The constant as the reference prints it (P4 literal in its original base, no width prefix). */
  text: string;
  /** Its numeric value. */
  value: bigint;
}

/**
 * The value of one key field in a const entry. `text` is what the reference
 * compiler prints for it (P4 syntax: `0x2b`, `8w1..8w8`, `8w1&&&8w2`, `default`).
 */
export type ConstKeyValue =
  | {
      /** A single value (matches that value exactly, whatever the match kind). */
      kind: "value";
      /** Reference text: the literal in its original base without width prefix (`0x2b`, `10`). */
      text: string;
      /** Numeric value. */
      value: bigint;
    }
  | {
      /** `value &&& mask` (ternary, lpm with a prefix mask, optional/range with a mask). */
      kind: "mask";
      /** Reference text, e.g. `8w1&&&8w2`. */
      text: string;
      /** Numeric value. */
      value: bigint;
      /** Numeric mask. */
      mask: bigint;
    }
  | {
      /** `low..high` (range keys). */
      kind: "range";
      /** Reference text, e.g. `8w1..8w8`. */
      text: string;
      /** Inclusive lower bound. */
      low: bigint;
      /** Inclusive upper bound. */
      high: bigint;
    }
  | {
      /** `_` / `default`: matches anything. */
      kind: "dontcare";
      /** Reference text: `default`. */
      text: string;
    };

/** A table's reference to a direct extern instance (`pna_direct_counter DirectCounter/ingress.cnt`). */
export interface DirectExternRef {
  /** Extern type name: `DirectCounter` or `DirectMeter`. */
  externName: string;
  /** `ExternInstanceModel.name` of the bound instance (`ingress.global_counter`). */
  instanceName: string;
}

/** One extern type with a control path (Register, Counter, DirectCounter, Meter, DirectMeter, Digest). */
export interface ExternModel {
  /** Extern type name (`Counter`); template `extern/root/NAME`, JSON `name`. */
  name: string;
  /** Extern id as printed in both outputs: `0x19000000` etc., or `0x1`, `0x2`, … for other types. */
  id: string;
  /** `tc_acl` in the template and JSON `permissions`, e.g. `0x1136`. */
  permissions: string;
  /** True when a method of the type carries `@tc_md_exec` (`has_exec_method`). */
  hasExecMethod: boolean;
  /** Instances in declaration order; `numinstances` is their count. */
  instances: ExternInstanceModel[];
}

/** One instance of an extern type. */
export interface ExternInstanceModel {
  /** `<Control>.<instance>` (`ingress.global_counter`, `Ingress_Deparser.digest_inst`). */
  name: string;
  /** `instid`: 1..n within the type, in declaration order. JSON `inst_id`. */
  id: number;
  /** JSON `inst_type` (Counter/Meter and their Direct variants), or `null` when absent. */
  instType: "PACKETS" | "BYTES" | "PACKETS_AND_BYTES" | null;
  /** `tc_numel`: the `@tc_numel` constructor argument; 0 for Digest; the bound table's `tentries` for Direct externs. */
  numel: number;
  /** True for DirectCounter/DirectMeter instances (`tbl_bindable`). */
  tableBindable: boolean;
  /** Constructor arguments not annotated `@tc_numel`/`@tc_init_val` (`constructor param …`), in order. */
  constructorParams: ExternConstructorParamModel[];
  /** The `@tc_init_val` constructor argument (Register initial value) as P4 text, or `null`. Not printed. */
  initValue: string | null;
  /** Control-path fields (`control_path …`, JSON `params`), ids 1..n. */
  controlPath: ExternControlPathParamModel[];
}

/** One `constructor param NAME ptype T VALUE`. */
export interface ExternConstructorParamModel {
  /** Constructor parameter name (`type`). */
  name: string;
  /** Its P4TC type (`bit32` for enums such as PNA_CounterType_t). */
  type: P4tcType;
  /** The argument as a decimal number text (`0` = PACKETS, `1` = BYTES, `2` = PACKETS_AND_BYTES). */
  value: string;
}

/** One control-path field of an extern instance. */
export interface ExternControlPathParamModel {
  /** 1..n in field order (struct-typed fields expanded member by member). */
  id: number;
  /** Field (or expanded struct member) name. */
  name: string;
  /** `tc_key` (`@tc_key`), `param` (`@tc_data`) or `tc_data_scalar` (`@tc_data_scalar`). */
  attr: "tc_key" | "param" | "tc_data_scalar";
  /** `bitW`, the member's `@tc_type`, or `rate`. */
  type: ExternParamType;
  /** P4 width in bits (64 for `rate`). */
  bitwidth: number;
}

// ---------------------------------------------------------------------------
// Rule tables and helpers the mid-end can use (pure, tiny)
// ---------------------------------------------------------------------------

/** Permission values of the contract (§2.7), as printed. */
export const PERMISSIONS = {
  /** Normal table default, `CRUDPS:RX`. */
  table: "0x3da4",
  /** Add-on-miss table default, `CRUDPS:CRXP`. */
  addOnMissTable: "0x3de6",
  /** Extern type default, `RUPS:RUXP`. */
  extern: "0x19b6",
  /** Const entry / const default / `@default_hit_const`, `R:RX`. */
  constEntry: "0x1024",
} as const;

/** The default ACL strings behind `PERMISSIONS`. */
export const DEFAULT_ACL = {
  table: "CRUDPS:RX",
  addOnMissTable: "CRUDPS:CRXP",
  extern: "RUPS:RUXP",
} as const;

/** Fixed extern ids (§2.6); other extern types get `0x1`, `0x2`, … in first-use order. */
export const FIXED_EXTERN_IDS: Readonly<Record<string, string>> = {
  Digest: "0x05000000",
  Counter: "0x19000000",
  DirectCounter: "0x1A000000",
  Meter: "0x1B000000",
  DirectMeter: "0x1C000000",
};

const ACL_BITS: Readonly<Record<string, number>> = { C: 0x40, R: 0x20, U: 0x10, D: 0x08, X: 0x04, P: 0x02, S: 0x01 };

/**
 * Encodes an ACL string `CP:DP` (letters from CRUDXPS) as the 14-bit P4TC
 * permission word and prints it like the reference (`0x%x`). An empty side
 * (or a missing `:DP`) takes that side from `fallback`. Returns `null` when a
 * letter is outside CRUDXPS (the mid-end reports that as a user error).
 */
export function encodeAcl(acl: string, fallback: string = DEFAULT_ACL.table): string | null {
  const side = (s: string): number | null => {
    let v = 0;
    for (const ch of s) {
      const bit = ACL_BITS[ch];
      if (bit === undefined) return null;
      v |= bit;
    }
    return v;
  };
  const [cp = "", dp = ""] = acl.split(":", 2);
  const [fcp = "", fdp = ""] = fallback.split(":", 2);
  const c = side(cp === "" ? fcp : cp);
  const d = side(dp === "" ? fdp : dp);
  if (c === null || d === null) return null;
  return formatPermissions((c << 7) | d);
}

/** Prints a permission word as the reference does: lower-case hex, `0x` prefix, no padding. */
export function formatPermissions(word: number): string {
  return `0x${word.toString(16)}`;
}

/**
 * The kernel table type for a list of key match kinds (p4c `updateMatchType`):
 * one key: exact→exact, lpm→lpm, anything else→ternary. Several keys: any
 * ternary/range/optional/rangelist key, or more than one lpm key → ternary; all
 * exact → exact; exactly one lpm key that is the last key → lpm; one lpm key
 * that is not last → exact (a reference quirk, kept).
 */
/**
 * The key size in bits the kernel, iproute2 and the eBPF key struct agree on.
 * Each key field takes ceil(w/8) bytes in the eBPF key struct and in
 * iproute2's key blob, while the kernel sizes both from `keysz` as
 * ceil(keysz/8) bytes (contract §4.2): the sum of the widths works only when
 * both byte counts agree. Otherwise (e.g. 32+16+13+3 = 64 bits in 9 bytes) the
 * byte-padded size 8 * sum(ceil(w/8)) is used, so that lookups and entries fit.
 */
export function kernelKeySize(widths: readonly number[]): number {
  const bits = widths.reduce((s, w) => s + w, 0);
  const bytes = widths.reduce((s, w) => s + Math.ceil(w / 8), 0);
  return bytes === Math.ceil(bits / 8) ? bits : 8 * bytes;
}

export function tableMatchType(kinds: readonly P4MatchKind[]): TableMatchType {
  if (kinds.length === 1) return kinds[0] === "exact" ? "exact" : kinds[0] === "lpm" ? "lpm" : "ternary";
  let lpm = 0;
  for (const k of kinds) {
    if (k === "lpm") lpm++;
    else if (k !== "exact") return "ternary";
  }
  if (lpm > 1) return "ternary";
  if (lpm === 1 && kinds[kinds.length - 1] === "lpm") return "lpm";
  return "exact";
}

/** The P4TC type string of a `bit<W>` value without `@tc_type`. */
export function bitType(width: number): P4tcType {
  return `bit${width}`;
}

/** True when `s` is a `@tc_type` value the contract allows. */
export function isP4tcNamedType(s: string): s is P4tcNamedType {
  return (P4TC_NAMED_TYPES as readonly string[]).includes(s);
}

/**
 * An internal compiler error raised by a back end: the model breaks a rule
 * the mid-end should have enforced (and reported as a located user error).
 */
export class CodegenError extends Error {
  constructor(message: string) {
    super(`internal error in code generation: ${message}`);
    this.name = "CodegenError";
  }
}

// ---------------------------------------------------------------------------
// Control-plane names
// ---------------------------------------------------------------------------

/**
 * The action of table `t` that a control-plane name (an STF test's, with `.`
 * or `/`) refers to: its kernel name (`C/i1.set`, `C.i1.set`), its name in
 * its control (`i1.set`), or its name in the table's own control instance
 * (`set` for table `C/i1.tb`, `C.set` for `C/tb`). Only the table's own
 * actions are candidates: a control instantiated twice has one action per
 * instance, and each table resolves a name to its own. Undefined when none.
 */
export function tableActionNamed(m: PipelineModel, t: TableModel, name: string): ActionModel | undefined {
  const norm = (n: string): string => n.replace(/\//g, ".");
  const want = norm(name);
  const instance = norm(t.name).replace(/[^.]*$/, "");
  return m.actions.find((x) => t.actions.some((r) => r.action === x.name) && (norm(x.name) === want || norm(x.localName) === want || norm(x.name) === `${instance}${want}`));
}

// ---------------------------------------------------------------------------
// Names that reach the shell
// ---------------------------------------------------------------------------

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
const SHELL_SAFE_NAME = new RegExp(`^${IDENT}(?:[/.]${IDENT})*$`);
const SHELL_SAFE_PIPELINE = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/**
 * True when `name` may be printed unquoted in the template script: P4
 * identifiers joined with `/` or `.` (`MainControlImpl/next_hop`,
 * `hdr.ipv4.srcAddr`, `ingress.global_counter`). Anything else (spaces,
 * brackets, quotes, `$`, empty parts) is refused.
 */
export function isShellSafeName(name: string): boolean {
  return SHELL_SAFE_NAME.test(name);
}

/**
 * True when a pipeline name (a file stem) may be printed unquoted: letters,
 * digits, `_` and `-` (not first), under 32 bytes. File stems are not P4
 * identifiers, so `-` is allowed here (it is inert in an unquoted shell word).
 */
export function isShellSafePipelineName(name: string): boolean {
  return SHELL_SAFE_PIPELINE.test(name) && Buffer.byteLength(name) < 32;
}

// ---------------------------------------------------------------------------
// Validation (for tests and for the mid-end's own assertions)
// ---------------------------------------------------------------------------

/**
 * Checks a model's internal consistency and returns the problems found
 * (empty when valid): ids run 1..n, references resolve, sizes add up, names
 * are shell-safe, default actions are in the action list and not TableOnly
 * (a kernel rule), const entries have one value per key and one argument per
 * parameter.
 */
export function validateModel(m: PipelineModel): string[] {
  const errs: string[] = [];
  const err = (where: string, what: string): void => void errs.push(`${where}: ${what}`);
  const ids = (where: string, list: readonly { id: number }[]): void => {
    list.forEach((x, i) => {
      if (x.id !== i + 1) err(where, `id ${x.id} at position ${i + 1} (ids must run 1..n)`);
    });
  };
  const typeOk = (where: string, type: string, width: number): void => {
    const bit = /^bit([1-9][0-9]*)$/.exec(type);
    if (bit) {
      if (Number(bit[1]) !== width) err(where, `type ${type} but bitwidth ${width}`);
    } else if (type === "rate") {
      if (width !== 64) err(where, `type rate but bitwidth ${width}`);
    } else if (isP4tcNamedType(type)) {
      if (P4TC_NAMED_TYPE_WIDTH[type] !== width) err(where, `type ${type} but bitwidth ${width}`);
    } else err(where, `unknown P4TC type ${JSON.stringify(type)}`);
  };
  const perm = (where: string, p: string): void => {
    if (!/^0x[0-9a-f]+$/.test(p)) err(where, `bad permissions ${JSON.stringify(p)}`);
  };
  const safe = (where: string, n: string): void => {
    if (!isShellSafeName(n)) err(where, `name ${JSON.stringify(n)} is not shell-safe`);
  };

  if (!isShellSafePipelineName(m.pipelineName)) err("pipeline", `bad pipeline name ${JSON.stringify(m.pipelineName)}`);
  if (m.numTables !== m.tables.length) err("pipeline", `numTables ${m.numTables} but ${m.tables.length} tables`);

  ids("actions", m.actions);
  const actions = new Map<string, ActionModel>();
  for (const a of m.actions) {
    const w = `action ${a.name}`;
    if (actions.has(a.name)) err(w, "duplicate action name");
    actions.set(a.name, a);
    safe(w, a.name);
    if (a.name === NO_ACTION) err(w, "NoAction must not be listed");
    const expected = a.controlName === null ? a.localName : `${a.controlName}/${a.localName}`;
    if (a.name !== expected) err(w, `name is not controlName/localName (${expected})`);
    ids(`${w} params`, a.params);
    for (const p of a.params) {
      safe(`${w} param`, p.name);
      typeOk(`${w} param ${p.name}`, p.type, p.bitwidth);
    }
  }

  const instances = new Map<string, ExternInstanceModel>();
  for (const e of m.externs) {
    const w = `extern ${e.name}`;
    safe(w, e.name);
    perm(w, e.permissions);
    if (!/^0x[0-9A-Fa-f]+$/.test(e.id)) err(w, `bad extern id ${JSON.stringify(e.id)}`);
    if (e.instances.length === 0) err(w, "no instances");
    ids(`${w} instances`, e.instances);
    for (const i of e.instances) {
      const wi = `${w} instance ${i.name}`;
      safe(wi, i.name);
      instances.set(`${e.name}/${i.name}`, i);
      if (!Number.isInteger(i.numel) || i.numel < 0) err(wi, `bad numel ${i.numel}`);
      ids(`${wi} control path`, i.controlPath);
      if (i.controlPath.length === 0) err(wi, "empty control path");
      for (const p of i.controlPath) {
        safe(`${wi} control path`, p.name);
        typeOk(`${wi} ${p.name}`, p.type, p.bitwidth);
      }
      for (const c of i.constructorParams) {
        safe(`${wi} constructor`, c.name);
        if (!/^[0-9]+$/.test(c.value)) err(wi, `constructor value ${JSON.stringify(c.value)} is not a decimal number`);
      }
    }
  }

  ids("tables", m.tables);
  for (const t of m.tables) {
    const w = `table ${t.name}`;
    safe(w, t.name);
    if (!t.name.startsWith(`${t.controlName}/`) || t.name.split("/").length !== 2) err(w, "name is not controlName/TBL");
    perm(w, t.permissions);
    perm(w, t.jsonPermissions);
    if (t.keys.length === 0) err(w, "no key fields (the kernel needs keysz >= 1)");
    ids(`${w} keys`, t.keys);
    let sum = 0;
    for (const k of t.keys) {
      sum += k.bitwidth;
      typeOk(`${w} key ${k.name}`, k.type, k.bitwidth);
      // Key names reach the shell only in const entry lines.
      if (t.constEntries.length > 0) safe(`${w} key`, k.name);
    }
    if (kernelKeySize(t.keys.map((k) => k.bitwidth)) !== t.keySize) err(w, `keySize ${t.keySize} but key widths add up to ${sum}`);
    if (t.keys.length > 0 && tableMatchType(t.keys.map((k) => k.matchKind)) !== t.matchType)
      err(w, `matchType ${t.matchType} does not follow from the key match kinds`);
    if (t.numMasks !== (t.matchType === "exact" ? 1 : 8)) err(w, `numMasks ${t.numMasks} (template prints 1 for exact, 8 otherwise)`);
    if (t.actions.length === 0) err(w, "empty action list (the frontend adds @defaultonly NoAction)");
    const refs = new Map<string, TableActionModel>();
    for (const r of t.actions) {
      if (refs.has(r.action)) err(w, `action ${r.action} listed twice`);
      refs.set(r.action, r);
      if (r.action !== NO_ACTION && !actions.has(r.action)) err(w, `unknown action ${r.action}`);
    }
    for (const [kind, d] of [
      ["default hit", t.defaultHitAction],
      ["default miss", t.defaultMissAction],
    ] as const) {
      if (d === null) continue;
      const wd = `${w} ${kind} action`;
      const ref = refs.get(d.action);
      if (!ref) err(wd, `${d.action} is not in the table's action list`);
      else if (ref.scope === "TableOnly") err(wd, `${d.action} is TableOnly`);
      if (d.permissions !== null) perm(wd, d.permissions);
      const a = actions.get(d.action);
      for (const p of d.params) {
        if (a && !a.params.some((q) => q.name === p.name)) err(wd, `unknown param ${p.name}`);
        if ((p.text === null) !== (p.value === null)) err(wd, `param ${p.name}: text and value must both be null or both set`);
        if (!p.runtime && p.text === null) err(wd, `param ${p.name}: a non-runtime param needs a value`);
        if (p.runtime !== d.mayOverride) err(wd, `param ${p.name}: runtime must equal mayOverride`);
      }
      if (a && d.params.length > 0 && d.params.length !== a.params.length) err(wd, "params must be all or none of the action's params");
    }
    const ctrlOk = t.directCounter === null || instances.get(`${t.directCounter.externName}/${t.directCounter.instanceName}`)?.tableBindable;
    if (!ctrlOk) err(w, "directCounter does not name a table-bindable extern instance");
    const meterOk = t.directMeter === null || instances.get(`${t.directMeter.externName}/${t.directMeter.instanceName}`)?.tableBindable;
    if (!meterOk) err(w, "directMeter does not name a table-bindable extern instance");
    for (const ref of [t.directCounter, t.directMeter]) {
      const inst = ref && instances.get(`${ref.externName}/${ref.instanceName}`);
      if (inst && inst.numel !== t.tentries) err(w, `direct extern ${ref!.instanceName} has numel ${inst.numel}, table tentries ${t.tentries}`);
    }
    t.constEntries.forEach((e, i) => {
      const we = `${w} const entry ${i + 1}`;
      if (e.keys.length !== t.keys.length) err(we, `${e.keys.length} key values for ${t.keys.length} keys`);
      perm(we, e.permissions);
      const a = actions.get(e.action);
      if (!a) err(we, `unknown action ${e.action}`);
      else if (refs.get(e.action)?.scope === "DefaultOnly") err(we, `${e.action} is DefaultOnly`);
      else if (!refs.has(e.action)) err(we, `${e.action} is not in the table's action list`);
      if (a && (e.args.length !== a.params.length || e.args.some((x, j) => x.name !== a.params[j]!.name)))
        err(we, "args must match the action's params in order");
    });
  }
  return errs;
}

/** Throws an Error listing the problems when `validateModel` finds any. */
export function assertValidModel(m: PipelineModel): void {
  const errs = validateModel(m);
  if (errs.length > 0) throw new Error(`invalid pipeline model:\n  ${errs.join("\n  ")}`);
}
