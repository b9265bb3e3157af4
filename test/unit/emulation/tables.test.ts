// The table kfuncs of the P4TC emulation, loaded into the running kernel:
// exact / lpm / ternary matching, default hit and miss actions, key checks,
// datapath add/update/delete, and a table-bound direct counter.
import { cleanupTmpDirs } from "../build/tools.js";
import {
  ACT_DEFAULT_HIT,
  ACT_DEFAULT_MISS,
  ACT_HIT,
  ENTRY_F_NOACTION,
  EmuProgram,
  TABLE_EXACT,
  TABLE_F_DIRECT_COUNT,
  TABLE_LPM,
  TABLE_TERNARY,
  actBpf,
  andMask,
  canRunBpf,
  compileFixture,
  entryKey,
  entryValue,
  masksValue,
  request,
  tableValue,
} from "./emu.js";

const OP = {
  READ_T1: 1,
  READ_T2: 2,
  READ_T3: 3,
  READ_T4: 4,
  READ_T5: 5,
  CREATE_ON_MISS_T4: 10,
  CREATE_T4: 11,
  UPDATE_T4: 12,
  DELETE_T4: 13,
  CREATE_T2: 14,
  READ_T1_BAD_KEYSZ: 20,
  READ_T1_BAD_PARAMS_SZ: 21,
  READ_TBL_ARG: 22,
  ADD_ON_MISS_T4: 30,
};

const u32le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const ipv4 = (s: string) => s.split(".").map(Number);
const ENOENT = -2;
const EEXIST = -17;
const EINVAL = -22;

let prog: EmuProgram | undefined;
const ok = canRunBpf();
// Without root, bpftool or clang these tests are registered as skipped (canRunBpf fails instead under P4TS_REQUIRE_TOOLS=1).
const test = ok ? globalThis.test : globalThis.test.skip;

interface Read {
  hit: boolean;
  actId: number;
  flags: number;
  params: number[];
}

function read(op: number, data: readonly number[], arg32 = 0): Read | null {
  const r = prog!.run(request(op, { data, arg32 }));
  if (r.retval === 0) return null;
  expect(r.retval).toBe(1);
  const o = r.dataOut.subarray(48, 61);
  return { hit: (o[4]! & ACT_HIT) !== 0, actId: o.readUInt32LE(0), flags: o[4]!, params: [...o.subarray(5, 13)] };
}

beforeAll(() => {
  if (!ok) return;
  prog = EmuProgram.load(compileFixture("emu_tables.c"));

  // Table 1: exact on {ipv4, bit<16>} (48 bits), default miss 9(0xaa), default hit 7(7), direct counter on read.
  prog.update(
    "p4tc_emu_tables",
    Buffer.from(u32le(1)),
    tableValue({ type: TABLE_EXACT, keysz: 48, flags: TABLE_F_DIRECT_COUNT, defaultMiss: actBpf(9, [0xaa]), defaultHit: actBpf(7, [7]) }),
  );
  // Flags written 0 on purpose: the emulation sets the hit bit itself.
  prog.update("p4tc_emu_entry", entryKey(1, 0, [...ipv4("10.0.0.1"), 80, 0]), entryValue({ act: actBpf(1, [1, 0, 0, 0, 0xde, 0xad]) }));
  prog.update("p4tc_emu_entry", entryKey(1, 0, [...ipv4("10.0.0.2"), 80, 0]), entryValue({ flags: ENTRY_F_NOACTION }));

  // Table 2: lpm on ipv4, masks longest first (/32, /24, /16, /0).
  prog.update("p4tc_emu_tables", Buffer.from(u32le(2)), tableValue({ type: TABLE_LPM, keysz: 32 }));
  const m32 = [255, 255, 255, 255];
  const m24 = [255, 255, 255, 0];
  const m16 = [255, 255, 0, 0];
  const m0 = [0, 0, 0, 0];
  prog.update(
    "p4tc_emu_masks",
    Buffer.from(u32le(2)),
    masksValue([
      { maskid: 3, mask: m32 },
      { maskid: 2, mask: m24 },
      { maskid: 1, mask: m16 },
      { maskid: 4, mask: m0 },
    ]),
  );
  prog.update("p4tc_emu_entry", entryKey(2, 1, andMask(ipv4("10.1.0.0"), m16)), entryValue({ act: actBpf(16) }));
  prog.update("p4tc_emu_entry", entryKey(2, 2, andMask(ipv4("10.1.2.0"), m24)), entryValue({ act: actBpf(24) }));
  prog.update("p4tc_emu_entry", entryKey(2, 3, ipv4("10.1.2.3")), entryValue({ act: actBpf(32) }));

  // Table 3: ternary on {bit<16> etherType (host order), bit<8> proto}.
  prog.update("p4tc_emu_tables", Buffer.from(u32le(3)), tableValue({ type: TABLE_TERNARY, keysz: 24 }));
  const full = [0xff, 0xff, 0xff];
  const typeOnly = [0xff, 0xff, 0x00];
  const any = [0, 0, 0];
  prog.update(
    "p4tc_emu_masks",
    Buffer.from(u32le(3)),
    masksValue([
      { maskid: 7, mask: any },
      { maskid: 5, mask: full },
      { maskid: 6, mask: typeOnly },
    ]),
  );
  const tkey = (etype: number, proto: number) => [etype & 0xff, etype >> 8, proto];
  prog.update("p4tc_emu_entry", entryKey(3, 5, tkey(0x0800, 6)), entryValue({ prio: 10, act: actBpf(1) }));
  prog.update("p4tc_emu_entry", entryKey(3, 6, andMask(tkey(0x0800, 0), typeOnly)), entryValue({ prio: 20, act: actBpf(2) }));
  prog.update("p4tc_emu_entry", entryKey(3, 7, any), entryValue({ prio: 30, act: actBpf(3) }));
  prog.update("p4tc_emu_entry", entryKey(3, 5, tkey(0x0800, 17)), entryValue({ prio: 5, act: actBpf(4) }));
  prog.update("p4tc_emu_entry", entryKey(3, 5, tkey(0x86dd, 6)), entryValue({ prio: 40, act: actBpf(5) }));

  // Table 4: exact on bit<32>, default miss 3 (the add_entry default), no entries.
  prog.update("p4tc_emu_tables", Buffer.from(u32le(4)), tableValue({ type: TABLE_EXACT, keysz: 32, defaultMiss: actBpf(3, [0x33]) }));

  // Table 5: exact on a 72-bit key (two key words).
  prog.update("p4tc_emu_tables", Buffer.from(u32le(5)), tableValue({ type: TABLE_EXACT, keysz: 72 }));
  prog.update("p4tc_emu_entry", entryKey(5, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9]), entryValue({ act: actBpf(55, [5, 5]) }));

  // Table 6: exact bit<32>, an entry without action and no default hit action.
  prog.update("p4tc_emu_tables", Buffer.from(u32le(6)), tableValue({ type: TABLE_EXACT, keysz: 32 }));
  prog.update("p4tc_emu_entry", entryKey(6, 0, u32le(42)), entryValue({ flags: ENTRY_F_NOACTION }));
});

afterAll(() => {
  prog?.close();
  cleanupTmpDirs();
});

describe("exact", () => {
  test("a hit returns the entry's action and params with hit=1", () => {
    if (!ok) return;
    expect(read(OP.READ_T1, [...ipv4("10.0.0.1"), 80, 0])).toEqual({ hit: true, actId: 1, flags: ACT_HIT, params: [1, 0, 0, 0, 0xde, 0xad, 0, 0] });
  });

  test("a miss returns the default miss action (hit=0, is_default_miss_act=1)", () => {
    if (!ok) return;
    expect(read(OP.READ_T1, [...ipv4("10.0.0.1"), 81, 0])).toEqual({ hit: false, actId: 9, flags: ACT_DEFAULT_MISS, params: [0xaa, 0, 0, 0, 0, 0, 0, 0] });
    expect(read(OP.READ_T1, [...ipv4("10.0.0.3"), 80, 0])?.actId).toBe(9);
  });

  test("a hit on an entry without action runs the default hit action", () => {
    if (!ok) return;
    expect(read(OP.READ_T1, [...ipv4("10.0.0.2"), 80, 0])).toEqual({
      hit: true,
      actId: 7,
      flags: ACT_HIT | ACT_DEFAULT_HIT,
      params: [7, 0, 0, 0, 0, 0, 0, 0],
    });
  });

  test("... or NoAction with hit=1 when the table has no default hit action", () => {
    if (!ok) return;
    expect(read(OP.READ_TBL_ARG, u32le(42), 6)).toEqual({ hit: true, actId: 0, flags: ACT_HIT, params: [0, 0, 0, 0, 0, 0, 0, 0] });
  });

  test("a miss without a default miss action returns NULL", () => {
    if (!ok) return;
    expect(read(OP.READ_TBL_ARG, u32le(43), 6)).toBeNull();
  });

  test("a 72-bit key compares both key words", () => {
    if (!ok) return;
    expect(read(OP.READ_T5, [1, 2, 3, 4, 5, 6, 7, 8, 9])?.actId).toBe(55);
    expect(read(OP.READ_T5, [1, 2, 3, 4, 5, 6, 7, 8, 10])).toBeNull();
    expect(read(OP.READ_T5, [1, 2, 3, 4, 5, 6, 0, 8, 9])).toBeNull();
  });

  test("the kernel's checks: keysz must match, params__sz must be 8, the table must exist", () => {
    if (!ok) return;
    expect(read(OP.READ_T1_BAD_KEYSZ, [...ipv4("10.0.0.1"), 80, 0])).toBeNull();
    expect(read(OP.READ_T1_BAD_PARAMS_SZ, [...ipv4("10.0.0.1"), 80, 0])).toBeNull();
    expect(read(OP.READ_TBL_ARG, u32le(42), 99)).toBeNull();
    // keysz 32 against table 1 (48 bits): refused as well.
    expect(read(OP.READ_TBL_ARG, [...ipv4("10.0.0.1")], 1)).toBeNull();
  });

  test("the table-bound direct counter ticks on hits only", () => {
    if (!ok) return;
    const key = entryKey(1, 0, [...ipv4("10.0.0.1"), 80, 0]);
    const before = prog!.lookup("p4tc_emu_entry", key)!;
    for (let i = 0; i < 3; i++) read(OP.READ_T1, [...ipv4("10.0.0.1"), 80, 0]);
    read(OP.READ_T1, [...ipv4("10.0.0.1"), 99, 0]);
    const after = prog!.lookup("p4tc_emu_entry", key)!;
    expect(after.readBigUInt64LE(144) - before.readBigUInt64LE(144)).toBe(3n);
    expect(after.readBigUInt64LE(152) - before.readBigUInt64LE(152)).toBe(3n * 64n);
    // The stored flag byte was normalised to hit=1 on first use.
    expect(after[8 + 4]).toBe(ACT_HIT);
  });
});

describe("lpm", () => {
  test("the longest matching prefix wins", () => {
    if (!ok) return;
    expect(read(OP.READ_T2, ipv4("10.1.2.3"))?.actId).toBe(32);
    expect(read(OP.READ_T2, ipv4("10.1.2.4"))?.actId).toBe(24);
    expect(read(OP.READ_T2, ipv4("10.1.3.3"))?.actId).toBe(16);
  });

  test("no prefix matches: NULL (no default miss action) until a /0 route exists", () => {
    if (!ok) return;
    expect(read(OP.READ_T2, ipv4("11.0.0.1"))).toBeNull();
    prog!.update("p4tc_emu_entry", entryKey(2, 4, [0, 0, 0, 0]), entryValue({ act: actBpf(100) }));
    expect(read(OP.READ_T2, ipv4("11.0.0.1"))?.actId).toBe(100);
    expect(read(OP.READ_T2, ipv4("10.1.2.3"))?.actId).toBe(32);
    prog!.delete("p4tc_emu_entry", entryKey(2, 4, [0, 0, 0, 0]));
    expect(read(OP.READ_T2, ipv4("11.0.0.1"))).toBeNull();
  });

  test("32 masks (the maximum): every prefix length /1../32 of one address", () => {
    if (!ok) return;
    const base = [10, 20, 30, 40];
    const maskOf = (p: number) => [0, 1, 2, 3].map((i) => (0xff00 >> Math.min(8, Math.max(0, p - 8 * i))) & 0xff);
    const lengths = Array.from({ length: 32 }, (_, i) => 32 - i); // longest first
    prog!.update("p4tc_emu_tables", Buffer.from(u32le(7)), tableValue({ type: TABLE_LPM, keysz: 32, defaultMiss: actBpf(99) }));
    prog!.update("p4tc_emu_masks", Buffer.from(u32le(7)), masksValue(lengths.map((p) => ({ maskid: p, mask: maskOf(p) }))));
    for (const p of lengths) prog!.update("p4tc_emu_entry", entryKey(7, p, andMask(base, maskOf(p))), entryValue({ act: actBpf(p) }));
    const toU32 = (a: number[]) => ((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0;
    const expected = (addr: number[]) => {
      const x = (toU32(addr) ^ toU32(base)) >>> 0;
      return x === 0 ? 32 : Math.clz32(x);
    };
    for (const addr of [base, [10, 20, 30, 41], [10, 20, 30, 47], [10, 20, 31, 0], [10, 21, 0, 0], [11, 0, 0, 0], [138, 0, 0, 1]]) {
      const want = expected(addr);
      expect([addr.join("."), read(OP.READ_TBL_ARG, addr, 7)?.actId]).toEqual([addr.join("."), want === 0 ? 99 : want]);
    }
  });

  test("datapath add_entry is for exact tables only (-EINVAL)", () => {
    if (!ok) return;
    expect(prog!.run(request(OP.CREATE_T2, { data: ipv4("10.9.9.9"), arg32: 1 })).rc).toBe(EINVAL);
  });
});

describe("ternary", () => {
  const tk = (etype: number, proto: number) => [etype & 0xff, etype >> 8, proto];

  test("of all matching entries the lowest priority value wins, whatever the mask order", () => {
    if (!ok) return;
    expect(read(OP.READ_T3, tk(0x0800, 6))?.actId).toBe(1); // prio 10 over 20 and 30
    expect(read(OP.READ_T3, tk(0x0800, 17))?.actId).toBe(4); // prio 5
    expect(read(OP.READ_T3, tk(0x0800, 1))?.actId).toBe(2); // prio 20 over 30
    expect(read(OP.READ_T3, tk(0x0806, 0))?.actId).toBe(3); // only the wildcard
    expect(read(OP.READ_T3, tk(0x86dd, 6))?.actId).toBe(3); // wildcard prio 30 beats exact prio 40
  });
});

describe("datapath add / update / delete (exact)", () => {
  test("add_entry on miss, then hits; EEXIST, update, delete, ENOENT", () => {
    if (!ok) return;
    const key = u32le(0x01020304);
    const params = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    expect(read(OP.READ_T4, key)).toEqual({ hit: false, actId: 3, flags: ACT_DEFAULT_MISS, params: [0x33, 0, 0, 0, 0, 0, 0, 0] });

    // The generated add_entry pattern: read, default miss action, create_on_miss.
    expect(prog!.run(request(OP.ADD_ON_MISS_T4, { data: key, arg32: 2, params })).retval).toBe(2);
    expect(read(OP.READ_T4, key)).toEqual({ hit: true, actId: 2, flags: ACT_HIT, params });
    expect(prog!.run(request(OP.ADD_ON_MISS_T4, { data: key, arg32: 2, params })).retval).toBe(1);
    // The control plane sees the entry the datapath made.
    const stored = prog!.lookup("p4tc_emu_entry", entryKey(4, 0, key))!;
    expect(stored.readUInt32LE(8)).toBe(2);
    expect(stored[12]).toBe(ACT_HIT);

    expect(prog!.run(request(OP.CREATE_T4, { data: key, arg32: 2, params })).rc).toBe(EEXIST);
    expect(prog!.run(request(OP.CREATE_ON_MISS_T4, { data: key, arg32: 2, params })).rc).toBe(EEXIST);

    expect(prog!.run(request(OP.UPDATE_T4, { data: key, arg32: 5, params: [9, 9] })).rc).toBe(0);
    expect(read(OP.READ_T4, key)).toEqual({ hit: true, actId: 5, flags: ACT_HIT, params: [9, 9, 0, 0, 0, 0, 0, 0] });

    expect(prog!.run(request(OP.DELETE_T4, { data: key })).rc).toBe(0);
    expect(read(OP.READ_T4, key)?.actId).toBe(3);
    expect(prog!.run(request(OP.DELETE_T4, { data: key })).rc).toBe(ENOENT);
    expect(prog!.run(request(OP.UPDATE_T4, { data: key, arg32: 5 })).rc).toBe(ENOENT);

    expect(prog!.run(request(OP.CREATE_ON_MISS_T4, { data: u32le(7), arg32: 8 })).rc).toBe(0);
    expect(read(OP.READ_T4, u32le(7))?.actId).toBe(8);
  });
});
