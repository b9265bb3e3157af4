/** A PNA program for the fuzz regression tests: `types` declare h_t and headers_t { h_t h; }; metadata { m, `meta` }; `locals` and `apply` are the main control's. */
export function program(types: string, apply: string, locals = "", meta = ""): string {
  return `#include <core.p4>
#include <tc/pna.p4>
${types}
struct metadata_t { bit<32> m;${meta ? ` ${meta}` : ""} }
parser P(packet_in pkt, out headers_t hdr, inout metadata_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.h); transition accept; }
}
control C(inout headers_t hdr, inout metadata_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
${locals}
    apply {
${apply}
    }
}
control D(packet_out pkt, inout headers_t hdr, in metadata_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.h); }
}
PNA_NIC(P(), C(), D()) main;
`;
}
