// Test harness for the P4TC emulation (runtime-headers/p4ts_p4tc_emu.h):
// byte encoders for the emulation maps (the layouts README.md documents),
// compiling a fixture with emulation on, loading it with bpftool into a
// private bpffs, installing map entries and running it with
// BPF_PROG_TEST_RUN (`bpftool prog run`).
import fs from "node:fs";
import path from "node:path";
import { BPF_CFLAGS } from "../../../codegen/build/index.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { need, onPath, realClang, run, tmpDir } from "../build/tools.js";

export const emuFixturesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "fixtures");

// ---------------------------------------------------------------- layouts

export const TABLE_EXACT = 0;
export const TABLE_LPM = 1;
export const TABLE_TERNARY = 2;
export const TABLE_F_DEFAULT_MISS = 0x1;
export const TABLE_F_DEFAULT_HIT = 0x2;
export const TABLE_F_DIRECT_COUNT = 0x4;
export const ENTRY_F_NOACTION = 0x1;
export const ACT_HIT = 0x1;
export const ACT_DEFAULT_MISS = 0x2;
export const ACT_DEFAULT_HIT = 0x4;
export const MAX_MASKS = 32;

export const EXT_COUNTER_ID = 0x19000000;
export const EXT_DIRECT_COUNTER_ID = 0x1a000000;
export const EXT_METER_ID = 0x1b000000;
export const EXT_DIRECT_METER_ID = 0x1c000000;
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

/** A request packet (emu_common.h): op, arg8, arg32, 8 param bytes, 32 data bytes, 16 output bytes. */
export function request(op: number, o: { arg8?: number; arg32?: number; params?: readonly number[] | Buffer; data?: readonly number[] | Buffer; len?: number } = {}): Buffer {
  const b = Buffer.alloc(Math.max(64, o.len ?? 64));
  b[0] = op;
  b[1] = o.arg8 ?? 0;
  b.writeUInt32LE((o.arg32 ?? 0) >>> 0, 4);
  if (o.params) Buffer.from(o.params).copy(b, 8);
  if (o.data) Buffer.from(o.data).copy(b, 16, 0, 32);
  return b;
}

// ---------------------------------------------------------------- tools

let probeMemo: string | null | undefined;
/** Why this machine cannot load BPF programs into a private bpffs, or null when it can (probed once). */
function bpfUnavailable(): string | null {
  if (probeMemo !== undefined) return probeMemo;
  probeMemo = null;
  if (process.getuid?.() !== 0) probeMemo = "not root: cannot load BPF programs";
  else {
    const show = run("bpftool", ["-j", "prog", "show"]);
    if (show.status !== 0) probeMemo = `the bpf syscall is not usable here: ${show.out.trim().split("\n")[0]}`;
    else {
      const dir = tmpDir("emu-probe");
      const m = run("mount", ["-t", "bpf", "bpf", dir]);
      if (m.status !== 0) probeMemo = `cannot mount a bpffs: ${m.out.trim().split("\n")[0]}`;
      else run("umount", [dir]);
    }
  }
  return probeMemo;
}

/**
 * True when this machine can compile, load and run BPF (clang with the BPF
 * target, bpftool, root, a working bpf syscall, bpffs mounts); otherwise
 * prints one line and skips, or fails under P4TS_REQUIRE_TOOLS=1.
 */
export function canRunBpf(): boolean {
  if (!need(realClang() !== undefined, "no clang with the BPF target")) return false;
  if (!need(onPath("bpftool") !== undefined, "no bpftool on PATH")) return false;
  const why = bpfUnavailable();
  return need(why === null, why ?? "");
}

/** Compiles a fixture with the emulation on; throws with clang's output on failure. */
export function compileFixture(name: string, defines: readonly string[] = []): string {
  const obj = path.join(tmpDir("emu-obj"), name.replace(/\.c$/, ".o"));
  const args = [...BPF_CFLAGS, "-nostdinc", "-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", ...defines];
  const r = run(realClang()!, [...args, "-I", runtimeHeadersDir, "-I", emuFixturesDir, "-c", path.join(emuFixturesDir, name), "-o", obj]);
  if (r.status !== 0 || r.out !== "") throw new Error(`clang ${name} failed:\n${r.out}`);
  return obj;
}

const hex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, "0"));

export interface RunResult {
  retval: number;
  /** retval as a signed 32-bit int (kfunc error codes) */
  rc: number;
  dataOut: Buffer;
}

/** A loaded program with its maps pinned in a private bpffs. */
export class EmuProgram {
  private constructor(
    readonly dir: string,
    readonly prog: string,
    readonly mapDir: string,
    /** Instructions the verifier processed (from its log; only when loaded with verifierStats). */
    readonly verifiedInsns?: number,
  ) {}

  /** Mounts a private bpffs, loads obj (a tc action program by default), pins its maps. */
  static load(obj: string, type = "action", opts: { verifierStats?: boolean } = {}): EmuProgram {
    const dir = tmpDir("emu-bpffs");
    const m = run("mount", ["-t", "bpf", "bpf", dir]);
    if (m.status !== 0) throw new Error(`cannot mount a bpffs: ${m.out}`);
    const prog = path.join(dir, "prog");
    const mapDir = path.join(dir, "maps");
    fs.mkdirSync(mapDir);
    const r = run("bpftool", [...(opts.verifierStats ? ["-d"] : []), "prog", "load", obj, prog, "type", type, "pinmaps", mapDir]);
    if (r.status !== 0) {
      run("umount", [dir]);
      throw new Error(`bpftool prog load failed:\n${r.out.slice(-4000)}`);
    }
    const processed = /processed (\d+) insns/.exec(r.out);
    return new EmuProgram(dir, prog, mapDir, processed ? Number(processed[1]) : undefined);
  }

  close(): void {
    run("umount", [this.dir]);
  }

  mapPath(name: string): string {
    return path.join(this.mapDir, name);
  }

  update(map: string, key: Buffer, value: Buffer): void {
    const r = run("bpftool", ["map", "update", "pinned", this.mapPath(map), "key", "hex", ...hex(key), "value", "hex", ...hex(value)]);
    if (r.status !== 0) throw new Error(`bpftool map update ${map} failed:\n${r.out}`);
  }

  delete(map: string, key: Buffer): void {
    const r = run("bpftool", ["map", "delete", "pinned", this.mapPath(map), "key", "hex", ...hex(key)]);
    if (r.status !== 0) throw new Error(`bpftool map delete ${map} failed:\n${r.out}`);
  }

  /** The value bytes, or undefined when the key is absent. */
  lookup(map: string, key: Buffer): Buffer | undefined {
    const r = run("bpftool", ["-j", "map", "lookup", "pinned", this.mapPath(map), "key", "hex", ...hex(key)]);
    // bpftool -j says `null` (exit 254) for an absent key.
    if (r.stdout.trim() === "null") return undefined;
    if (r.status !== 0) throw new Error(`bpftool map lookup ${map} failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { value: string[] };
    return Buffer.from(j.value.map((x) => parseInt(x, 16)));
  }

  /** Pops one record from a queue map, or undefined when it is empty. */
  dequeue(map: string): Buffer | undefined {
    const r = run("bpftool", ["-j", "map", "dequeue", "pinned", this.mapPath(map)]);
    // bpftool -j says `null` (exit 254) for an empty queue.
    if (r.stdout.trim() === "null") return undefined;
    if (r.status !== 0) throw new Error(`bpftool map dequeue ${map} failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { value: string[] };
    return Buffer.from(j.value.map((x) => parseInt(x, 16)));
  }

  /** One BPF_PROG_TEST_RUN with pkt as the packet (run `repeat` times; the last run's results). */
  run(pkt: Buffer, repeat = 1): RunResult {
    const d = tmpDir("emu-run");
    const inFile = path.join(d, "in");
    const outFile = path.join(d, "out");
    fs.writeFileSync(inFile, pkt);
    const r = run("bpftool", ["-j", "prog", "run", "pinned", this.prog, "data_in", inFile, "data_out", outFile, "repeat", String(repeat)]);
    if (r.status !== 0) throw new Error(`bpftool prog run failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { retval: number };
    const retval = j.retval >>> 0;
    return { retval, rc: retval | 0, dataOut: fs.existsSync(outFile) ? fs.readFileSync(outFile) : Buffer.alloc(0) };
  }
}
