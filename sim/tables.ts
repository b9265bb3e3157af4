/**
 * A table's run-time contents in the interpreter: const entries, entries the
 * control plane (or `add_entry`) added, and the default action; lookup by
 * each match kind. Where several entries match, the choice follows P4TC
 * (sim/README.md): lpm takes the longest prefix, ternary/range/optional the
 * lowest priority value (the earliest added on a tie).
 */
import type * as A from "../compiler/ast/nodes.js";
import type { V } from "./values.js";

export interface KeyMatchValue {
  readonly value: bigint;
  /** Bits that must match; all ones when undefined. */
  readonly mask?: bigint;
  /** Inclusive bounds of a range key (const entries). */
  readonly range?: readonly [bigint, bigint];
}

export interface TableEntry {
  readonly keys: readonly KeyMatchValue[];
  readonly action: A.ActionDeclaration;
  readonly args: readonly V[];
  /** null: allocated in order of addition. */
  prio: number | null;
}

export interface DefaultAction {
  readonly action: A.ActionDeclaration;
  readonly args: readonly V[];
  readonly ref: A.ActionRef | null;
}

export class TableState {
  readonly keyElements: readonly A.KeyElement[];
  readonly actions: readonly A.ActionRef[];
  readonly entries: TableEntry[] = [];
  defaultAction: DefaultAction | null = null;
  initialised = false;
  private nextPrio = 0;
  private readonly lpm: boolean;

  constructor(
    readonly decl: A.TableDeclaration,
    readonly control: A.ControlDeclaration,
    readonly widths: readonly number[],
    /** The table's path: the main control's name, then the instance names (`C.i1.tb` for `tb` in control instance `i1` of `C`). */
    readonly path: string,
  ) {
    const key = decl.properties.find((p): p is A.KeyProperty => p.kind === "KeyProperty");
    this.keyElements = key?.elements ?? [];
    const acts = decl.properties.find((p): p is A.ActionsProperty => p.kind === "ActionsProperty");
    this.actions = acts?.actions ?? [];
    const kinds = this.keyElements.map((k) => k.matchKind.text);
    this.lpm = kinds.includes("lpm") && kinds.every((k) => k === "lpm" || k === "exact");
  }

  keyWidth(i: number): number {
    return this.widths[i] ?? 0;
  }

  private mask(i: number, k: KeyMatchValue): bigint {
    return k.mask ?? (1n << BigInt(this.keyWidth(i))) - 1n;
  }

  private sameKey(a: TableEntry, b: TableEntry): boolean {
    return a.keys.every((k, i) => {
      const o = b.keys[i]!;
      if (k.range || o.range) return !!k.range && !!o.range && k.range[0] === o.range[0] && k.range[1] === o.range[1];
      const m = this.mask(i, k);
      return m === this.mask(i, o) && (k.value & m) === (o.value & m);
    });
  }

  /** A control-plane entry: replaces an entry with the same key and mask. */
  add(e: TableEntry): void {
    const at = this.entries.findIndex((x) => this.sameKey(x, e));
    const entry = { ...e, prio: e.prio ?? ++this.nextPrio };
    if (at >= 0) this.entries[at] = entry;
    else this.entries.push(entry);
  }

  /** A data-plane entry (`add_entry`): none is added when an entry has the same key, as P4TC's create fails (EEXIST). */
  addNew(e: TableEntry): boolean {
    if (this.entries.some((x) => this.sameKey(x, e))) return false;
    this.entries.push({ ...e, prio: e.prio ?? ++this.nextPrio });
    return true;
  }

  /** A const entry: an earlier one with the same key wins. */
  addConst(e: TableEntry): void {
    this.addNew(e);
  }

  remove(keys: readonly KeyMatchValue[]): boolean {
    const probe: TableEntry = { keys, action: null as unknown as A.ActionDeclaration, args: [], prio: null };
    const at = this.entries.findIndex((x) => this.sameKey(x, probe));
    if (at < 0) return false;
    this.entries.splice(at, 1);
    return true;
  }

  lookup(key: readonly bigint[]): TableEntry | null {
    let best: TableEntry | null = null;
    let bestScore = 0n;
    for (const e of this.entries) {
      const ok = e.keys.every((k, i) => {
        const x = key[i] ?? 0n;
        if (k.range) return k.range[0] <= x && x <= k.range[1];
        const m = this.mask(i, k);
        return (x & m) === (k.value & m);
      });
      if (!ok) continue;
      if (this.lpm) {
        // The longest prefix: the most mask bits over the key.
        const score = e.keys.reduce((n, k, i) => n + BigInt(popcount(this.mask(i, k))), 0n);
        if (!best || score > bestScore) {
          best = e;
          bestScore = score;
        }
      } else if (!best || (e.prio ?? 0) < (best.prio ?? 0)) best = e;
    }
    return best;
  }
}

function popcount(x: bigint): number {
  let n = 0;
  for (; x > 0n; x >>= 1n) if (x & 1n) n++;
  return n;
}
