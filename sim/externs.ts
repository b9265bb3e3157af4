/**
 * The PNA externs of the interpreter: counters, meters, registers, hashes,
 * checksums, Random and Digest. Each instance is an ExternState; methods
 * take and return interpreter values. Algorithms are P4TC's (sim/README.md):
 * CRC-32 (0x04C11DB7, MSB first, init 0, no final xor) and CRC-16 (0xA001
 * reflected, init 0) over the data's bits packed most significant first;
 * ones'-complement sums over 16-bit big-endian words.
 */
import type * as A from "../compiler/ast/nodes.js";
import type { Type } from "../compiler/frontend/index.js";
import { V, bits, num, zero, coerce, clone, pushBits, bitsToBytes, VOID, SimError, base } from "./values.js";
import type { TableState } from "./tables.js";

export interface SimContext {
  random(): number;
  packetLength(): number;
  currentTable(): { state: TableState; key: bigint[] } | null;
  readonly digests: { name: string; data: V }[];
}

export interface MeterConfig {
  readonly cir: bigint;
  readonly cbs: bigint;
  readonly pir: bigint;
  readonly pbs: bigint;
}

const COLORS = ["RED", "GREEN", "YELLOW"];

export class ExternState {
  /** Counter values by index. */
  readonly counters = new Map<number, { packets: bigint; bytes: bigint }>();
  /** Register cells by index. */
  readonly cells = new Map<number, V>();
  /** Meter configuration and remaining tokens (time does not pass in the interpreter: buckets never refill). */
  readonly meters = new Map<number, { cfg: MeterConfig; tc: bigint; tp: bigint }>();
  /** Checksum state. */
  sum = 0n;
  perPacket?: () => void;

  constructor(
    readonly ctx: SimContext,
    readonly kind: string,
    readonly decl: A.Instantiation,
    readonly ctorArgs: readonly V[],
    readonly typeArgs: readonly Type[],
    /** The instance's path: the main block's name, then the instance names (`C.i1.cnt` for `cnt` in control instance `i1` of `C`). */
    readonly path: string,
  ) {
    if (kind === "InternetChecksum" || kind === "Checksum") this.perPacket = () => { this.sum = 0n; };
  }

  get name(): string {
    return this.decl.name.text;
  }

  private algo(): string {
    const a = this.ctorArgs[0];
    return a && a.t === "enum" ? a.v : "CRC32";
  }

  configureMeter(index: number, cfg: MeterConfig): void {
    this.meters.set(index, { cfg, tc: cfg.cbs, tp: cfg.pbs });
  }

  call(m: string, args: readonly V[], rt: Type | null, _argTypes: readonly (Type | null)[]): V {
    const ret = (v: bigint): V => (rt && base(rt).k === "bits" ? coerce({ t: "int", v }, rt) : { t: "int", v });
    switch (`${this.kind}.${m}`) {
      case "Counter.count": {
        const i = Number(num(args[0]!));
        const n = Number(num(this.ctorArgs[0]!));
        if (i < 0 || i >= n) return VOID;
        // The counter type decides what is counted (PACKETS: the bytes stay 0, BYTES: the packets stay 0).
        const type = this.ctorArgs[1];
        const what = type && type.t === "enum" ? type.v : "PACKETS_AND_BYTES";
        const c = this.counters.get(i) ?? { packets: 0n, bytes: 0n };
        this.counters.set(i, {
          packets: c.packets + (what === "BYTES" ? 0n : 1n),
          // tc counts qdisc_pkt_len: at ingress, the frame less its 14-byte Ethernet header (the P4TC kernel's Counter extern).
          bytes: c.bytes + (what === "PACKETS" ? 0n : BigInt(Math.max(0, this.ctx.packetLength() - 14))),
        });
        return VOID;
      }
      case "DirectCounter.count":
        return VOID;
      case "Meter.execute":
      case "DirectMeter.execute": {
        const idx = this.kind === "Meter" ? Number(num(args[0]!)) : -1;
        const inColor = args[this.kind === "Meter" ? 1 : 0];
        const color = inColor && inColor.t === "enum" ? inColor.v : "GREEN";
        const st = this.meters.get(idx);
        if (!st || (st.cfg.cir === 0n && st.cfg.pir === 0n && st.cfg.cbs === 0n && st.cfg.pbs === 0n)) return { t: "enum", v: color };
        const bytesMeter = this.ctorArgs[this.kind === "Meter" ? 1 : 0];
        const cost = bytesMeter && bytesMeter.t === "enum" && bytesMeter.v === "BYTES" ? BigInt(this.ctx.packetLength()) : 1n;
        let out: string;
        if (color === "RED" || st.tp < cost) out = "RED";
        else if (color === "YELLOW" || st.tc < cost) {
          out = "YELLOW";
          st.tp -= cost;
        } else {
          out = "GREEN";
          st.tp -= cost;
          st.tc -= cost;
        }
        return { t: "enum", v: COLORS.includes(out) ? out : "GREEN" };
      }
      case "Register.read": {
        const i = Number(num(args[0]!));
        const v = this.cells.get(i);
        if (v) return clone(v);
        // A cell never written, or out of range, reads 0: P4TC has no initial value (sim/README.md, row 18).
        return rt ? zero(rt) : VOID;
      }
      case "Register.write": {
        const i = Number(num(args[0]!));
        const size = Number(num(this.ctorArgs[0]!));
        if (i >= 0 && i < size) this.cells.set(i, clone(args[1]!));
        return VOID;
      }
      case "Random.read": {
        const lo = num(this.ctorArgs[0]!);
        const hi = num(this.ctorArgs[1]!);
        const span = hi - lo + 1n;
        return ret(span <= 0n ? lo : lo + (BigInt(this.ctx.random()) % span));
      }
      case "Hash.get_hash": {
        const withBase = args.length === 3;
        const data = withBase ? args[1]! : args[0]!;
        const h = hashOf(this.algo(), dataBytes(data));
        if (!withBase) return ret(h);
        const b = num(args[0]!);
        const max = num(args[2]!);
        return ret(max === 0n ? b : b + (h % max));
      }
      case "Checksum.clear":
      case "InternetChecksum.clear":
        this.sum = 0n;
        return VOID;
      case "Checksum.update": {
        const d = dataBytes(args[0]!);
        const a = this.algo();
        if (a === "CRC16") this.sum = crc16(Number(this.sum), d);
        else if (a === "CRC32") this.sum = crc32(Number(this.sum), d);
        else this.sum = onesAdd(this.sum, d);
        return VOID;
      }
      case "Checksum.get":
        // P4TC's CRC-32 checksum keeps the raw register and returns it inverted.
        return ret(this.algo() === "CRC32" ? this.sum ^ 0xffffffffn : this.algo() === "CRC16" ? this.sum : ~this.sum & 0xffffn);
      case "InternetChecksum.add":
        this.sum = onesAdd(this.sum, dataBytes(args[0]!));
        return VOID;
      case "InternetChecksum.subtract": {
        const d = dataBytes(args[0]!);
        let s = this.sum;
        for (let i = 0; i < d.length; i += 2) {
          s += ~BigInt((d[i]! << 8) | (d[i + 1] ?? 0)) & 0xffffn;
          s = (s & 0xffffn) + (s >> 16n);
        }
        this.sum = s;
        return VOID;
      }
      case "InternetChecksum.get":
        return bits(16, ~fold(this.sum));
      case "InternetChecksum.get_state":
        return bits(16, this.sum);
      case "InternetChecksum.set_state":
        this.sum = num(args[0]!) & 0xffffn;
        return VOID;
      case "Digest.pack":
        this.ctx.digests.push({ name: this.name, data: clone(args[0]!) });
        return VOID;
    }
    throw new SimError(`unsupported extern method ${this.kind}.${m}`);
  }
}

export function makeExtern(ctx: SimContext, kind: string, d: A.Instantiation, args: readonly V[], typeArgs: readonly Type[], path: string): ExternState {
  return new ExternState(ctx, kind, d, args, typeArgs, path);
}

/** The data of a hash or checksum: its fields' bits, most significant first, zero-padded to whole bytes. */
function dataBytes(v: V): Buffer {
  const b: number[] = [];
  pushBits(v, b);
  return bitsToBytes(b);
}

function fold(s: bigint): bigint {
  while (s >> 16n) s = (s & 0xffffn) + (s >> 16n);
  return s;
}

/** Adds 16-bit big-endian words (the last one zero-padded) to a ones'-complement sum, folded. */
function onesAdd(sum: bigint, d: Buffer): bigint {
  let s = sum;
  for (let i = 0; i < d.length; i += 2) s += BigInt((d[i]! << 8) | (d[i + 1] ?? 0));
  return fold(s);
}

function hashOf(algo: string, d: Buffer): bigint {
  switch (algo) {
    case "CRC16": return crc16(0, d);
    case "ONES_COMPLEMENT16":
    case "TARGET_DEFAULT": return ~onesAdd(0n, d) & 0xffffn;
    case "IDENTITY": return d.reduce((v, x) => (v << 8n) | BigInt(x), 0n);
    default: return crc32(0, d);
  }
}

export function crc16(init: number, d: Buffer): bigint {
  let c = init & 0xffff;
  for (const byte of d) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return BigInt(c);
}

export function crc32(init: number, d: Buffer): bigint {
  let c = init >>> 0;
  for (const byte of d) {
    c = (c ^ (byte << 24)) >>> 0;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? ((c << 1) ^ 0x04c11db7) >>> 0 : (c << 1) >>> 0;
  }
  return BigInt(c);
}
