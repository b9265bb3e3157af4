// Verifier cost of the emulation in generated-code shapes: eight tables
// applied in a row, each followed by an action switch, stay far below the
// verifier's limit, and the chain still computes the right thing.
import { cleanupTmpDirs } from "../build/tools.js";
import { ACT_HIT, EmuProgram, TABLE_EXACT, actBpf, canRunBpf, compileFixture, entryKey, entryValue, tableValue } from "./emu.js";

let prog: EmuProgram | undefined;
const ok = canRunBpf();
// Without root, bpftool or clang these tests are registered as skipped (canRunBpf fails instead under P4TS_REQUIRE_TOOLS=1).
const test = ok ? globalThis.test : globalThis.test.skip;

afterAll(() => {
  prog?.close();
  cleanupTmpDirs();
});

const u32le = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

test("eight tables in a row: verified in well under 100k instructions, and they chain", () => {
  if (!ok) return;
  prog = EmuProgram.load(compileFixture("emu_many_tables.c"), "action", { verifierStats: true });
  expect(prog.verifiedInsns).toBeGreaterThan(0);
  expect(prog.verifiedInsns).toBeLessThan(100_000);
  for (let t = 1; t <= 8; t++) prog.update("p4tc_emu_tables", Buffer.from(u32le(t)), tableValue({ type: TABLE_EXACT, keysz: 32 }));
  // m->a starts as skb->len (64). Table 1 hits on 64^1 and sets a = 0x100; table 2 then hits on 0x100^2.
  prog.update("p4tc_emu_entry", entryKey(1, 0, u32le(64 ^ 1)), entryValue({ act: actBpf(1, u32le(0x100), ACT_HIT) }));
  prog.update("p4tc_emu_entry", entryKey(2, 0, u32le(0x100 ^ 2)), entryValue({ act: actBpf(2, [0, 0, 0, 0, 5, 0]) }));
  prog.update("p4tc_emu_entry", entryKey(8, 0, u32le(0x100 ^ 8)), entryValue({ act: actBpf(0) }));
  expect(prog.run(Buffer.alloc(64)).retval).toBe(3); // hits in tables 1, 2 and 8
});
