/**
 * Byte layouts of the P4TC emulation maps (runtime-headers/p4ts_p4tc_emu.h,
 * documented in runtime-headers/README.md, "P4TC emulation"): encoders a
 * loader uses to fill the maps with `bpftool map update ... key hex ...
 * value hex ...`. All integers little-endian (host order on x86 / arm64).
 */

/** p4ts_emu_table.type (P4TS_EMU_TABLE_*) */
export const TABLE_EXACT = 0;
export const TABLE_LPM = 1;
export const TABLE_TERNARY = 2;
/** p4ts_emu_table.flags (P4TS_EMU_TABLE_F_*) */
export const TABLE_F_DEFAULT_MISS = 0x1;
export const TABLE_F_DEFAULT_HIT = 0x2;
export const TABLE_F_DIRECT_COUNT = 0x4;
/** p4ts_emu_entry.flags: the entry has no action (P4TS_EMU_ENTRY_F_NOACTION) */
export const ENTRY_F_NOACTION = 0x1;
/** The flag byte (offset 4) of struct p4tc_table_entry_act_bpf (P4TS_EMU_ACT_*) */
export const ACT_HIT = 0x1;
export const ACT_DEFAULT_MISS = 0x2;
export const ACT_DEFAULT_HIT = 0x4;
/** P4TS_EMU_MAX_MASKS as the header defaults it (the size of a p4tc_emu_masks value depends on it). */
export const MAX_MASKS = 32;

/** Fixed extern type ids of the template (contract §2.6) */
export const EXT_COUNTER_ID = 0x19000000;
export const EXT_DIRECT_COUNTER_ID = 0x1a000000;
export const EXT_METER_ID = 0x1b000000;
export const EXT_DIRECT_METER_ID = 0x1c000000;
/** PNA meter colors as the meter kfuncs return them */
export const COLOR_RED = 0;
export const COLOR_GREEN = 1;
export const COLOR_YELLOW = 2;

const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** struct p4tc_table_entry_act_bpf: act_id, flag byte, 124 param bytes (129). */
export function actBpf(actId: number, params: readonly number[] | Buffer = [], flags = 0): Buffer {
  const b = Buffer.alloc(129);
  b.writeUInt32LE(actId >>> 0, 0);
  b[4] = flags;
  Buffer.from(params).copy(b, 5);
  return b;
}

/** struct p4ts_emu_table (276 bytes), value of p4tc_emu_tables[tblid]. */
export function tableValue(t: { type: number; keysz: number; flags?: number; defaultMiss?: Buffer; defaultHit?: Buffer }): Buffer {
  const b = Buffer.alloc(276);
  b.writeUInt32LE(t.type, 0);
  b.writeUInt32LE(t.keysz, 4);
  let flags = t.flags ?? 0;
  if (t.defaultMiss) flags |= TABLE_F_DEFAULT_MISS;
  if (t.defaultHit) flags |= TABLE_F_DEFAULT_HIT;
  b.writeUInt32LE(flags, 8);
  t.defaultMiss?.copy(b, 16);
  t.defaultHit?.copy(b, 145);
  return b;
}

/** struct p4ts_emu_key (72 bytes), key of p4tc_emu_entry. */
export function entryKey(tblid: number, maskid: number, keyBytes: readonly number[] | Buffer): Buffer {
  const b = Buffer.alloc(72);
  b.writeUInt32LE(tblid, 0);
  b.writeUInt32LE(maskid, 4);
  Buffer.from(keyBytes).copy(b, 8);
  return b;
}

export interface MeterConfig {
  cir: bigint | number;
  pir: bigint | number;
  cbs: bigint | number;
  pbs: bigint | number;
  tc?: bigint | number;
  tp?: bigint | number;
  lastNs?: bigint | number;
}

/** struct p4ts_emu_meter (56 bytes). */
export function meterValue(m: MeterConfig): Buffer {
  const b = Buffer.alloc(56);
  const fields = [m.cir, m.pir, m.cbs, m.pbs, m.tc ?? 0, m.tp ?? 0, m.lastNs ?? 0];
  fields.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), i * 8));
  return b;
}

/** struct p4ts_emu_entry (216 bytes), value of p4tc_emu_entry. */
export function entryValue(e: { act?: Buffer; prio?: number; flags?: number; pkts?: bigint; bytes?: bigint; meter?: MeterConfig }): Buffer {
  const b = Buffer.alloc(216);
  b.writeUInt32LE(e.prio ?? 0, 0);
  b.writeUInt32LE(e.flags ?? 0, 4);
  (e.act ?? actBpf(0)).copy(b, 8);
  b.writeBigUInt64LE(e.pkts ?? 0n, 144);
  b.writeBigUInt64LE(e.bytes ?? 0n, 152);
  if (e.meter) meterValue(e.meter).copy(b, 160);
  return b;
}

/** struct p4ts_emu_masks (8 + 72 * MAX_MASKS bytes), value of p4tc_emu_masks[tblid]. */
export function masksValue(masks: readonly { maskid: number; mask: readonly number[] | Buffer }[]): Buffer {
  if (masks.length > MAX_MASKS) throw new Error(`at most ${MAX_MASKS} masks`);
  const b = Buffer.alloc(8 + 72 * MAX_MASKS);
  b.writeUInt32LE(masks.length, 0);
  masks.forEach((m, i) => {
    b.writeUInt32LE(m.maskid, 8 + 72 * i);
    Buffer.from(m.mask).copy(b, 8 + 72 * i + 8);
  });
  return b;
}

/** struct p4ts_emu_ext_key (12 bytes): counters, meters, registers. */
export function extKey(extId: number, instId: number, index: number): Buffer {
  return Buffer.concat([u32(extId), u32(instId), u32(index)]);
}

/** Bytes ANDed with a mask. */
export function andMask(key: readonly number[], mask: readonly number[]): number[] {
  return key.map((k, i) => k & (mask[i] ?? 0));
}

/** Bytes as bpftool's `hex` arguments: ["0a", "00", ...]. */
export function hexArgs(b: Buffer): string[] {
  return [...b].map((x) => x.toString(16).padStart(2, "0"));
}

