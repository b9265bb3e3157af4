// The P4TC VM target without booting: the guest script it writes for STF
// operations (tc p4ctrl spellings of typed values, ports, counters) and how
// it reads the guest's output back into one result per operation.
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { P4tcVmTarget, p4ctrlKey, p4ctrlValue, parseResults } from "../../targets/p4tc-vm/target.js";
import { PORT0_IFINDEX, vmIfindex } from "../../targets/p4tc-vm/script.js";
import { createTarget } from "../../targets/index.js";
import type { TargetOp } from "../../targets/target.js";
import { corpus, repoRoot } from "../helpers/corpus.js";

const model = compile({ input: { file: path.join(corpus, "p4tc-stf", "simple_l3.p4") }, p4tcAbi: "v13" }).pipeline!;

test("values are spelled as tc p4ctrl parses them for their P4TC type", () => {
  expect(p4ctrlValue("dev", 1n)).toBe("port1");
  expect(p4ctrlValue("ipv4", 0x0a000002n)).toBe("10.0.0.2");
  expect(p4ctrlValue("macaddr", 0xaabbccddeeffn)).toBe("aa:bb:cc:dd:ee:ff");
  expect(p4ctrlValue("bit16", 0x1234n)).toBe("0x1234");
  expect(p4ctrlValue("ipv6", 0x20010db8000000000000000000000001n)).toBe("2001:db8:0:0:0:0:0:1");
  expect(p4ctrlValue("be16", 0x800n)).toBe("0x800");
  // v13 tc left-aligns a short bit128 hex string: all 32 digits are written.
  expect(p4ctrlValue("bit128", 1n)).toBe(`0x${"0".repeat(31)}1`);
  expect(() => p4ctrlValue("bit72", 1n)).toThrow(/bit72/);
});

test("keys: a prefix or mask only on ipv4/ipv6 keys, a full one dropped, anything else an error naming the reason", () => {
  expect(p4ctrlKey("ipv4", 32, { name: "dst", value: 0x0a010000n, prefixLen: 16 })).toBe("10.1.0.0/16");
  expect(p4ctrlKey("ipv4", 32, { name: "dst", value: 0x0a010000n, mask: 0xffffff00n })).toBe("10.1.0.0/24");
  expect(p4ctrlKey("ipv4", 32, { name: "dst", value: 0x0a010002n, prefixLen: 32 })).toBe("10.1.0.2");
  expect(p4ctrlKey("bit32", 32, { name: "dst", value: 0x0a010002n, prefixLen: 32 })).toBe("0xa010002");
  expect(p4ctrlKey("bit16", 16, { name: "id", value: 5n, mask: 0xffffn })).toBe("0x5");
  expect(() => p4ctrlKey("bit32", 32, { name: "dst", value: 0x0a000000n, prefixLen: 24 })).toThrow(/no prefix \/24 for key dst of type bit32: only ipv4 and ipv6 keys take a mask/);
  expect(() => p4ctrlKey("ipv4", 32, { name: "src", value: 0n, mask: 0xff00ff00n })).toThrow(/not contiguous/);
});

test("ports: STF port K is ifindex K+1 as in the emulation, port 0 a fixed index (1 is the loopback)", () => {
  expect(vmIfindex(1)).toBe(2);
  expect(vmIfindex(3)).toBe(4);
  expect(vmIfindex(0)).toBe(PORT0_IFINDEX);
  expect(vmIfindex(2, new Map([[2, 77]]))).toBe(77);
  const s = P4tcVmTarget.script(model, [{ op: "packet", port: 5, data: Buffer.alloc(14) }]);
  expect(s).toContain("ip link add p4port1 index 2001 address 10:00:01:01:aa:bb type veth peer name port1 index 2 address 10:00:01:02:aa:bb || { echo \"@@LOAD-FAIL\"");
  expect(s).toContain(`peer name port0 index ${PORT0_IFINDEX} `);
  expect(s).toContain("tc qdisc add dev port5 ingress_block 21 clsact");
  expect(s).not.toContain("port6");
  expect(s).toContain("-c p4port0 -c p4port1 -c p4port2 -c p4port3 -c p4port4 -c p4port5 -s p4port5");
});

test("an entry v13 tc cannot express fails that operation with the reason, in the guest output", () => {
  const m = compile({ input: { file: path.join(repoRoot, "test", "fixtures", "stf", "odd_key_widths.p4") }, p4tcAbi: "v13" }).pipeline!;
  const t = m.tables[0]!;
  const keys = t.keys.map((k) => ({ name: k.name, value: 0n, ...(k.bitwidth === 16 ? { mask: 0xff00n } : {}) }));
  const ops: TargetOp[] = [{ op: "add", table: t.name, keys, action: m.actions.find((a) => a.localName === "drop")!.name, args: [] }];
  const s = P4tcVmTarget.script(m, ops);
  expect(s).toMatch(/echo 'v13 tc takes no mask 0xff00 for key id of type bit16: only ipv4 and ipv6 keys take a mask[^\n]*'; echo "@@OP 0 99"/);
  expect(parseResults("v13 tc takes no mask 0xff00 for key id of type bit16\n@@OP 0 99\n", ops)[0]).toEqual({ ok: false, error: "v13 tc takes no mask 0xff00 for key id of type bit16" });
});

test("counters are read with tc p4ctrl get and parsed from its JSON; frames shorter than an Ethernet header are not sent", () => {
  const cm = compile({ input: { file: path.join(repoRoot, "test", "fixtures", "stf", "counter.p4") }, p4tcAbi: "v13" }).pipeline!;
  const ops: TargetOp[] = [
    { op: "readCounter", counter: "C.frames", index: 181 },
    { op: "packet", port: 0, data: Buffer.from("0102", "hex") },
  ];
  const s = P4tcVmTarget.script(cm, ops);
  expect(s).toContain("tc -j p4ctrl get 'counter/extern/Counter/C.frames' tc_key index 181");
  expect(s).not.toContain("-s p4port0 0102");
  const out = ['@@CNT [{"total exts":0},{"externs":[{"order":1,"kind":"Counter","instance":"C.frames","key":181,"params":[{"name":"pkts","id":2,"type":"bit64","value":2},{"name":"bytes","id":3,"type":"bit64","value":8}]}]}]', "@@OP 0 0", "@@SHORT 2", "@@OP 1 0"].join("\n");
  const r = parseResults(out, ops);
  expect(r[0]).toEqual({ ok: true, counter: { packets: 2n, bytes: 8n } });
  expect(r[1]).toMatchObject({ ok: true, packet: { outputs: [], note: "drop", warnings: [expect.stringMatching(/2-byte frame is shorter than an Ethernet header/)] } });
});

test("the guest script loads the program, adds entries with tc p4ctrl and sends packets with pktio", () => {
  const ops: TargetOp[] = [
    { op: "add", table: "ingress/nh_table", keys: [{ name: "dstAddr", value: 0x0a000002n }], action: "ingress/send_nh", args: [{ name: "port", value: 1n }, { name: "srcMac", value: 0x000102030405n }, { name: "dstMac", value: 0xaabbccddeeffn }] },
    { op: "packet", port: 0, data: Buffer.from("0102030405060708090a0b0c0d0e", "hex") },
    { op: "readCounter", counter: "c", index: 0 },
  ];
  const s = P4tcVmTarget.script(model, ops);
  expect(s).toContain("p4tc-load 'simple_l3'");
  expect(s).toContain("tc p4ctrl create 'simple_l3/table/ingress/nh_table' dstAddr 10.0.0.2 action 'send_nh' param port port1 param srcMac 00:01:02:03:04:05 param dstMac aa:bb:cc:dd:ee:ff");
  expect(s).toContain("-c p4port0 -c p4port1 -c p4port2 -c p4port3 -s p4port0 0102030405060708090a0b0c0d0e");
  expect(s).toContain("no Counter instance c");
});

test("guest output becomes one result per operation", () => {
  const ops: TargetOp[] = [
    { op: "add", table: "t", keys: [], action: "a", args: [] },
    { op: "packet", port: 0, data: Buffer.from("00", "hex") },
    { op: "packet", port: 0, data: Buffer.from("00", "hex") },
    { op: "remove", table: "t", keys: [] },
  ];
  const r = parseResults(["Error: bad key", "@@OP 0 1", "@@FRAME 1 aabb", "@@OP 1 0", "@@OP 2 0", "@@END"].join("\n"), ops);
  expect(r[0]).toEqual({ ok: false, error: "Error: bad key" });
  expect(r[1]).toEqual({ ok: true, packet: { outputs: [{ port: 1, data: Buffer.from("aabb", "hex") }] } });
  expect(r[2]).toEqual({ ok: true, packet: { outputs: [], note: "drop" } });
  expect(r[3]).toEqual({ ok: false, error: "remove: no result from the VM" });
});

test("the target is registered as p4tc-vm and asks for the v13 ABI", async () => {
  const t = await createTarget("p4tc-vm");
  expect(t?.name).toBe("p4tc-vm");
  expect(t?.abi).toBe("v13");
});
