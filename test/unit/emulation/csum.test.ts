// Checksum and hash kfuncs of the P4TC emulation, run in the kernel and
// compared with reference computations written here in TypeScript (and with
// published check values).
import { cleanupTmpDirs } from "../build/tools.js";
import { EmuProgram, canRunBpf, compileFixture, request } from "./emu.js";

const OP = {
  CSUM16: 20,
  CSUM16_SUB: 21,
  CRC16: 22,
  CRC32: 23,
  HASH_CSUM16: 24,
  HASH_CRC16: 25,
  HASH_CRC32: 26,
  CSUM16_SET_STATE: 27,
  CSUM16_SPLIT: 28,
  HASH_BASE_CRC16: 29,
  IPV4_HDR: 30,
  CRC32_ADD_RET: 31,
  CRC16_SPLIT: 32,
  CRC32_SPLIT: 33,
};

// ------------------------------------------------ reference computations

/** One's-complement sum of 16-bit words read little-endian (csum_partial on x86), folded to 16 bits. */
function onesSumLE(data: readonly number[], seed = 0): number {
  let s = seed;
  data.forEach((b, i) => (s += i & 1 ? b << 8 : b));
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}
/** What InternetChecksum.get() returns: the inverted sum, as a host-order u16. */
const csum16 = (data: readonly number[], seed = 0) => ~onesSumLE(data, seed) & 0xffff;

/** CRC-16/ARC register update: poly 0xA001 reflected, LSB first, no final xor. */
function crc16(data: readonly number[], crc = 0): number {
  let c = crc;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return c & 0xffff;
}

/** crc32_be register update: poly 0x04C11DB7, MSB first, no reflection, no final xor. */
function crc32be(data: readonly number[], crc = 0): number {
  let c = crc >>> 0;
  for (const b of data) {
    c = (c ^ (b << 24)) >>> 0;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? ((c << 1) ^ 0x04c11db7) >>> 0 : (c << 1) >>> 0;
  }
  return c >>> 0;
}

const ascii = (s: string) => [...Buffer.from(s, "ascii")];
const pseudoRandom = (n: number, seed: number) => {
  let x = seed;
  return Array.from({ length: n }, () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x >>> 16) & 0xff);
};

// the classic example IPv4 header (checksum field zeroed); its checksum is b8 61 on the wire
const IPV4 = [0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7];

describe("reference computations (no kernel)", () => {
  test("match published check values", () => {
    expect(crc16(ascii("123456789"))).toBe(0xbb3d); // CRC-16/ARC
    expect(crc32be(ascii("123456789"), 0xffffffff)).toBe(0x0376e6e7); // CRC-32/MPEG-2
    const c = csum16(IPV4);
    expect([c & 0xff, c >> 8]).toEqual([0xb8, 0x61]);
  });
});

let prog: EmuProgram | undefined;
const ok = canRunBpf();
// Without root, bpftool or clang these tests are registered as skipped (canRunBpf fails instead under P4TS_REQUIRE_TOOLS=1).
const bpfTest = ok ? test : test.skip;

beforeAll(() => {
  if (!ok) return;
  prog = EmuProgram.load(compileFixture("emu_csum.c"));
});

afterAll(() => {
  prog?.close();
  cleanupTmpDirs();
});

function run(op: number, data: readonly number[], arg32 = 0): number {
  return prog!.run(request(op, { arg8: data.length, data, arg32 })).retval;
}

const samples: number[][] = [
  ascii("123456789"),
  IPV4,
  [0xff, 0xff, 0xff, 0xff],
  [],
  [0x01],
  pseudoRandom(31, 7),
  pseudoRandom(32, 99),
  pseudoRandom(17, 3),
  // The CRC-32 takes four bytes at a time, then the rest one at a time: every remainder mod 4.
  pseudoRandom(6, 11),
  pseudoRandom(14, 5),
];

describe("16-bit one's complement (InternetChecksum)", () => {
  bpfTest("add then get equals the reference for every sample", () => {
    if (!ok) return;
    for (const d of samples) expect([d.length, run(OP.CSUM16, d)]).toEqual([d.length, csum16(d)]);
  });

  bpfTest("a fixed-size IPv4 header gives b8 61 on the wire", () => {
    if (!ok) return;
    const v = run(OP.IPV4_HDR, IPV4);
    expect([v & 0xff, v >> 8]).toEqual([0xb8, 0x61]);
  });

  bpfTest("adding in two pieces (even split) equals adding at once", () => {
    if (!ok) return;
    for (const d of samples.filter((x) => x.length >= 6)) expect(run(OP.CSUM16_SPLIT, d)).toBe(csum16(d));
  });

  bpfTest("subtracting the first word leaves the checksum of the rest", () => {
    if (!ok) return;
    for (const d of [IPV4, pseudoRandom(32, 5), pseudoRandom(12, 11)]) expect(run(OP.CSUM16_SUB, d)).toBe(csum16(d.slice(2)));
  });

  bpfTest("set_state(s) then get is ~s", () => {
    if (!ok) return;
    for (const s of [0, 1, 0x1234, 0xfffe]) expect(run(OP.CSUM16_SET_STATE, [], s)).toBe(~s & 0xffff);
  });

  bpfTest("hash_16bit_complement with a seed", () => {
    if (!ok) return;
    for (const d of samples) for (const seed of [0, 0xabcd]) expect(run(OP.HASH_CSUM16, d, seed)).toBe(csum16(d, seed));
  });
});

describe("CRC-16 and CRC-32", () => {
  bpfTest("crc16: clear/add/get equals the reference (CRC-16/ARC), also in two pieces", () => {
    if (!ok) return;
    expect(run(OP.CRC16, ascii("123456789"))).toBe(0xbb3d);
    for (const d of samples) expect(run(OP.CRC16, d)).toBe(crc16(d));
    for (const d of samples.filter((x) => x.length >= 3)) expect(run(OP.CRC16_SPLIT, d)).toBe(crc16(d));
  });

  bpfTest("crc32: the state starts at 0 (clear); add and get return it inverted", () => {
    if (!ok) return;
    for (const d of samples) {
      const want = (crc32be(d, 0) ^ 0xffffffff) >>> 0;
      expect(run(OP.CRC32, d)).toBe(want);
      expect(run(OP.CRC32_ADD_RET, d)).toBe(want);
    }
    for (const d of samples.filter((x) => x.length >= 3)) expect(run(OP.CRC32_SPLIT, d)).toBe((crc32be(d, 0) ^ 0xffffffff) >>> 0);
  });

  bpfTest("hash_crc16 / hash_crc32 continue from the seed", () => {
    if (!ok) return;
    expect(run(OP.HASH_CRC32, ascii("123456789"), 0xffffffff)).toBe(0x0376e6e7);
    for (const d of samples)
      for (const seed of [0, 0xffff, 0x1d0f]) {
        expect(run(OP.HASH_CRC16, d, seed)).toBe(crc16(d, seed));
        expect(run(OP.HASH_CRC32, d, seed)).toBe(crc32be(d, seed));
      }
  });

  bpfTest("p4ts_hash_base_crc16 (inline helper over the kfunc): base + hash % max", () => {
    if (!ok) return;
    for (const d of samples) expect(run(OP.HASH_BASE_CRC16, d, 0x77)).toBe(10 + (crc16(d, 0x77) % 100));
  });
});
