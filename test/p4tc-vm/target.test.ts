// The P4TC VM target without booting: the guest script it writes for STF
// operations (tc p4ctrl spellings of typed values) and how it reads the
// guest's output back into one result per operation.
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { P4tcVmTarget, p4ctrlValue, parseResults } from "../../targets/p4tc-vm/target.js";
import { createTarget } from "../../targets/index.js";
import type { TargetOp } from "../../targets/target.js";
import { corpus } from "../helpers/corpus.js";

const model = compile({ input: { file: path.join(corpus, "p4tc-stf", "simple_l3.p4") }, p4tcAbi: "v13" }).pipeline!;

test("values are spelled as tc p4ctrl parses them for their P4TC type", () => {
  expect(p4ctrlValue("dev", 1n)).toBe("port1");
  expect(p4ctrlValue("ipv4", 0x0a000002n)).toBe("10.0.0.2");
  expect(p4ctrlValue("macaddr", 0xaabbccddeeffn)).toBe("aa:bb:cc:dd:ee:ff");
  expect(p4ctrlValue("bit16", 0x1234n)).toBe("0x1234");
});

test("the guest script loads the program, adds entries with tc p4ctrl and sends packets with pktio", () => {
  const ops: TargetOp[] = [
    { op: "add", table: "ingress/nh_table", keys: [{ name: "dstAddr", value: 0x0a000002n }], action: "ingress/send_nh", args: [{ name: "port", value: 1n }, { name: "srcMac", value: 0x000102030405n }, { name: "dstMac", value: 0xaabbccddeeffn }] },
    { op: "packet", port: 0, data: Buffer.from("0102", "hex") },
    { op: "readCounter", counter: "c", index: 0 },
  ];
  const s = P4tcVmTarget.script(model, ops);
  expect(s).toContain("p4tc-load 'simple_l3'");
  expect(s).toContain("tc p4ctrl create 'simple_l3/table/ingress/nh_table' dstAddr 10.0.0.2 action 'send_nh' param port port1 param srcMac 00:01:02:03:04:05 param dstMac aa:bb:cc:dd:ee:ff");
  expect(s).toContain("pktio -t 1000 -c p4port0 -c p4port1 -s p4port0 0102");
  expect(s).toContain('echo "@@OP 2 98 readCounter is not supported');
});

test("guest output becomes one result per operation", () => {
  const ops: TargetOp[] = [
    { op: "add", table: "t", keys: [], action: "a", args: [] },
    { op: "packet", port: 0, data: Buffer.from("00", "hex") },
    { op: "packet", port: 0, data: Buffer.from("00", "hex") },
    { op: "remove", table: "t", keys: [] },
  ];
  const r = parseResults(["Error: bad key", "@@OP 0 1", "@@FRAME p4port1 aabb", "@@OP 1 0", "@@OP 2 0", "@@END"].join("\n"), ops);
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
