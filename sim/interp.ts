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
import { type V, type StructV, bits, zero, coerce, base, SimError, VOID, bitsToBytes } from "./values.js";
import { ExternState, makeExtern, type SimContext } from "./externs.js";
import { TableState, type TableEntry } from "./tables.js";
import { Cell, Env, ExitSignal, ReturnSignal, RejectSignal, isBlock, nameAnn, type Machine, type SimProgram, type SimOptions, type SimOutcome, type BlockInstance, type Lval, type PacketIn, type PacketState } from "./runtime.js";
import * as Eval from "./eval.js";
import * as Exec from "./exec.js";
import * as Parser from "./parser.js";
import * as Packet from "./packet.js";
import * as Apply from "./apply.js";

export { SimError } from "./values.js";
export type { SimProgram, SimOptions, SimOutcome, BlockInstance } from "./runtime.js";
export { readBits, writeBits, nameAnn } from "./runtime.js";

export class Interpreter implements SimContext, Machine {
  /** Every table of every block instance, in instantiation order. */
  readonly tables: TableState[] = [];
  /** Every extern instance of every block instance (and the top-level ones), in instantiation order. */
  readonly externs: ExternState[] = [];
  readonly digests: { name: string; data: V }[] = [];
  readonly types: ReadonlyMap<A.Node, Type>;
  readonly refs: ReadonlyMap<A.Node, Binding>;
  readonly consts: CheckedProgram["constants"];
  readonly declTypes: ReadonlyMap<Binding, Type>;
  readonly globals = new Env(null);
  private rngState: number;
  pkt!: PacketState;
  private main!: { parser: BlockInstance; control: BlockInstance; deparser: BlockInstance };

  constructor(readonly program: SimProgram, readonly opts: SimOptions = {}) {
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

  evalConstDecl(d: A.ConstantDeclaration): V {
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
  globalObject(d: A.Instantiation): V {
    let v = this.globalObjects.get(d);
    if (!v) {
      v = this.instantiate(d, this.globals);
      this.globalObjects.set(d, v);
    }
    return v;
  }

  /** A new instance of a parser or control at `path` (a main block's is its name): its own externs, sub-blocks and tables. */
  instantiateBlock(decl: A.ParserDeclaration | A.ControlDeclaration, args: readonly A.Argument[], env: Env = this.globals, path: string = decl.name.text): BlockInstance {
    const inst: BlockInstance = { decl, path, objects: new Map(), ctorArgs: new Map() };
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
        const v = this.instantiate(l, cenv, `${path}.${l.name.text}`);
        inst.objects.set(l, v);
        cenv.set(l, v);
      } else if (l.kind === "TableDeclaration") {
        const st = new TableState(l, decl as A.ControlDeclaration, this.keyWidths(l), `${path}.${l.name.text}`);
        this.tables.push(st);
        inst.objects.set(l, { t: "obj", o: st });
      } else if (l.kind === "ConstantDeclaration") {
        cenv.set(l, this.evalConstDecl(l));
      }
    }
    return inst;
  }

  /** `d` instantiated at `path` (by default a top-level instance's: a block's name, an extern's instance name). */
  instantiate(d: A.Instantiation, env: Env, path?: string): V {
    const t = this.declTypes.get(d);
    const bt = t ? base(t) : undefined;
    if (bt && (bt.k === "parser" || bt.k === "control") && (bt.decl.kind === "ParserDeclaration" || bt.decl.kind === "ControlDeclaration")) {
      return { t: "obj", o: this.instantiateBlock(bt.decl, d.args, env, path ?? bt.decl.name.text) };
    }
    if (bt && bt.k === "extern") {
      const args = d.args.map((a) => this.eval(a.value, env));
      const st = makeExtern(this, bt.decl.name.text, d, args, bt.args, path ?? d.name.text);
      this.externs.push(st);
      return { t: "obj", o: st };
    }
    throw new SimError(`unsupported instantiation of ${d.name.text}`);
  }

  // -------------------------------------------------------------------------
  // SimContext (for externs)

  /** Restarts the Random extern's generator from `seed` (0 counts as 1), as the emulation's p4tc_emu_random is set. */
  seedRandom(seed: number): void {
    this.rngState = seed >>> 0 || 1;
  }

  random(): number {
    // xorshift32 (the emulation's P4TS_EMU_SEEDED_RANDOM generator is the same): deterministic for a given seed.
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
    for (const e of this.externs) e.perPacket?.();
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
    const writeBack = (): void =>
      inst.decl.params.forEach((p, i) => {
        if (p.direction === "out" || p.direction === "inout") cells[i]!.v = env.get(p)!.v;
      });
    try {
      this.runBlockBody(inst, env);
    } catch (e) {
      // A parser that rejects leaves its headers and metadata as they are (the control runs with parser_error):
      // parameters a sub-parser's copy-out replaced as a whole are written back too.
      if (e instanceof RejectSignal) writeBack();
      throw e;
    }
    writeBack();
  }

  /** `sub`: a block applied by another (an `exit` in it ends its callers too, so it goes on to them). */
  runBlockBody(inst: BlockInstance, env: Env, sub = false): void {
    for (const [b, v] of inst.ctorArgs) env.set(b, v);
    for (const l of inst.decl.locals) {
      switch (l.kind) {
        case "Instantiation":
        case "TableDeclaration": env.set(l, inst.objects.get(l)!); break;
        case "ConstantDeclaration": env.set(l, this.evalConstDecl(l)); break;
        case "VariableDeclaration": this.declareVar(l, env); break;
        default: break;
      }
    }
    if (inst.decl.kind === "ControlDeclaration") {
      try {
        this.execBlock(inst.decl.body.body, env);
      } catch (e) {
        if (!(e instanceof ReturnSignal || (e instanceof ExitSignal && !sub))) throw e;
      }
    } else {
      this.runParser(inst.decl, env);
    }
  }

  // -------------------------------------------------------------------------
  // Statements

  // -------------------------------------------------------------------------
  // Calls

  // -------------------------------------------------------------------------
  // Packets

  // -------------------------------------------------------------------------
  // Header, union and stack methods

  // -------------------------------------------------------------------------
  // Tables

  /** For the control plane: the table at `path` (`C.i1.tb`) with its const entries and default action installed, or undefined. */
  tableState(path: string): TableState | undefined {
    const st = this.tables.find((t) => t.path === path);
    if (st && !st.initialised) this.initTable(st, this.globals);
    return st;
  }

  /** The declared type of a directionless action parameter. */
  paramType(p: A.Parameter): Type | undefined {
    return this.declTypes.get(p);
  }

  // -------------------------------------------------------------------------
  // Expressions

  // -------------------------------------------------------------------------
  // Lvalues


  // -------------------------------------------------------------------------
  // The parts' entry points (the Machine of sim/runtime.ts)

  runParser(decl: A.ParserDeclaration, env: Env): void { Parser.runParser(this, decl, env); }
  transition(t: A.TransitionStatement, env: Env): string { return Parser.transition(this, t, env); }
  steerSelect(c: A.SelectCase, keys: V[], env: Env): void { Parser.steerSelect(this, c, keys, env); }
  keysetMatches(ks: A.Expression, keys: readonly V[], env: Env): boolean { return Parser.keysetMatches(this, ks, keys, env); }
  declareVar(d: A.VariableDeclaration, env: Env): void { Exec.declareVar(this, d, env); }
  execBlock(body: readonly A.StatementOrDeclaration[], env: Env): void { Exec.execBlock(this, body, env); }
  exec(s: A.StatementOrDeclaration, env: Env): void { Exec.exec(this, s, env); }
  execSwitch(s: A.SwitchStatement, env: Env): void { Exec.execSwitch(this, s, env); }
  truth(v: V): boolean { return Exec.truth(this, v); }
  call(c: A.CallExpression, env: Env): V { return Exec.call(this, c, env); }
  invoke(params: readonly A.Parameter[], args: readonly A.Argument[], env: Env, body: (fenv: Env) => void, preset?: ReadonlyMap<A.Parameter, V>): V { return Exec.invoke(this, params, args, env, body, preset); }
  applySub(inst: BlockInstance, args: readonly A.Argument[], env: Env): void { Exec.applySub(this, inst, args, env); }
  callArgs(c: A.CallExpression, env: Env): { v: V; t: Type | null }[] { return Exec.callArgs(this, c, env); }
  externFunction(d: A.ExternFunctionDeclaration, c: A.CallExpression, env: Env): V { return Exec.externFunction(this, d, c, env); }
  packetMethod(o: PacketIn | "packet_out", m: string, c: A.CallExpression, env: Env): V { return Packet.packetMethod(this, o, m, c, env); }
  extractTarget(a: A.Expression, env: Env): Lval { return Packet.extractTarget(this, a, env); }
  fromBits(z: V, data: Buffer, off: number): V { return Packet.fromBits(this, z, data, off); }
  emit(v: V): void { Packet.emit(this, v); }
  dataMethod(e: A.Expression, m: string, c: A.CallExpression, env: Env): V { return Packet.dataMethod(this, e, m, c, env); }
  invalidateUnionSiblings(e: A.Expression, env: Env): void { Packet.invalidateUnionSiblings(this, e, env); }
  actionOf(r: A.ActionRef): A.ActionDeclaration | null { return Apply.actionOf(this, r); }
  applyTable(t: A.TableDeclaration, env: Env): V { return Apply.applyTable(this, t, env); }
  runAction(a: A.ActionDeclaration, args: readonly V[], ref: A.ActionRef | null, env: Env): void { Apply.runAction(this, a, args, ref, env); }
  initTable(st: TableState, env: Env): void { Apply.initTable(this, st, env); }
  entryKey(k: A.Expression, st: TableState, i: number, env: Env): TableEntry["keys"][number] { return Apply.entryKey(this, k, st, i, env); }
  actionCall(e: A.Expression, env: Env): { action: A.ActionDeclaration; args: V[]; ref: A.ActionRef | null } | null { return Apply.actionCall(this, e, env); }
  keyWidths(t: A.TableDeclaration): number[] { return Apply.keyWidths(this, t); }
  fromConst(c: unknown, t: Type): V { return Eval.fromConst(this, c, t); }
  eval(e: A.Expression, env: Env): V { return Eval.evalExpr(this, e, env); }
  enumMember(e: A.MemberExpression | A.TypeMemberExpression, t: Type | undefined): V { return Eval.enumMember(this, e, t); }
  member(o: V, m: string, e: A.MemberExpression): V { return Eval.member(this, o, m, e); }
  binary(op: A.BinaryOp | string, a: V, b: V, rt: Type | undefined): V { return Eval.binary(this, op, a, b, rt); }
  cast(v: V, t0: Type): V { return Eval.cast(this, v, t0); }
  lval(e: A.Expression, env: Env): Lval { return Eval.lval(this, e, env); }
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
