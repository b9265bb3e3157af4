/**
 * Which headers the data path may modify, and whether the bytes in front of
 * the payload may change: the deparser then resizes the packet and writes
 * every emitted header back (DatapathModel.mayResize).
 *
 * The deparser emits exactly the valid headers in `emit` order, followed by
 * the payload: the bytes after the parser's cursor. Those bytes equal the
 * parsed ones, at the same places, only when on every path through the
 * parser the extracted headers are contiguous (nothing skipped with
 * `advance`), each extracted once into a header the deparser emits once and
 * unconditionally, in the order the deparser emits them, and when nothing
 * after parsing changes which headers are valid. Anything else may move,
 * drop, duplicate or insert bytes before the payload.
 */
import type { DStmt, LValue, ParserState } from "../../ir/datapath.js";
import { deparserEmits } from "../../ir/datapath.js";

/** Which headers the control and deparser may modify, and whether the bytes before the payload may change. */
export function analyseChanges(stmts: readonly DStmt[], states: readonly ParserState[], deparser: readonly DStmt[]): { modified: string[]; mayResize: boolean } {
  const modified = new Set<string>();
  let mayResize = false;
  eachStmt(stmts, (st) => {
    if (st.k === "assign" || st.k === "copy") {
      add(modified, st.lhs);
      if (st.k === "copy" && st.lhs.root === "hdr") mayResize = true;
    } else if (st.k === "setValid") {
      add(modified, st.header);
      mayResize = true;
    }
  });
  return { modified: [...modified].sort(), mayResize: mayResize || !parsedBytesStay(states, deparser) };
}

const headerOf = (lv: LValue): string | null => (lv.root === "hdr" && lv.path.length > 0 ? String(lv.path[0]) : null);
const add = (set: Set<string>, lv: LValue): void => {
  const h = headerOf(lv);
  if (h !== null) set.add(h);
};
/** `ipv4`, `mpls[1]`, `u.a`: one header of the headers struct; null for anything else. */
const keyOf = (lv: LValue): string | null => (lv.root === "hdr" && lv.path.length > 0 ? lv.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("") : null);

/**
 * True when the emitted headers are, on every parser path, exactly the
 * extracted ones at their parsed places (validity changes after parsing are
 * checked by the caller).
 */
function parsedBytesStay(states: readonly ParserState[], deparser: readonly DStmt[]): boolean {
  const { emits, conditional } = deparserEmits(deparser);
  if (conditional) return false;
  // Each emitted header's place in the emit order.
  const place = new Map<string, number>();
  for (const [i, e] of emits.entries()) {
    const k = keyOf(e.header);
    if (k === null || place.has(k)) return false;
    place.set(k, i);
  }
  // A stack extracted with `next` fills its elements in order: they must be emitted together, in order.
  const stackSpan = (st: LValue, size: number): readonly [number, number] | null => {
    const k = keyOf(st);
    const first = k === null ? undefined : place.get(`${k}[0]`);
    if (first === undefined) return null;
    for (let i = 1; i < size; i++) if (place.get(`${k}[${i}]`) !== first + i) return null;
    return [first, first + size - 1];
  };
  const extracted = new Set<string>();
  const nextStacks = new Set<string>();
  // The latest emit place extracted on any path reaching a state or label (-1: nothing yet).
  const entry = new Map<string, number>([["start", -1]]);
  let ok = true;
  let changed = true;
  const reach = (to: string, at: number): void => {
    if (to === "accept" || to === "reject") return;
    if ((entry.get(to) ?? -2) < at) {
      entry.set(to, at);
      changed = true;
    }
  };
  const join = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
  // Walks a statement list from `at`; returns the place after it, or null where control does not fall through.
  const run = (list: readonly DStmt[], from: number | null): number | null => {
    let at = from;
    for (const st of list) {
      if (st.k === "label") {
        at = join(at, entry.get(st.label) ?? null);
        if (at !== null) reach(st.label, at);
        continue;
      }
      if (at === null) continue;
      switch (st.k) {
        case "extract": {
          const k = keyOf(st.header);
          const p = k === null ? undefined : place.get(k);
          if (p === undefined || p <= at) ok = false;
          else {
            extracted.add(k!);
            at = p;
          }
          break;
        }
        case "extractNext": {
          const span = stackSpan(st.stack, st.size);
          if (!span || at > span[1]) ok = false;
          else {
            nextStacks.add(keyOf(st.stack)!);
            at = span[1];
          }
          break;
        }
        case "advance":
          if (st.bits > 0) ok = false;
          break;
        case "if":
          at = join(run(st.then, at), run(st.else, at));
          break;
        case "block":
          at = run(st.body, at);
          break;
        case "transition":
          reach(st.to, at);
          at = null;
          break;
        case "select":
          for (const c of st.cases) reach(c.to, at);
          at = null;
          break;
        case "exit":
          at = null;
          break;
        default:
          break;
      }
    }
    return at;
  };
  while (changed && ok) {
    changed = false;
    for (const s of states) {
      const at = entry.get(s.name);
      if (at !== undefined) run(s.body, at);
    }
  }
  if (!ok) return false;
  // An element extracted both by index and with `next` may be overwritten (its first bytes then consumed, not emitted).
  for (const k of extracted) if ([...nextStacks].some((s) => k.startsWith(`${s}[`))) return false;
  // A header emitted but never extracted becomes valid only through a validity change (the caller's check); kept as before.
  const stacked = (k: string): boolean => [...nextStacks].some((s) => k.startsWith(`${s}[`));
  return [...place.keys()].every((k) => extracted.has(k) || stacked(k));
}

/** Calls `fn` on every statement of `list` and on those nested in it (if branches, blocks, action_run cases). */
function eachStmt(list: readonly DStmt[], fn: (st: DStmt) => void): void {
  for (const st of list) {
    fn(st);
    if (st.k === "if") {
      eachStmt(st.then, fn);
      eachStmt(st.else, fn);
    } else if (st.k === "block") eachStmt(st.body, fn);
    else if (st.k === "apply") for (const c of st.cases ?? []) eachStmt(c.body, fn);
  }
}
