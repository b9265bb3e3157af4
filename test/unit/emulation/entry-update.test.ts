// set_entry_expire_time in an action rewrites the entry through
// bpf_p4tc_entry_update with the action's own parameters: the generated C
// copies only the bytes the table's actions have parameters in (none for
// tables whose actions have none). On the kernel, with the P4TC emulation, a
// hit keeps the entry's action and every parameter byte, for the action with
// the widest parameters and for a narrower one.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { buildObjects } from "../../../build/index.js";
import { EmulatedControlPlane, parseTypedValue } from "../../../targets/emulation/entries.js";
import { EmulatedPipeline } from "../../../targets/emulation/loader.js";
import { cleanupTmpDirs, kernelMissing, realClang, testIf, tmpDir } from "../build/tools.js";

afterAll(cleanupTmpDirs);

const PROGRAM = `#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { bit<48> dstAddr; bit<48> srcAddr; bit<16> etherType; }
header ipv4_t {
    bit<4> version; bit<4> ihl; bit<8> diffserv; bit<16> totalLen; bit<16> identification;
    bit<3> flags; bit<13> fragOffset; bit<8> ttl; bit<8> protocol; bit<16> hdrChecksum;
    @tc_type("ipv4") bit<32> srcAddr; @tc_type("ipv4") bit<32> dstAddr;
}
struct metadata_t { }
struct headers_t { ethernet_t ethernet; ipv4_t ipv4; }
parser P(packet_in pkt, out headers_t hdr, inout metadata_t m, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.ethernet); transition select(hdr.ethernet.etherType) { 0x0800: parse_ipv4; default: accept; } }
    state parse_ipv4 { pkt.extract(hdr.ipv4); transition accept; }
}
control C(inout headers_t hdr, inout metadata_t m, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    action set_nh(@tc_type("dev") PortId_t port, @tc_type("macaddr") bit<48> dmac, bit<16> tag) {
        hdr.ethernet.dstAddr = dmac;
        hdr.ipv4.identification = tag;
        send_to_port(port);
        set_entry_expire_time(2);
    }
    action set_tag(bit<8> tag) {
        hdr.ipv4.diffserv = tag;
        set_entry_expire_time(1);
    }
    action drop() { drop_packet(); }
    table nh {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { set_nh; set_tag; drop; }
        default_action = drop;
    }
    action refresh() { set_entry_expire_time(3); }
    table seen {
        key = { hdr.ipv4.srcAddr : exact; }
        actions = { refresh; NoAction; }
        default_action = NoAction;
    }
    apply { if (hdr.ipv4.isValid()) { nh.apply(); seen.apply(); } }
}
control D(packet_out pkt, inout headers_t hdr, in metadata_t m, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.ethernet); pkt.emit(hdr.ipv4); }
}
PNA_NIC(P(), C(), D()) main;
`;

function packet(dst: number): Buffer {
  const eth = Buffer.from("ffffffffffff00112233445508 00".replace(/ /g, ""), "hex");
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20, 2);
  ip[8] = 64;
  ip[9] = 17;
  ip.writeUInt32BE(0x0a000001, 12);
  ip.writeUInt32BE(dst, 16);
  return Buffer.concat([eth, ip]);
}

test("the update copies the parameter bytes of the table's actions only", () => {
  const r = compile({ input: { source: PROGRAM, fileName: "update.p4" } });
  expect(r.format()).toBe("");
  const c = r.outputs!["update_control_blocks.c"]!;
  // nh: set_nh has 4 + 6 + 2 bytes of parameters, set_tag 1; seen's actions have none.
  expect(c.match(/__builtin_memcpy\(cp__\.act_bpf\.params, act_bpf->params, [^)]*\)/g)).toEqual([
    "__builtin_memcpy(cp__.act_bpf.params, act_bpf->params, 12)",
    "__builtin_memcpy(cp__.act_bpf.params, act_bpf->params, 12)",
  ]);
  expect(c.match(/bpf_p4tc_entry_update\(/g)).toHaveLength(3);
});

testIf(kernelMissing(), "on the kernel, a hit that refreshes the timer keeps the action and its parameters", () => {
  const clang = realClang();
  const r = compile({ input: { source: PROGRAM, fileName: "update.p4" } });
  const out = tmpDir("update");
  for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
  const b = buildObjects(out, "update", clang!, { extraFlags: ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"] });
  expect(b.diagnostics).toBe("");
  const pipe = EmulatedPipeline.load(path.join(out, "update_parser.o"), path.join(out, "update_control_blocks.o"));
  try {
    const cp = new EmulatedControlPlane(r.pipeline!);
    pipe.apply(cp.setup());
    const k2 = [parseTypedValue("ipv4", 32, "10.0.0.2")];
    const k3 = [parseTypedValue("ipv4", 32, "10.0.0.3")];
    pipe.apply(cp.add("C/nh", k2, "set_nh", [1n, 0xa1b2c3d4e5f6n, 0xbeefn]));
    pipe.apply(cp.add("C/nh", k3, "set_tag", [0x5an]));
    const a2 = cp.locateEntry("C/nh", k2);
    const a3 = cp.locateEntry("C/nh", k3);
    const before = [pipe.lookup(a2.map, a2.key)!, pipe.lookup(a3.map, a3.key)!].map((v) => cp.decodeEntry(v));
    expect(before[0]).toEqual({ action: "C/set_nh", args: [{ name: "port", value: 1n }, { name: "dmac", value: 0xa1b2c3d4e5f6n }, { name: "tag", value: 0xbeefn }] });

    const hit2 = pipe.run(packet(0x0a000002), 1);
    expect(hit2.data.subarray(0, 6).toString("hex")).toBe("a1b2c3d4e5f6");
    expect(hit2.data.readUInt16BE(14 + 4)).toBe(0xbeef);
    const hit3 = pipe.run(packet(0x0a000003), 1);
    expect(hit3.data[14 + 1]).toBe(0x5a);
    // Updated by the packets (the timer profile), the same action and parameters.
    expect(cp.decodeEntry(pipe.lookup(a2.map, a2.key)!)).toEqual(before[0]);
    expect(cp.decodeEntry(pipe.lookup(a3.map, a3.key)!)).toEqual(before[1]);
    // And a second hit still runs them.
    expect(pipe.run(packet(0x0a000002), 1).data.subarray(0, 6).toString("hex")).toBe("a1b2c3d4e5f6");
  } finally {
    pipe.close();
  }
}, 120_000);
