/**
 * lowerDatapath: lowers the main parser, main control and main deparser to
 * the datapath IR the eBPF back end renders (compiler/ir/datapath.ts): header and
 * struct layouts, parser states, the control body with actions and functions
 * inlined, each table's key expressions and per-action bodies at each of its
 * apply sites (a control instance applied twice applies its tables twice, each
 * time with that apply's arguments; control-plane
 * parameters read from the kernel's action blob, `@tc_may_override` ones
 * from the filter's `.bss`), and the analyses the deparser uses to write back
 * only what may have changed.
 *
 * Before: tables, actions and externs collected and numbered (assignIds).
 * After: `ctx.datapath`; constructs the P4TC data path cannot run are
 * reported as located errors.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import type { Type } from "../../frontend/index.js";
import type { DatapathModel, DStmt, ParserState, RuntimeParam, TableDatapath, TableSite } from "../../ir/datapath.js";
import { isNetworkType, siteActionBodies } from "../../ir/datapath.js";
import { kernelKeySize } from "../../ir/pipeline.js";
import { LScope, Lowerer, paramLayout, type Where } from "../lower/index.js";
import { datapathUses } from "./datapathUses.js";
import { analyseChanges } from "./packetShape.js";
import type { BlockInfo, MidendContext, TableInfo } from "../context.js";

export function lowerDatapath(ctx: MidendContext): void {
  const main = ctx.main;
  if (!main) return;
  const L = new Lowerer(ctx);
  const top = new LScope(null, ctx.checked.refs);
  for (const d of ctx.program.declarations) {
    if (d.kind === "ActionDeclaration" || d.kind === "FunctionDeclaration" || d.kind === "ExternFunctionDeclaration") top.set(d, { k: "decl", decl: d });
  }

  const blockOf = (decl: A.Declaration): BlockInfo | undefined => ctx.blocks.find((b) => b.decl === decl && b.instance === null);
  const roots = rootsOf(ctx, L, main.parser);
  if (!roots) return;

  // Each apply of a table is lowered where it is, in the scope of the control
  // that declares the table as bound for this apply (a sub-control applied
  // twice binds its parameters twice): one site of the one kernel table.
  const blockScopes = new Map<BlockInfo, LScope>();
  const runtimeParams: { name: string; size: number }[] = [];
  const built = new Map<number, { table: TableDatapath; sites: TableSite[] }>();
  L.tableHook = (t, s, w) => {
    const site = tableSite(ctx, L, t, blockScopes.get(t.block) ?? s, { ...w, table: null, returnLabel: null }, runtimeParams);
    let b = built.get(t.id);
    if (!b) {
      const sites: TableSite[] = [];
      b = { table: tableDatapath(t, site.paramBytes, sites), sites };
      built.set(t.id, b);
    }
    b.sites.push(site.site);
    return b.sites.length - 1;
  };
  // A control instantiated in a control, or a parser in a parser, is inlined where it is applied.
  L.subcontrolHook = (block, call, s, w) => {
    const args = call.args;
    if (block.decl.kind === "ParserDeclaration") {
      if (w.block !== "parser") {
        ctx.diags.report(Msg.Mid_Unsupported, block.instance?.span ?? block.decl.span, `applying parser ${block.decl.name.text} from a control`);
        return [];
      }
      const sub = block.decl;
      const inner = blockScope(ctx, L, top, sub, block, roots, false);
      const pre = L.bindParams(sub.params, args, s, inner, w);
      const prefix = L.freshLabel(`${block.instance?.name.text ?? sub.name.text}`);
      // Its accept continues after the apply; its reject is the parser's.
      const rename = (n: string): string => (n === "accept" ? `${prefix}_accept` : n === "reject" ? "reject" : `${prefix}_${n}`);
      const locals = localDecls(L, sub.locals, inner, w);
      const body: DStmt[] = [...pre, ...locals, { k: "transition", to: rename("start") }];
      for (const st of lowerStates(L, sub, inner, w, rename)) body.push({ k: "label", label: rename(st.name) }, { k: "block", body: st.body });
      body.push({ k: "label", label: rename("accept") });
      return [{ k: "block", body }];
    }
    // Applied again, it is inlined again with these arguments: its tables get another apply site each.
    const inner = blockScope(ctx, L, top, block.decl, block, roots, false);
    const pre = L.bindParams(block.decl.params, args, s, inner, w);
    blockScopes.set(block, inner);
    const label = L.freshLabel("end");
    const locals = localDecls(L, block.decl.locals, inner, w);
    const body = L.stmts(block.decl.body.body, new LScope(inner), { ...w, returnLabel: label });
    return [{ k: "block", body: [...pre, ...locals, ...body, { k: "label", label }] }];
  };

  // Parser
  const pScope = blockScope(ctx, L, top, main.parser, blockOf(main.parser), roots);
  const pw: Where = { block: "parser", table: null, returnLabel: null };
  const pLocals = localDecls(L, main.parser.locals, pScope, pw);
  const states: ParserState[] = lowerStates(L, main.parser, pScope, pw, (n) => n);

  // Control
  const cScope = blockScope(ctx, L, top, main.control, blockOf(main.control), roots);
  const cBlock = blockOf(main.control);
  if (cBlock) blockScopes.set(cBlock, cScope);
  const cw: Where = { block: "control", table: null, returnLabel: null };
  const cLocals = localDecls(L, main.control.locals, cScope, cw);
  const cBody = L.stmts(main.control.body.body, new LScope(cScope), cw);

  // Deparser
  const dScope = blockScope(ctx, L, top, main.deparser, blockOf(main.deparser), roots);
  const dBlock = blockOf(main.deparser);
  if (dBlock) blockScopes.set(dBlock, dScope);
  const dw: Where = { block: "deparser", table: null, returnLabel: null };
  const dLocals = localDecls(L, main.deparser.locals, dScope, dw);
  const dBody = L.stmts(main.deparser.body.body, new LScope(dScope), dw);
  const tables = [...built.values()].map((b) => b.table).sort((a, b) => a.id - b.id);


  // Parser states count too: a header field the parser assigns (after extracting it) must be written back.
  const changed = analyseChanges([...pLocals, ...states.flatMap((s) => s.body), ...cLocals, ...cBody, ...siteActionBodies(tables), ...dLocals, ...dBody], states, [...dLocals, ...dBody]);
  const model = {
    headers: [...L.headers.values()],
    structs: [...L.structs.values()],
    headersStruct: roots.hdr,
    metaStruct: roots.meta,
    errors: L.errors,
    parser: { locals: pLocals, states },
    control: { locals: cLocals, body: cBody },
    deparser: { locals: dLocals, body: dBody },
    tables,
    runtimeParams,
    checksums: L.checksums,
    modifiedHeaders: changed.modified,
    mayResize: changed.mayResize,
  };
  const uses = datapathUses(model);
  ctx.datapath = {
    ...model,
    control: { locals: cLocals, body: uses.prune(cBody) },
    deparser: { locals: dLocals, body: uses.prune(dBody) },
    tables: tables.map((t) => ({ ...t, sites: t.sites.map((site) => ({ ...site, actions: site.actions.map((a) => ({ ...a, body: uses.prune(a.body) })) })) })),
    unusedFields: uses.unusedFields,
    inPlaceFront: uses.inPlaceFront,
  } satisfies DatapathModel;
}

/** A parser's states, lowered; transition targets renamed with `rename` (identity for the main parser). */
function lowerStates(L: Lowerer, parser: A.ParserDeclaration, scope: LScope, w: Where, rename: (n: string) => string): ParserState[] {
  return parser.states.map((st) => {
    const s = new LScope(scope);
    const body = L.stmts(st.body, s, w);
    const tr = st.transition;
    if (!tr) body.push({ k: "transition", to: "reject" });
    else if (tr.target.kind === "PathExpression") body.push({ k: "transition", to: rename(tr.target.name.text) });
    else {
      const sel = L.selectCases(tr.target, s, w);
      if (sel) body.push({ k: "select", keys: sel.keys, cases: sel.cases.map((c) => ({ ...c, to: rename(c.to) })) });
    }
    const loc = L.loc(st.span);
    return loc ? { name: st.name.text, loc, body } : { name: st.name.text, body };
  });
}

interface Roots {
  readonly hdr: string;
  readonly meta: string;
}

/** The headers and metadata struct types: the parser's `out` headers parameter and its metadata parameter. */
function rootsOf(ctx: MidendContext, L: Lowerer, parser: A.ParserDeclaration): Roots | null {
  const pt = (p: A.Parameter | undefined): Type | undefined => (p ? ctx.checked.declTypes.get(p) : undefined);
  const hdrT = pt(parser.params[1]);
  const metaT = pt(parser.params[2]);
  const hd = L.dtype(hdrT, parser.span);
  const md = L.dtype(metaT, parser.span);
  if (!hd || hd.k !== "struct" || !md || md.k !== "struct") {
    ctx.diags.report(Msg.Mid_Unsupported, parser.span, "a main parser whose second and third parameters are not the headers and metadata structs");
    return null;
  }
  return { hdr: hd.name, meta: md.name };
}

/** The scope of a pipeline block: its parameters bound to the shared storage, its locals to their declarations. */
function blockScope(ctx: MidendContext, L: Lowerer, top: LScope, decl: A.ParserDeclaration | A.ControlDeclaration, block: BlockInfo | undefined, roots: Roots, bindParamsByType = true): LScope {
  const s = new LScope(top);
  for (const p of bindParamsByType ? decl.params : []) {
    const t = ctx.checked.declTypes.get(p);
    const name = t && "decl" in t && t.decl && "name" in t.decl ? (t.decl as { name: A.Name }).name.text : null;
    if (name === "packet_in" || name === "packet_out") s.set(p, { k: "pkt" });
    else if (name !== null && L.cTypeName(name) === roots.hdr) s.set(p, { k: "lv", lv: { root: "hdr", path: [], type: { k: "struct", name: roots.hdr } } });
    else if (name !== null && L.cTypeName(name) === roots.meta) s.set(p, { k: "lv", lv: { root: "meta", path: [], type: { k: "struct", name: roots.meta } } });
    else if (name === "pna_main_input_metadata_t" || name === "pna_main_parser_input_metadata_t") s.set(p, { k: "istd" });
    else if (name === "pna_main_output_metadata_t") s.set(p, { k: "ostd" });
  }
  for (const l of decl.locals) {
    if (l.kind === "ActionDeclaration") s.set(l, { k: "decl", decl: l });
    else if (l.kind === "TableDeclaration") {
      // A control instantiated twice has a table per instance: this block's.
      const t = ctx.tables.find((x) => x.decl === l && (!block || x.block === block));
      if (t) s.set(l, { k: "table", table: t });
    } else if (l.kind === "Instantiation") {
      // Each instance is a block of its own: the one this block instantiates here.
      const sub = ctx.blocks.find((b) => b.instance === l && (!block || b.parent === block));
      if (sub) {
        s.set(l, { k: "subcontrol", block: sub });
        continue;
      }
      const inst = ctx.externs.find((e) => e.decl === l && (!block || e.block === block));
      if (inst && (inst.externName === "InternetChecksum" || inst.externName === "Checksum")) {
        // One checksum state per instance of the parser that declares it.
        const cName = block ? `${block.controlName}_${block.prefix}${l.name.text}`.replace(/[^A-Za-z0-9_]/g, "_") : `${decl.name.text}_${l.name.text}`;
        const width = inst.type.args[0] && inst.type.args[0].k === "bits" ? inst.type.args[0].width : 16;
        const algo = inst.externName === "InternetChecksum" ? "csum16" : width === 32 ? "crc32" : "crc16";
        if (!L.checksums.some((c) => c.name === cName)) L.checksums.push({ name: cName, algo });
        s.set(l, { k: "checksum", cName, decl: l });
      } else if (inst) s.set(l, { k: "inst", inst });
    }
  }
  return s;
}

/** Variable and constant declarations of a block (instances, actions and tables are bound in its scope). */
function localDecls(L: Lowerer, locals: readonly (A.ControlLocalDeclaration | A.ParserLocalElement)[], s: LScope, w: Where): DStmt[] {
  const out: DStmt[] = [];
  for (const l of locals) if (l.kind === "VariableDeclaration" || l.kind === "ConstantDeclaration") out.push(...L.stmt(l, s, w));
  return out;
}

/** A table's identity, the same at every apply site; `sites` is filled as the applies are lowered. */
function tableDatapath(t: TableInfo, paramBytes: number, sites: readonly TableSite[]): TableDatapath {
  const cName = t.name.replace(/[^A-Za-z0-9_]/g, "_");
  const keyFields = t.keys.map((k) => ({ width: k.bitwidth, network: isNetworkType(k.type) }));
  return { id: t.id, cName, keySize: kernelKeySize(t.keys.map((k) => k.bitwidth)), keyFields, sites, paramBytes };
}

/** One apply of table `t`: its key values and action bodies in scope `s`, and the parameter bytes its entries use. */
function tableSite(ctx: MidendContext, L: Lowerer, t: TableInfo, s: LScope, w: Where, runtimeFields: { name: string; size: number }[]): { site: TableSite; paramBytes: number } {
  const cName = t.name.replace(/[^A-Za-z0-9_]/g, "_");
  const keys = t.keyElements.map((el, i) => {
    const k = t.keys[i]!;
    return L.expr(el.expr, s, w, { width: k.bitwidth, signed: false }) ?? { k: "const" as const, value: 0n, type: { width: k.bitwidth, signed: false } };
  });
  const actions: TableSite["actions"][number][] = [];
  let paramBytes = 0;
  for (const r of t.actionRefs) {
    if (!r.action) continue;
    const action = r.action;
    const runtime = (param: string): RuntimeParam | null => {
      const miss = t.defaultMiss?.mayOverride && t.defaultMiss.action === action.name ? t.defaultMiss.params.some((p) => p.name === param && p.runtime) : false;
      const hit = t.defaultHit?.mayOverride && t.defaultHit.action === action.name ? t.defaultHit.params.some((p) => p.name === param && p.runtime) : false;
      if (!miss && !hit) return null;
      const field = `${cName}_${action.localName.replace(/[^A-Za-z0-9_]/g, "_")}_${param}`;
      const p = action.params.find((x) => x.name === param)!;
      if (!runtimeFields.some((f) => f.name === field)) runtimeFields.push({ name: field, size: ctx.abi.paramSlot(p.type, p.bitwidth).slot });
      return { miss: miss ? field : null, hit: hit ? field : null };
    };
    const layout = paramLayout(ctx.abi, action, runtime);
    paramBytes = Math.max(paramBytes, ...layout.map((p) => p.offset + p.size));
    if (actions.some((a) => a.id === action.id)) continue;
    const loc = L.loc(action.decl.span);
    actions.push({ id: action.id, name: `${action.block?.prefix ?? ""}${action.decl.name.text}`, ...(loc ? { loc } : {}), body: L.actionBody(t, { ref: r.ref, action }, s, w, layout) });
  }
  return { site: { keys, actions }, paramBytes };
}
