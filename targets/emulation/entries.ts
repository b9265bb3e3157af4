/**
 * The control plane of the P4TC emulation, in the style of `tc p4ctrl`:
 * table entries and default actions given with typed values, encoded from
 * the pipeline model into the emulation's map entries (layout.ts). Key
 * fields are laid out as the generated key struct has them (contract §4.2:
 * `ceil(w/8)` bytes each, network order for ipv4/ipv6/macaddr/beN, host
 * order otherwise), action parameters as the kernel's action blob
 * of the model's ABI (compiler/ir/abi `paramSlot`).
 */
import { tableActionNamed, type ActionModel, type PipelineModel, type TableModel } from "../../compiler/ir/pipeline.js";
import { isNetworkType } from "../../compiler/ir/datapath.js";
import type { P4tcAbi } from "../../compiler/ir/abi/index.js";
import { abiOf } from "../../compiler/ir/abi/index.js";
import { rangeToMasks } from "../../compiler/ir/values.js";
import { actBpf, entryKey, entryValue, masksValue, tableValue, MAX_MASKS, TABLE_EXACT, TABLE_LPM, TABLE_TERNARY, ACT_DEFAULT_HIT, ACT_DEFAULT_MISS } from "./layout.js";

/** One map update for the loader. */
export interface MapUpdate {
  readonly map: string;
  readonly key: Buffer;
  /** null: delete the key. */
  readonly value: Buffer | null;
}

/** A key field value as the control plane gives it: a value, optionally with a mask or a prefix length. */
export interface KeyValue {
  readonly value: bigint;
  readonly mask?: bigint;
  readonly prefix?: number;
}

export class EntryError extends Error {}

function bytesOf(v: bigint, n: number, network: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const shift = network ? 8 * (n - 1 - i) : 8 * i;
    out.push(Number((v >> BigInt(shift)) & 0xffn));
  }
  return out;
}

function widthMask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

/** Key bytes and mask bytes of a table entry. */
export function encodeKey(t: TableModel, values: readonly KeyValue[]): { key: number[]; mask: number[] } {
  if (values.length !== t.keys.length) throw new EntryError(`table ${t.name} has ${t.keys.length} key fields, ${values.length} given`);
  const key: number[] = [];
  const mask: number[] = [];
  t.keys.forEach((k, i) => {
    const v = values[i]!;
    const all = widthMask(k.bitwidth);
    let m = all;
    if (v.mask !== undefined) m = v.mask & all;
    else if (v.prefix !== undefined) {
      if (v.prefix < 0 || v.prefix > k.bitwidth) throw new EntryError(`prefix /${v.prefix} of ${k.name} is out of 0..${k.bitwidth}`);
      m = v.prefix === 0 ? 0n : (all >> BigInt(k.bitwidth - v.prefix)) << BigInt(k.bitwidth - v.prefix);
    }
    if (v.value > all) throw new EntryError(`value 0x${v.value.toString(16)} of ${k.name} does not fit in ${k.bitwidth} bits`);
    const n = Math.ceil(k.bitwidth / 8);
    const net = isNetworkType(k.type) || k.bitwidth > 64;
    key.push(...bytesOf(v.value & m, n, net));
    mask.push(...bytesOf(m, n, net));
  });
  return { key, mask };
}

/** The kernel's action blob for an action's control-plane arguments (in parameter order). */
export function encodeParams(abi: P4tcAbi, a: ActionModel, args: readonly bigint[]): number[] {
  if (args.length !== a.params.length) throw new EntryError(`action ${a.name} has ${a.params.length} parameters, ${args.length} given`);
  const out: number[] = [];
  a.params.forEach((p, i) => {
    const v = args[i]!;
    if (v > widthMask(p.bitwidth)) throw new EntryError(`value 0x${v.toString(16)} of ${a.name}.${p.name} does not fit in ${p.bitwidth} bits`);
    const slot = abi.paramSlot(p.type, p.bitwidth);
    out.push(...bytesOf(v, slot.size, slot.network), ...new Array<number>(slot.slot - slot.size).fill(0));
  });
  return out;
}

function tableType(t: TableModel): number {
  return t.matchType === "exact" ? TABLE_EXACT : t.matchType === "lpm" ? TABLE_LPM : TABLE_TERNARY;
}

/**
 * The emulated control plane of one pipeline: what is installed, and the map
 * updates that install it. Masks of lpm/ternary tables get ids in order of
 * first use and are kept longest first.
 */
export class EmulatedControlPlane {
  private readonly masks = new Map<number, { maskid: number; mask: number[] }[]>();
  private readonly defaults = new Map<number, { miss: Buffer | undefined; hit: Buffer | undefined }>();
  private nextPrio = new Map<number, number>();
  /** Installed entries by `tblid/maskid/key bytes`; `fromTest` false for const entries. */
  private readonly installed = new Map<string, { readonly tbl: number; readonly maskid: number; readonly key: readonly number[]; readonly fromTest: boolean }>();

  constructor(readonly model: PipelineModel) {}

  table(name: string): TableModel {
    const norm = (n: string): string => n.replace(/\//g, ".");
    const t = this.model.tables.find((x) => norm(x.name) === norm(name));
    if (!t) throw new EntryError(`no table ${name} (tables: ${this.model.tables.map((x) => x.name).join(", ")})`);
    return t;
  }

  action(t: TableModel, name: string): ActionModel {
    const a = tableActionNamed(this.model, t, name);
    if (!a) throw new EntryError(`action ${name} is not an action of table ${t.name}`);
    return a;
  }

  /** The table setup: every table with its default actions, then its const entries. */
  setup(): MapUpdate[] {
    const out: MapUpdate[] = [];
    for (const t of this.model.tables) {
      const miss = t.defaultMissAction ? this.defaultBlob(t, t.defaultMissAction.action, t.defaultMissAction.params.map((p) => p.value ?? 0n), ACT_DEFAULT_MISS) : undefined;
      const hit = t.defaultHitAction ? this.defaultBlob(t, t.defaultHitAction.action, t.defaultHitAction.params.map((p) => p.value ?? 0n), ACT_DEFAULT_HIT | 1) : undefined;
      this.defaults.set(t.id, { miss, hit });
      out.push(this.tableUpdate(t));
      t.constEntries.forEach((e) => {
        const action = this.model.actions.find((a) => a.name === e.action)!;
        // A range becomes the value/mask entries that cover exactly it (the kernel has no range match).
        let keySets: KeyValue[][] = [[]];
        e.keys.forEach((k, i) => {
          const w = t.keys[i]!.bitwidth;
          const alts: KeyValue[] =
            k.kind === "value" ? [{ value: k.value }] : k.kind === "mask" ? [{ value: k.value & k.mask, mask: k.mask }] : k.kind === "range" ? rangeToMasks(k.low, k.high, w) : [{ value: 0n, mask: 0n }];
          keySets = keySets.flatMap((ks) => alts.map((a) => [...ks, a]));
        });
        for (const keys of keySets) out.push(...this.add(t.name, keys, action.name, e.args.map((a) => a.value), e.priority ?? undefined, true));
      });
    }
    return out;
  }

  private defaultBlob(t: TableModel, action: string, args: readonly bigint[], flags: number): Buffer {
    const a = this.model.actions.find((x) => x.name === action);
    if (!a) throw new EntryError(`default action ${action} of ${t.name} is unknown`);
    return actBpf(a.id, encodeParams(abiOf(this.model), a, args.length === a.params.length ? args : a.params.map(() => 0n)), flags);
  }

  private tableUpdate(t: TableModel): MapUpdate {
    const d = this.defaults.get(t.id) ?? { miss: undefined, hit: undefined };
    return { map: "p4tc_emu_tables", key: u32(t.id), value: tableValue({ type: tableType(t), keysz: t.keySize, defaultMiss: d.miss, defaultHit: d.hit }) };
  }

  /** `create`: an entry of `table` (name `ctrl/tbl` or `ctrl.tbl`) running `action` with `args`. */
  add(table: string, keys: readonly KeyValue[], action: string, args: readonly bigint[], prio?: number, keepExisting = false): MapUpdate[] {
    const t = this.table(table);
    const a = this.action(t, action);
    const { key, mask } = encodeKey(t, keys);
    const out: MapUpdate[] = [];
    let maskid = 0;
    if (t.matchType !== "exact") {
      const list = this.masks.get(t.id) ?? [];
      let m = list.find((x) => x.mask.every((b, i) => b === mask[i]));
      if (!m) {
        if (list.length >= MAX_MASKS) throw new EntryError(`table ${t.name} would need more than ${MAX_MASKS} masks`);
        m = { maskid: list.length + 1, mask };
        list.push(m);
        // Longest prefix (most mask bits) first: lpm's first hit wins.
        list.sort((x, y) => bits(y.mask) - bits(x.mask) || x.maskid - y.maskid);
        this.masks.set(t.id, list);
        out.push({ map: "p4tc_emu_masks", key: u32(t.id), value: masksValue(list) });
      }
      maskid = m.maskid;
    } else if (mask.some((b) => b !== 0xff) && mask.length > 0 && !fullMask(t, mask)) {
      throw new EntryError(`table ${t.name} is exact: an entry cannot have a mask`);
    }
    const id = `${t.id}/${maskid}/${key.join(",")}`;
    // An earlier const entry with the same key and mask wins; the later one could never match.
    if (keepExisting && this.installed.has(id)) return out;
    this.installed.set(id, { tbl: t.id, maskid, key, fromTest: !keepExisting });
    const p = prio ?? this.allocPrio(t.id);
    out.push({ map: "p4tc_emu_entry", key: entryKey(t.id, maskid, key), value: entryValue({ act: actBpf(a.id, encodeParams(abiOf(this.model), a, args), 1), prio: p }) });
    return out;
  }

  /** `update`: replaces the action of an installed entry. */
  update(table: string, keys: readonly KeyValue[], action: string, args: readonly bigint[]): MapUpdate[] {
    const t = this.table(table);
    const where = this.locate(t, keys);
    if (!this.installed.has(`${t.id}/${where.maskid}/${where.key.join(",")}`)) throw new EntryError(`table ${t.name} has no such entry to update`);
    return this.add(table, keys, action, args);
  }

  /** Where `read` finds the entry with these keys: the map and the key to look up; decode the value with `decodeEntry`. */
  locateEntry(table: string, keys: readonly KeyValue[]): { map: string; key: Buffer } {
    const t = this.table(table);
    const where = this.locate(t, keys);
    return { map: "p4tc_emu_entry", key: entryKey(t.id, where.maskid, where.key) };
  }

  /** An entry's action and arguments from its map value (as `tc p4ctrl get` shows them). */
  decodeEntry(value: Buffer): { action: string; args: { name: string; value: bigint }[] } {
    const actId = value.readUInt32LE(8);
    if (actId === 0) return { action: "NoAction", args: [] };
    const a = this.model.actions.find((x) => x.id === actId);
    if (!a) throw new EntryError(`entry runs unknown action id ${actId}`);
    let off = 8 + 5;
    const args = a.params.map((p) => {
      const slot = abiOf(this.model).paramSlot(p.type, p.bitwidth);
      const n = slot.size;
      let v = 0n;
      for (let i = 0; i < n; i++) v |= BigInt(value[off + i]!) << BigInt(slot.network ? 8 * (n - 1 - i) : 8 * i);
      off += slot.slot;
      return { name: p.name, value: v };
    });
    return { action: a.name, args };
  }

  private locate(t: TableModel, keys: readonly KeyValue[]): { maskid: number; key: number[] } {
    const { key, mask } = encodeKey(t, keys);
    if (t.matchType === "exact") return { maskid: 0, key };
    const m = this.masks.get(t.id)?.find((x) => x.mask.every((b, i) => b === mask[i]));
    if (!m) throw new EntryError(`table ${t.name} has no entry with this mask`);
    return { maskid: m.maskid, key };
  }

  /** `delete` of the entry with these keys. */
  remove(table: string, keys: readonly KeyValue[]): MapUpdate[] {
    const t = this.table(table);
    const where = this.locate(t, keys);
    const id = `${t.id}/${where.maskid}/${where.key.join(",")}`;
    if (!this.installed.has(id)) throw new EntryError(`table ${t.name} has no entry with these keys`);
    this.installed.delete(id);
    return [{ map: "p4tc_emu_entry", key: entryKey(t.id, where.maskid, where.key), value: null }];
  }

  /** `delete` of every entry added after setup, in every table (const entries stay). */
  removeAll(): MapUpdate[] {
    const out: MapUpdate[] = [];
    for (const [id, e] of this.installed) {
      if (!e.fromTest) continue;
      this.installed.delete(id);
      out.push({ map: "p4tc_emu_entry", key: entryKey(e.tbl, e.maskid, e.key), value: null });
    }
    return out;
  }

  /** `update ... default_miss_action`. */
  setDefault(table: string, action: string, args: readonly bigint[]): MapUpdate[] {
    const t = this.table(table);
    const a = this.action(t, action);
    const d = this.defaults.get(t.id) ?? { miss: undefined, hit: undefined };
    this.defaults.set(t.id, { ...d, miss: actBpf(a.id, encodeParams(abiOf(this.model), a, args), ACT_DEFAULT_MISS) });
    return [this.tableUpdate(t)];
  }

  private allocPrio(tbl: number): number {
    const n = (this.nextPrio.get(tbl) ?? 0) + 1;
    this.nextPrio.set(tbl, n);
    return n;
  }
}

function fullMask(t: TableModel, mask: readonly number[]): boolean {
  let i = 0;
  for (const k of t.keys) {
    const n = Math.ceil(k.bitwidth / 8);
    const all = bytesOf(widthMask(k.bitwidth), n, isNetworkType(k.type) || k.bitwidth > 64);
    for (let j = 0; j < n; j++) if (mask[i + j] !== all[j]) return false;
    i += n;
  }
  return true;
}

function bits(mask: readonly number[]): number {
  return mask.reduce((n, b) => n + popcount(b), 0);
}

function popcount(b: number): number {
  let n = 0;
  for (let x = b; x; x &= x - 1) n++;
  return n;
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/**
 * A control-plane value written as `tc p4ctrl` takes it for a field of P4TC
 * type `type`: numbers (`10`, `0x0a`), `ipv4` dotted quads, `ipv6` colon
 * groups (with `::`), `macaddr` `aa:bb:cc:dd:ee:ff`, each optionally with
 * `/PREFIXLEN` (addresses, or any decimal prefix) or `/0xMASK`.
 */
export function parseTypedValue(type: string, width: number, text: string): KeyValue {
  const slash = text.indexOf("/");
  const body = slash < 0 ? text : text.slice(0, slash);
  const suffix = slash < 0 ? null : text.slice(slash + 1);
  const value = parseScalar(type, body);
  if (suffix === null) return { value };
  if (/^0x[0-9a-fA-F]+$/.test(suffix)) return { value, mask: BigInt(suffix) };
  if (/^\d+$/.test(suffix)) {
    const prefix = Number(suffix);
    if (prefix > width) throw new EntryError(`prefix /${prefix} is longer than the ${width}-bit field`);
    return { value, prefix };
  }
  throw new EntryError(`bad mask or prefix '/${suffix}'`);
}

function parseScalar(type: string, t: string): bigint {
  if (type === "ipv4" && /^\d+\.\d+\.\d+\.\d+$/.test(t)) {
    const parts = t.split(".").map(Number);
    if (parts.some((p) => p > 255)) throw new EntryError(`bad IPv4 address '${t}'`);
    return parts.reduce((v, p) => (v << 8n) | BigInt(p), 0n);
  }
  if (type === "macaddr" && /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(t)) return t.split(":").reduce((v, p) => (v << 8n) | BigInt(parseInt(p, 16)), 0n);
  if (type === "ipv6" && t.includes(":")) {
    const [head, tail] = t.split("::") as [string, string | undefined];
    const h = head ? head.split(":") : [];
    const tl = tail !== undefined && tail !== "" ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - tl.length).fill("0"), ...tl];
    if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new EntryError(`bad IPv6 address '${t}'`);
    return groups.reduce((v, g) => (v << 16n) | BigInt(parseInt(g, 16)), 0n);
  }
  if (/^0x[0-9a-fA-F]+$/.test(t) || /^\d+$/.test(t)) return BigInt(t);
  throw new EntryError(`'${t}' is not a ${type} value`);
}

/**
 * The filter's `.bss` (`struct p4tc_filter_fields`) as the P4TC loader fills it on `tc filter add` from the
 * introspection JSON's `default_value`s: the runtime (`@tc_may_override`) params of default actions, at the
 * places and sizes the generated header (`parserHeader`, NAME_parser.h) declares them, so that main reads
 * the program's values; the 24 common bytes stay 0 (the emulation ignores the pipeline id). Null when the
 * program has no runtime param.
 */
export function filterFieldsValue(model: PipelineModel, parserHeader: string): Buffer | null {
  const decl = /struct p4tc_filter_fields \{([^}]*)\}/.exec(parserHeader);
  const fields = [...(decl?.[1] ?? "").matchAll(/__u8 (\w+)\[(\d+)\];/g)].map((m) => ({ name: m[1]!, size: Number(m[2]) }));
  if (fields.length === 0) return null;
  const out = Buffer.alloc(24 + fields.reduce((n, f) => n + f.size, 0));
  const abi = abiOf(model);
  const cName = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "_");
  for (const t of model.tables) {
    for (const d of [t.defaultHitAction, t.defaultMissAction]) {
      const a = d?.mayOverride ? model.actions.find((x) => x.name === d.action) : undefined;
      if (!d || !a) continue;
      const params = encodeParams(abi, a, a.params.map((p) => d.params.find((x) => x.name === p.name)?.value ?? 0n));
      let at = 0;
      for (const p of a.params) {
        const slot = abi.paramSlot(p.type, p.bitwidth).slot;
        const name = `${cName(t.name)}_${cName(a.localName)}_${p.name}`;
        let off = 24;
        for (const f of fields) {
          if (f.name === name) Buffer.from(params.slice(at, at + Math.min(slot, f.size))).copy(out, off);
          off += f.size;
        }
        at += slot;
      }
    }
  }
  return out;
}
