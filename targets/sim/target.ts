/**
 * The interpreter as a Target (targets/target.ts): every operation of a
 * test runs in process on a fresh Interpreter, with no kernel, clang or
 * root. Control-plane names (tables, actions, key fields, counters) are
 * resolved as the other targets resolve them, against the pipeline model's
 * kernel names, and then mapped to the program's declarations. Ports
 * follow the emulation's convention: STF port N is ifindex N+1, which is
 * what `istd.input_port` reads and what `dev` values become.
 */
import type * as A from "../../compiler/ast/nodes.js";
import { tableActionNamed, type ActionModel, type PipelineModel, type TableModel } from "../../compiler/ir/pipeline.js";
import { TargetError, type TargetOptions, type CompiledProgram, type KeyMatch, type OpResult, type RunOptions, type Target, type TargetOp, type ActionArg } from "../target.js";
import { Interpreter, SimError } from "../../sim/interp.js";
import type { TableState, KeyMatchValue } from "../../sim/tables.js";
import { coerce, zero, bits, type V } from "../../sim/values.js";

class OpError extends Error {}

export interface SimTargetOptions extends TargetOptions {
  /** Seed of the Random extern. */
  readonly seed?: number;
}

export class SimTarget implements Target {
  readonly name = "sim";
  constructor(private readonly options: SimTargetOptions = {}) {}

  unavailable(): string | null {
    return null;
  }

  async run(program: CompiledProgram, ops: readonly TargetOp[], options?: RunOptions): Promise<OpResult[]> {
    if (!program.ast || !program.checked) throw new TargetError("the sim target needs the checked program (compile() without stopAfter)");
    let interp: Interpreter;
    try {
      interp = new Interpreter({ ast: program.ast, checked: program.checked }, { seed: this.options.seed });
    } catch (e) {
      if (e instanceof SimError) throw new TargetError(`sim: ${e.message}`);
      throw e;
    }
    const cp = new SimControlPlane(program.pipeline, interp, this.options.ports);
    const out: OpResult[] = [];
    for (const op of ops) {
      if (options?.signal?.aborted) throw new TargetError("aborted");
      try {
        out.push(cp.apply(op));
      } catch (e) {
        if (e instanceof OpError) out.push({ ok: false, error: e.message });
        else if (e instanceof SimError) throw new TargetError(`sim: ${e.message}`);
        else throw e;
      }
    }
    return out;
  }
}


/**
 * Table entries, defaults, counters and meters of one interpreter, addressed
 * by kernel names. A kernel name is the interpreter's instance path with `/`
 * for the first `.` (table `C/i1.tb` is `C.i1.tb`, Counter `C.i1.cnt` is
 * `C.i1.cnt`): each instance of a control has its own tables and externs.
 */
export class SimControlPlane {
  /** STF port → ifindex (default N+1), and back. */
  private readonly ifindexOf: (port: number) => number;
  private readonly portOf: (ifindex: number) => number;

  constructor(readonly model: PipelineModel, readonly interp: Interpreter, ports?: ReadonlyMap<number, number>) {
    this.ifindexOf = (p) => ports?.get(p) ?? p + 1;
    this.portOf = (i) => {
      for (const [p, x] of ports ?? []) if (x === i) return p;
      return i - 1;
    };
  }

  apply(op: TargetOp): OpResult {
    switch (op.op) {
      case "packet": {
        const r = this.interp.runPacket(op.data, this.ifindexOf(op.port));
        if (r.verdict === "tx") return { ok: true, packet: { outputs: [{ port: this.portOf(r.port), data: r.data }] } };
        return { ok: true, packet: { outputs: [], note: r.verdict } };
      }
      case "add": {
        const { t, st } = this.table(op.table);
        const a = this.action(t, st, op.action);
        const keys = this.keys(t, op.keys);
        st.add({ keys, action: a.decl, args: this.args(a.model, a.decl, op.args), prio: op.priority ?? null });
        return { ok: true };
      }
      case "remove": {
        const { t, st } = this.table(op.table);
        if (!st.remove(this.keys(t, op.keys))) throw new OpError(`table ${t.name} has no such entry`);
        return { ok: true };
      }
      case "setDefault": {
        const { t, st } = this.table(op.table);
        const a = this.action(t, st, op.action);
        st.defaultAction = { action: a.decl, args: this.args(a.model, a.decl, op.args), ref: null };
        return { ok: true };
      }
      case "readCounter": {
        const c = this.extern("Counter", op.counter);
        const v = c.counters.get(op.index) ?? { packets: 0n, bytes: 0n };
        return { ok: true, counter: v };
      }
      case "removeAll":
        return { ok: false, error: "'remove all' is not supported by the interpreter yet" };
      case "configureMeter": {
        this.extern("Meter", op.meter).configureMeter(op.index, { cir: op.cir, cbs: op.cbs, pir: op.pir, pbs: op.pbs });
        return { ok: true };
      }
    }
  }

  private extern(kind: string, name: string) {
    // The instance's kernel name (`C.i1.cnt`), or the end of exactly one (`i1.cnt`, `cnt`).
    const all = this.interp.externs.filter((e) => e.kind === kind);
    const exact = all.filter((x) => x.path === name);
    const found = exact.length > 0 ? exact : all.filter((x) => x.path.endsWith(`.${name}`));
    if (found.length > 1) throw new OpError(`${kind} name ${name} is ambiguous: ${found.map((x) => x.path).join(", ")}`);
    if (!found[0]) throw new OpError(`no ${kind} instance ${name}${all.length ? ` (instances: ${all.map((x) => x.path).join(", ")})` : ""}`);
    return found[0];
  }

  /** The interpreter's table with this kernel name, or null. */
  tableState(name: string): TableState | null {
    try {
      return this.table(name).st;
    } catch (e) {
      if (e instanceof OpError) return null;
      throw e;
    }
  }

  /** The table a test names (`Ctrl.tbl`, `Ctrl/tbl` or `tbl`) in the model, and its state in the interpreter. */
  private table(name: string): { t: TableModel; st: TableState } {
    const norm = (n: string): string => n.replace(/\//g, ".");
    const want = norm(name);
    const t = this.model.tables.find((x) => norm(x.name) === want || norm(x.name).endsWith(`.${want}`));
    if (!t) throw new OpError(`no table ${name} (tables: ${this.model.tables.map((x) => x.name).join(", ")})`);
    const st = this.interp.tableState(norm(t.name));
    if (!st) throw new OpError(`table ${t.name} is not in the program (tables: ${this.interp.tables.map((x) => x.path).join(", ")})`);
    return { t, st };
  }

  private action(t: TableModel, st: TableState, name: string): { model: ActionModel | null; decl: A.ActionDeclaration } {
    const want = name.replace(/^_NoAction$/, "NoAction").replace(/\//g, ".");
    const m = tableActionNamed(this.model, t, want);
    // The declaration: the action's name in the table's control instance (`set` for `C/i1.set` of table `C/i1.tb`), its last part if it is not in that control (a global one).
    const instance = t.name.slice(t.name.indexOf("/") + 1).replace(/[^.]*$/, "");
    const local = m ? (m.localName.startsWith(instance) ? m.localName.slice(instance.length) : m.localName.split(/[./]/).pop()!) : want;
    const decl = this.interp.actionByName(st, local) ?? undefined;
    if (!decl) throw new OpError(`action ${name} is not an action of table ${t.name}`);
    return { model: m ?? null, decl };
  }

  private keys(t: TableModel, keys: readonly KeyMatch[]): KeyMatchValue[] {
    const named = (k: { name: string }, x: KeyMatch): boolean => x.name === k.name || x.name.endsWith(`.${k.name}`) || k.name.endsWith(`.${x.name}`);
    return t.keys.map((k, i) => {
      // A table may have the same field as two keys (`f : range; f : range;`): the n-th key of a name takes the n-th value given for it.
      const nth = t.keys.slice(0, i).filter((o) => o.name === k.name).length;
      const given = keys.filter((x) => named(k, x))[nth] ?? keys[i];
      if (!given) throw new OpError(`no value for key ${k.name} of ${t.name}`);
      const w = k.bitwidth;
      const all = (1n << BigInt(w)) - 1n;
      const value = k.type === "dev" ? BigInt(this.ifindexOf(Number(given.value))) : given.value;
      if (value > all) throw new OpError(`value 0x${value.toString(16)} of ${k.name} does not fit in ${w} bits`);
      let mask = all;
      if (given.mask !== undefined) mask = given.mask & all;
      else if (given.prefixLen !== undefined) {
        if (given.prefixLen < 0 || given.prefixLen > w) throw new OpError(`prefix /${given.prefixLen} of ${k.name} is out of 0..${w}`);
        mask = given.prefixLen === 0 ? 0n : (all >> BigInt(w - given.prefixLen)) << BigInt(w - given.prefixLen);
      }
      if (t.matchType === "exact" && mask !== all) throw new OpError(`table ${t.name} is exact: an entry cannot have a mask`);
      return { value: value & mask, mask };
    });
  }

  private args(m: ActionModel | null, decl: A.ActionDeclaration, args: readonly ActionArg[]): V[] {
    const cp = decl.params.filter((p) => p.direction === null);
    return cp.map((p, i) => {
      const given = args.find((x) => x.name === p.name.text) ?? args[i];
      if (!given) throw new OpError(`${decl.name.text}: no value for parameter ${p.name.text}`);
      const pm = m?.params.find((x) => x.name === p.name.text);
      const t = this.interp.paramType(p);
      const v = pm?.type === "dev" ? BigInt(this.ifindexOf(Number(given.value))) : given.value;
      if (pm && v >= 1n << BigInt(pm.bitwidth)) throw new OpError(`value 0x${v.toString(16)} of ${decl.name.text}.${p.name.text} does not fit in ${pm.bitwidth} bits`);
      return t ? coerce({ t: "int", v }, t) : bits(32, v);
    });
  }
}

export { zero };
