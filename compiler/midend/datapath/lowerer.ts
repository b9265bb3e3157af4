/**
 * The machinery of the datapath lowering (see passes/lowerDatapath.ts): a
 * scope of bindings from P4 names to storage, expressions or declarations,
 * and the translation of P4 types, expressions and statements to the
 * datapath IR (compiler/ir/datapath.ts). Actions and functions are inlined by
 * binding their parameters; anything the IR cannot express is reported as a
 * located "not supported by the P4TC target" error and lowered to nothing.
 */
import type { AbiConstruct, P4tcAbi } from "../../ir/abi/index.js";
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import type { Type } from "../../frontend/index.js";
import { printExpression } from "../../ast/print.js";
import {
  BOOL_T,
  bitsT,
  type DExpr,
  type DStmt,
  type DType,
  type ExternCall,
  type HeaderLayout,
  type LValue,
  type ScalarType,
  type SelectCase,
  type BinaryOp,
  type PnaMeta,
  type RuntimeParam,
  type StructLayout,
} from "../../ir/datapath.js";
import type { ActionInfo, BlockInfo, ExternInstanceInfo, MidendContext, TableInfo } from "../context.js";

export type Bind =
  | { readonly k: "lv"; readonly lv: LValue }
  | { readonly k: "expr"; readonly e: DExpr }
  | { readonly k: "istd" }
  | { readonly k: "ostd" }
  | { readonly k: "pkt" }
  | { readonly k: "inst"; readonly inst: ExternInstanceInfo }
  | { readonly k: "checksum"; readonly cName: string; readonly decl: A.Instantiation }
  | { readonly k: "table"; readonly table: TableInfo }
  /** An instance of a control declared in the program, inlined where it is applied. */
  | { readonly k: "subcontrol"; readonly block: BlockInfo }
  | { readonly k: "decl"; readonly decl: A.Declaration };

export class LScope {
  private readonly m = new Map<string, Bind>();
  constructor(readonly parent: LScope | null) {}
  set(name: string, b: Bind): void {
    this.m.set(name, b);
  }
  get(name: string): Bind | undefined {
    for (let s: LScope | null = this; s; s = s.parent) {
      const b = s.m.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

/** Where a lowered body runs: the parser, the control (inside a table's action or not) or the deparser. */
export interface Where {
  readonly block: "parser" | "control" | "deparser";
  /** The table whose action is being inlined (for direct externs and add_entry). */
  readonly table: TableInfo | null;
  /** Label that a `return` jumps to (inlined action/function), or null at the top of the control. */
  readonly returnLabel: string | null;
}

const PNA_META: Readonly<Record<PnaMeta, ScalarType>> = {
  input_port: bitsT(32),
  parser_error: bitsT(8),
  timestamp: bitsT(64),
  recirculated: BOOL_T,
  class_of_service: bitsT(8),
};

export class Lowerer {
  readonly headers = new Map<string, HeaderLayout>();
  readonly structs = new Map<string, StructLayout>();
  readonly errors: string[] = [];
  readonly checksums: { name: string; algo: "csum16" | "crc16" | "crc32" }[] = [];
  readonly runtimeParams: { name: string; size: number }[] = [];
  private nextLocal = 0;
  /** Called when a table is applied, with the scope it is applied in (the pass builds the table's datapath then). */
  tableHook: (t: TableInfo, s: LScope, w: Where) => void = () => {};
  /** Called to inline an applied sub-control: returns its lowered body. */
  subcontrolHook: (block: BlockInfo, args: readonly A.Argument[], s: LScope, w: Where) => DStmt[] = () => [];
  private nextLabel = 0;
  /** Labels a lowered `return` jumps to (an inlined body ends with its label only when one does). */
  private readonly returnLabels = new Set<string>();

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

  freshLocal(base: string): string {
    return `${base.replace(/[^A-Za-z0-9_]/g, "_")}_${this.nextLocal++}`;
  }
  freshLabel(base: string): string {
    return `${base}_${this.nextLabel++}`;
  }

  typeOfExpr(e: A.Expression): Type | undefined {
    return this.ctx.checked.types?.get(e);
  }

  // ---------------------------------------------------------------------
  // Types

  /** The datapath type of a front-end type; registers header and struct layouts. */
  dtype(t: Type | undefined, span: A.Node["span"]): DType | null {
    if (!t) return null;
    switch (t.k) {
      case "bits":
        return { k: "scalar", t: bitsT(t.width, t.signed) };
      case "bool":
        return { k: "scalar", t: BOOL_T };
      case "error":
        return { k: "scalar", t: bitsT(8) };
      case "enum":
        return { k: "scalar", t: t.underlying?.k === "bits" ? bitsT(t.underlying.width, t.underlying.signed) : bitsT(32) };
      case "newtype":
        return this.dtype(t.base, span);
      case "header": {
        const name = t.decl.name.text;
        if (!this.headers.has(name)) this.headerLayout(t, span);
        return { k: "header", name };
      }
      case "struct": {
        const name = t.decl.name.text;
        if (!this.structs.has(name)) {
          this.structs.set(name, { name, fields: [] });
          const fields: { name: string; type: DType }[] = [];
          for (const [fname, ft] of t.fields) {
            const d = this.dtype(ft, span);
            if (d) fields.push({ name: fname, type: d });
          }
          this.structs.set(name, { name, fields });
        }
        return { k: "struct", name };
      }
      case "stack": {
        const elem = this.dtype(t.elem, span);
        if (!elem || elem.k !== "header" || t.size === null) return null;
        return { k: "stack", elem: elem.name, size: t.size };
      }
      default:
        return null;
    }
  }

  private headerLayout(t: Type & { k: "header" | "struct" | "union" }, span: A.Node["span"]): void {
    const fields: HeaderLayout["fields"][number][] = [];
    let off = 0;
    let varbit: { name: string; maxBits: number } | undefined;
    const entries = [...t.fields];
    for (const [i, [fname, ft0]] of entries.entries()) {
      const ft = ft0.k === "newtype" ? ft0.base : ft0;
      if (ft.k === "varbit") {
        if (i !== entries.length - 1 || off % 8 !== 0 || ft.width % 8 !== 0) this.unsupported(span, `varbit field ${t.decl.name.text}.${fname} (p4ts needs it last, byte-aligned and a whole number of bytes long)`);
        else varbit = { name: fname, maxBits: ft.width };
        continue;
      }
      const w = ft.k === "bits" ? ft.width : ft.k === "bool" ? 1 : ft.k === "enum" && ft.underlying?.k === "bits" ? ft.underlying.width : null;
      if (w === null) {
        this.unsupported(span, `header field ${t.decl.name.text}.${fname} of type ${ft.k}`);
        continue;
      }
      fields.push({ name: fname, width: w, signed: ft.k === "bits" && ft.signed, bitOffset: off });
      off += w;
    }
    if (off % 8 !== 0) this.unsupported(span, `header ${t.decl.name.text} of ${off} bits (not a whole number of bytes)`);
    this.headers.set(t.decl.name.text, { name: t.decl.name.text, fields, bits: off, ...(varbit ? { varbit } : {}) });
  }

  scalarOf(e: A.Expression): ScalarType | null {
    const d = this.dtype(this.typeOfExpr(e), e.span);
    return d?.k === "scalar" ? d.t : null;
  }

  /** The type of a field reached through an l-value. */
  fieldType(base: DType, field: string): DType | null {
    if (base.k === "header") {
      const f = this.headers.get(base.name)?.fields.find((x) => x.name === field);
      return f ? { k: "scalar", t: bitsT(f.width, f.signed) } : null;
    }
    if (base.k === "struct") return this.structs.get(base.name)?.fields.find((x) => x.name === field)?.type ?? null;
    return null;
  }

  // ---------------------------------------------------------------------
  // Expressions

  /** An l-value for `e`, or null (reported) when it is not one. */
  lvalue(e: A.Expression, s: LScope): LValue | null {
    switch (e.kind) {
      case "PathExpression": {
        const b = s.get(e.name.text);
        if (b?.k === "lv") return b.lv;
        return null;
      }
      case "MemberExpression": {
        const base = this.lvalue(e.expr, s);
        if (!base) return null;
        const t = this.fieldType(base.type, e.member.text);
        if (!t) return null;
        return { root: base.root, path: [...base.path, e.member.text], type: t };
      }
      case "IndexExpression": {
        const base = this.lvalue(e.expr, s);
        const i = this.constValue(e.index);
        if (!base || base.type.k !== "stack" || i === null || i < 0n || i >= BigInt(base.type.size)) return null;
        return { root: base.root, path: [...base.path, Number(i)], type: { k: "header", name: base.type.elem } };
      }
      default:
        return null;
    }
  }

  constValue(e: A.Expression): bigint | null {
    const v = this.ctx.checked.constants?.get(e);
    if (typeof v === "bigint") return v;
    if (typeof v === "boolean") return v ? 1n : 0n;
    if (e.kind === "IntLiteral") return e.value;
    return null;
  }

  private errorCode(name: string): number {
    let i = this.errors.indexOf(name);
    if (i < 0) {
      this.errors.push(name);
      i = this.errors.length - 1;
    }
    return i;
  }

  /** Lowers an expression with a scalar result; `want` types unsized constants. */
  expr(e: A.Expression, s: LScope, w: Where, want?: ScalarType): DExpr | null {
    const t = this.scalarOf(e) ?? want ?? null;
    // Compile-time constants first (named constants, enum members, folded arithmetic).
    const errMember = e.kind === "TypeMemberExpression" && e.type.kind === "TypeError" ? e.member.text : e.kind === "MemberExpression" && e.expr.kind === "PathExpression" && e.expr.name.text === "error" ? e.member.text : null;
    if (errMember !== null) return { k: "const", value: BigInt(this.errorCode(errMember)), type: bitsT(8) };
    const c = this.ctx.checked.constants?.get(e);
    if (c !== undefined && typeof c !== "string" && e.kind !== "CallExpression") {
      const type = t ?? (typeof c === "boolean" ? BOOL_T : bitsT(64));
      const v = typeof c === "boolean" ? (c ? 1n : 0n) : c;
      return { k: "const", value: BigInt.asUintN(type.width, v), type };
    }
    switch (e.kind) {
      case "IntLiteral": {
        const type = e.width !== null ? bitsT(e.width, e.signed) : want ?? bitsT(64);
        return { k: "const", value: BigInt.asUintN(type.width, e.value), type };
      }
      case "BoolLiteral":
        return { k: "const", value: e.value ? 1n : 0n, type: BOOL_T };
      case "PathExpression": {
        const b = s.get(e.name.text);
        if (b?.k === "expr") return b.e;
        if (b?.k === "lv" && b.lv.type.k === "scalar") return { k: "lval", lv: b.lv, type: b.lv.type.t };
        if (!b) return this.namedConstant(e, t);
        break;
      }
      case "MemberExpression": {
        if (e.expr.kind === "PathExpression") {
          const b = s.get(e.expr.name.text);
          if (b?.k === "istd") {
            const field = e.member.text as PnaMeta;
            if (field in PNA_META) return { k: "meta", field, type: PNA_META[field] };
            break;
          }
        }
        if (e.expr.kind === "CallExpression" && e.member.text === "hit" || e.member.text === "miss") {
          const call = e.expr as A.CallExpression;
          if (call.kind === "CallExpression" && call.callee.kind === "MemberExpression" && call.callee.member.text === "apply") {
            const tb = call.callee.expr.kind === "PathExpression" ? s.get(call.callee.expr.name.text) : undefined;
            if (tb?.k === "table") {
              const hit: DExpr = { k: "hit", table: tb.table.id, type: BOOL_T };
              this.tableHook(tb.table, s, w);
              this.pendingApplies.push(tb.table.id);
              return e.member.text === "hit" ? hit : { k: "unary", op: "!", e: hit, type: BOOL_T };
            }
          }
        }
        {
          const stackOf = (x: A.Expression): LValue | null => {
            const lv = this.lvalue(x, s);
            return lv && lv.type.k === "stack" ? lv : null;
          };
          if (e.expr.kind === "MemberExpression" && e.expr.member.text === "last") {
            const st = stackOf(e.expr.expr);
            if (st && st.type.k === "stack") {
              const f = this.headers.get(st.type.elem)?.fields.find((x) => x.name === e.member.text);
              if (f) return { k: "stackLast", stack: st, size: st.type.size, field: f.name, type: bitsT(f.width, f.signed) };
            }
          }
          if (e.member.text === "lastIndex" || e.member.text === "size") {
            const st = stackOf(e.expr);
            if (st && st.type.k === "stack") return e.member.text === "size" ? { k: "const", value: BigInt(st.type.size), type: bitsT(32) } : { k: "stackLastIndex", stack: st, type: bitsT(32) };
          }
        }
        if (e.expr.kind === "CallExpression" && e.expr.callee.kind === "MemberExpression" && e.expr.callee.member.text === "lookahead") {
          return this.lookaheadField(e.expr, e.member.text, e);
        }
        const lv = this.lvalue(e, s);
        if (lv && lv.type.k === "scalar") return { k: "lval", lv, type: lv.type.t };
        if (!lv) return this.namedConstant(e, t);
        break;
      }
      case "TypeMemberExpression":
        return this.namedConstant(e, t);
      case "IndexExpression": {
        const lv = this.lvalue(e, s);
        if (lv && lv.type.k === "scalar") return { k: "lval", lv, type: lv.type.t };
        break;
      }
      case "SliceExpression": {
        const hi = this.constValue(e.hi);
        const lo = this.constValue(e.lo);
        const inner = this.expr(e.expr, s, w);
        if (hi === null || lo === null || !inner) break;
        if (inner.type.width > 128) return this.tooWide(e, "slice");
        return { k: "slice", e: inner, hi: Number(hi), lo: Number(lo), type: bitsT(Number(hi - lo) + 1) };
      }
      case "CastExpression": {
        if (!t) break;
        const inner = this.expr(e.expr, s, w, t);
        if (!inner) return null;
        if (inner.type.width > 128 || t.width > 128) return this.tooWide(e, "cast");
        return { k: "cast", e: inner, type: t };
      }
      case "UnaryExpression": {
        const inner = this.expr(e.operand, s, w, t ?? undefined);
        if (!inner) return null;
        if (e.op === "+") return inner;
        if (inner.type.width > 128) return this.tooWide(e, `operator '${e.op}'`);
        return { k: "unary", op: e.op as "-" | "~" | "!", e: inner, type: e.op === "!" ? BOOL_T : inner.type };
      }
      case "BinaryExpression":
        return this.binary(e, s, w, t);
      case "ConditionalExpression": {
        const c0 = this.expr(e.cond, s, w);
        const a = this.expr(e.then, s, w, t ?? undefined);
        const b = this.expr(e.else, s, w, t ?? a?.type);
        if (!c0 || !a || !b) return null;
        return { k: "cond", c: c0, t: a, e: b, type: t ?? a.type };
      }
      case "CallExpression": {
        const r = this.callExpr(e, s, w, t);
        if (r !== undefined) return r;
        break;
      }
      default:
        break;
    }
    this.unsupported(e.span, `expression '${printExpression(e)}'`);
    return null;
  }

  /** Reports `what` on a value wider than 128 bits: the eBPF back end computes up to 128 bits (wider values are only copied and compared). */
  private tooWide(e: A.Expression, what: string): null {
    this.unsupported(e.span, `${what} on values wider than 128 bits`);
    return null;
  }

  /** A top-level constant or enum member the front end did not fold at this use. */
  private namedConstant(e: A.Expression, t: ScalarType | null): DExpr | null {
    const v = this.ctx.env.evalConst(e, this.ctx.env.global);
    if (!v) {
      this.unsupported(e.span, `expression '${printExpression(e)}'`);
      return null;
    }
    const type = t ?? (v.isBool ? BOOL_T : bitsT(v.width ?? 32));
    return { k: "const", value: BigInt.asUintN(type.width, v.value), type };
  }

  /** Table applies referenced from the expression being lowered (`t.apply().hit`): the statement lowering runs them first. */
  pendingApplies: number[] = [];

  private binary(e: A.BinaryExpression, s: LScope, w: Where, t: ScalarType | null): DExpr | null {
    const lt = this.scalarOf(e.left);
    const rt = this.scalarOf(e.right);
    const lIsInt = this.typeOfExpr(e.left)?.k === "int";
    const rIsInt = this.typeOfExpr(e.right)?.k === "int";
    const cmp = ["==", "!=", "<", ">", "<=", ">="].includes(e.op);
    const logical = e.op === "&&" || e.op === "||";
    const shift = e.op === "<<" || e.op === ">>";
    const operandT = logical ? BOOL_T : cmp ? (lIsInt ? rt : lt) ?? rt ?? lt ?? undefined : shift ? t ?? lt ?? undefined : t ?? (lIsInt ? rt : lt) ?? undefined;
    const l = this.expr(e.left, s, w, operandT ?? undefined);
    const r = this.expr(e.right, s, w, shift ? rt ?? bitsT(32) : rIsInt || !rt ? operandT ?? l?.type : rt);
    if (!l || !r) return null;
    const wide = e.op === "++" ? l.type.width + r.type.width > 128 : (l.type.width > 128 || r.type.width > 128) && e.op !== "==" && e.op !== "!=";
    if (wide) return this.tooWide(e, `operator '${e.op}'`);
    if (e.op === "++") return { k: "concat", l, r, type: bitsT(l.type.width + r.type.width, l.type.signed) };
    if (e.op === "&&&" || e.op === "..") {
      this.unsupported(e.span, `'${e.op}' outside a keyset`);
      return null;
    }
    const type = cmp || logical ? BOOL_T : shift ? l.type : t ?? l.type;
    return { k: "binary", op: e.op as BinaryOp, l, r, type };
  }

  private lookaheadField(call: A.CallExpression, member: string, at: A.Node): DExpr | null {
    const t = call.typeArgs[0] ? this.typeOfExpr(call) : undefined;
    const d = this.dtype(t, call.span);
    if (!d || d.k !== "header") {
      this.unsupported(at.span, "lookahead of this type");
      return null;
    }
    const h = this.headers.get(d.name)!;
    const f = h.fields.find((x) => x.name === member);
    if (!f) return null;
    // lookahead<T>().f: the field f of a T that would start at the current offset.
    return { k: "lookahead", bitOffset: f.bitOffset, type: bitsT(f.width, f.signed) };
  }

  /** Calls with a value: isValid, extern methods and functions. Undefined when not a call this handles. */
  private callExpr(e: A.CallExpression, s: LScope, w: Where, t: ScalarType | null): DExpr | null | undefined {
    const callee = e.callee;
    if (callee.kind === "MemberExpression") {
      const m = callee.member.text;
      if (m === "isValid") {
        const lv = this.lvalue(callee.expr, s);
        return lv ? { k: "valid", header: lv, type: BOOL_T } : undefined;
      }
      if (m === "lookahead") {
        const st = this.scalarOf(e);
        return st ? { k: "lookahead", bitOffset: 0, type: st } : undefined;
      }
      if (callee.expr.kind === "PathExpression") {
        const b = s.get(callee.expr.name.text);
        const call = b ? this.externMethod(b, m, e, s, w) : null;
        if (call) return { k: "extern", call, type: t ?? bitsT(32) };
      }
      return undefined;
    }
    if (callee.kind === "PathExpression") {
      const name = callee.name.text;
      const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? this.expr(e.args[i]!.value, s, w, want) : null);
      if (name === "is_host_port" || name === "is_net_port") {
        if (!this.abiHas("is_port", e.span, name)) return null;
        const p = arg(0, bitsT(32));
        return p ? { k: "extern", call: { k: "is_port", which: name === "is_host_port" ? "host" : "net", port: p }, type: BOOL_T } : null;
      }
      if (name.startsWith("skb_get_") && name !== "skb_get_meta") return !this.abiHas("skb_meta", e.span, name) ? null : { k: "extern", call: { k: "skb_get", field: name.slice(8) }, type: t ?? bitsT(32) };
    }
    return undefined;
  }

  /** The fields of a list/struct/header argument, flattened, as scalar expressions. */
  flatten(e: A.Expression, s: LScope, w: Where): DExpr[] | null {
    if (e.kind === "ListExpression") {
      const out: DExpr[] = [];
      for (const x of e.elements) {
        const f = this.flatten(x, s, w);
        if (!f) return null;
        out.push(...f);
      }
      return out;
    }
    if (e.kind === "StructExpression") {
      const out: DExpr[] = [];
      for (const kv of e.fields) {
        const f = this.flatten(kv.value, s, w);
        if (!f) return null;
        out.push(...f);
      }
      return out;
    }
    const lv = this.lvalue(e, s);
    if (lv && lv.type.k !== "scalar") return this.flattenLv(lv);
    const x = this.expr(e, s, w);
    return x ? [x] : null;
  }

  flattenLv(lv: LValue): DExpr[] {
    if (lv.type.k === "scalar") return [{ k: "lval", lv, type: lv.type.t }];
    if (lv.type.k === "header") {
      const h = this.headers.get(lv.type.name)!;
      return h.fields.map((f) => ({ k: "lval", lv: { root: lv.root, path: [...lv.path, f.name], type: { k: "scalar", t: bitsT(f.width, f.signed) } }, type: bitsT(f.width, f.signed) }));
    }
    if (lv.type.k === "struct") {
      const st = this.structs.get(lv.type.name)!;
      return st.fields.flatMap((f) => this.flattenLv({ root: lv.root, path: [...lv.path, f.name], type: f.type }));
    }
    return [];
  }

  // ---------------------------------------------------------------------
  // Externs

  private instId(inst: ExternInstanceInfo): { extId: string; instId: number } {
    const fixed: Record<string, string> = { Digest: "0x05000000", Counter: "0x19000000", DirectCounter: "0x1A000000", Meter: "0x1B000000", DirectMeter: "0x1C000000" };
    return { extId: fixed[inst.externName] ?? "0x1", instId: inst.id };
  }

  /** A method call on an extern instance, checksum or packet; null when unknown. */
  externMethod(b: Bind, m: string, e: A.CallExpression, s: LScope, w: Where): ExternCall | null {
    const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? this.expr(e.args[i]!.value, s, w, want) : null);
    if (b.k === "checksum") {
      const inst = b.cName;
      switch (m) {
        case "clear":
          return { k: "csum_clear", inst };
        case "add":
        case "subtract":
        case "update": {
          const fields = e.args[0] ? this.flatten(e.args[0].value, s, w) : null;
          return fields ? { k: m === "subtract" ? "csum_sub" : "csum_add", inst, fields } : null;
        }
        case "get":
          return { k: "csum_get", inst };
        case "get_state":
          return { k: "csum_get_state", inst };
        case "set_state": {
          const v = arg(0, bitsT(16));
          return v ? { k: "csum_set_state", inst, value: v } : null;
        }
      }
      return null;
    }
    if (b.k !== "inst") return null;
    const inst = b.inst;
    const ids = this.instId(inst);
    switch (inst.externName) {
      case "Counter": {
        const idx = arg(0, bitsT(32));
        return idx ? { k: "counter", ...ids, mode: counterMode(inst), index: idx, table: null } : null;
      }
      case "DirectCounter":
        return { k: "counter", ...ids, mode: counterMode(inst), index: null, table: inst.boundTables[0]?.id ?? w.table?.id ?? null };
      case "Meter": {
        const idx = arg(0, bitsT(32));
        const color = e.args[1] ? arg(1, bitsT(32)) : null;
        return idx ? { k: "meter", ...ids, bytes: inst.instType === "BYTES", index: idx, color, table: null } : null;
      }
      case "DirectMeter": {
        const color = e.args[0] ? arg(0, bitsT(32)) : null;
        return { k: "meter", ...ids, bytes: inst.instType === "BYTES", index: null, color, table: inst.boundTables[0]?.id ?? w.table?.id ?? null };
      }
      case "Register": {
        const idx = arg(0, bitsT(32));
        if (!idx) return null;
        if (m === "read") return { k: "register_read", ...ids, index: idx };
        const v = e.args[1] ? this.flatten(e.args[1].value, s, w) : null;
        return v ? { k: "register_write", ...ids, index: idx, value: v } : null;
      }
      case "Digest": {
        const fields = e.args[0] ? this.flatten(e.args[0].value, s, w) : null;
        return fields ? { k: "digest", ...ids, fields } : null;
      }
      case "Hash": {
        const algoArg = inst.decl.args[0]?.value;
        const algoName = algoArg && (algoArg.kind === "MemberExpression" || algoArg.kind === "TypeMemberExpression") ? algoArg.member.text : "CRC32";
        const algo = algoName === "CRC16" ? "crc16" : algoName === "ONES_COMPLEMENT16" || algoName === "TARGET_DEFAULT" ? "ones_complement16" : "crc32";
        if (e.args.length === 3) {
          const fields = this.flatten(e.args[1]!.value, s, w);
          const base = arg(0);
          const max = arg(2);
          return fields && base && max ? { k: "hash", algo, fields, base, max } : null;
        }
        const fields = e.args[0] ? this.flatten(e.args[0].value, s, w) : null;
        return fields ? { k: "hash", algo, fields, base: null, max: null } : null;
      }
      case "Random": {
        const min = inst.decl.args[0] ? this.expr(inst.decl.args[0].value, s, w, bitsT(32)) : null;
        const max = inst.decl.args[1] ? this.expr(inst.decl.args[1].value, s, w, bitsT(32)) : null;
        return min && max ? { k: "random", min, max } : null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------
  // Statements

  stmts(list: readonly A.StatementOrDeclaration[], s: LScope, w: Where): DStmt[] {
    const out: DStmt[] = [];
    for (const st of list) out.push(...this.stmt(st, s, w));
    return out;
  }

  /** Lowers one statement; table applies an expression needs are emitted before it. */
  stmt(st: A.StatementOrDeclaration, s: LScope, w: Where): DStmt[] {
    const saved = this.pendingApplies;
    this.pendingApplies = [];
    const body = this.stmtInner(st, s, w);
    const applies: DStmt[] = this.pendingApplies.map((table) => ({ k: "apply", table, cases: null }));
    this.pendingApplies = saved;
    return [...applies, ...body];
  }

  private stmtInner(st: A.StatementOrDeclaration, s: LScope, w: Where): DStmt[] {
    switch (st.kind) {
      case "EmptyStatement":
        return [];
      case "BlockStatement": {
        const inner = new LScope(s);
        return [{ k: "block", body: this.stmts(st.body, inner, w) }];
      }
      case "IfStatement": {
        const cond = this.expr(st.cond, s, w, BOOL_T);
        if (!cond) return [];
        const then = this.stmt(st.then, new LScope(s), w);
        const els = st.else ? this.stmt(st.else, new LScope(s), w) : [];
        return [{ k: "if", cond, then, else: els }];
      }
      case "AssignmentStatement":
        return this.assign(st, s, w);
      case "MethodCallStatement":
        return this.callStmt(st.call, s, w);
      case "VariableDeclaration": {
        const d = this.dtype(this.ctx.checked.declTypes?.get(st) ?? undefined, st.span);
        if (!d) {
          this.unsupported(st.span, `local variable '${st.name.text}' of this type`);
          return [];
        }
        const cName = this.freshLocal(st.name.text);
        const lv: LValue = { root: cName, path: [], type: d };
        s.set(st.name.text, { k: "lv", lv });
        const init = st.init && d.k === "scalar" ? this.expr(st.init, s, w, d.t) : null;
        const out: DStmt[] = [{ k: "local", name: cName, type: d, init }];
        if (st.init && d.k !== "scalar") {
          const rhs = this.lvalue(st.init, s);
          if (rhs) out.push({ k: "copy", lhs: lv, rhs });
          else this.unsupported(st.init.span, "this initializer");
        }
        return out;
      }
      case "ConstantDeclaration": {
        const d = this.dtype(this.ctx.checked.declTypes?.get(st) ?? undefined, st.span);
        const v = this.ctx.checked.constants?.get(st);
        if (d?.k === "scalar" && (typeof v === "bigint" || typeof v === "boolean")) {
          s.set(st.name.text, { k: "expr", e: { k: "const", value: BigInt.asUintN(d.t.width, typeof v === "boolean" ? (v ? 1n : 0n) : v), type: d.t } });
        }
        return [];
      }
      case "Instantiation":
        return [];
      case "ExitStatement":
        return [{ k: "exit" }];
      case "ReturnStatement":
        if (w.returnLabel === null) return [{ k: "exit" }];
        this.returnLabels.add(w.returnLabel);
        return [{ k: "return", label: w.returnLabel }];
      case "SwitchStatement":
        return this.switchStmt(st, s, w);
      case "DirectApplicationStatement": {
        this.unsupported(st.span, "direct application of a parser or control");
        return [];
      }
      default:
        this.unsupported(st.span, `statement '${st.kind}'`);
        return [];
    }
  }

  private assign(st: A.AssignmentStatement, s: LScope, w: Where): DStmt[] {
    const lhs = this.lvalue(st.left, s);
    if (!lhs) {
      this.unsupported(st.left.span, `assignment to '${printExpression(st.left)}'`);
      return [];
    }
    if (lhs.type.k !== "scalar") {
      if (st.right.kind === "InvalidExpression") return [{ k: "setValid", header: lhs, valid: false }];
      const rhs = this.lvalue(st.right, s);
      if (rhs) return [{ k: "copy", lhs, rhs }];
      if (st.right.kind === "ListExpression" || st.right.kind === "StructExpression") {
        const vals = this.flatten(st.right, s, w);
        const dsts = this.flattenLv(lhs);
        if (!vals || vals.length !== dsts.length) return [];
        const out: DStmt[] = dsts.map((d, i) => ({ k: "assign", lhs: (d as Extract<DExpr, { k: "lval" }>).lv, rhs: vals[i]! }));
        if (lhs.type.k === "header") out.push({ k: "setValid", header: lhs, valid: true });
        return out;
      }
      this.unsupported(st.right.span, `assigning '${printExpression(st.right)}'`);
      return [];
    }
    let rhs: DExpr | null;
    if (st.op === "=") rhs = this.expr(st.right, s, w, lhs.type.t);
    else {
      const op = st.op.slice(0, -1) as BinaryOp;
      const r = this.expr(st.right, s, w, op === "<<" || op === ">>" ? undefined : lhs.type.t);
      rhs = r ? { k: "binary", op, l: { k: "lval", lv: lhs, type: lhs.type.t }, r, type: lhs.type.t } : null;
    }
    return rhs ? [{ k: "assign", lhs, rhs }] : [];
  }

  private switchStmt(st: A.SwitchStatement, s: LScope, w: Where): DStmt[] {
    const x = st.expr;
    if (x.kind === "MemberExpression" && x.member.text === "action_run" && x.expr.kind === "CallExpression" && x.expr.callee.kind === "MemberExpression" && x.expr.callee.expr.kind === "PathExpression") {
      const tb = s.get(x.expr.callee.expr.name.text);
      if (tb?.k === "table") {
        const cases: { actions: number[] | "default"; body: DStmt[] }[] = [];
        let pending: number[] = [];
        for (const c of st.cases) {
          if (c.label.kind === "DefaultExpression") {
            cases.push({ actions: "default", body: c.body ? this.stmt(c.body, new LScope(s), w) : [] });
            pending = [];
            continue;
          }
          const name = c.label.kind === "PathExpression" ? c.label.name.text : null;
          const ref = tb.table.actionRefs.find((r) => (r.action ? r.action.decl.name.text : "NoAction") === name);
          pending.push(ref?.action?.id ?? 0);
          if (c.body) {
            cases.push({ actions: pending, body: this.stmt(c.body, new LScope(s), w) });
            pending = [];
          }
        }
        this.tableHook(tb.table, s, w);
        return [{ k: "apply", table: tb.table.id, cases }];
      }
    }
    // A switch on a value: a chain of ifs.
    const v = this.expr(x, s, w);
    if (!v) return [];
    let out: DStmt[] = [];
    const groups: { labels: A.Expression[]; body: A.BlockStatement | null; isDefault: boolean }[] = [];
    let labels: A.Expression[] = [];
    for (const c of st.cases) {
      if (c.label.kind === "DefaultExpression") {
        groups.push({ labels: [], body: c.body, isDefault: true });
        continue;
      }
      labels.push(c.label);
      if (c.body) {
        groups.push({ labels, body: c.body, isDefault: false });
        labels = [];
      }
    }
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i]!;
      const body = g.body ? this.stmt(g.body, new LScope(s), w) : [];
      if (g.isDefault) {
        out = body;
        continue;
      }
      let cond: DExpr | null = null;
      for (const l of g.labels) {
        const lv = this.expr(l, s, w, v.type);
        if (!lv) continue;
        const eq: DExpr = { k: "binary", op: "==", l: v, r: lv, type: BOOL_T };
        cond = cond ? { k: "binary", op: "||", l: cond, r: eq, type: BOOL_T } : eq;
      }
      if (cond) out = [{ k: "if", cond, then: body, else: out }];
    }
    return out;
  }

  private callStmt(e: A.CallExpression, s: LScope, w: Where): DStmt[] {
    const callee = e.callee;
    const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? this.expr(e.args[i]!.value, s, w, want) : null);
    if (callee.kind === "MemberExpression") {
      const m = callee.member.text;
      if (m === "setValid" || m === "setInvalid") {
        const lv = this.lvalue(callee.expr, s);
        return lv ? [{ k: "setValid", header: lv, valid: m === "setValid" }] : [];
      }
      if (m === "apply" && callee.expr.kind === "PathExpression") {
        const b = s.get(callee.expr.name.text);
        if (b?.k === "table") {
          this.tableHook(b.table, s, w);
          return [{ k: "apply", table: b.table.id, cases: null }];
        }
        if (b?.k === "subcontrol") return this.subcontrolHook(b.block, e.args, s, w);
      }
      if (callee.expr.kind === "PathExpression") {
        const b = s.get(callee.expr.name.text);
        if (b?.k === "pkt") return this.packetCall(m, e, s, w);
        if (b) {
          const call = this.externMethod(b, m, e, s, w);
          if (call) return [{ k: "extern", call }];
        }
      }
      if (m === "push_front" || m === "pop_front") {
        const st = this.lvalue(callee.expr, s);
        const n = e.args[0] ? this.constValue(e.args[0].value) : null;
        if (!st || st.type.k !== "stack" || n === null) {
          this.unsupported(e.span, `header stack ${m} here`);
          return [];
        }
        return stackShift(st, st.type.size, st.type.elem, Number(n), m === "push_front");
      }
      this.unsupported(e.span, `call '${printExpression(e)}'`);
      return [];
    }
    if (callee.kind === "PathExpression") {
      const name = callee.name.text;
      switch (name) {
        case "send_to_port": {
          const p = arg(0, bitsT(32));
          return p ? [{ k: "extern", call: { k: "send_to_port", port: p } }] : [];
        }
        case "drop_packet":
          return [{ k: "extern", call: { k: "drop_packet" } }];
        case "verify": {
          const c = arg(0, BOOL_T);
          const errArg = e.args[1]?.value;
          const err = errArg ? this.expr(errArg, s, w) : null;
          return c && err?.k === "const" ? [{ k: "verify", cond: c, error: Number(err.value) }] : [];
        }
        case "add_entry":
        case "add_entry_if":
          return this.addEntry(e, s, w);
        case "set_entry_expire_time": {
          const p = arg(0, bitsT(8));
          return p && w.table ? [{ k: "extern", call: { k: "set_entry_expire_time", table: w.table.id, profile: p } }] : [];
        }
        case "skb_get_meta":
        case "skb_set_meta":
          return [];
        case "mirror_packet":
        case "recirculate":
          this.unsupported(e.span, name);
          return [];
      }
      if (name.startsWith("skb_set_")) {
        if (!this.abiHas("skb_meta", e.span, name)) return [];
        const v = arg(0);
        return v ? [{ k: "extern", call: { k: "skb_set", field: name.slice(8), value: v } }] : [];
      }
      const b = s.get(name);
      if (b?.k === "decl" && (b.decl.kind === "ActionDeclaration" || b.decl.kind === "FunctionDeclaration")) return this.inline(b.decl, e.args, s, w);
      if (b?.k === "decl" && b.decl.kind === "ExternFunctionDeclaration") {
        this.unsupported(e.span, `extern function '${name}'`);
        return [];
      }
    }
    this.unsupported(e.span, `call '${printExpression(e)}'`);
    return [];
  }

  private packetCall(m: string, e: A.CallExpression, s: LScope, w: Where): DStmt[] {
    const target = e.args[0]?.value;
    if (m === "advance") {
      const n = target ? this.constValue(target) : null;
      if (n === null || n % 8n !== 0n) {
        this.unsupported(e.span, "advance by a value that is not a constant number of bytes");
        return [];
      }
      return [{ k: "advance", bits: Number(n) }];
    }
    if (m === "extract" && target?.kind === "MemberExpression" && target.member.text === "next") {
      const st = this.lvalue(target.expr, s);
      if (st && st.type.k === "stack") return [{ k: "extractNext", stack: st, size: st.type.size, layout: st.type.elem }];
    }
    const lv = target ? this.lvalue(target, s) : null;
    if (!lv || lv.type.k !== "header") {
      if ((lv?.type.k === "struct" || lv?.type.k === "stack") && m === "emit") return this.flattenHeaders(lv).map((h) => ({ k: "emit", header: h, layout: (h.type as { name: string }).name }));
      this.unsupported(e.span, `${m} of '${target ? printExpression(target) : ""}'`);
      return [];
    }
    if (m === "extract") {
      if (e.args.length > 1) {
        const bits = this.expr(e.args[1]!.value, s, w, bitsT(32));
        if (!bits || !this.headers.get(lv.type.name)?.varbit) {
          this.unsupported(e.span, "this two-argument extract");
          return [];
        }
        return [{ k: "extract", header: lv, layout: lv.type.name, varbitBits: bits }];
      }
      return [{ k: "extract", header: lv, layout: lv.type.name }];
    }
    if (m === "emit") return [{ k: "emit", header: lv, layout: lv.type.name }];
    this.unsupported(e.span, `packet method '${m}'`);
    return [];
  }

  /** The headers of a struct l-value, in field order (for `emit(hdr)`). */
  private flattenHeaders(lv: LValue): LValue[] {
    if (lv.type.k === "header") return [lv];
    if (lv.type.k === "stack") return Array.from({ length: lv.type.size }, (_, i) => ({ root: lv.root, path: [...lv.path, i], type: { k: "header", name: (lv.type as { elem: string }).elem } as DType }));
    if (lv.type.k !== "struct") return [];
    return this.structs.get(lv.type.name)!.fields.flatMap((f) => this.flattenHeaders({ root: lv.root, path: [...lv.path, f.name], type: f.type }));
  }

  /** Inlines an action or function call: parameters bound to the arguments (by reference for out/inout). */
  inline(decl: A.ActionDeclaration | A.FunctionDeclaration, args: readonly A.Argument[], s: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
    const inner = new LScope(s);
    const pre = this.bindParams(decl.params, args, s, inner, w, cp);
    const label = this.freshLabel("end");
    const body = this.stmts(decl.body.body, inner, { ...w, returnLabel: label });
    return [{ k: "block", body: [...pre, ...body, ...(this.returnLabels.has(label) ? [{ k: "label", label } as DStmt] : [])] }];
  }

  /**
   * Binds parameters to call arguments in `inner`: out/inout parameters (and
   * aggregates) to the argument's storage, scalar in parameters to a local
   * holding the argument's value (returned as statements to run first).
   */
  bindParams(params: readonly A.Parameter[], args: readonly A.Argument[], s: LScope, inner: LScope, w: Where, cp?: (p: A.Parameter, i: number) => DExpr | null): DStmt[] {
    const pre: DStmt[] = [];
    let positional = 0;
    params.forEach((p, i) => {
      const a = args.find((x) => x.name?.text === p.name.text) ?? (args[positional]?.name === null ? args[positional++] : undefined);
      if (!a) {
        const v = cp?.(p, i) ?? null;
        if (v) inner.set(p.name.text, { k: "expr", e: v });
        return;
      }
      const pt = this.dtype(this.ctx.checked.declTypes?.get(p) ?? this.typeOfExpr(a.value), p.span);
      const b = a.value.kind === "PathExpression" ? s.get(a.value.name.text) : undefined;
      if (b && (b.k === "inst" || b.k === "checksum" || b.k === "table" || b.k === "pkt" || b.k === "istd" || b.k === "ostd" || b.k === "subcontrol")) {
        inner.set(p.name.text, b);
        return;
      }
      if (p.direction === "out" || p.direction === "inout") {
        const lv = this.lvalue(a.value, s);
        if (lv) inner.set(p.name.text, { k: "lv", lv });
        else this.unsupported(a.span, `argument '${printExpression(a.value)}' for an ${p.direction} parameter`);
        return;
      }
      if (pt?.k === "scalar") {
        // `in` parameters are copied: a local holds the argument's value at the call.
        const v = this.expr(a.value, s, w, pt.t);
        if (!v) return;
        if (v.k === "const") inner.set(p.name.text, { k: "expr", e: v });
        else {
          const cName = this.freshLocal(p.name.text);
          pre.push({ k: "local", name: cName, type: pt, init: v });
          inner.set(p.name.text, { k: "lv", lv: { root: cName, path: [], type: pt } });
        }
        return;
      }
      const lv = this.lvalue(a.value, s);
      if (lv) inner.set(p.name.text, { k: "lv", lv });
      else this.unsupported(a.span, `argument '${printExpression(a.value)}'`);
    });
    return pre;
  }

  /** The body a table runs for one of its actions: control-plane parameters read from the entry. */
  actionBody(t: TableInfo, ref: { readonly ref: A.ActionRef; readonly action: ActionInfo }, s: LScope, w: Where, paramOffsets: readonly { offset: number; size: number; network: boolean; runtime: RuntimeParam | null; type: ScalarType }[]): DStmt[] {
    const a = ref.action;
    let cpIndex = 0;
    return this.inline(a.decl, ref.ref.args ?? [], s, { ...w, table: t }, (p) => {
      if (p.direction !== null) return null;
      const o = paramOffsets[cpIndex++];
      return o ? { k: "param", offset: o.offset, size: o.size, network: o.network, runtime: o.runtime, type: o.type } : null;
    });
  }

  private addEntry(e: A.CallExpression, s: LScope, w: Where): DStmt[] {
    const t = w.table;
    if (!t) return [];
    const offset = e.callee.kind === "PathExpression" && e.callee.name.text === "add_entry_if" ? 1 : 0;
    const argOf = (name: string, pos: number): A.Argument | undefined => e.args.find((a) => a.name?.text === name) ?? (e.args.every((a) => a.name === null) ? e.args[pos] : undefined);
    const nameArg = argOf("action_name", offset)?.value;
    const ref = nameArg?.kind === "StringLiteral" ? t.actionRefs.find((r) => r.action?.decl.name.text === nameArg.value) : undefined;
    if (!ref?.action) return [];
    const paramsArg = argOf("action_params", offset + 1)?.value;
    const values = paramsArg ? this.flatten(paramsArg.kind === "CastExpression" ? paramsArg.expr : paramsArg, s, w) ?? [] : [];
    const layout = paramLayout(this.ctx.abi, ref.action);
    const profileArg = argOf("expire_time_profile_id", offset + 2)?.value;
    const profile = (profileArg ? this.expr(profileArg, s, w, bitsT(8)) : null) ?? { k: "const", value: 0n, type: bitsT(8) };
    const call: ExternCall = {
      k: "add_entry",
      table: t.id,
      actionId: ref.action.id,
      params: layout.map((l, i) => ({ offset: l.offset, size: l.size, network: l.network, value: values[i] ?? { k: "const", value: 0n, type: l.type } })),
      profile,
    };
    if (offset === 1) {
      const cond = this.expr(e.args[0]!.value, s, w, BOOL_T);
      return cond ? [{ k: "if", cond, then: [{ k: "extern", call }], else: [] }] : [];
    }
    return [{ k: "extern", call }];
  }

  // ---------------------------------------------------------------------
  // Parser transitions

  selectCases(sel: A.SelectExpression, s: LScope, w: Where): { keys: DExpr[]; cases: SelectCase[] } | null {
    const keys: DExpr[] = [];
    for (const k of sel.selectors) {
      const x = this.expr(k, s, w);
      if (!x) return null;
      keys.push(x);
    }
    const cases: SelectCase[] = [];
    for (const c of sel.cases) {
      const parts = c.keyset.kind === "TupleKeysetExpression" ? c.keyset.elements : keys.length > 1 && c.keyset.kind === "ListExpression" ? c.keyset.elements : [c.keyset];
      const ks: SelectCase["keys"][number][] = [];
      if (parts.length === 1 && (parts[0]!.kind === "DefaultExpression" || parts[0]!.kind === "DontCareExpression")) {
        cases.push({ keys: keys.map(() => ({ k: "any" })), to: c.state.text });
        continue;
      }
      if (parts.length !== keys.length) {
        this.unsupported(c.keyset.span, "a keyset of another arity than the select");
        return null;
      }
      for (const p of parts) {
        if (p.kind === "DefaultExpression" || p.kind === "DontCareExpression") ks.push({ k: "any" });
        else if (p.kind === "BinaryExpression" && p.op === "&&&") {
          const v = this.constValue(p.left);
          const m = this.constValue(p.right);
          if (v === null || m === null) return this.badKeyset(p);
          ks.push({ k: "mask", value: v, mask: m });
        } else if (p.kind === "BinaryExpression" && p.op === "..") {
          const lo = this.constValue(p.left);
          const hi = this.constValue(p.right);
          if (lo === null || hi === null) return this.badKeyset(p);
          ks.push({ k: "range", lo, hi });
        } else {
          const v = this.constValue(p);
          if (v === null) return this.badKeyset(p);
          ks.push({ k: "value", value: v });
        }
      }
      cases.push({ keys: ks, to: c.state.text });
    }
    return { keys, cases };
  }

  private badKeyset(p: A.Expression): null {
    this.unsupported(p.span, `keyset '${printExpression(p)}' (only constants, masks, ranges and default)`);
    return null;
  }
}

function counterMode(inst: ExternInstanceInfo): "pkts" | "bytes" | "pktsnbytes" {
  return inst.instType === "BYTES" ? "bytes" : inst.instType === "PACKETS_AND_BYTES" ? "pktsnbytes" : "pkts";
}

/** Byte offsets of an action's control-plane parameters in the kernel's action blob. */
export function paramLayout(abi: P4tcAbi, a: ActionInfo, runtime: (name: string) => RuntimeParam | null = () => null): { offset: number; size: number; network: boolean; runtime: RuntimeParam | null; type: ScalarType }[] {
  let offset = 0;
  return a.params.map((p) => {
    const slot = abi.paramSlot(p.type, p.bitwidth);
    const r = { offset, size: slot.size, network: slot.network, runtime: runtime(p.name), type: bitsT(p.bitwidth) };
    offset += slot.slot;
    return r;
  });
}

/**
 * `push_front(n)` / `pop_front(n)` of a stack of `size` elements: elements
 * copied (validity included) to their new places, the vacated ones made
 * invalid, `nextIndex` moved.
 */
function stackShift(st: LValue, size: number, elem: string, n: number, push: boolean): DStmt[] {
  const at = (i: number): LValue => ({ root: st.root, path: [...st.path, i], type: { k: "header", name: elem } });
  const out: DStmt[] = [];
  if (push) {
    for (let i = size - 1; i >= n; i--) out.push({ k: "copy", lhs: at(i), rhs: at(i - n) });
    for (let i = 0; i < Math.min(n, size); i++) out.push({ k: "setValid", header: at(i), valid: false });
  } else {
    for (let i = 0; i + n < size; i++) out.push({ k: "copy", lhs: at(i), rhs: at(i + n) });
    for (let i = Math.max(0, size - n); i < size; i++) out.push({ k: "setValid", header: at(i), valid: false });
  }
  out.push({ k: "stackShift", stack: st, size, by: push ? n : -n });
  return out;
}

