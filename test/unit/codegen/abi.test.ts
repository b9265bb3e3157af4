// --p4tc-abi: the p4c ABI (default) keeps the reference's outputs; v13 emits
// what the P4TC kernel series v13 and its iproute2 accept, and rejects, with
// a located error naming the ABI, every construct v13 cannot express.
import path from "node:path";
import { compile, type CompileResult } from "../../../compiler/compile.js";
import { ABIS, abiOf } from "../../../compiler/ir/abi/index.js";
import { main } from "../../../cli/main.js";
import { corpus, repoRoot } from "../../helpers/corpus.js";

const prog = (n: string): string => path.join(corpus, "p4tc", "programs", `${n}.p4`);
const v13 = (file: string): CompileResult => compile({ input: { file }, p4tcAbi: "v13" });
const p4c = (file: string): CompileResult => compile({ input: { file } });
const json = (r: CompileResult): { tables: { permissions: string; actions: { name: string }[] }[]; externs: { id: unknown; permissions: string }[] } =>
  JSON.parse(r.outputs![`${r.name}.json`]!);

test("v13 JSON: table permissions as iproute2-v13's 14-character string", () => {
  const r = v13(path.join(corpus, "p4tc-stf", "simple_l3.p4"));
  expect(r.ok).toBe(true);
  expect(json(r).tables[0]!.permissions).toBe("CRUD-PS-R--X--");
  expect(json(p4c(path.join(corpus, "p4tc-stf", "simple_l3.p4"))).tables[0]!.permissions).toBe("0x3da4");
  expect(abiOf(r.pipeline!).name).toBe("v13");
});

test("v13 permission strings map bit 13..0 to CRUDXPS CRUDXPS", () => {
  expect(ABIS.v13.jsonTablePermissions("0x3da4")).toBe("CRUD-PS-R--X--");
  expect(ABIS.v13.jsonTablePermissions("0x1024")).toBe("-R------R--X--");
  expect(ABIS.p4c.jsonTablePermissions("0x3da4")).toBe("0x3da4");
});

test("v13 Counter: numeric extern id in the JSON, ext_id / type / bit8 1..3 in the template", () => {
  const r = v13(path.join(repoRoot, "test", "fixtures", "stf", "counter.p4"));
  expect(r.ok).toBe(true);
  const j = json(r);
  expect(j.externs[0]!.id).toBe(0x19000000);
  expect(j.externs[0]!.permissions).toMatch(/^[-CRUDXPS]{14}$/);
  const t = r.outputs!["counter.template"]!;
  expect(t).toContain("extern/root/Counter ext_id 0x19000000 numinstances 1");
  expect(t).toContain("constructor param type type bit8 3");
  expect(t).toMatch(/control_path tc_key index type bit32 id 1/);
  const ref = p4c(path.join(repoRoot, "test", "fixtures", "stf", "counter.p4")).outputs!["counter.template"]!;
  expect(ref).toContain("extid 0x19000000");
  expect(ref).toContain("constructor param type ptype bit32 2");
});

test("v13 action parameters: each in its kernel container (macaddr in 8 bytes)", () => {
  const c = v13(path.join(corpus, "p4tc-stf", "simple_l3.p4")).outputs!["simple_l3_control_blocks.c"]!;
  const r = p4c(path.join(corpus, "p4tc-stf", "simple_l3.p4")).outputs!["simple_l3_control_blocks.c"]!;
  // dstMac is the third parameter: after dev (4) and srcMac (6, or 8 on v13)
  // (read as 4 + 2 bytes, in network order: bytes 12..17 on v13, 10..15 for p4c)
  expect(c).toContain("bpf_ntohl(*(const __u32 *)(const void *)(act_bpf->params + 12)) << 16");
  expect(c).toContain("bpf_ntohs(*(const __u16 *)(const void *)(act_bpf->params + 16))");
  expect(r).toContain("bpf_ntohl(*(const __u32 *)(const void *)(act_bpf->params + 10)) << 16");
  expect(r).toContain("bpf_ntohs(*(const __u16 *)(const void *)(act_bpf->params + 14))");
  expect(r).not.toContain("act_bpf->params + 16");
  expect(ABIS.v13.paramSlot("bit24", 24)).toEqual({ slot: 4, size: 4, network: false });
  expect(ABIS.p4c.paramSlot("bit24", 24)).toEqual({ slot: 3, size: 3, network: false });
});

test("v13 C selects the v13 kfunc prototypes in p4ts_pna.h", () => {
  const r = v13(prog("checksum"));
  expect(r.outputs!["checksum_parser.h"]).toContain("#define P4TS_P4TC_ABI_V13 1");
  expect(p4c(prog("checksum")).outputs!["checksum_parser.h"]).not.toContain("P4TS_P4TC_ABI_V13");
});

test("v13 names an action by its own name when CTRL/act is over 31 bytes", () => {
  const r = v13(prog("default_action_example"));
  expect(r.ok).toBe(true);
  const names = r.pipeline!.actions.map((a) => a.name);
  expect(names).toContain("default_route_drop");
  expect(p4c(prog("default_action_example")).pipeline!.actions.map((a) => a.name)).toContain("MainControlImpl/default_route_drop");
  expect(r.outputs!["default_action_example.template"]).toContain("create action/default_action_example/default_route_drop actid 2");
});

test.each([
  ["meter", /Meter 'ingress.global_meter' cannot be used with --p4tc-abi v13: the v13 kernel has no Meter extern/],
  ["direct_counter_example", /DirectCounter .* --p4tc-abi v13/],
  ["digest", /Digest .* --p4tc-abi v13/],
  ["simple_extern_example", /Register .* --p4tc-abi v13/],
  ["skb_meta", /skb_set_\w+ cannot be used with --p4tc-abi v13/],
  ["is_net_port", /is_net_port cannot be used with --p4tc-abi v13/],
  ["indirect_counter_01_example", /has 2048 elements: --p4tc-abi v13 allows at most 1024/],
  ["tc_may_override_example_01", /@tc_may_override on a default action of table 'ipv4_tbl_1' cannot be used with --p4tc-abi v13: .*24 bytes of struct p4tc_filter_fields/],
  ["tc_may_override_example_09", /@tc_may_override .* --p4tc-abi v13/],
  ["const_entries_range_mask", /const entries of ternary table 't_range' cannot be used with --p4tc-abi v13: .*mask array only when the pipeline is sealed/],
])("v13 rejects %s with a located error naming the ABI; p4c accepts it", (n, re) => {
  const r = v13(prog(n));
  expect(r.ok).toBe(false);
  const e = r.diagnostics.find((d) => d.category === "error")!;
  expect(e.message).toMatch(re);
  expect(e.span?.line ?? 0).toBeGreaterThan(1);
  expect(p4c(prog(n)).ok).toBe(true);
});

test("v13 keeps const entries of an exact table (the template may create them before sealing)", () => {
  const r = v13(prog("calculator"));
  expect(r.ok).toBe(true);
  expect(r.outputs!["calculator.template"]).toContain("create table/calculator/MainControlImpl/calculate entry op 0x2b");
});

test("CLI: --p4tc-abi takes p4c or v13 only", async () => {
  let err = "";
  const io = { stdout: () => {}, stderr: (t: string) => (err += t) };
  expect(await main([prog("meter"), "--p4tc-abi", "v12", "--stop-after", "midend"], io)).toBe(1);
  expect(err).toMatch(/p4tc-abi/);
  err = "";
  expect(await main([prog("meter"), "--p4tc-abi", "v13", "--stop-after", "midend"], io)).toBe(1);
  expect(err).toMatch(/meter\.p4\(\d+\).*--p4tc-abi v13/);
});

test("v13 accepts @tc_may_override on a default action without parameters (nothing to pass at filter add)", () => {
  const r = v13(prog("tc_may_override_example_02"));
  expect(r.ok).toBe(true);
  expect(r.outputs!["tc_may_override_example_02_parser.h"]).toMatch(/struct p4tc_filter_fields \{\n\tP4TC_FILTER_FIELDS_COMMON;\n\}/);
});
