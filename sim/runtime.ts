/**
 * The interpreter's shared runtime: the options and outcome of a run,
 * environments and cells, the control-flow signals, the per-packet state,
 * and `Machine`, the interface through which the interpreter's parts
 * (eval, exec, parser, packet, apply) reach each other. The hub,
 * sim/interp.ts, implements it and is the only file importing the parts,
 * so the parts never import one another.
 */
import type * as A from "../compiler/ast/nodes.js";
import type { CheckedProgram, Type, Binding } from "../compiler/frontend/index.js";
import { SimError, type V } from "./values.js";
import type { TableState, TableEntry } from "./tables.js";

export interface SimProgram {
  readonly ast: A.Program;
  readonly checked: CheckedProgram;
}

export interface SimOptions {
  /** Seed of the Random extern's generator. */
  readonly seed?: number;
  /** Test generation: called at each table apply with the key values. */
  readonly onTableKey?: (table: TableState, key: readonly bigint[]) => void;
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
export class Cell {
  constructor(public v: V) {}
}

export class Env {
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

/**
 * A parser or control instance: its declaration and its persistent objects
 * (externs, sub-blocks, tables), which are its own: a control instantiated
 * twice has two of each.
 */
export interface BlockInstance {
  readonly decl: A.ParserDeclaration | A.ControlDeclaration;
  /** The main block's name, then the instance names (`C`, `C.i1`, `C.o1.i1`). */
  readonly path: string;
  readonly objects: Map<Binding, V>;
  readonly ctorArgs: Map<Binding, V>;
}

export class ExitSignal {}
export class ReturnSignal {
  constructor(readonly value: V) {}
}
/** A parser that ends in reject (with the error to report, NoError for a plain `transition reject`). */
export class RejectSignal {
  constructor(readonly error: string) {}
}

export interface Lval {
  get(): V;
  set(v: V): void;
}

export interface PacketIn {
  readonly data: Buffer;
  offBits: number;
}

/** Per-packet state. */
export interface PacketState {
  pin: PacketIn | null;
  out: number[] | null;
  dropped: boolean;
  egressPort: bigint;
  parserError: string;
  /** The table whose action runs (for add_entry and direct externs) and its key. */
  table: { state: TableState; key: bigint[] } | null;
  inputLength: number;
}


export interface ApplyResult {
  readonly hit: boolean;
  readonly action: A.ActionDeclaration | null;
}

/** A parser error raised in a state: the parser goes to reject with it. */
export class ParserErrorSignal {
  constructor(readonly error: string) {}
}


export function isBlock(o: unknown): o is BlockInstance {
  return typeof o === "object" && o !== null && "decl" in o && "objects" in o;
}

export function widthOfScalar(v: V): number {
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

/** What the parts see of the interpreter (implemented by `Interpreter`). */
export interface Machine {
  readonly types: ReadonlyMap<A.Node, Type>;
  readonly refs: ReadonlyMap<A.Node, Binding>;
  readonly consts: CheckedProgram["constants"];
  readonly declTypes: ReadonlyMap<Binding, Type>;
  readonly globals: Env;
  readonly opts: SimOptions;
  /** Every table of every block instance. */
  readonly tables: readonly TableState[];
  readonly pkt: PacketState;
  random(): number;
  actionByName(table: TableState, name: string): A.ActionDeclaration | null;
  evalConstDecl(d: A.ConstantDeclaration): V;
  globalObject(d: A.Instantiation): V;
  instantiate(d: A.Instantiation, env: Env, path?: string): V;
  instantiateBlock(decl: A.ParserDeclaration | A.ControlDeclaration, args: readonly A.Argument[], env?: Env, path?: string): BlockInstance;
  runBlockBody(inst: BlockInstance, env: Env, sub?: boolean): void;
  runParser(decl: A.ParserDeclaration, env: Env): void;
  transition(t: A.TransitionStatement, env: Env): string;
  steerSelect(c: A.SelectCase, keys: V[], env: Env): void;
  keysetMatches(ks: A.Expression, keys: readonly V[], env: Env): boolean;
  declareVar(d: A.VariableDeclaration, env: Env): void;
  execBlock(body: readonly A.StatementOrDeclaration[], env: Env): void;
  exec(s: A.StatementOrDeclaration, env: Env): void;
  execSwitch(s: A.SwitchStatement, env: Env): void;
  truth(v: V): boolean;
  call(c: A.CallExpression, env: Env): V;
  invoke(params: readonly A.Parameter[], args: readonly A.Argument[], env: Env, body: (fenv: Env) => void, preset?: ReadonlyMap<A.Parameter, V>): V;
  applySub(inst: BlockInstance, args: readonly A.Argument[], env: Env): void;
  callArgs(c: A.CallExpression, env: Env): { v: V; t: Type | null }[];
  externFunction(d: A.ExternFunctionDeclaration, c: A.CallExpression, env: Env): V;
  packetMethod(o: PacketIn | "packet_out", m: string, c: A.CallExpression, env: Env): V;
  extractTarget(a: A.Expression, env: Env): Lval;
  fromBits(z: V, data: Buffer, off: number): V;
  emit(v: V): void;
  dataMethod(e: A.Expression, m: string, c: A.CallExpression, env: Env): V;
  invalidateUnionSiblings(e: A.Expression, env: Env): void;
  actionOf(r: A.ActionRef): A.ActionDeclaration | null;
  applyTable(t: A.TableDeclaration, env: Env): V;
  runAction(a: A.ActionDeclaration, args: readonly V[], ref: A.ActionRef | null, env: Env): void;
  initTable(st: TableState, env: Env): void;
  entryKey(k: A.Expression, st: TableState, i: number, env: Env): TableEntry["keys"][number];
  actionCall(e: A.Expression, env: Env): { action: A.ActionDeclaration; args: V[]; ref: A.ActionRef | null } | null;
  keyWidths(t: A.TableDeclaration): number[];
  fromConst(c: unknown, t: Type): V;
  eval(e: A.Expression, env: Env): V;
  enumMember(e: A.MemberExpression | A.TypeMemberExpression, t: Type | undefined): V;
  member(o: V, m: string, e: A.MemberExpression): V;
  binary(op: A.BinaryOp | string, a: V, b: V, rt: Type | undefined): V;
  cast(v: V, t0: Type): V;
  lval(e: A.Expression, env: Env): Lval;
}
