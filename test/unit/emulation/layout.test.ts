// The TypeScript encoders of the emulation maps against the C header: the
// same constants, sizes and offsets (no kernel needed).
import fs from "node:fs";
import path from "node:path";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import * as L from "../../../targets/emulation/index.js";

const header = fs.readFileSync(path.join(runtimeHeadersDir, "p4ts_p4tc_emu.h"), "utf8");
const define = (name: string): number => {
  const m = new RegExp(`#define ${name} (0x[0-9a-fA-F]+|\\d+)U?\\b`).exec(header);
  if (!m) throw new Error(`no #define ${name}`);
  return Number(m[1]);
};

test("constants match the header's #defines", () => {
  expect(L.MAX_MASKS).toBe(define("P4TS_EMU_MAX_MASKS"));
  expect([L.TABLE_EXACT, L.TABLE_LPM, L.TABLE_TERNARY]).toEqual(["EXACT", "LPM", "TERNARY"].map((t) => define(`P4TS_EMU_TABLE_${t}`)));
  expect([L.TABLE_F_DEFAULT_MISS, L.TABLE_F_DEFAULT_HIT, L.TABLE_F_DIRECT_COUNT]).toEqual(
    ["DEFAULT_MISS", "DEFAULT_HIT", "DIRECT_COUNT"].map((f) => define(`P4TS_EMU_TABLE_F_${f}`)),
  );
  expect(L.ENTRY_F_NOACTION).toBe(define("P4TS_EMU_ENTRY_F_NOACTION"));
  expect([L.ACT_HIT, L.ACT_DEFAULT_MISS, L.ACT_DEFAULT_HIT]).toEqual(["HIT", "DEFAULT_MISS", "DEFAULT_HIT"].map((f) => define(`P4TS_EMU_ACT_${f}`)));
});

test("sizes and offsets are the ones the header asserts", () => {
  // _Static_assert(sizeof(struct p4ts_emu_table) == 276, ...) and friends
  const asserted = (what: string) => Number(new RegExp(`sizeof\\(struct ${what}\\) == (\\d+)`).exec(header)![1]);
  expect(L.tableValue({ type: 0, keysz: 8 }).length).toBe(asserted("p4ts_emu_table"));
  expect(L.entryKey(1, 0, []).length).toBe(asserted("p4ts_emu_key"));
  expect(L.entryValue({}).length).toBe(asserted("p4ts_emu_entry"));
  expect(L.meterValue({ cir: 0, pir: 0, cbs: 0, pbs: 0 }).length).toBe(asserted("p4ts_emu_meter"));
  expect(L.masksValue([]).length).toBe(8 + asserted("p4ts_emu_mask") * L.MAX_MASKS);
  expect(L.actBpf(0).length).toBe(129);
  expect(L.extKey(1, 2, 3)).toEqual(Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]));

  const t = L.tableValue({ type: L.TABLE_TERNARY, keysz: 0x30, defaultMiss: L.actBpf(9, [1]), defaultHit: L.actBpf(7, [2]) });
  expect([t.readUInt32LE(0), t.readUInt32LE(4), t.readUInt32LE(8)]).toEqual([2, 0x30, 3]);
  expect([t.readUInt32LE(16), t[21], t.readUInt32LE(145), t[150]]).toEqual([9, 1, 7, 2]);

  const e = L.entryValue({ prio: 5, flags: 1, act: L.actBpf(3, [4], 1), pkts: 6n, bytes: 7n, meter: { cir: 8, pir: 9, cbs: 10, pbs: 11 } });
  expect([e.readUInt32LE(0), e.readUInt32LE(4), e.readUInt32LE(8), e[12], e[13]]).toEqual([5, 1, 3, 1, 4]);
  expect([144, 152, 160, 168, 176, 184].map((o) => e.readBigUInt64LE(o))).toEqual([6n, 7n, 8n, 9n, 10n, 11n]);

  const m = L.masksValue([{ maskid: 4, mask: [0xff, 0xf0] }]);
  expect([m.readUInt32LE(0), m.readUInt32LE(8), m[16], m[17], m[18]]).toEqual([1, 4, 0xff, 0xf0, 0]);
  expect(L.hexArgs(Buffer.from([0, 10, 255]))).toEqual(["00", "0a", "ff"]);
  expect(L.andMask([0x12, 0x34], [0xf0, 0xff])).toEqual([0x10, 0x34]);
});
