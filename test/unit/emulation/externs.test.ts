// The extern kfuncs of the P4TC emulation, loaded into the running kernel:
// counters (indirect and direct), RFC 2698 meters, registers, digests,
// ports and skb metadata.
import { cleanupTmpDirs } from "../build/tools.js";
import {
  COLOR_GREEN as G,
  COLOR_RED as R,
  COLOR_YELLOW as Y,
  EXT_COUNTER_ID,
  EXT_METER_ID,
  EmuProgram,
  MeterConfig,
  TABLE_EXACT,
  actBpf,
  canRunBpf,
  compileFixture,
  entryKey,
  entryValue,
  extKey,
  meterValue,
  request,
  tableValue,
} from "./emu.js";

const OP = {
  COUNT_PKTS: 1,
  COUNT_BYTES: 2,
  COUNT_PKTSNBYTES: 3,
  COUNT_DIRECT: 4,
  METER_PKTS: 5,
  METER_BYTES: 6,
  METER_PKTS_COLOR: 7,
  METER_DIRECT: 8,
  METER_BYTES_COLOR: 9,
  REG_READ: 10,
  REG_WRITE: 11,
  REG_INCREMENT: 12,
  REG_READ_NO_WRITEBACK: 13,
  DIGEST: 14,
  PORTS: 15,
  COUNT_BAD_SZ: 16,
  SKB_META: 17,
  SKB_META_ALL: 18,
};
const REGISTER_EXT_ID = 0x2;
const DIGEST_EXT_ID = 0x05000000;
const ENOENT = -2;
const ESRCH = -3;
const EINVAL = -22;

const u32le = (v: number) => Buffer.from([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
const T1_KEY = [10, 0, 0, 1, 80, 0];

afterAll(cleanupTmpDirs);

/** The extern ABI: the kernel's v13 layout (default) or the reference compiler's. */
interface Abi {
  name: string;
  defines: string[];
  paramsSize: number;
  valSize: number;
}
const ABIS: Abi[] = [
  { name: "v13 extern layout", defines: [], paramsSize: 152, valSize: 140 },
  { name: "reference extern layout (-DP4TS_EXT_ABI_REFERENCE)", defines: ["-DP4TS_EXT_ABI_REFERENCE"], paramsSize: 88, valSize: 76 },
];

describe.each(ABIS)("$name", (abi) => {
  let prog: EmuProgram | undefined;
  const ok = canRunBpf();
  // Without root, bpftool or clang these tests are registered as skipped (canRunBpf fails instead under P4TS_REQUIRE_TOOLS=1).
  const test = ok ? globalThis.test : globalThis.test.skip;

  beforeAll(() => {
    if (!ok) return;
    prog = EmuProgram.load(compileFixture("emu_externs.c", abi.defines));
    prog.update("p4tc_emu_tables", u32le(1), tableValue({ type: TABLE_EXACT, keysz: 48 }));
    prog.update("p4tc_emu_entry", entryKey(1, 0, T1_KEY), entryValue({ act: actBpf(1), meter: { cir: 0, pir: 0, cbs: 1, pbs: 2 } }));
  });

  afterAll(() => {
    prog?.close();
  });

  function counter(extId: number, inst: number, index: number): { pkts: bigint; bytes: bigint } | undefined {
    const v = prog!.lookup("p4tc_emu_cnt", extKey(extId, inst, index));
    return v && { pkts: v.readBigUInt64LE(0), bytes: v.readBigUInt64LE(8) };
  }

  /** Runs a burst of n meter calls in one program run; the colors in order. */
  function burst(op: number, n: number, o: { inst?: number; index?: number; inColor?: number; len?: number; data?: number[] } = {}): number[] {
    const r = prog!.run(request(op, { arg8: o.inst ?? 1, arg32: o.index ?? 0, params: [o.inColor ?? G, n], len: o.len, data: o.data }));
    if (r.rc < 0) throw new Error(`meter returned ${r.rc}`);
    return Array.from({ length: n }, (_, i) => (r.retval >>> (2 * i)) & 3);
  }

  function setMeter(index: number, m: MeterConfig) {
    prog!.update("p4tc_emu_meter", extKey(EXT_METER_ID, 1, index), meterValue(m));
  }

  describe("counters", () => {
    test("indirect: packets, bytes (the frame less its Ethernet header, as tc's qdisc_pkt_len) or both, per {ext, instance, index}", () => {
      if (!ok) return;
      for (let i = 0; i < 3; i++) expect(prog!.run(request(OP.COUNT_PKTS, { arg8: 1, arg32: 5, len: 100 })).rc).toBe(0);
      for (let i = 0; i < 2; i++) expect(prog!.run(request(OP.COUNT_BYTES, { arg8: 1, arg32: 6, len: 100 })).rc).toBe(0);
      for (let i = 0; i < 4; i++) expect(prog!.run(request(OP.COUNT_PKTSNBYTES, { arg8: 1, arg32: 7, len: 80 })).rc).toBe(0);
      expect(counter(EXT_COUNTER_ID, 1, 5)).toEqual({ pkts: 3n, bytes: 0n });
      expect(counter(EXT_COUNTER_ID, 1, 6)).toEqual({ pkts: 0n, bytes: 2n * (100n - 14n) });
      expect(counter(EXT_COUNTER_ID, 1, 7)).toEqual({ pkts: 4n, bytes: 4n * (80n - 14n) });
      expect(counter(EXT_COUNTER_ID, 2, 5)).toBeUndefined();
    });

    test("direct: the matched entry's counter; a key with no entry is -ENOENT", () => {
      if (!ok) return;
      for (let i = 0; i < 2; i++) expect(prog!.run(request(OP.COUNT_DIRECT, { data: T1_KEY, len: 90 })).rc).toBe(0);
      const e = prog!.lookup("p4tc_emu_entry", entryKey(1, 0, T1_KEY))!;
      expect([e.readBigUInt64LE(144), e.readBigUInt64LE(152)]).toEqual([2n, 2n * (90n - 14n)]);
      expect(prog!.run(request(OP.COUNT_DIRECT, { data: [10, 0, 0, 9, 80, 0] })).rc).toBe(ENOENT);
    });

    test("params__sz is checked (-EINVAL)", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.COUNT_BAD_SZ, { arg8: 1, arg32: 5 })).rc).toBe(EINVAL);
    });
  });

  describe("meters (RFC 2698 trTCM)", () => {
    test("color-blind packet meter: a burst drains C (green), then P (yellow), then red", () => {
      if (!ok) return;
      setMeter(1, { cir: 0, pir: 0, cbs: 3, pbs: 5 });
      expect(burst(OP.METER_PKTS, 7, { index: 1 })).toEqual([G, G, G, Y, Y, R, R]);
      // Buckets are empty now and the rates are 0: no refill, ever.
      expect(burst(OP.METER_PKTS, 3, { index: 1 })).toEqual([R, R, R]);
      const m = prog!.lookup("p4tc_emu_meter", extKey(EXT_METER_ID, 1, 1))!;
      expect(m.readBigUInt64LE(48)).toBeGreaterThan(0n); // last_ns set
    });

    test("byte meter: skb->len bytes per packet", () => {
      if (!ok) return;
      setMeter(2, { cir: 0, pir: 0, cbs: 250, pbs: 450 });
      // C: 250 -> 150 -> 50 | P: 450 -> 350 -> 250 -> 150 -> 50 -> red
      expect(burst(OP.METER_BYTES, 5, { index: 2, len: 100 })).toEqual([G, G, Y, Y, R]);
    });

    test("color-aware: yellow stays at best yellow, red stays red, green is metered", () => {
      if (!ok) return;
      setMeter(3, { cir: 0, pir: 0, cbs: 3, pbs: 5 });
      expect(burst(OP.METER_PKTS_COLOR, 7, { index: 3, inColor: Y })).toEqual([Y, Y, Y, Y, Y, R, R]);
      setMeter(4, { cir: 0, pir: 0, cbs: 3, pbs: 5 });
      expect(burst(OP.METER_PKTS_COLOR, 3, { index: 4, inColor: R })).toEqual([R, R, R]);
      expect(burst(OP.METER_PKTS_COLOR, 6, { index: 4, inColor: G })).toEqual([G, G, G, Y, Y, R]);
      setMeter(5, { cir: 0, pir: 0, cbs: 200, pbs: 300 });
      expect(burst(OP.METER_BYTES_COLOR, 4, { index: 5, inColor: G, len: 100 })).toEqual([G, G, Y, R]);
    });

    test("buckets refill at the configured rates", async () => {
      if (!ok) return;
      // Stale state (last update at 1 ns, buckets empty): refilled to the bursts.
      setMeter(6, { cir: 1000, pir: 1000, cbs: 2, pbs: 2, tc: 0, tp: 0, lastNs: 1 });
      expect(burst(OP.METER_PKTS, 3, { index: 6 })).toEqual([G, G, R]);
      // 20 packets/s, bursts of 1: empty after one packet, full again within 50 ms.
      setMeter(7, { cir: 20, pir: 20, cbs: 1, pbs: 1 });
      expect(burst(OP.METER_PKTS, 2, { index: 7 })).toEqual([G, R]);
      await new Promise((r) => setTimeout(r, 150));
      expect(burst(OP.METER_PKTS, 2, { index: 7 })).toEqual([G, R]);
    });

    test("an unconfigured (absent) meter passes the input color", () => {
      if (!ok) return;
      expect(burst(OP.METER_PKTS, 3, { index: 99 })).toEqual([G, G, G]);
      expect(burst(OP.METER_PKTS_COLOR, 2, { index: 99, inColor: R })).toEqual([R, R]);
    });

    test("direct meter: the state lives in the matched entry", () => {
      if (!ok) return;
      expect(burst(OP.METER_DIRECT, 3, { data: T1_KEY })).toEqual([G, Y, R]);
      const e = prog!.lookup("p4tc_emu_entry", entryKey(1, 0, T1_KEY))!;
      expect(e.readBigUInt64LE(160 + 48)).toBeGreaterThan(0n);
      expect(prog!.run(request(OP.METER_DIRECT, { data: [1, 1, 1, 1, 1, 1], params: [G, 1] })).rc).toBe(ENOENT);
    });
  });

  describe("registers (extern md read / write)", () => {
    const regKey = (inst: number, index: number) => extKey(REGISTER_EXT_ID, inst, index);
    const readReg = (inst: number, index: number) => {
      const r = prog!.run(request(OP.REG_READ, { arg8: inst, arg32: index }));
      expect(r.retval).toBe(1);
      return [...r.dataOut.subarray(48, 56)];
    };

    test("an element never written reads as zeros", () => {
      if (!ok) return;
      expect(readReg(1, 3)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    });

    test("a datapath write is read back by the datapath and by bpftool", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.REG_WRITE, { arg8: 1, arg32: 4, params: [1, 2, 3, 4, 5, 6, 7, 8] })).rc).toBe(0);
      expect(readReg(1, 4)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(readReg(2, 4)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      const v = prog!.lookup("p4tc_emu_reg", regKey(1, 4))!;
      expect(v.length).toBe(abi.valSize);
      expect([...v.subarray(12, 20)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    test("a control-plane write is seen by the datapath; read-modify-write increments", () => {
      if (!ok) return;
      const val = Buffer.alloc(abi.valSize);
      val.writeUInt32LE(REGISTER_EXT_ID, 0);
      val.writeUInt32LE(9, 4);
      val.writeUInt32LE(0x10, 12);
      prog!.update("p4tc_emu_reg", regKey(1, 9), val);
      expect(readReg(1, 9)).toEqual([0x10, 0, 0, 0, 0, 0, 0, 0]);
      for (const want of [0x11, 0x12, 0x13]) expect(prog!.run(request(OP.REG_INCREMENT, { arg8: 1, arg32: 9 })).retval).toBe(want);
      expect(prog!.lookup("p4tc_emu_reg", regKey(1, 9))!.readUInt32LE(12)).toBe(0x13);
    });

    test("changing the value md_read returned does not write the register", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.REG_READ_NO_WRITEBACK, { arg8: 1, arg32: 9 })).retval).toBe(0x13);
    });
  });

  describe("digest", () => {
    test("each pack queues the params struct; the control plane pops them in order", () => {
      if (!ok) return;
      const data = Array.from({ length: 32 }, (_, i) => i + 1);
      expect(prog!.run(request(OP.DIGEST, { arg8: 3, params: [0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 1], data })).rc).toBe(0);
      expect(prog!.run(request(OP.DIGEST, { arg8: 3, params: [2], data })).rc).toBe(0);
      const first = prog!.dequeue("p4tc_emu_digest")!;
      expect(first.length).toBe(abi.paramsSize);
      expect(first.readUInt32LE(4)).toBe(DIGEST_EXT_ID);
      expect(first.readUInt32LE(8)).toBe(3);
      expect([...first.subarray(24, 32)]).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 1]);
      expect([...first.subarray(32, 64)]).toEqual(data);
      expect(prog!.dequeue("p4tc_emu_digest")![24]).toBe(2);
      expect(prog!.dequeue("p4tc_emu_digest")).toBeUndefined();
    });

    test("a full queue (nobody reading) is -ESRCH", () => {
      if (!ok) return;
      // 1024 records fit; `repeat` runs the program 1100 times in one test run.
      expect(prog!.run(request(OP.DIGEST, { arg8: 4 }), 1100).rc).toBe(ESRCH);
      expect(prog!.dequeue("p4tc_emu_digest")!.readUInt32LE(8)).toBe(4);
      expect(prog!.run(request(OP.DIGEST, { arg8: 4 })).rc).toBe(0);
    });
  });

  describe("ports and skb metadata", () => {
    test("a port is a net port unless p4tc_emu_ports says host", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.PORTS, { arg32: 5 })).retval).toBe(1);
      prog!.update("p4tc_emu_ports", u32le(5), u32le(1));
      expect(prog!.run(request(OP.PORTS, { arg32: 5 })).retval).toBe(2);
      prog!.update("p4tc_emu_ports", u32le(5), u32le(0));
      expect(prog!.run(request(OP.PORTS, { arg32: 5 })).retval).toBe(1);
    });

    test("skb_meta_set writes mark and tc_index; skb_meta_get knows no direction", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.SKB_META, { arg32: 0x1234 })).retval).toBe(0x1234 + 0x55);
    });

    test("skb_meta_set applies exactly the fields its bitmask names (protocol: not settable here)", () => {
      if (!ok) return;
      expect(prog!.run(request(OP.SKB_META_ALL, { arg32: 0 })).retval).toBe(0);
      expect(prog!.run(request(OP.SKB_META_ALL, { arg32: 0x2 })).retval).toBe(5);
      expect(prog!.run(request(OP.SKB_META_ALL, { arg32: 0x3f })).retval).toBe(0x18765);
    });
  });
});
