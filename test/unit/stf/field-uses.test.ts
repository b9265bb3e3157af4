// The parser stores only the header fields something reads back, a 14-byte
// header emitted first and never changed stays in the packet when it is
// resized (not written back), and writes to fields of headers never emitted
// that nobody reads are dropped: the model says which, the C follows, and the
// packets on the wire are the same as before.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { runStf } from "../../../stf/run.js";
import { ETH_IPV4_DECLS } from "../../helpers/ethIpv4.js";
import { kernelMissing, testIf } from "../build/tools.js";

/*
 * eth and ipv4 parsed; the control reads ipv4.dstAddr (a table key) and
 * ipv4.ttl (a condition), writes ipv4.diffserv (never emitted, never read);
 * the deparser emits eth only (CHANGE_ETH: after the control changes its
 * source address), so the packet loses the IPv4 header. Port 2 of the
 * program is STF port 1.
 */
const PROGRAM = `${ETH_IPV4_DECLS}parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start {
#ifdef ADVANCE
        pkt.advance(16);
#endif
        pkt.extract(hdr.eth);
        transition select(hdr.eth.type) { 0x0800: parse_ipv4; default: accept; }
    }
    state parse_ipv4 { pkt.extract(hdr.ipv4); transition accept; }
}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    action fwd(PortId_t port) { send_to_port(port); hdr.ipv4.diffserv = 7; }
    action drop() { drop_packet(); }
    table t {
        key = { hdr.ipv4.dst : exact; }
        actions = { fwd; drop; }
        default_action = drop;
    }
    apply {
        if (hdr.ipv4.isValid() && hdr.ipv4.ttl > 1) {
            t.apply();
#ifdef CHANGE_ETH
            hdr.eth.src = 0x0000000000ee;
#endif
        } else {
            drop_packet();
        }
    }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply {
        pkt.emit(hdr.eth);
#ifdef EMIT_TWICE
        pkt.emit(hdr.eth);
#endif
    }
}
PNA_NIC(P(), C(), D()) main;
`;

const ETH = "00000000aa0100000000bb010800";
const IPV4 = "451000281234400040115cd10a000001c0a80107";
const PAYLOAD = "03e807d00014966e68656c6c6f20776f726c6421";

function compileIt(defines: Record<string, string> = {}) {
  const r = compile({ input: { source: PROGRAM, fileName: "uses.p4" }, defines });
  expect(r.ok).toBe(true);
  const out = (suffix: string) => Object.entries(r.outputs!).find(([f]) => f.endsWith(suffix))![1];
  return { dp: r.pipeline!.datapath!, parser: out("_parser.c"), main: out("_control_blocks.c") };
}

test("the model lists the fields nobody reads and the header that stays in front", () => {
  const { dp } = compileIt();
  expect(dp.mayResize).toBe(true);
  expect(dp.inPlaceFront).toBe("eth");
  // eth.type is read by the parser's select; ipv4.dst (key) and ipv4.ttl (condition) by the control
  expect(dp.unusedFields).toEqual(expect.arrayContaining(["eth.dst", "eth.src", "ipv4.version", "ipv4.diffserv", "ipv4.src", "ipv4.protocol"]));
  expect(dp.unusedFields).not.toEqual(expect.arrayContaining(["eth.type"]));
  expect(dp.unusedFields.filter((f) => f === "ipv4.dst" || f === "ipv4.ttl")).toEqual([]);
});

test("the C stores only the fields read back, drops the dead write and does not rewrite the front header", () => {
  const { parser, main } = compileIt();
  expect(parser).toMatch(/hdr->ipv4\.dst = /);
  expect(parser).toMatch(/hdr->ipv4\.ttl = /);
  expect(parser).toMatch(/hdr->eth\.type = /);
  expect(parser).not.toMatch(/hdr->ipv4\.src = |hdr->eth\.src = |hdr->ipv4\.diffserv = /);
  expect(main).not.toMatch(/hdr->ipv4\.diffserv = /);
  expect(main).not.toMatch(/hdr->eth\.dst >> /);
});

test("a header the control changes is written back whole, and the parser stores all its fields", () => {
  const { dp, parser, main } = compileIt({ CHANGE_ETH: "1" });
  expect(dp.inPlaceFront).toBeNull();
  expect(dp.unusedFields.filter((f) => f.startsWith("eth."))).toEqual([]);
  expect(parser).toMatch(/hdr->eth\.dst = /);
  expect(main).toMatch(/hdr->eth\.dst >> /);
});

test.each([["ADVANCE", "it is not the first bytes of the packet"], ["EMIT_TWICE", "it is emitted twice"]])(
  "with %s the front header is written back (%s)",
  (define) => {
    const { dp, main } = compileIt({ [define]: "1" });
    expect(dp.mayResize).toBe(true);
    expect(dp.inPlaceFront).toBeNull();
    expect(main).toMatch(/hdr->eth\.dst >> /);
  },
);

async function stf(lines: string[], defines?: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-uses-"));
  fs.writeFileSync(path.join(dir, "uses.p4"), PROGRAM);
  fs.writeFileSync(path.join(dir, "uses.stf"), lines.join("\n") + "\n");
  let out = "";
  await runStf({ program: path.join(dir, "uses.p4"), stf: path.join(dir, "uses.stf"), defines, out: (t) => (out += t) });
  return out;
}

testIf(kernelMissing(), "on the wire: the front header stays, the IPv4 header goes, the payload follows", async () => {
  const out = await stf([
    "add C.t dst:0xc0a80107 C.fwd(port:2)",
    `packet 1 ${ETH} ${IPV4} ${PAYLOAD}`,
    `expect 1 ${ETH} ${PAYLOAD}$`,
    // TTL 1: dropped; another destination: the default action drops
    `packet 1 ${ETH} ${IPV4.replace("40115cd1", "01115cd1")} ${PAYLOAD}`,
    `packet 1 ${ETH} ${IPV4.replace("c0a80107", "c0a80108")} ${PAYLOAD}`,
  ]);
  expect(out).toMatch(/^PASS/m);
}, 60_000);

testIf(kernelMissing(), "on the wire: a changed front header is written back", async () => {
  const out = await stf(
    ["add C.t dst:0xc0a80107 C.fwd(port:2)", `packet 1 ${ETH} ${IPV4} ${PAYLOAD}`, `expect 1 00000000aa01 0000000000ee 0800 ${PAYLOAD}$`],
    { CHANGE_ETH: "1" },
  );
  expect(out).toMatch(/^PASS/m);
}, 60_000);
