// Running small PNA programs on the interpreter through the library's entry points.
import { compile } from "../../../compiler/compile.js";
import { SimTarget } from "../../../targets/sim/target.js";
import type { OpResult, TargetOp } from "../../../targets/target.js";

/** A program with an Ethernet header and the given parser states, control body and deparser body. */
export function program(parts: { decls?: string; headers?: string; parser?: string; locals?: string; apply: string; deparser?: string; dlocals?: string; meta?: string }): string {
  return `
#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header h_t { bit<8> a; bit<8> b; bit<16> c; }
${parts.decls ?? ""}
struct headers_t { ethernet_t eth; h_t h; ${parts.headers ?? ""} }
struct meta_t { bit<32> m; ${parts.meta ?? ""} }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    ${parts.parser ?? "state start { pkt.extract(hdr.eth); transition select(hdr.eth.type) { 0x0801: parse_h; default: accept; } } state parse_h { pkt.extract(hdr.h); transition accept; }"}
}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    ${parts.locals ?? ""}
    apply { ${parts.apply} }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    ${parts.dlocals ?? ""}
    apply { ${parts.deparser ?? "pkt.emit(hdr.eth); pkt.emit(hdr.h);"} }
}
PNA_NIC(P(), C(), D()) main;
`;
}

export async function simRun(source: string, ops: readonly TargetOp[], seed?: number): Promise<OpResult[]> {
  const r = compile({ input: { source, fileName: "t.p4" } });
  if (!r.ok) throw new Error(r.format());
  return new SimTarget({ seed }).run({ name: r.name, pipeline: r.pipeline!, outputs: r.outputs!, ast: r.ast, checked: r.checked }, ops);
}

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ""), "hex");
}

export const ETH = "000000000002 000000000001";

/** The one packet operation's outcome: "drop", "pass" or "tx PORT HEX". */
export async function one(source: string, data: string, ops: readonly TargetOp[] = [], port = 0): Promise<string> {
  const res = await simRun(source, [...ops, { op: "packet", port, data: hex(data) }]);
  const r = res[res.length - 1]!;
  if (!r.ok || !r.packet) throw new Error(r.ok ? "no packet result" : r.error);
  const o = r.packet.outputs[0];
  return o ? `tx ${o.port} ${o.data.toString("hex")}` : r.packet.note!;
}
