// STF names resolved against the program before anything runs: every unknown
// table, action, key field, parameter or extern is an error on its line.
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { parseStf } from "../../../stf/parse.js";
import { planStf } from "../../../stf/resolve.js";
import { corpus } from "../../helpers/corpus.js";

const model = compile({ input: { file: path.join(corpus, "p4tc-stf", "simple_l3.p4") } }).pipeline!;
const plan = (text: string) => planStf(model, parseStf(text));
const errors = (text: string) => plan(text).errors.map((e) => `${e.line}: ${e.message}`);

test("a well-formed test resolves to operations with the model's names, keys and args in order", () => {
  const p = plan("add ingress.nh_table dstAddr:0x0a000002 ingress.send_nh(dstMac:0xAABBCCDDEEFF, port:1, srcMac:0x000102030405)\npacket 0 00\nexpect 1 00\nremove all\n");
  expect(p.errors).toEqual([]);
  expect(p.ops.map((o) => o.op)).toEqual([
    {
      op: "add",
      table: "ingress/nh_table",
      keys: [{ name: "dstAddr", value: 0x0a000002n }],
      action: "ingress/send_nh",
      args: [
        { name: "port", value: 1n },
        { name: "srcMac", value: 0x000102030405n },
        { name: "dstMac", value: 0xaabbccddeeffn },
      ],
    },
    { op: "packet", port: 0, data: Buffer.from([0]) },
    { op: "removeAll" },
  ]);
  expect(p.expects.map((e) => e.line)).toEqual([3]);
});

test.each([
  ["add ingress.nh_table nope:1 ingress.send_nh(port:1, srcMac:0, dstMac:0)", /^1: table ingress.nh_table has no key field nope \(key fields: dstAddr\)$/],
  ["add ingress.nh_table dstAddr:1 nope:2 ingress.send_nh(port:1, srcMac:0, dstMac:0)", /has no key field nope/],
  ["add ingress.nh_table ingress.send_nh(port:1, srcMac:0, dstMac:0)", /no value for key field dstAddr of table ingress.nh_table/],
  ["add ingress.nope dstAddr:1 ingress.send_nh(port:1)", /^1: no table ingress.nope \(tables: ingress.nh_table\)$/],
  ["add ingress.nh_table dstAddr:1 ingress.nope()", /table ingress.nh_table has no action ingress.nope/],
  ["add ingress.nh_table dstAddr:1 ingress.send_nh(port:1, srcMac:0, dstMac:0, ttl:3)", /action ingress.send_nh has no parameter ttl/],
  ["add ingress.nh_table dstAddr:1 ingress.send_nh(port:1, srcMac:0)", /no value for parameter dstMac of action ingress.send_nh/],
  ["add ingress.nh_table dstAddr:0x100000000 ingress.send_nh(port:1, srcMac:0, dstMac:0)", /does not fit in 32 bits/],
  ["add ingress.nh_table dstAddr:1 ingress.send_nh(port:1, srcMac:0x1000000000000, dstMac:0)", /parameter srcMac does not fit in 48 bits/],
  ["add ingress.nh_table dstAddr:1/24 ingress.send_nh(port:1, srcMac:0, dstMac:0)", /is exact: its value cannot have a mask or a prefix/],
  ["remove ingress.nh_table nope:1", /has no key field nope/],
  ["setdefault ingress.nh_table ingress.nope()", /has no action ingress.nope/],
  ["check_counter nope(0) == 1", /no Counter instance nope \(instances: none\)/],
])("%s", (text, want) => {
  const e = errors(text);
  expect(e).toHaveLength(1);
  expect(e[0]).toMatch(want);
});

test("every error is reported, each on its own line", () => {
  expect(errors("add ingress.nope k:1 a()\npacket 0 00\nadd ingress.nh_table bad:1 ingress.send_nh(port:1, srcMac:0, dstMac:0)\n").map((e) => e.split(":")[0])).toEqual(["1", "3"]);
});
