/**
 * Which extracted header fields the generated code ever reads back, so the
 * parser stores only those, and which header the deparser may leave in the
 * packet when the packet is resized.
 *
 * A field is read when an expression anywhere in the data path (parser,
 * control, table keys, actions, deparser) names it, when its header or the
 * whole headers struct is copied, or when the deparser writes its header back
 * to the packet. A field nobody reads is unobservable: the parser leaves it at
 * the zero the header map's clearing gives, and a write to it in a header that
 * is never emitted is dropped.
 */
import type { DatapathModel, DExpr, DStmt, LValue, ParserState } from "../../ir/datapath.js";
import { siteActionBodies } from "../../ir/datapath.js";

export interface DatapathUses {
  readonly unusedFields: readonly string[];
  readonly inPlaceFront: string | null;
  /** Drops the writes to fields nobody reads of headers never emitted (right-hand sides without extern calls). */
  readonly prune: (list: readonly DStmt[]) => DStmt[];
}

type Model = Pick<DatapathModel, "parser" | "control" | "deparser" | "tables" | "headers" | "modifiedHeaders" | "mayResize">;

/** Flat list of a statement list and the statements nested in it. */
function flat(list: readonly DStmt[], out: DStmt[] = []): DStmt[] {
  for (const st of list) {
    out.push(st);
    if (st.k === "if") {
      flat(st.then, out);
      flat(st.else, out);
    } else if (st.k === "block") flat(st.body, out);
    else if (st.k === "apply") for (const c of st.cases ?? []) flat(c.body, out);
  }
  return out;
}

const isLValue = (v: unknown): v is LValue => typeof v === "object" && v !== null && "root" in v && "path" in v && Array.isArray((v as LValue).path);

/** Every l-value an expression (or any value holding expressions) reads; a `valid` test reads no field. */
function exprReads(v: unknown, read: (lv: LValue) => void): void {
  if (typeof v !== "object" || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) exprReads(x, read);
    return;
  }
  if (isLValue(v)) {
    read(v);
    return;
  }
  if ((v as DExpr).k === "valid") return;
  for (const [key, x] of Object.entries(v)) if (key !== "type") exprReads(x, read);
}

/** The reads of one statement, not of the statements nested in it (flat() lists those). */
function stmtReads(st: DStmt, read: (lv: LValue) => void): void {
  switch (st.k) {
    case "assign":
      exprReads(st.rhs, read);
      return;
    case "copy":
      read(st.rhs);
      return;
    case "local":
      exprReads(st.init, read);
      return;
    case "if":
    case "verify":
      exprReads(st.cond, read);
      return;
    case "extract":
    case "extractNext":
      exprReads(st.varbitBits, read);
      return;
    case "select":
      exprReads(st.keys, read);
      return;
    case "extern":
      exprReads(st.call, read);
      return;
    case "block":
    case "apply":
    case "setValid":
    case "stackShift":
    case "advance":
    case "transition":
    case "exit":
    case "return":
    case "label":
    case "emit":
      return;
  }
}

const hasExtern = (v: unknown): boolean =>
  typeof v === "object" && v !== null && ((v as DExpr).k === "extern" || Object.entries(v).some(([key, x]) => key !== "type" && hasExtern(x)));

/** The header `hdr.H` an l-value of path length 1 names, else null. */
const topHeader = (lv: LValue): string | null => (lv.root === "hdr" && lv.path.length === 1 && typeof lv.path[0] === "string" ? lv.path[0] : null);

export function datapathUses(m: Model): DatapathUses {
  const states = m.parser.states;
  const all = flat([
    ...m.parser.locals,
    ...states.flatMap((s) => s.body),
    ...m.control.locals,
    ...m.control.body,
    ...siteActionBodies(m.tables),
    ...m.deparser.locals,
    ...m.deparser.body,
  ]);
  // Reads: "H" for every field of header H, "H.f" for one field, "*" for all headers.
  const reads = new Set<string>();
  const read = (lv: LValue): void => {
    if (lv.root !== "hdr") return;
    if (lv.path.length === 0) reads.add("*");
    else if (lv.path.length === 1 || typeof lv.path[1] !== "string") reads.add(String(lv.path[0]));
    else reads.add(`${String(lv.path[0])}.${lv.path[1]}`);
  };
  for (const st of all) stmtReads(st, read);
  for (const t of m.tables) for (const site of t.sites) exprReads(site.keys, read);
  const isRead = (h: string, f: string): boolean => reads.has("*") || reads.has(h) || reads.has(`${h}.${f}`);

  const emits = flat(m.deparser.body).filter((s): s is Extract<DStmt, { k: "emit" }> => s.k === "emit");
  const emitted = new Set(emits.map((s) => String(s.header.path[0])));
  // An emit of anything but a header of the headers struct: every header counts as emitted and written back.
  const emitsAll = emits.some((s) => s.header.root !== "hdr" || s.header.path.length === 0);
  const inPlaceFront = m.mayResize && !emitsAll ? frontInPlace(m, states, all, emits) : null;
  const writtenBack = (h: string): boolean => emitsAll || (emitted.has(h) && h !== inPlaceFront && (m.mayResize || m.modifiedHeaders.includes(h)));

  const unused: string[] = [];
  const layouts = new Map(m.headers.map((h) => [h.name, h]));
  const seen = new Set<string>();
  for (const st of all) {
    if (st.k !== "extract") continue;
    const h = topHeader(st.header);
    const layout = layouts.get(st.layout);
    if (h === null || !layout || layout.varbit || seen.has(h) || writtenBack(h)) continue;
    seen.add(h);
    for (const f of layout.fields) if (!isRead(h, f.name)) unused.push(`${h}.${f.name}`);
  }
  const unusedSet = new Set(unused);
  const dead = (st: DStmt): boolean =>
    st.k === "assign" && !emitsAll && st.lhs.root === "hdr" && st.lhs.path.length === 2 && !emitted.has(String(st.lhs.path[0])) &&
    typeof st.lhs.path[1] === "string" && !isRead(String(st.lhs.path[0]), st.lhs.path[1]) && !hasExtern(st.rhs);
  const prune = (list: readonly DStmt[]): DStmt[] =>
    list.filter((st) => !dead(st)).map((st) => {
      if (st.k === "if") return { ...st, then: prune(st.then), else: prune(st.else) };
      if (st.k === "block") return { ...st, body: prune(st.body) };
      if (st.k === "apply" && st.cases) return { ...st, cases: st.cases.map((c) => ({ ...c, body: prune(c.body) })) };
      return st;
    });
  return { unusedFields: [...unusedSet].sort(), inPlaceFront, prune };
}

/**
 * The header the deparser need not write back although the packet may be
 * resized: emitted first and once, 14 bytes, never changed (no field write,
 * validity change or whole-struct copy), extracted once, by the first
 * statement of `start` that moves in the packet, with no way back to `start`.
 * bpf_skb_adjust_room keeps the first 14 bytes, and when this header is valid
 * neither the emitted nor the parsed length is under 14, so its bytes stay.
 */
function frontInPlace(m: Model, states: readonly ParserState[], all: readonly DStmt[], emits: readonly Extract<DStmt, { k: "emit" }>[]): string | null {
  const first = emits[0];
  const h = first ? topHeader(first.header) : null;
  if (!first || h === null) return null;
  const layout = m.headers.find((x) => x.name === first.layout);
  if (!layout || layout.bits !== 112 || layout.varbit) return null;
  if (emits.filter((s) => String(s.header.path[0]) === h).length !== 1 || m.modifiedHeaders.includes(h)) return null;
  if (all.some((st) => (st.k === "assign" || st.k === "copy") && st.lhs.root === "hdr" && st.lhs.path.length === 0)) return null;
  const extracts = all.filter((st) => (st.k === "extract" && String(st.header.path[0]) === h) || (st.k === "extractNext" && String(st.stack.path[0]) === h));
  const start = states.find((s) => s.name === "start");
  if (extracts.length !== 1 || !start) return null;
  const back = all.some((st) => (st.k === "transition" && st.to === "start") || (st.k === "select" && st.cases.some((c) => c.to === "start")));
  if (back) return null;
  for (const st of start.body) {
    if (st === extracts[0]) return topHeader((st as Extract<DStmt, { k: "extract" }>).header) === h ? h : null;
    if (st.k !== "local" && st.k !== "assign" && st.k !== "verify") return null;
  }
  return null;
}
