// A seeded, bounded differential run: generated packets and table entries
// through the interpreter and through the generated eBPF under the P4TC
// emulation (needs root, bpftool and clang; registered as skipped without
// them, a failure under P4TS_REQUIRE_TOOLS=1). `npm run difftest` is the
// long run.
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { diffProgram, difftestUnavailable, generateTests, Rng } from "../../../difftest/index.js";
import { corpus, repoRoot } from "../../helpers/corpus.js";

const why = difftestUnavailable();
if (why && process.env.P4TS_REQUIRE_TOOLS === "1") test("difftest tools are present", () => expect(why).toBeNull());

const programs = [
  path.join(repoRoot, "samples/l3_router/l3_router.p4"),
  path.join(repoRoot, "samples/acl_firewall/acl_firewall.p4"),
  path.join(repoRoot, "test/fixtures/stf/mpls_stack.p4"),
  path.join(repoRoot, "test/fixtures/stf/empty_deparser.p4"),
  path.join(corpus, "p4tc/programs/crc.p4"),
  path.join(corpus, "p4tc/programs/const_entries_range_mask.p4"),
  path.join(corpus, "p4tc/programs/indirect_counter_01_example.p4"),
  // Random: compared through the emulation's seeded generator (P4TS_EMU_SEEDED_RANDOM).
  path.join(corpus, "p4tc/programs/random.p4"),
  path.join(repoRoot, "test/fixtures/stf/register_index_range.p4"),
  path.join(repoRoot, "test/fixtures/stf/varbit_errors.p4"),
  // Lookaheads in lazily evaluated operands: generated packets end anywhere, before or after what they read.
  path.join(repoRoot, "test/fixtures/stf/lookahead_lazy_ternary.p4"),
  path.join(repoRoot, "test/fixtures/stf/lookahead_lazy_logic.p4"),
  // Runtime default-action params: the emulation fills the filter's .bss as the P4TC loader does.
  path.join(corpus, "p4tc/programs/tc_may_override_example_06.p4"),
];

(why ? describe.skip : describe)("difftest: interpreter vs generated eBPF (seeded)", () => {
  test.each(programs.map((p) => [path.basename(p), p]))("%s: no disagreement", (_n, file) => {
    const r = diffProgram({ name: file, file }, { seed: 11, packets: 40 });
    expect(r.skipped).toBeNull();
    expect(r.disagreements).toEqual([]);
    expect(r.packets).toBeGreaterThan(10);
  }, 120_000);
});

test("test generation is deterministic and steers the parser down every select case", () => {
  const r = compile({ input: { file: path.join(repoRoot, "test/fixtures/stf/mpls_stack.p4") } });
  const a = generateTests(r, new Rng(5), 30);
  const b = generateTests(r, new Rng(5), 30);
  expect(a.packets.map((p) => p.data.toString("hex"))).toEqual(b.packets.map((p) => p.data.toString("hex")));
  // Steering makes the MPLS EtherType (0x8847) common although random bytes would almost never have it.
  expect(a.packets.filter((p) => p.data.length >= 14 && p.data.readUInt16BE(12) === 0x8847).length).toBeGreaterThan(3);
});
