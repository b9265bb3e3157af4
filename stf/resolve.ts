/**
 * STF statements → target operations: every table, action, key field,
 * parameter, counter and meter name resolved against the pipeline model,
 * and every value checked against its width, before anything runs. A name
 * the program does not have is a located error here, so no target ever
 * sees one (targets/target.ts, "Conventions").
 */
import { NO_ACTION, tableActionNamed, type ActionModel, type PipelineModel, type TableModel } from "../compiler/ir/pipeline.js";
import type { ActionArg, KeyMatch, TargetOp } from "../targets/target.js";
import { MAX_PORT, StfError, type StfStatement, type StfValue } from "./parse.js";

type Expect = Extract<StfStatement, { k: "expect" }>;
type CounterCheck = Extract<StfStatement, { k: "check_counter" }>;

/** One operation and the STF line it came from; `check` when its result is checked against a `check_counter`. */
export interface PlannedOp {
  readonly line: number;
  readonly op: TargetOp;
  readonly check?: CounterCheck;
}

export interface StfPlan {
  readonly ops: readonly PlannedOp[];
  readonly expects: readonly Expect[];
  /** Located notes (statements p4ts does not check). */
  readonly notes: readonly { line: number; text: string }[];
  /** Located errors; when any, nothing runs. */
  readonly errors: readonly StfError[];
}

const norm = (n: string): string => n.replace(/\//g, ".");
const list = (names: readonly string[]): string => (names.length > 0 ? names.join(", ") : "none");

function widthMask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

/** The table `name` (`ctrl.tbl`, `ctrl/tbl`, or `tbl` when only one table has that name). */
export function resolveTable(m: PipelineModel, name: string, line: number): TableModel {
  const full = m.tables.filter((t) => norm(t.name) === norm(name));
  const local = full.length > 0 ? full : m.tables.filter((t) => norm(t.name).endsWith(`.${norm(name)}`));
  if (local.length === 1) return local[0]!;
  if (local.length > 1) throw new StfError(line, `table name ${name} is ambiguous: ${local.map((t) => norm(t.name)).join(", ")}`);
  throw new StfError(line, `no table ${name} (tables: ${list(m.tables.map((t) => norm(t.name)))})`);
}

/** The action `name` of table `t`: its full name, its name in its control or in the table's instance (tableActionNamed), or `NoAction`. */
export function resolveAction(m: PipelineModel, t: TableModel, name: string, line: number): ActionModel | typeof NO_ACTION {
  const want = norm(name);
  if ((want === NO_ACTION || want === `_${NO_ACTION}`) && t.actions.some((r) => r.action === NO_ACTION)) return NO_ACTION;
  const a = tableActionNamed(m, t, name);
  if (!a) throw new StfError(line, `table ${norm(t.name)} has no action ${name} (actions: ${list(t.actions.map((r) => norm(r.action)))})`);
  return a;
}

/** Does the STF key name `given` name the key field `field` (`hdr.ipv4.dstAddr` as `dstAddr`, `ipv4.dstAddr` or in full)? */
function namesKey(given: string, field: string): boolean {
  return given === field || field.endsWith(`.${given}`) || given.endsWith(`.${field}`);
}

function keysOf(t: TableModel, given: readonly { name: string; v: StfValue }[], line: number): KeyMatch[] {
  const unknown = given.find((g) => !t.keys.some((k) => namesKey(g.name, k.name)));
  if (unknown) throw new StfError(line, `table ${norm(t.name)} has no key field ${unknown.name} (key fields: ${list(t.keys.map((k) => k.name))})`);
  return t.keys.map((k, i) => {
    const matches = given.filter((g) => namesKey(g.name, k.name)).map((g) => ({ g }));
    // A field that is several keys of the table (`f : range; f : range;`) is given once per key, in their order.
    const same = t.keys.filter((o) => o.name === k.name).length;
    if (matches.length === 0) throw new StfError(line, `no value for key field ${k.name} of table ${norm(t.name)}`);
    if (matches.length > 1 && matches.length !== same) throw new StfError(line, `key field ${k.name} of table ${norm(t.name)} is given ${matches.length} times`);
    const { g } = matches[matches.length > 1 ? t.keys.slice(0, i).filter((o) => o.name === k.name).length : 0]!;
    const all = widthMask(k.bitwidth);
    if (g.v.value < 0n || (k.type !== "dev" && g.v.value > all)) throw new StfError(line, `value ${g.v.value} of key field ${k.name} does not fit in ${k.bitwidth} bits`);
    if (k.type === "dev") checkPort(g.v.value, line, `key field ${k.name}`);
    if (g.v.prefix !== undefined && (g.v.prefix < 0 || g.v.prefix > k.bitwidth)) throw new StfError(line, `prefix /${g.v.prefix} of key field ${k.name} is out of 0..${k.bitwidth}`);
    if (g.v.mask !== undefined && g.v.mask > all) throw new StfError(line, `mask 0x${g.v.mask.toString(16)} of key field ${k.name} does not fit in ${k.bitwidth} bits`);
    if (k.matchKind === "exact" && ((g.v.mask !== undefined && g.v.mask !== all) || (g.v.prefix !== undefined && g.v.prefix !== k.bitwidth))) {
      throw new StfError(line, `key field ${k.name} of table ${norm(t.name)} is exact: its value cannot have a mask or a prefix`);
    }
    return { name: k.name, value: g.v.value, ...(g.v.mask !== undefined ? { mask: g.v.mask } : {}), ...(g.v.prefix !== undefined ? { prefixLen: g.v.prefix } : {}) };
  });
}

function argsOf(a: ActionModel | typeof NO_ACTION, given: readonly { name: string; v: StfValue }[], line: number): ActionArg[] {
  const params = a === NO_ACTION ? [] : a.params;
  const actionName = a === NO_ACTION ? NO_ACTION : norm(a.name);
  for (const g of given) {
    if (!params.some((p) => p.name === g.name)) throw new StfError(line, `action ${actionName} has no parameter ${g.name} (parameters: ${list(params.map((p) => p.name))})`);
    if (given.filter((x) => x.name === g.name).length > 1) throw new StfError(line, `parameter ${g.name} of action ${actionName} is given more than once`);
    if (g.v.mask !== undefined || g.v.prefix !== undefined) throw new StfError(line, `parameter ${g.name} of action ${actionName} takes a plain value`);
  }
  return params.map((p) => {
    const g = given.find((x) => x.name === p.name);
    if (!g) throw new StfError(line, `no value for parameter ${p.name} of action ${actionName}`);
    if (p.type === "dev") checkPort(g.v.value, line, `parameter ${p.name}`);
    else if (g.v.value < 0n || g.v.value > widthMask(p.bitwidth)) throw new StfError(line, `value ${g.v.value} of parameter ${p.name} does not fit in ${p.bitwidth} bits`);
    return { name: p.name, value: g.v.value };
  });
}

function checkPort(v: bigint, line: number, what: string): void {
  if (v < 0n || v > BigInt(MAX_PORT)) throw new StfError(line, `${what}: port ${v} is out of 0..${MAX_PORT}`);
}

/** The instance of extern `type` called `name` (`Ctrl.inst`, or `inst` when unique), with `index` in its range. */
function resolveInstance(m: PipelineModel, type: string, name: string, index: number, line: number): string {
  const insts = m.externs.find((e) => e.name === type)?.instances ?? [];
  const exact = insts.filter((i) => i.name === name);
  const found = exact.length > 0 ? exact : insts.filter((i) => i.name.endsWith(`.${name}`));
  if (found.length === 1) {
    const inst = found[0]!;
    if (inst.numel > 0 && index >= inst.numel) throw new StfError(line, `index ${index} is out of range for ${type} ${inst.name} (${inst.numel} elements)`);
    return inst.name;
  }
  if (found.length > 1) throw new StfError(line, `${type} name ${name} is ambiguous: ${found.map((i) => i.name).join(", ")}`);
  throw new StfError(line, `no ${type} instance ${name} (instances: ${list(insts.map((i) => i.name))})`);
}

function resolveOne(m: PipelineModel, st: StfStatement): PlannedOp | null {
  switch (st.k) {
    case "add": {
      const t = resolveTable(m, st.table, st.line);
      const a = resolveAction(m, t, st.action, st.line);
      const op: TargetOp = { op: "add", table: t.name, keys: keysOf(t, st.keys, st.line), action: a === NO_ACTION ? NO_ACTION : a.name, args: argsOf(a, st.args, st.line), ...(st.prio !== null ? { priority: st.prio } : {}) };
      return { line: st.line, op };
    }
    case "setdefault": {
      const t = resolveTable(m, st.table, st.line);
      const a = resolveAction(m, t, st.action, st.line);
      return { line: st.line, op: { op: "setDefault", table: t.name, action: a === NO_ACTION ? NO_ACTION : a.name, args: argsOf(a, st.args, st.line) } };
    }
    case "remove": {
      if (st.table === null) return { line: st.line, op: { op: "removeAll" } };
      const t = resolveTable(m, st.table, st.line);
      return { line: st.line, op: { op: "remove", table: t.name, keys: keysOf(t, st.keys, st.line) } };
    }
    case "packet":
      return { line: st.line, op: { op: "packet", port: st.port, data: st.data } };
    case "check_counter":
      return { line: st.line, op: { op: "readCounter", counter: resolveInstance(m, "Counter", st.counter, st.index, st.line), index: st.index }, check: st };
    case "meter_config":
      return { line: st.line, op: { op: "configureMeter", meter: resolveInstance(m, "Meter", st.meter, st.index, st.line), index: st.index, cir: st.cir, cbs: st.cbs, pir: st.pir, pbs: st.pbs } };
    default:
      return null;
  }
}

/** Resolves every statement; collects every error rather than stopping at the first. */
export function planStf(m: PipelineModel, statements: readonly StfStatement[]): StfPlan {
  const ops: PlannedOp[] = [];
  const expects: Expect[] = [];
  const notes: { line: number; text: string }[] = [];
  const errors: StfError[] = [];
  for (const st of statements) {
    if (st.k === "expect") expects.push(st);
    else if (st.k === "ignored") notes.push({ line: st.line, text: `'${st.what}' is not checked by p4ts stf` });
    else {
      try {
        const p = resolveOne(m, st);
        if (p) ops.push(p);
      } catch (e) {
        if (e instanceof StfError) errors.push(e);
        else throw e;
      }
    }
  }
  return { ops, expects, notes, errors };
}
