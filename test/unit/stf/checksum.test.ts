// InternetChecksum end to end: the values get()/get_state() return are the
// checksum as a number (written to the wire in network order like any
// header field), and header fields the parser assigns are written back.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { runStf } from "../../../stf/run.js";
import { ETH_IPV4_DECLS } from "../../helpers/ethIpv4.js";
import { corpus } from "../../helpers/corpus.js";
import { kernelMissing, testIf } from "../build/tools.js";

/*
 * TTL - 1 with the IPv4 header checksum redone by InternetChecksum in the
 * deparser, either in full or (INCREMENTAL) with set_state, subtract and add. Sent to ifindex 2 (STF port 1).
 */
const PROGRAM = `${ETH_IPV4_DECLS}parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.eth); pkt.extract(hdr.ipv4); transition accept; }
}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    apply {
#ifndef INCREMENTAL
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
#endif
        send_to_port((PortId_t) 2);
    }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    InternetChecksum() ck;
    apply {
        ck.clear();
#ifdef INCREMENTAL
        ck.set_state(~hdr.ipv4.hdr_checksum);
        ck.subtract({ hdr.ipv4.ttl, hdr.ipv4.protocol });
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
        ck.add({ hdr.ipv4.ttl, hdr.ipv4.protocol });
#else
        ck.add({ hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.diffserv, hdr.ipv4.total_len,
                 hdr.ipv4.identification, hdr.ipv4.flags, hdr.ipv4.frag_offset,
                 hdr.ipv4.ttl, hdr.ipv4.protocol, hdr.ipv4.src, hdr.ipv4.dst });
#endif
        hdr.ipv4.hdr_checksum = ck.get();
        pkt.emit(hdr.eth);
        pkt.emit(hdr.ipv4);
    }
}
PNA_NIC(P(), C(), D()) main;
`;

// UDP 10.0.0.1 -> 192.168.1.7, TOS 0x10, TTL 64 (checksum 5c d1) and the same with TTL 63 (5d d1)
const IN = "00000000aa0100000000bb010800 451000281234400040115cd10a000001c0a80107 03e807d00014966e68656c6c6f20776f726c6421";
const OUT = "00000000aa0100000000bb010800 45100028123440003f115dd10a000001c0a80107 03e807d00014966e68656c6c6f20776f726c6421$";

function files(p4: string, stf: string): { p4: string; stf: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-csum-"));
  fs.writeFileSync(path.join(dir, "csum.p4"), p4);
  fs.writeFileSync(path.join(dir, "csum.stf"), stf);
  return { p4: path.join(dir, "csum.p4"), stf: path.join(dir, "csum.stf") };
}

async function stf(p4: string, file: string, defines?: Record<string, string>): Promise<{ rc: number; out: string }> {
  let out = "";
  const rc = await runStf({ program: p4, stf: file, defines, out: (t) => (out += t) });
  return { rc, out };
}

test("checksum data is passed as 16-bit words holding their values", () => {
  const r = compile({ input: { source: PROGRAM, fileName: "csum.p4" } });
  expect(r.ok).toBe(true);
  const c = Object.entries(r.outputs!).find(([f]) => f.endsWith("_control_blocks.c"))![1];
  expect(c).toMatch(/__u16 csum_buf_\d+\[9\] __attribute__\(\(aligned\(8\)\)\);/);
  expect(c).toMatch(/bpf_p4tc_ext_csum_16bit_complement_add\([^;]*csum_buf_\d+, 18\);/);
});

test("a header field the parser assigns counts as modified (it is written back)", () => {
  const r = compile({ input: { file: path.join(corpus, "p4tc", "programs", "checksum.p4") } });
  expect(r.pipeline!.datapath!.modifiedHeaders).toContain("ipv4");
});

testIf(kernelMissing(), "a checksum computed in full in the deparser is right on the wire", async () => {
  const f = files(PROGRAM, `packet 0 ${IN}\nexpect 1 ${OUT}\n`);
  const r = await stf(f.p4, f.stf);
  expect(r.out).toMatch(/^PASS/m);
});

testIf(kernelMissing(), "an incremental update (set_state, subtract, add, get) is right on the wire", async () => {
  const f = files(PROGRAM, `packet 0 ${IN}\nexpect 1 ${OUT}\n`);
  const r = await stf(f.p4, f.stf, { INCREMENTAL: "1" });
  expect(r.out).toMatch(/^PASS/m);
});

testIf(kernelMissing(), "the parser verifies a good checksum and writes get_state() back (corpus checksum.p4)", async () => {
  const f = files(
    fs.readFileSync(path.join(corpus, "p4tc", "programs", "checksum.p4"), "utf8"),
    [
      "add ingress.nh_table srcAddr:0x0a000001 ingress.send_nh(port_id:2, dmac:0x00000000cc02, smac:0x00000000aa02)",
      // good checksum af 24: verified, the field leaves holding the sum ~0xaf24 = 0x50db
      "packet 1 00000000aa0100000000bb01080045000018000100004011af240a000001c0a80107deadbeef",
      "expect 2 00000000cc0200000000aa0208004500001800010000401150db0a000001c0a80107deadbeef$",
      // bad checksum: a parser error (PNA: the control still runs), the field left as it was
      "packet 1 00000000aa0100000000bb01080045000018000100004011af250a000001c0a80107deadbeef",
      "expect 2 00000000cc0200000000aa02080045000018000100004011af250a000001c0a80107deadbeef$",
    ].join("\n"),
  );
  const r = await stf(f.p4, f.stf);
  expect(r.out).toMatch(/^PASS/m);
}, 60_000);
