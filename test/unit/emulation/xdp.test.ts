// The xdp_p4tc_* twins of the emulation, from an XDP program in the kernel.
import { cleanupTmpDirs } from "../build/tools.js";
import {
  ACT_DEFAULT_MISS,
  ACT_HIT,
  COLOR_GREEN,
  COLOR_RED,
  COLOR_YELLOW,
  EXT_COUNTER_ID,
  EXT_METER_ID,
  EmuProgram,
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

let prog: EmuProgram | undefined;
const ok = canRunBpf();
// Without root, bpftool or clang these tests are registered as skipped (canRunBpf fails instead under P4TS_REQUIRE_TOOLS=1).
const test = ok ? globalThis.test : globalThis.test.skip;
const XDP_PASS = 2;

beforeAll(() => {
  if (!ok) return;
  prog = EmuProgram.load(compileFixture("emu_xdp.c"), "xdp");
  prog.update("p4tc_emu_tables", Buffer.from([2, 0, 0, 0]), tableValue({ type: TABLE_EXACT, keysz: 32, defaultMiss: actBpf(6) }));
  prog.update("p4tc_emu_entry", entryKey(2, 0, [10, 1, 2, 3]), entryValue({ act: actBpf(4) }));
  prog.update("p4tc_emu_meter", extKey(EXT_METER_ID, 1, 3), meterValue({ cir: 0, pir: 0, cbs: 100, pbs: 150 }));
});

afterAll(() => {
  prog?.close();
  cleanupTmpDirs();
});

function xdpRun(data: number[]) {
  const r = prog!.run(request(0, { data, arg32: 3 }));
  expect(r.retval).toBe(XDP_PASS);
  const res = r.dataOut.readUInt32LE(48);
  return { actId: (res >> 8) & 0xff, flags: res & 0xff, counted: (res >> 16) & 1, color: res >>> 24 };
}

test("tbl_read hits and misses, the counter counts the frame length, the byte meter colors", () => {
  if (!ok) return;
  expect(xdpRun([10, 1, 2, 3])).toEqual({ actId: 4, flags: ACT_HIT, counted: 1, color: COLOR_GREEN });
  expect(xdpRun([10, 1, 2, 4])).toEqual({ actId: 6, flags: ACT_DEFAULT_MISS, counted: 1, color: COLOR_YELLOW });
  expect(xdpRun([10, 1, 2, 3]).color).toBe(COLOR_RED);
  const c = prog!.lookup("p4tc_emu_cnt", extKey(EXT_COUNTER_ID, 1, 3))!;
  expect([c.readBigUInt64LE(0), c.readBigUInt64LE(8)]).toEqual([3n, 3n * 64n]);
});
