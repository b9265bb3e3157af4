/**
 * evaluateConstEntries: evaluates each table's `entries` to constants: one
 * key value per key field (a value, `v &&& m`, `lo .. hi`, or `_`/`default`),
 * the action (one of the table's actions) with its constant arguments, and
 * the kernel priority when the program gives explicit priorities (P4: the
 * larger value wins unless `largest_priority_wins = false`; the kernel: the
 * smaller wins).
 *
 * Before: `ctx.tables` with keys and `actionRefs`. After:
 * `table.constEntries`; non-constant values, arity mismatches and values
 * the kernel cannot load are reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { NO_ACTION, PERMISSIONS, isShellSafeName, tableMatchType, type ConstEntryModel, type ConstKeyValue } from "../../ir/pipeline.js";
import { MAX_ENTRY_EXPANSION, rangeToMasks } from "../../ir/values.js";
import type { MidendContext, TableInfo } from "../context.js";

export function evaluateConstEntries(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    const prop = t.decl.properties.find((p): p is A.EntriesProperty => p.kind === "EntriesProperty");
    if (!prop) continue;
    if (prop.entries.length > 0 && tableMatchType(t.keys.map((k) => k.matchKind)) !== "exact") {
      const why = ctx.abi.lacks("masked_const_entries");
      if (why !== null) {
        ctx.diags.report(Msg.Mid_AbiLacks, prop.span, `const entries of ${tableMatchType(t.keys.map((k) => k.matchKind))} table '${t.decl.name.text}'`, ctx.abi.name, why);
        continue;
      }
    }
    const explicit = prop.entries.map((e) => (e.priority ? ctx.env.evalConst(e.priority)?.value ?? null : null));
    const largestWins = !t.decl.properties.some(
      (p) => p.kind === "ValueProperty" && p.name.text === "largest_priority_wins" && p.value.kind === "BoolLiteral" && !p.value.value,
    );
    const maxPrio = explicit.reduce<bigint>((m, v) => (v !== null && v > m ? v : m), 0n);
    prop.entries.forEach((entry, i) => {
      const m = entryModel(ctx, t, entry);
      if (!m) return;
      const p = explicit[i];
      if (p !== null && p !== undefined) m.priority = Number(largestWins ? maxPrio - p + 1n : p);
      if (!expansionFits(ctx, t, entry, m)) return;
      t.constEntries.push(m);
    });
  }
}

/**
 * P4TC has no range match: each range key becomes its value/mask cover, and
 * the entry one kernel entry per combination of the keys' pairs. Reports an
 * entry whose combinations exceed MAX_ENTRY_EXPANSION, or that has an
 * explicit priority and more than one combination.
 */
function expansionFits(ctx: MidendContext, t: TableInfo, entry: A.TableEntry, m: ConstEntryModel): boolean {
  let n = 1;
  m.keys.forEach((k, i) => {
    if (k.kind === "range") n *= rangeToMasks(k.low, k.high, t.keys[i]!.bitwidth).length;
  });
  if (n > MAX_ENTRY_EXPANSION) {
    ctx.diags.report(Msg.Mid_EntryExpansion, entry.keyset.span, t.name, n, MAX_ENTRY_EXPANSION);
    return false;
  }
  if (m.priority !== null && n > 1) {
    ctx.diags.report(Msg.Mid_EntryPriorityExpansion, entry.keyset.span, t.name, n);
    return false;
  }
  return true;
}

function entryModel(ctx: MidendContext, t: TableInfo, entry: A.TableEntry): ConstEntryModel | null {
  const ks = entry.keyset.kind === "TupleKeysetExpression" || entry.keyset.kind === "ListExpression" ? entry.keyset.elements : [entry.keyset];
  if (ks.length !== t.keys.length) {
    ctx.diags.report(Msg.Mid_EntryUnsupported, entry.keyset.span, "", t.name, `${ks.length} key values for ${t.keys.length} key fields`);
    return null;
  }
  const keys: ConstKeyValue[] = [];
  for (let i = 0; i < ks.length; i++) {
    // `tc p4template ... entry` names each key field: a stack element's `[i]` is no P4TC name.
    if (!isShellSafeName(t.keys[i]!.name)) {
      ctx.diags.report(Msg.Mid_EntryUnsupported, ks[i]!.span, t.keys[i]!.name, t.name, "a P4TC key name is letters, digits, '_', '.' and '/': give the key field a @name");
      return null;
    }
    const k = keyValue(ctx, t, ks[i]!, t.keys[i]!.bitwidth);
    if (!k) {
      ctx.diags.report(Msg.Mid_EntryUnsupported, ks[i]!.span, t.keys[i]!.name, t.name, "the value is not a compile-time constant");
      return null;
    }
    if (k.kind === "dontcare" && t.keys[i]!.matchKind === "exact") {
      ctx.diags.report(Msg.Mid_EntryUnsupported, ks[i]!.span, t.keys[i]!.name, t.name, "an exact key must have a value");
      return null;
    }
    if (!maskable(t.keys[i]!) && masks(k, t.keys[i]!.bitwidth).some((m) => m !== (1n << BigInt(t.keys[i]!.bitwidth)) - 1n)) {
      ctx.diags.report(Msg.Mid_EntryUnsupported, ks[i]!.span, t.keys[i]!.name, t.name, `a ${t.keys[i]!.type} key takes exact values only: tc p4template writes value/mask for keys of at most 64 bits, ipv4, ipv6 and macaddr`);
      return null;
    }
    keys.push(k);
  }
  const ref = entry.action;
  const decl = ctx.env.actionOf(ref);
  const action = decl ? ctx.actionOf(t.block, decl) : undefined;
  if (!action && ref.name.text === NO_ACTION) {
    ctx.diags.report(Msg.Mid_Unsupported, ref.name.span, "NoAction as the action of a const entry");
    return null;
  }
  // The front end checks that an entry's action is in the table's list (Fe_ActionNotInTable).
  if (!action || !t.actionRefs.some((r) => r.action === action)) throw new Error(`internal: entry action '${ref.name.text}' of table '${t.name}' is not in its list after the front end`);
  const args: ConstEntryModel["args"] = [];
  const positional = (ref.args ?? []).filter((a) => a.name === null);
  for (const [i, p] of action.params.entries()) {
    const arg = ref.args?.find((a) => a.name?.text === p.name) ?? positional[i];
    const v = arg ? ctx.env.evalConstAs(arg.value, p.bitwidth) : null;
    if (!arg || !v) {
      ctx.diags.report(Msg.Mid_NotConstant, arg?.value.span ?? ref.span, `argument '${p.name}' of ${ref.name.text} in a const entry`);
      return null;
    }
    args.push({ name: p.name, text: v.text, value: v.value });
  }
  return { keys, action: action.name, args, priority: null, permissions: PERMISSIONS.constEntry };
}

/** Whether tc p4template can write a masked value of the key's type (not: `dev`, and bitW wider than 64 bits). */
function maskable(k: TableInfo["keys"][number]): boolean {
  return k.type !== "dev" && !(k.type.startsWith("bit") && k.bitwidth > 64);
}

/** The masks of the kernel matches a key value stands for (a range's value/mask cover; none for an empty range). */
function masks(k: ConstKeyValue, width: number): bigint[] {
  const full = (1n << BigInt(width)) - 1n;
  switch (k.kind) {
    case "value":
      return [full];
    case "mask":
      return [k.mask & full];
    case "range":
      return rangeToMasks(k.low, k.high, width).map((p) => p.mask);
    case "dontcare":
      return [0n];
  }
}

function keyValue(ctx: MidendContext, t: TableInfo, e: A.Expression, width: number): ConstKeyValue | null {
  if (e.kind === "DontCareExpression" || e.kind === "DefaultExpression") return { kind: "dontcare", text: "default" };
  const all = (1n << BigInt(width)) - 1n;
  const lit = (v: bigint): string => `${width}w${v}`;
  if (e.kind === "BinaryExpression" && (e.op === "&&&" || e.op === "..")) {
    const l = ctx.env.evalConst(e.left);
    const r = ctx.env.evalConst(e.right);
    if (!l || !r) return null;
    const lo = l.value & all;
    const hi = r.value & all;
    return e.op === "&&&"
      ? { kind: "mask", text: `${lit(lo)}&&&${lit(hi)}`, value: lo, mask: hi }
      : { kind: "range", text: `${lit(lo)}..${lit(hi)}`, low: lo, high: hi };
  }
  const v = ctx.env.evalConst(e);
  if (!v) return null;
  const value = v.value & all;
  return { kind: "value", text: value === v.value ? v.text : value.toString(), value };
}
