/**
 * The P4-16 interpreter of PNA programs: runs the main parser, the main
 * control and the main deparser of a checked program on one packet, from
 * the AST and the front end's side tables (types, resolved names,
 * constants). It shares no code with the mid-end or the code generators:
 * it is the oracle the generated eBPF is tested against.
 *
 * Semantics are the P4-16 specification's (copy-in/copy-out calls, exact
 * arithmetic wrapped to each type's width, header validity); where the
 * specification leaves a choice to the target, the interpreter does what
 * the generated eBPF does on P4TC: sim/README.md lists each choice.
 */
import type * as A from "../compiler/ast/nodes.js";
import type { CheckedProgram, Type, Binding } from "../compiler/frontend/index.js";
import { printExpression } from "../compiler/ast/print.js";
import { V, HeaderV, StackV, StructV, bits, bool, zero, clone, num, equal, coerce, base, SimError, TRUE, FALSE, VOID, pushBits, bitsToBytes, widthOf } from "./values.js";
import { ExternState, makeExtern, type SimContext } from "./externs.js";
import { TableState, type TableEntry } from "./tables.js";

export { SimError } from "./values.js";

export interface SimProgram {
  readonly ast: A.Program;
  readonly checked: CheckedProgram;
}

export interface SimOptions {
  /** Seed of the Random extern's generator. */
  readonly seed?: number;
  /** Test generation: called at each table apply with the key values. */
  readonly onTableKey?: (table: A.TableDeclaration, key: readonly bigint[]) => void;
  /**
   * Test generation: at each `select`, picks the case to take (an index into
   * the cases); the interpreter then rewrites the packet's bits that the
   * selector values were extracted from so that this case matches.
   */
  readonly steer?: (cases: number) => number;
}

/** What one packet did. */
export interface SimOutcome {
  /** "tx": sent to `port`; "drop": dropped (drop_packet, a parser reject without error); "pass": to the host stack (no port chosen). */
  readonly verdict: "tx" | "drop" | "pass";
  /** The egress port (the value main set with send_to_port), 0 unless "tx". */
  readonly port: number;
  /** The packet after the deparser (also for "pass"); empty for "drop". */
  readonly data: Buffer;
  /** The parser error the control saw. */
  readonly parserError: string;
}

class Cell {
  constructor(public v: V) {}
}

class Env {
  private readonly vars = new Map<Binding, Cell>();
  constructor(readonly parent: Env | null) {}
  get(b: Binding): Cell | undefined {
    for (let e: Env | null = this; e; e = e.parent) {
      const c = e.vars.get(b);
      if (c) return c;
    }
    return undefined;
  }
  set(b: Binding, v: V): Cell {
    const c = new Cell(v);
    this.vars.set(b, c);
    return c;
  }
}

/** A parser or control instance: its persistent objects (externs, sub-blocks) and its declaration. */
export interface BlockInstance {
  readonly decl: A.ParserDeclaration | A.ControlDeclaration;
  readonly objects: Map<Binding, V>;
  readonly ctorArgs: Map<Binding, V>;
}

class ExitSignal {}
class ReturnSignal {
  constructor(readonly value: V) {}
}
/** A parser that ends in reject (with the error to report, NoError for a plain `transition reject`). */
class RejectSignal {
  constructor(readonly error: string) {}
}
class AcceptSignal {}

interface Lval {
  get(): V;
  set(v: V): void;
}

interface PacketIn {
  readonly data: Buffer;
  offBits: number;
}

/** Per-packet state. */
interface PacketState {
  pin: PacketIn | null;
  out: number[] | null;
  dropped: boolean;
  egressPort: bigint;
  parserError: string;
  /** The table whose action runs (for add_entry and direct externs) and its key. */
  table: { state: TableState; key: bigint[] } | null;
  inputLength: number;
}

export class Interpreter implements SimContext {
  readonly tables = new Map<A.TableDeclaration, TableState>();
  readonly externs = new Map<Binding, ExternState>();
  readonly digests: { name: string; data: V }[] = [];
  private readonly types: ReadonlyMap<A.Node, Type>;
  private readonly refs: ReadonlyMap<A.Node, Binding>;
  private readonly consts: CheckedProgram["constants"];
  private readonly declTypes: ReadonlyMap<Binding, Type>;
  private readonly globals = new Env(null);
  private rngState: number;
  private pkt!: PacketState;
  private main!: { parser: BlockInstance; control: BlockInstance; deparser: BlockInstance };

  constructor(readonly program: SimProgram, private readonly opts: SimOptions = {}) {
    this.types = program.checked.types;
    this.refs = program.checked.refs;
    this.consts = program.checked.constants;
    this.declTypes = program.checked.declTypes;
    this.rngState = (opts.seed ?? 1) >>> 0 || 1;
    this.setup();
  }

  // -------------------------------------------------------------------------
  // Program structure

  private setup(): void {
    for (const d of this.program.ast.declarations) {
      if (d.kind === "ConstantDeclaration") this.globals.set(d, this.evalConstDecl(d));
    }
    const mainDecl = this.program.ast.declarations.find((d): d is A.Instantiation => d.kind === "Instantiation" && d.name.text === "main");
    if (!mainDecl) throw new SimError("the program has no `main` package instance");
    const blocks = mainDecl.args.map((a) => this.instantiateArg(a.value));
    const [parser, control, deparser] = blocks;
    if (!parser || !control || !deparser) throw new SimError("main: expected the PNA_NIC package (parser, control, deparser)");
    this.main = { parser, control, deparser };
  }

  private evalConstDecl(d: A.ConstantDeclaration): V {
    const t = this.declTypes.get(d);
    const c = this.consts.get(d);
    if (c !== undefined && t) return this.fromConst(c, t);
    return t ? coerce(this.eval(d.value, this.globals), t) : this.eval(d.value, this.globals);
  }

  private instantiateArg(e: A.Expression): BlockInstance {
    if (e.kind === "ConstructorCallExpression") {
      const decl = this.refs.get(e.type.kind === "TypeName" ? e.type : e.type.base) ?? this.refs.get(e);
      const d = decl && "kind" in decl ? decl : undefined;
      if (d && (d.kind === "ParserDeclaration" || d.kind === "ControlDeclaration")) return this.instantiateBlock(d, e.args);
      throw new SimError(`cannot instantiate ${printExpression(e)}`);
    }
    if (e.kind === "PathExpression") {
      const b = this.refs.get(e);
      if (b && b.kind === "Instantiation") {
        const v = this.globalObject(b);
        if (v.t === "obj" && isBlock(v.o)) return v.o;
      }
    }
    throw new SimError(`unsupported package argument ${printExpression(e)}`);
  }

  private readonly globalObjects = new Map<Binding, V>();
  private globalObject(d: A.Instantiation): V {
    let v = this.globalObjects.get(d);
    if (!v) {
      v = this.instantiate(d, this.globals);
      this.globalObjects.set(d, v);
    }
    return v;
  }

  private instantiateBlock(decl: A.ParserDeclaration | A.ControlDeclaration, args: readonly A.Argument[], env: Env = this.globals): BlockInstance {
    const inst: BlockInstance = { decl, objects: new Map(), ctorArgs: new Map() };
    (decl.constructorParams ?? []).forEach((p, i) => {
      const a = args.find((x) => x.name?.text === p.name.text) ?? args[i];
      const t = this.declTypes.get(p);
      const v = a ? this.eval(a.value, env) : p.defaultValue ? this.eval(p.defaultValue, env) : t ? zero(t) : VOID;
      inst.ctorArgs.set(p, t ? coerce(v, t) : v);
    });
    const cenv = new Env(env);
    for (const [b, v] of inst.ctorArgs) cenv.set(b, v);
    for (const l of decl.locals) {
      if (l.kind === "Instantiation") {
        const v = this.instantiate(l, cenv);
        inst.objects.set(l, v);
        cenv.set(l, v);
      } else if (l.kind === "TableDeclaration") {
        if (!this.tables.has(l)) this.tables.set(l, new TableState(l, decl as A.ControlDeclaration, this.keyWidths(l)));
      } else if (l.kind === "ConstantDeclaration") {
        cenv.set(l, this.evalConstDecl(l));
      }
    }
    return inst;
  }

  private instantiate(d: A.Instantiation, env: Env): V {
    const t = this.declTypes.get(d);
    const bt = t ? base(t) : undefined;
    if (bt && (bt.k === "parser" || bt.k === "control") && (bt.decl.kind === "ParserDeclaration" || bt.decl.kind === "ControlDeclaration")) {
      return { t: "obj", o: this.instantiateBlock(bt.decl, d.args, env) };
    }
    if (bt && bt.k === "extern") {
      const args = d.args.map((a) => this.eval(a.value, env));
      const st = makeExtern(this, bt.decl.name.text, d, args, bt.args);
      this.externs.set(d, st);
      return { t: "obj", o: st };
    }
    throw new SimError(`unsupported instantiation of ${d.name.text}`);
  }

  // -------------------------------------------------------------------------
  // SimContext (for externs)

  random(): number {
    // xorshift32: deterministic for a given seed.
    let x = this.rngState;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.rngState = x;
    return x;
  }
  packetLength(): number {
    return this.pkt.inputLength;
  }
  currentTable(): { state: TableState; key: bigint[] } | null {
    return this.pkt.table;
  }
  actionByName(table: TableState, name: string): A.ActionDeclaration | null {
    return table.actions.map((r) => this.actionOf(r)).find((a) => a !== null && (a.name.text === name || nameAnn(a.annotations) === name)) ?? null;
  }

  // -------------------------------------------------------------------------
  // Running a packet

  /** Runs parser, main control and deparser on one packet arriving on `inputPort`. */
  runPacket(data: Buffer, inputPort: number): SimOutcome {
    this.pkt = { pin: { data, offBits: 0 }, out: null, dropped: false, egressPort: 0n, parserError: "NoError", table: null, inputLength: data.length };
    for (const e of this.externs.values()) e.perPacket?.();
    const { parser, control, deparser } = this.main;
    const hdrT = this.declTypes.get(parser.decl.params[1]!)!;
    const metaT = this.declTypes.get(parser.decl.params[2]!)!;
    const hdr = new Cell(zero(hdrT));
    const meta = new Cell(zero(metaT));
    const pistd = zero(this.declTypes.get(parser.decl.params[3]!)!) as StructV;
    pistd.f.set("input_port", bits(32, BigInt(inputPort)));
    // Parser.
    let reject: string | null = null;
    try {
      this.applyBlock(parser, [{ t: "obj", o: this.pkt.pin }, hdr, meta, pistd]);
    } catch (e) {
      if (e instanceof RejectSignal) reject = e.error;
      else throw e;
    }
    if (reject === "NoError") return { verdict: "drop", port: 0, data: Buffer.alloc(0), parserError: "NoError" };
    if (reject !== null) this.pkt.parserError = reject;
    const payload = data.subarray(Math.min(data.length, this.pkt.pin!.offBits >> 3));
    // Main control.
    const istd = zero(this.declTypes.get(control.decl.params[2]!)!) as StructV;
    istd.f.set("input_port", bits(32, BigInt(inputPort)));
    istd.f.set("parser_error", { t: "err", v: this.pkt.parserError });
    const ostd = new Cell(zero(this.declTypes.get(control.decl.params[3]!)!));
    this.applyBlock(control, [hdr, meta, istd, ostd]);
    if (this.pkt.dropped) return { verdict: "drop", port: 0, data: Buffer.alloc(0), parserError: this.pkt.parserError };
    // Deparser.
    this.pkt.out = [];
    this.applyBlock(deparser, [{ t: "obj", o: "packet_out" }, hdr, meta, ostd.v]);
    if (this.pkt.out.length % 8 !== 0) throw new SimError(`the deparser emitted ${this.pkt.out.length} bits, not a whole number of bytes`);
    const out = Buffer.concat([bitsToBytes(this.pkt.out), payload]);
    if (out.length !== data.length && !resizable(data, out.length)) {
      return { verdict: "drop", port: 0, data: Buffer.alloc(0), parserError: this.pkt.parserError };
    }
    const port = Number(this.pkt.egressPort);
    return { verdict: port === 0 ? "pass" : "tx", port, data: out, parserError: this.pkt.parserError };
  }

  /** Applies a top-level block: arguments are cells (inout/out, written back) or values (in). */
  private applyBlock(inst: BlockInstance, args: (Cell | V)[]): void {
    const env = new Env(this.globals);
    const cells: Cell[] = inst.decl.params.map((p, i) => {
      const a = args[i]!;
      const c = a instanceof Cell ? a : new Cell(a);
      env.set(p, c.v);
      return c;
    });
    this.runBlockBody(inst, env);
    inst.decl.params.forEach((p, i) => {
      if (p.direction === "out" || p.direction === "inout") cells[i]!.v = env.get(p)!.v;
    });
  }

  private runBlockBody(inst: BlockInstance, env: Env): void {
    for (const [b, v] of inst.ctorArgs) env.set(b, v);
    for (const l of inst.decl.locals) {
      switch (l.kind) {
        case "Instantiation": env.set(l, inst.objects.get(l)!); break;
        case "ConstantDeclaration": env.set(l, this.evalConstDecl(l)); break;
        case "VariableDeclaration": this.declareVar(l, env); break;
        default: break;
      }
    }
    if (inst.decl.kind === "ControlDeclaration") {
      try {
        this.execBlock(inst.decl.body.body, env);
      } catch (e) {
        if (!(e instanceof ExitSignal || e instanceof ReturnSignal)) throw e;
      }
    } else {
      this.runParser(inst.decl, env);
    }
  }

  private runParser(decl: A.ParserDeclaration, env: Env): void {
    const states = new Map(decl.states.map((s) => [s.name.text, s]));
    let name = "start";
    for (let steps = 0; ; steps++) {
      if (steps > 100000) throw new SimError("the parser does not terminate");
      if (name === "accept") return;
      if (name === "reject") throw new RejectSignal(this.pkt.parserError === "NoError" ? "NoError" : this.pkt.parserError);
      const s = states.get(name);
      if (!s) throw new SimError(`no parser state ${name}`);
      const senv = new Env(env);
      try {
        this.execBlock(s.body, senv);
        name = s.transition ? this.transition(s.transition, senv) : "reject";
      } catch (e) {
        if (e instanceof ParserErrorSignal) {
          this.pkt.parserError = e.error;
          throw new RejectSignal(e.error);
        }
        throw e;
      }
    }
  }

  private transition(t: A.TransitionStatement, env: Env): string {
    if (t.target.kind === "PathExpression") return t.target.name.text;
    const sel = t.target;
    const keys = sel.selectors.map((x) => this.eval(x, env));
    if (this.opts.steer && sel.cases.length > 0) this.steerSelect(sel.cases[this.opts.steer(sel.cases.length)]!, keys, env);
    for (const c of sel.cases) {
      if (this.keysetMatches(c.keyset, keys, env)) return c.state.text;
    }
    this.pkt.parserError = "NoMatch";
    throw new ParserErrorSignal("NoMatch");
  }

  /** Rewrites the packet (and the selector values) so that case `c` matches, where the selectors come straight from the packet. */
  private steerSelect(c: A.SelectCase, keys: V[], env: Env): void {
    const ks = c.keyset.kind === "TupleKeysetExpression" ? c.keyset.elements : c.keyset.kind === "ListExpression" && keys.length > 1 ? c.keyset.elements : [c.keyset];
    ks.forEach((k, i) => {
      const cur = keys[i];
      if (!cur || cur.t !== "b" || cur.src === undefined) return;
      let want: bigint | null = null;
      if (k.kind === "DefaultExpression" || k.kind === "DontCareExpression") return;
      if (k.kind === "BinaryExpression" && k.op === "&&&") {
        const m = num(this.eval(k.right, env));
        want = (cur.v & ~m) | (num(this.eval(k.left, env)) & m);
      } else if (k.kind === "BinaryExpression" && k.op === "..") {
        const lo = num(this.eval(k.left, env));
        const hi = num(this.eval(k.right, env));
        want = hi >= lo ? lo + (BigInt(this.random()) % (hi - lo + 1n)) : lo;
      } else if (k.kind === "PathExpression" && this.refs.get(k)?.kind === "ValueSetDeclaration") return;
      else want = num(this.eval(k, env));
      const v = bits(cur.w, want, cur.s);
      writeBits(this.pkt.pin!.data, cur.src, cur.w, num(v));
      keys[i] = { ...v, src: cur.src } as V;
    });
  }

  private keysetMatches(ks: A.Expression, keys: readonly V[], env: Env): boolean {
    if (ks.kind === "DefaultExpression" || ks.kind === "DontCareExpression") return true;
    if (ks.kind === "TupleKeysetExpression" || (ks.kind === "ListExpression" && keys.length > 1)) {
      const els = ks.kind === "TupleKeysetExpression" ? ks.elements : ks.elements;
      return els.every((e, i) => this.keysetMatches(e, [keys[i]!], env));
    }
    const k = keys[0]!;
    if (ks.kind === "BinaryExpression" && ks.op === "&&&") {
      const v = num(this.eval(ks.left, env));
      const m = num(this.eval(ks.right, env));
      return (num(k) & m) === (v & m);
    }
    if (ks.kind === "BinaryExpression" && ks.op === "..") {
      const lo = num(this.eval(ks.left, env));
      const hi = num(this.eval(ks.right, env));
      const x = num(k);
      return lo <= x && x <= hi;
    }
    const b = ks.kind === "PathExpression" ? this.refs.get(ks) : undefined;
    if (b && b.kind === "ValueSetDeclaration") return false; // value sets are empty: no control plane fills them
    return equal(k, this.eval(ks, env));
  }

  private declareVar(d: A.VariableDeclaration, env: Env): void {
    const t = this.declTypes.get(d);
    const v = d.init ? this.eval(d.init, env) : t ? zero(t) : VOID;
    env.set(d, t ? coerce(clone(v), t) : clone(v));
  }

  // -------------------------------------------------------------------------
  // Statements

  private execBlock(body: readonly A.StatementOrDeclaration[], env: Env): void {
    for (const s of body) this.exec(s, env);
  }

  private exec(s: A.StatementOrDeclaration, env: Env): void {
    switch (s.kind) {
      case "VariableDeclaration": this.declareVar(s, env); return;
      case "ConstantDeclaration": env.set(s, this.evalConstDecl(s)); return;
      case "Instantiation": env.set(s, this.instantiate(s, env)); return;
      case "EmptyStatement": return;
      case "BlockStatement": this.execBlock(s.body, new Env(env)); return;
      case "AssignmentStatement": {
        const lv = this.lval(s.left, env);
        const lt = this.types.get(s.left);
        let v: V;
        if (s.op === "=") v = this.eval(s.right, env);
        else v = this.binary(s.op.slice(0, -1) as A.BinaryOp, lv.get(), this.eval(s.right, env), lt);
        lv.set(lt ? coerce(clone(v), lt) : clone(v));
        return;
      }
      case "MethodCallStatement": this.call(s.call, env); return;
      case "DirectApplicationStatement": {
        const b = this.refs.get(s.type.kind === "TypeName" ? s.type : s.type.base) ?? this.refs.get(s);
        if (!b || (b.kind !== "ControlDeclaration" && b.kind !== "ParserDeclaration")) throw new SimError("unsupported direct application");
        const inst = this.instantiateBlock(b, []);
        this.applySub(inst, s.args, env);
        return;
      }
      case "IfStatement":
        if (this.truth(this.eval(s.cond, env))) this.exec(s.then, new Env(env));
        else if (s.else) this.exec(s.else, new Env(env));
        return;
      case "SwitchStatement": this.execSwitch(s, env); return;
      case "ReturnStatement": throw new ReturnSignal(s.value ? this.eval(s.value, env) : VOID);
      case "ExitStatement": throw new ExitSignal();
      case "TransitionStatement": throw new SimError("transition inside a state body");
      case "ForStatement":
      case "ForInStatement":
      case "BreakStatement":
      case "ContinueStatement":
        throw new SimError(`${s.kind} is not supported by the interpreter`);
    }
  }

  private execSwitch(s: A.SwitchStatement, env: Env): void {
    const isActionRun = s.expr.kind === "MemberExpression" && s.expr.member.text === "action_run";
    const v = this.eval(s.expr, env);
    let matched = false;
    for (const c of s.cases) {
      if (!matched) {
        if (c.label.kind === "DefaultExpression") matched = true;
        else if (isActionRun) {
          const b = this.refs.get(c.label);
          matched = v.t === "obj" && (v.o === b || (b !== undefined && b.kind === "ActionDeclaration" && v.o === b));
        } else matched = equal(v, this.eval(c.label, env));
      }
      if (matched && c.body) {
        this.exec(c.body, env);
        return;
      }
    }
  }

  private truth(v: V): boolean {
    if (v.t === "bool") return v.v;
    return num(v) !== 0n;
  }

  // -------------------------------------------------------------------------
  // Calls

  private call(c: A.CallExpression, env: Env): V {
    const callee = c.callee;
    if (callee.kind === "MemberExpression") {
      const m = callee.member.text;
      const bt = this.types.get(callee.expr);
      const target = this.refs.get(callee.expr);
      // t.apply()
      if (m === "apply" && target && target.kind === "TableDeclaration") return this.applyTable(target, env);
      if (bt && (bt.k === "header" || bt.k === "union" || bt.k === "stack" || bt.k === "struct") || (bt && bt.k === "newtype")) {
        return this.dataMethod(callee.expr, m, c, env);
      }
      const obj = this.eval(callee.expr, env);
      if (obj.t === "hdr" || obj.t === "stack" || (obj.t === "struct" && obj.union)) return this.dataMethod(callee.expr, m, c, env);
      if (obj.t === "obj") {
        const o = obj.o;
        if (m === "apply" && isBlock(o)) {
          this.applySub(o, c.args, env);
          return VOID;
        }
        if (o === "packet_out" || (typeof o === "object" && o !== null && "offBits" in o)) return this.packetMethod(o as PacketIn | "packet_out", m, c, env);
        if (o instanceof ExternState) {
          const args = this.callArgs(c, env);
          return o.call(m, args.map((a) => a.v), this.types.get(c) ?? null, args.map((a) => a.t));
        }
      }
      throw new SimError(`unsupported method call ${printExpression(c)}`);
    }
    const b = callee.kind === "PathExpression" ? this.refs.get(callee) : undefined;
    if (!b) throw new SimError(`unsupported call ${printExpression(c)}`);
    switch (b.kind) {
      case "ActionDeclaration": return this.invoke(b.params, c.args, env, (fenv) => this.execBlock(b.body.body, fenv));
      case "FunctionDeclaration": return this.invoke(b.params, c.args, env, (fenv) => this.execBlock(b.body.body, fenv));
      case "ExternFunctionDeclaration": return this.externFunction(b, c, env);
      default: throw new SimError(`unsupported call ${printExpression(c)}`);
    }
  }

  /** Calls a body with copy-in/copy-out parameters. `preset` binds directionless action parameters. */
  private invoke(params: readonly A.Parameter[], args: readonly A.Argument[], env: Env, body: (fenv: Env) => void, preset?: ReadonlyMap<A.Parameter, V>): V {
    // Names are resolved to their declarations by the front end, so the callee's
    // environment can extend the caller's: it sees the enclosing control's names.
    const fenv = new Env(env);
    const outs: { p: A.Parameter; lv: Lval }[] = [];
    let pos = 0;
    for (const p of params) {
      const t = this.declTypes.get(p);
      if (preset?.has(p)) {
        fenv.set(p, preset.get(p)!);
        continue;
      }
      const a = args.find((x) => x.name?.text === p.name.text) ?? (args[pos] && !args[pos]!.name ? args[pos] : undefined);
      pos++;
      if (!a || a.value.kind === "DontCareExpression") {
        fenv.set(p, p.defaultValue ? this.eval(p.defaultValue, env) : t ? zero(t) : VOID);
        continue;
      }
      if (p.direction === "out" || p.direction === "inout") {
        const lv = this.lval(a.value, env);
        outs.push({ p, lv });
        fenv.set(p, p.direction === "inout" ? clone(lv.get()) : t ? zero(t) : VOID);
      } else {
        const v = clone(this.eval(a.value, env));
        fenv.set(p, t ? coerce(v, t) : v);
      }
    }
    let ret: V = VOID;
    try {
      body(fenv);
    } catch (e) {
      if (e instanceof ReturnSignal) ret = e.value;
      else throw e;
    }
    for (const o of outs) o.lv.set(clone(fenv.get(o.p)!.v));
    return ret;
  }

  private applySub(inst: BlockInstance, args: readonly A.Argument[], env: Env): void {
    const params = inst.decl.params;
    this.invoke(params, args, env, (fenv) => {
      // packet_in/packet_out parameters: pass the packet objects through.
      this.runBlockBody(inst, fenv);
    });
  }

  private callArgs(c: A.CallExpression, env: Env): { v: V; t: Type | null }[] {
    return c.args.map((a) => ({ v: this.eval(a.value, env), t: this.types.get(a.value) ?? null }));
  }

  private externFunction(d: A.ExternFunctionDeclaration, c: A.CallExpression, env: Env): V {
    const name = d.name.text;
    const arg = (i: number): V => this.eval(c.args[i]!.value, env);
    switch (name) {
      case "verify":
        if (!this.truth(arg(0))) {
          const e = arg(1);
          throw new ParserErrorSignal(e.t === "err" ? e.v : "NoError");
        }
        return VOID;
      case "send_to_port":
        this.pkt.egressPort = num(arg(0));
        this.pkt.dropped = false;
        return VOID;
      case "drop_packet":
        this.pkt.dropped = true;
        return VOID;
      case "is_net_port": arg(0); return TRUE;
      case "is_host_port": arg(0); return FALSE;
      case "SelectByDirection": return this.truth(arg(0)) ? arg(1) : arg(2);
      case "static_assert": return TRUE;
      case "add_entry":
      case "add_entry_if": {
        const off = name === "add_entry_if" ? 1 : 0;
        if (off && !this.truth(arg(0))) return bits(1, 1n);
        const actionName = arg(off);
        const params = arg(off + 1);
        const cur = this.pkt.table;
        if (!cur || actionName.t !== "str") return bits(1, 1n);
        const a = this.actionByName(cur.state, actionName.v);
        if (!a) return bits(1, 1n);
        const pv = params.t === "struct" ? [...params.f.values()] : params.t === "tuple" ? params.e : [];
        const cp = a.params.filter((p) => p.direction === null);
        cur.state.add({ keys: cur.key.map((v) => ({ value: v })), action: a, args: cp.map((p, i) => coerce(pv[i] ?? bits(1, 0n), this.declTypes.get(p)!)), prio: null });
        return bits(1, 0n);
      }
      case "skb_get_tstamp": case "skb_get_mark": case "skb_get_tc_classid": case "skb_get_tc_index": case "skb_get_queue_mapping":
      case "skb_get_protocol": case "skb_get_tc_at_ingress": case "skb_get_from_ingress": case "allocate_flow_id": {
        const t = this.types.get(c);
        return t ? zero(t) : VOID;
      }
      default:
        for (const a of c.args) this.eval(a.value, env);
        return VOID; // timers, skb setters, mirror: no effect on the packet
    }
  }

  // -------------------------------------------------------------------------
  // Packets

  private packetMethod(o: PacketIn | "packet_out", m: string, c: A.CallExpression, env: Env): V {
    if (o === "packet_out") {
      if (m !== "emit") throw new SimError(`packet_out.${m}`);
      this.emit(this.eval(c.args[0]!.value, env));
      return VOID;
    }
    const pin = o;
    const total = pin.data.length * 8;
    switch (m) {
      case "extract": {
        const a = c.args[0]!.value;
        const lv = this.extractTarget(a, env);
        const h = zero(this.types.get(a)!) as HeaderV;
        const fixed = [...h.f.values()].filter((x) => x.t !== "vb").reduce((n, x) => n + widthOf(x), 0);
        let vbits = 0;
        if (c.args.length > 1) {
          vbits = Number(num(this.eval(c.args[1]!.value, env)));
          const vb = [...h.f.values()].find((x) => x.t === "vb");
          if (vb && vb.t === "vb" && (vbits > vb.max || vbits % 8 !== 0 || vbits < 0)) throw new ParserErrorSignal("HeaderTooShort");
        }
        if (pin.offBits + fixed + vbits > total) throw new ParserErrorSignal("PacketTooShort");
        let off = pin.offBits;
        for (const [n, f] of h.f) {
          const w = f.t === "vb" ? vbits : widthOf(f);
          const v = readBits(pin.data, off, w);
          off += w;
          h.f.set(n, f.t === "vb" ? { t: "vb", max: f.max, w, v } : f.t === "bool" ? bool(v !== 0n) : f.t === "b" ? { ...(bits(f.w, v, f.s) as object), src: off - w } as V : f);
        }
        h.valid = true;
        pin.offBits = off;
        lv.set(h);
        return VOID;
      }
      case "lookahead": {
        const t = this.types.get(c)!;
        const z = zero(t);
        const w = widthOf(z);
        if (pin.offBits + w > total) throw new ParserErrorSignal("PacketTooShort");
        return this.fromBits(z, pin.data, pin.offBits);
      }
      case "advance": {
        const n = Number(num(this.eval(c.args[0]!.value, env)));
        if (pin.offBits + n > total) throw new ParserErrorSignal("PacketTooShort");
        pin.offBits += n;
        return VOID;
      }
      case "length":
        return bits(32, BigInt(pin.data.length));
      default:
        throw new SimError(`packet_in.${m}`);
    }
  }

  /** The place `extract` writes: `stack.next` takes the next element (StackOutOfBounds when full). */
  private extractTarget(a: A.Expression, env: Env): Lval {
    if (a.kind === "MemberExpression" && a.member.text === "next") {
      const s = this.lval(a.expr, env);
      const st = s.get() as StackV;
      if (st.next >= st.e.length) throw new ParserErrorSignal("StackOutOfBounds");
      const i = st.next;
      return { get: () => st.e[i]!, set: (v) => { st.e[i] = v as HeaderV; st.next = i + 1; } };
    }
    return this.lval(a, env);
  }

  private fromBits(z: V, data: Buffer, off: number): V {
    switch (z.t) {
      case "b": return { ...(bits(z.w, readBits(data, off, z.w), z.s) as object), src: off } as V;
      case "bool": return bool(readBits(data, off, 1) !== 0n);
      case "hdr": case "struct": {
        const out = clone(z) as HeaderV | StructV;
        let o = off;
        for (const [n, f] of out.f) {
          out.f.set(n, this.fromBits(f, data, o));
          o += widthOf(f);
        }
        if (out.t === "hdr") out.valid = true;
        return out;
      }
      default: return z;
    }
  }

  private emit(v: V): void {
    const out = this.pkt.out!;
    switch (v.t) {
      case "hdr": if (v.valid) pushBits(v, out); return;
      case "stack": for (const h of v.e) this.emit(h); return;
      case "struct": for (const f of v.f.values()) this.emit(f); return;
      default: throw new SimError(`emit of a ${v.t}`);
    }
  }

  // -------------------------------------------------------------------------
  // Header, union and stack methods

  private dataMethod(e: A.Expression, m: string, c: A.CallExpression, env: Env): V {
    const lv = this.lval(e, env);
    const v = lv.get();
    switch (m) {
      case "isValid":
        if (v.t === "hdr") return bool(v.valid);
        if (v.t === "struct") return bool([...v.f.values()].some((h) => h.t === "hdr" && h.valid));
        break;
      case "setValid":
      case "setInvalid":
        if (v.t === "hdr") {
          // The union this header belongs to keeps at most one valid member.
          if (m === "setValid") this.invalidateUnionSiblings(e, env);
          v.valid = m === "setValid";
          return VOID;
        }
        break;
      case "push_front":
      case "pop_front": {
        if (v.t !== "stack") break;
        const n = Number(num(this.eval(c.args[0]!.value, env)));
        const size = v.e.length;
        const fresh = (): HeaderV => { const h = clone(v.e[0]!) as HeaderV; h.valid = false; return h; };
        if (m === "push_front") {
          for (let i = size - 1; i >= 0; i--) v.e[i] = i >= n ? v.e[i - n]! : fresh();
          v.next = Math.min(size, v.next + n);
        } else {
          for (let i = 0; i < size; i++) v.e[i] = i + n < size ? v.e[i + n]! : fresh();
          v.next = Math.max(0, v.next - n);
        }
        for (let i = 0; i < size; i++) v.e[i] = clone(v.e[i]!) as HeaderV;
        return VOID;
      }
      case "minSizeInBits": case "maxSizeInBits": case "minSizeInBytes": case "maxSizeInBytes": {
        const w = widthOf(v);
        return { t: "int", v: BigInt(m.endsWith("Bytes") ? Math.ceil(w / 8) : w) };
      }
    }
    throw new SimError(`unsupported method ${m} on ${v.t}`);
  }

  private invalidateUnionSiblings(e: A.Expression, env: Env): void {
    if (e.kind !== "MemberExpression") return;
    const pt = this.types.get(e.expr);
    if (!pt || pt.k !== "union") return;
    const u = this.lval(e.expr, env).get();
    if (u.t !== "struct") return;
    for (const [n, h] of u.f) if (n !== e.member.text && h.t === "hdr") h.valid = false;
  }

  // -------------------------------------------------------------------------
  // Tables

  private actionOf(r: A.ActionRef): A.ActionDeclaration | null {
    const b = this.refs.get(r) ?? this.refs.get(r.name);
    return b && b.kind === "ActionDeclaration" ? b : null;
  }

  private applyTable(t: A.TableDeclaration, env: Env): V {
    const st = this.tables.get(t);
    if (!st) throw new SimError(`table ${t.name.text} is not in an instantiated control`);
    if (!st.initialised) this.initTable(st, env);
    const keyVals = st.keyElements.map((k) => this.eval(k.expr, env));
    const key = keyVals.map((v, i) => BigInt.asUintN(st.keyWidth(i), num(v)));
    this.opts.onTableKey?.(t, key);
    const hit = st.lookup(key);
    let action: A.ActionDeclaration | null;
    let args: readonly V[];
    let ref: A.ActionRef | null;
    if (hit) {
      action = hit.action;
      args = hit.args;
      ref = st.actions.find((r) => this.actionOf(r) === hit.action) ?? null;
    } else {
      action = st.defaultAction?.action ?? null;
      args = st.defaultAction?.args ?? [];
      ref = st.defaultAction?.ref ?? null;
    }
    const saved = this.pkt.table;
    this.pkt.table = { state: st, key };
    try {
      if (action) this.runAction(action, args, ref, env);
    } finally {
      this.pkt.table = saved;
    }
    return { t: "obj", o: { hit: !!hit, action } satisfies ApplyResult };
  }

  private runAction(a: A.ActionDeclaration, args: readonly V[], ref: A.ActionRef | null, env: Env): void {
    const preset = new Map<A.Parameter, V>();
    const cp = a.params.filter((p) => p.direction === null);
    cp.forEach((p, i) => preset.set(p, coerce(args[i] ?? zero(this.declTypes.get(p)!), this.declTypes.get(p)!)));
    this.invoke(a.params, ref?.args ?? [], env, (fenv) => this.execBlock(a.body.body, fenv), preset);
  }

  /** Const entries and the default action, from the table's properties. */
  private initTable(st: TableState, env: Env): void {
    st.initialised = true;
    for (const p of st.decl.properties) {
      if (p.kind === "ValueProperty" && p.name.text === "default_action") {
        const r = this.actionCall(p.value, env);
        if (r) st.defaultAction = r;
      }
      if (p.kind === "EntriesProperty") {
        for (const e of p.entries) {
          const a = this.actionOf(e.action);
          if (!a) continue;
          const cp = a.params.filter((x) => x.direction === null);
          const args = (e.action.args ?? []).slice(a.params.length - cp.length).map((x, i) => coerce(this.eval(x.value, env), this.declTypes.get(cp[i]!)!));
          const ks = e.keyset.kind === "TupleKeysetExpression" || e.keyset.kind === "ListExpression" ? e.keyset.elements : [e.keyset];
          const keys = ks.map((k, i) => this.entryKey(k, st, i, env));
          st.addConst({ keys, action: a, args, prio: e.priority ? Number(num(this.eval(e.priority, env))) : null });
        }
      }
    }
    if (!st.defaultAction) st.defaultAction = null;
  }

  private entryKey(k: A.Expression, st: TableState, i: number, env: Env): TableEntry["keys"][number] {
    const w = st.keyWidth(i);
    const all = (1n << BigInt(w)) - 1n;
    if (k.kind === "DefaultExpression" || k.kind === "DontCareExpression") return { value: 0n, mask: 0n };
    if (k.kind === "BinaryExpression" && k.op === "&&&") {
      const m = BigInt.asUintN(w, num(this.eval(k.right, env)));
      return { value: BigInt.asUintN(w, num(this.eval(k.left, env))) & m, mask: m };
    }
    if (k.kind === "BinaryExpression" && k.op === "..") {
      return { value: 0n, range: [BigInt.asUintN(w, num(this.eval(k.left, env))), BigInt.asUintN(w, num(this.eval(k.right, env)))] };
    }
    return { value: BigInt.asUintN(w, num(this.eval(k, env))), mask: all };
  }

  /** `a(1, 2)` or `a` as in `default_action`: the action and its control-plane arguments. */
  private actionCall(e: A.Expression, env: Env): { action: A.ActionDeclaration; args: V[]; ref: A.ActionRef | null } | null {
    const callee = e.kind === "CallExpression" ? e.callee : e;
    const b = this.refs.get(callee) ?? this.refs.get(e);
    if (!b || b.kind !== "ActionDeclaration") return null;
    const cp = b.params.filter((p) => p.direction === null);
    const given = e.kind === "CallExpression" ? e.args.slice(b.params.length - cp.length) : [];
    const args = cp.map((p, i) => (given[i] ? coerce(this.eval(given[i]!.value, env), this.declTypes.get(p)!) : zero(this.declTypes.get(p)!)));
    return { action: b, args, ref: null };
  }

  private keyWidths(t: A.TableDeclaration): number[] {
    const key = t.properties.find((p): p is A.KeyProperty => p.kind === "KeyProperty");
    return (key?.elements ?? []).map((k) => {
      const kt = this.types.get(k.expr);
      const b = kt ? base(kt) : undefined;
      if (b && b.k === "bits") return b.width;
      if (b && b.k === "enum" && b.underlying && base(b.underlying).k === "bits") return (base(b.underlying) as { width: number }).width;
      return b && b.k === "bool" ? 1 : 32;
    });
  }

  /** For the control plane: the table's state (its const entries and default action installed). */
  tableState(t: A.TableDeclaration): TableState {
    const st = this.tables.get(t)!;
    if (!st.initialised) this.initTable(st, this.globals);
    return st;
  }

  /** The declared type of a directionless action parameter. */
  paramType(p: A.Parameter): Type | undefined {
    return this.declTypes.get(p);
  }

  // -------------------------------------------------------------------------
  // Expressions

  private fromConst(c: unknown, t: Type): V {
    const b = base(t);
    if (typeof c === "boolean") return bool(c);
    if (typeof c === "string") return { t: "str", v: c };
    if (typeof c === "bigint") {
      if (b.k === "bits") return bits(b.width, c, b.signed);
      if (b.k === "enum" && b.underlying) return coerce({ t: "int", v: c }, b.underlying);
      return { t: "int", v: c };
    }
    throw new SimError("bad constant");
  }

  eval(e: A.Expression, env: Env): V {
    const t = this.types.get(e);
    const c = this.consts.get(e);
    if (c !== undefined && t && e.kind !== "CallExpression") {
      const b = base(t);
      if (b.k === "bits" || b.k === "int" || b.k === "bool" || (b.k === "enum" && b.underlying) || b.k === "string") return this.fromConst(c, t);
    }
    switch (e.kind) {
      case "IntLiteral":
        return e.width !== null ? bits(e.width, e.value, e.signed) : t && base(t).k === "bits" ? coerce({ t: "int", v: e.value }, t) : { t: "int", v: e.value };
      case "BoolLiteral": return bool(e.value);
      case "StringLiteral": return { t: "str", v: e.value };
      case "PathExpression": {
        const b = this.refs.get(e);
        if (!b) throw new SimError(`unresolved ${e.name.text}`);
        const cell = env.get(b);
        if (cell) return cell.v;
        if (b.kind === "ConstantDeclaration") {
          const v = this.evalConstDecl(b);
          this.globals.set(b, v);
          return v;
        }
        if (b.kind === "Instantiation") return this.globalObject(b);
        if (b.kind === "ActionDeclaration" || b.kind === "TableDeclaration") return { t: "obj", o: b };
        throw new SimError(`no value for ${e.name.text}`);
      }
      case "TypeMemberExpression": {
        if (e.type.kind === "TypeError") return { t: "err", v: e.member.text };
        return this.enumMember(e, t);
      }
      case "MemberExpression": {
        const bt = this.types.get(e.expr);
        if (bt && bt.k === "typeRef") {
          const of = base(bt.of);
          if (of.k === "error") return { t: "err", v: e.member.text };
          return this.enumMember(e, t);
        }
        if (bt && bt.k === "error") return { t: "err", v: e.member.text };
        const o = this.eval(e.expr, env);
        return this.member(o, e.member.text, e);
      }
      case "IndexExpression": {
        const s = this.eval(e.expr, env);
        const i = Number(num(this.eval(e.index, env)));
        if (s.t === "stack") {
          const h = s.e[i];
          if (!h) return zero(this.types.get(e)!); // out of bounds: an invalid header (target-defined)
          return h;
        }
        if (s.t === "tuple") return s.e[i]!;
        throw new SimError("index of a non-stack");
      }
      case "SliceExpression": {
        const v = this.eval(e.expr, env);
        const hi = Number(num(this.eval(e.hi, env)));
        const lo = Number(num(this.eval(e.lo, env)));
        return bits(hi - lo + 1, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo));
      }
      case "PlusSliceExpression": {
        const v = this.eval(e.expr, env);
        const lo = Number(num(this.eval(e.base, env)));
        const w = Number(num(this.eval(e.width, env)));
        return bits(w, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo));
      }
      case "UnaryExpression": {
        const v = this.eval(e.operand, env);
        switch (e.op) {
          case "!": return bool(!this.truth(v));
          case "~": return v.t === "b" ? bits(v.w, ~v.v, v.s) : { t: "int", v: ~num(v) };
          case "-": return v.t === "b" ? bits(v.w, -v.v, v.s) : { t: "int", v: -num(v) };
          case "+": return v;
        }
        break;
      }
      case "BinaryExpression": {
        if (e.op === "&&") return bool(this.truth(this.eval(e.left, env)) && this.truth(this.eval(e.right, env)));
        if (e.op === "||") return bool(this.truth(this.eval(e.left, env)) || this.truth(this.eval(e.right, env)));
        return this.binary(e.op, this.eval(e.left, env), this.eval(e.right, env), t);
      }
      case "ConditionalExpression":
        return this.truth(this.eval(e.cond, env)) ? this.eval(e.then, env) : this.eval(e.else, env);
      case "CastExpression": {
        const v = this.eval(e.expr, env);
        return t ? this.cast(v, t) : v;
      }
      case "CallExpression":
        return this.call(e, env);
      case "ListExpression":
        return { t: "tuple", e: e.elements.map((x) => clone(this.eval(x, env))) };
      case "StructExpression": {
        const f = new Map<string, V>();
        for (const kv of e.fields) f.set(kv.key.text, clone(this.eval(kv.value, env)));
        const v: V = { t: "struct", union: false, f };
        return t && (base(t).k === "header" || base(t).k === "struct") ? coerce(v, t) : v;
      }
      case "InvalidExpression":
        return t ? zero(t) : VOID;
      case "ConstructorCallExpression":
        throw new SimError("constructor call in an expression");
    }
    throw new SimError(`unsupported expression ${e.kind}`);
  }

  private enumMember(e: A.MemberExpression | A.TypeMemberExpression, t: Type | undefined): V {
    const b = t ? base(t) : undefined;
    if (b && b.k === "enum" && b.underlying) {
      const m = b.decl.members.find((x) => x.name.text === e.member.text);
      const c = m ? this.consts.get(m) : undefined;
      if (typeof c === "bigint") return coerce({ t: "int", v: c }, b.underlying);
    }
    if (b && b.k === "error") return { t: "err", v: e.member.text };
    return { t: "enum", v: e.member.text };
  }

  private member(o: V, m: string, e: A.MemberExpression): V {
    switch (o.t) {
      case "hdr": case "struct": {
        const f = o.f.get(m);
        if (f) return f;
        break;
      }
      case "stack":
        if (m === "size") return bits(32, BigInt(o.e.length));
        if (m === "lastIndex") return bits(32, BigInt(o.next - 1));
        if (m === "last") return o.next > 0 ? o.e[o.next - 1]! : zero(this.types.get(e)!);
        if (m === "next") return o.next < o.e.length ? o.e[o.next]! : zero(this.types.get(e)!);
        break;
      case "obj": {
        const r = o.o as ApplyResult;
        if (m === "hit") return bool(r.hit);
        if (m === "miss") return bool(!r.hit);
        if (m === "action_run") return { t: "obj", o: r.action };
        break;
      }
    }
    throw new SimError(`no member ${m} in a ${o.t}`);
  }

  binary(op: A.BinaryOp | string, a: V, b: V, rt: Type | undefined): V {
    if (op === "==") return bool(equal(a, b));
    if (op === "!=") return bool(!equal(a, b));
    if (op === "++") {
      const wa = widthOfScalar(a);
      const wb = widthOfScalar(b);
      const s = a.t === "b" && a.s;
      return bits(wa + wb, (BigInt.asUintN(wa, num(a)) << BigInt(wb)) | BigInt.asUintN(wb, num(b)), s);
    }
    // The operation's type: the fixed-width operand's, or the checker's result type.
    const ref = a.t === "b" ? a : b.t === "b" ? b : null;
    let w = ref?.w ?? null;
    let s = ref?.s ?? false;
    const r = rt ? base(rt) : undefined;
    if (r && r.k === "bits" && !["<", "<=", ">", ">="].includes(op)) {
      w = r.width;
      s = r.signed;
    }
    if (op === "<<" || op === ">>") {
      // The left operand's type.
      if (a.t === "b") { w = a.w; s = a.s; }
      const x = num(a);
      const n = num(b);
      if (w === null) return { t: "int", v: op === "<<" ? x << n : x >> n };
      if (op === "<<") return n >= BigInt(w) ? bits(w, 0n, s) : bits(w, x << n, s);
      const sv = s ? BigInt.asIntN(w, x) : BigInt.asUintN(w, x);
      return n >= BigInt(w) ? bits(w, sv < 0n ? -1n : 0n, s) : bits(w, sv >> n, s);
    }
    const norm = (v: V): bigint => (w === null ? num(v) : s ? BigInt.asIntN(w, num(v)) : BigInt.asUintN(w, num(v)));
    const x = norm(a);
    const y = norm(b);
    const mk = (v: bigint): V => (w === null ? { t: "int", v } : bits(w, v, s));
    switch (op) {
      case "+": return mk(x + y);
      case "-": return mk(x - y);
      case "*": return mk(x * y);
      case "/": return y === 0n ? mk(0n) : mk(x / y);
      case "%": return y === 0n ? mk(0n) : mk(x % y);
      case "&": return mk(x & y);
      case "|": return mk(x | y);
      case "^": return mk(x ^ y);
      case "|+|":
      case "|-|": {
        const v = op === "|+|" ? x + y : x - y;
        if (w === null) return mk(v);
        const max = s ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
        const min = s ? -(1n << BigInt(w - 1)) : 0n;
        return mk(v > max ? max : v < min ? min : v);
      }
      case "<": return bool(x < y);
      case "<=": return bool(x <= y);
      case ">": return bool(x > y);
      case ">=": return bool(x >= y);
    }
    throw new SimError(`operator ${op}`);
  }

  private cast(v: V, t0: Type): V {
    const t = base(t0);
    if (t.k === "bits") {
      if (v.t === "bool") return bits(t.width, v.v ? 1n : 0n, t.signed);
      if (v.t === "b" || v.t === "int") return bits(t.width, v.v, t.signed);
      return v;
    }
    if (t.k === "bool") return bool(num(v) !== 0n);
    if (t.k === "int") return { t: "int", v: num(v) };
    return coerce(v, t0);
  }

  // -------------------------------------------------------------------------
  // Lvalues

  private lval(e: A.Expression, env: Env): Lval {
    switch (e.kind) {
      case "PathExpression": {
        const b = this.refs.get(e);
        const cell = b ? env.get(b) : undefined;
        if (!cell) throw new SimError(`not assignable: ${e.name.text}`);
        return { get: () => cell.v, set: (v) => { cell.v = v; } };
      }
      case "MemberExpression": {
        const m = e.member.text;
        const p = this.lval(e.expr, env);
        return {
          get: () => {
            const o = p.get();
            if (o.t === "stack") return this.member(o, m, e);
            return (o as HeaderV | StructV).f.get(m)!;
          },
          set: (v) => {
            const o = p.get();
            if (o.t === "stack") {
              const i = m === "last" ? o.next - 1 : o.next;
              if (i >= 0 && i < o.e.length) o.e[i] = v as HeaderV;
              return;
            }
            const s = o as HeaderV | StructV;
            if (s.t === "struct" && s.union && v.t === "hdr" && v.valid) {
              for (const [n, h] of s.f) if (n !== m && h.t === "hdr") h.valid = false;
            }
            s.f.set(m, v);
          },
        };
      }
      case "IndexExpression": {
        const p = this.lval(e.expr, env);
        const i = Number(num(this.eval(e.index, env)));
        return {
          get: () => {
            const s = p.get() as StackV;
            return s.e[i] ?? zero(this.types.get(e)!);
          },
          set: (v) => {
            const s = p.get();
            if (s.t === "stack" && i >= 0 && i < s.e.length) s.e[i] = v as HeaderV;
            else if (s.t === "tuple") s.e[i] = v;
          },
        };
      }
      case "SliceExpression":
      case "PlusSliceExpression": {
        const p = this.lval(e.expr, env);
        let lo: number;
        let w: number;
        if (e.kind === "SliceExpression") {
          lo = Number(num(this.eval(e.lo, env)));
          w = Number(num(this.eval(e.hi, env))) - lo + 1;
        } else {
          lo = Number(num(this.eval(e.base, env)));
          w = Number(num(this.eval(e.width, env)));
        }
        return {
          get: () => { const v = p.get(); return bits(w, BigInt.asUintN(widthOfScalar(v), num(v)) >> BigInt(lo)); },
          set: (nv) => {
            const old = p.get() as Extract<V, { t: "b" }>;
            const m = ((1n << BigInt(w)) - 1n) << BigInt(lo);
            const u = (BigInt.asUintN(old.w, old.v) & ~m) | ((BigInt.asUintN(w, num(nv)) << BigInt(lo)) & m);
            p.set(bits(old.w, u, old.s));
          },
        };
      }
      default:
        throw new SimError(`not assignable: ${printExpression(e)}`);
    }
  }
}

interface ApplyResult {
  readonly hit: boolean;
  readonly action: A.ActionDeclaration | null;
}

/** A parser error raised in a state: the parser goes to reject with it. */
class ParserErrorSignal {
  constructor(readonly error: string) {}
}

/**
 * Whether the kernel's bpf_skb_adjust_room (BPF_ADJ_ROOM_MAC), which the
 * generated deparser calls to resize a frame, accepts the new length: a
 * frame may not shrink to less than the base IP header (20 bytes for IPv4
 * and any other EtherType, which P4TC resizes as IPv4; 40 for IPv6) after
 * the 14-byte Ethernet header. The generated code drops the packet when it
 * refuses.
 */
function resizable(input: Buffer, newLength: number): boolean {
  if (newLength >= input.length) return true;
  if (input.length < 14) return false;
  const base = input.readUInt16BE(12) === 0x86dd ? 40 : 20;
  const cur = input.length - 14;
  const diff = input.length - newLength;
  return diff < cur && cur - diff >= base;
}

function isBlock(o: unknown): o is BlockInstance {
  return typeof o === "object" && o !== null && "decl" in o && "objects" in o;
}

function widthOfScalar(v: V): number {
  if (v.t === "b") return v.w;
  if (v.t === "bool") return 1;
  if (v.t === "int") return Math.max(1, v.v.toString(2).length + 1);
  throw new SimError(`not a scalar: ${v.t}`);
}

/** `w` bits of `data` starting at bit `off` (most significant first), as an unsigned number. */
export function readBits(data: Buffer, off: number, w: number): bigint {
  let v = 0n;
  for (let i = 0; i < w; i++) {
    const bit = off + i;
    v = (v << 1n) | BigInt((data[bit >> 3]! >> (7 - (bit & 7))) & 1);
  }
  return v;
}

/** Writes `w` bits of `v` into `data` at bit `off` (most significant first); bits past the end are dropped. */
export function writeBits(data: Buffer, off: number, w: number, v: bigint): void {
  for (let i = 0; i < w; i++) {
    const bit = off + i;
    if (bit >> 3 >= data.length) return;
    const one = (v >> BigInt(w - 1 - i)) & 1n;
    const m = 0x80 >> (bit & 7);
    data[bit >> 3] = one ? data[bit >> 3]! | m : data[bit >> 3]! & ~m;
  }
}

/** The `@name("...")` of a declaration, or null. */
export function nameAnn(anns: readonly A.Annotation[]): string | null {
  const a = anns.find((x) => x.name.text === "name");
  if (!a) return null;
  const ex = a.body.form === "unstructured" || a.body.form === "expressions" ? a.body.exprs : null;
  const s = ex?.[0];
  return s && s.kind === "StringLiteral" ? s.value : null;
}
