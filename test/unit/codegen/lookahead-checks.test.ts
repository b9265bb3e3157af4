// Where the parser's C checks the packet bytes a lookahead reads. P4-16
// evaluates the right operand of `&&`/`||` and the selected arm of `?:` only
// (spec "Expressions"), and lookahead<T>() signals PacketTooShort only when
// evaluated. A lookahead its statement always evaluates is checked once,
// before the statement (one check, as before); one in a lazily evaluated
// operand is checked inside that operand, where it runs, unless its bytes are
// within what is already checked there: then no check is added (a packet too
// short for it was already PacketTooShort). What the checks do on packets is
// tested by the STF fixtures lookahead_lazy_*; this tests that the C is not
// enlarged where nothing is lazy, and where the checks sit.
import { compile } from "../../../compiler/compile.js";

const program = (body: string): string => `#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
struct headers_t { ethernet_t eth; }
struct meta_t { bit<8> a; }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start {
        pkt.extract(hdr.eth);
${body}
        transition accept;
    }
}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    apply { hdr.eth.src = (bit<48>)meta.a; send_to_port((PortId_t)2); }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.eth); }
}
PNA_NIC(P(), C(), D()) main;
`;

/** The parser C from `off += 14;` (after Ethernet) to the state's end, and the byte counts of its checks. */
function checks(body: string): { before: number[]; inside: number[]; c: string } {
  const r = compile({ input: { source: program(body), fileName: "la.p4" } });
  expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  const c = r.outputs!["la_parser.c"]!;
  const state = c.slice(c.indexOf("off += 14;"), c.indexOf("goto accept;"));
  const before = [...state.matchAll(/^\s*if \(pkt \+ off \+ (\d+) > end\)/gm)].map((m) => Number(m[1]));
  // In the operand: a check of the pointer its lookaheads read through (opaque to clang, so the verifier sees it checked).
  const inside = [...state.matchAll(/\(\{ const __u8 \*(la\d+__) = pkt \+ off; asm volatile\(""\s*:\s*"\+r"\(\1\)\); if \(\1 \+ (\d+) > end\) goto packet_too_short;/g)].map((m) => Number(m[2]));
  return { before, inside, c: state };
}

test("lookaheads every run of the statement evaluates: one check before it, none in the expression", () => {
  for (const body of [
    "meta.a = pkt.lookahead<bit<16>>()[7:0];",
    "bit<8> x = pkt.lookahead<bit<8>>() + pkt.lookahead<bit<24>>()[7:0]; meta.a = x;",
    // The left of && and ||, the condition of ?:: evaluated whenever the expression is.
    "if (pkt.lookahead<bit<24>>() == 1 && hdr.eth.type == 2) meta.a = 1;",
    "meta.a = pkt.lookahead<bit<24>>()[0:0] == 1 || hdr.eth.type == 2 ? 8w1 : 8w0;",
    "verify(pkt.lookahead<bit<24>>() != 0 || hdr.eth.type == 2, error.NoMatch);",
  ]) {
    const r = checks(body);
    expect({ body, before: r.before, inside: r.inside }).toEqual({ body, before: [body.includes("24") ? 3 : 2], inside: [] });
  }
});

test("a lazily evaluated lookahead within what its statement checks adds no check", () => {
  const r = checks("meta.a = pkt.lookahead<bit<16>>()[7:0] + (hdr.eth.type == 1 ? pkt.lookahead<bit<8>>() : 8w0);");
  expect(r).toMatchObject({ before: [2], inside: [] });
  const s = checks("if (pkt.lookahead<bit<32>>() == 1 || pkt.lookahead<bit<16>>() == 2) meta.a = 1;");
  expect(s).toMatchObject({ before: [4], inside: [] });
});

test("a lazily evaluated lookahead reading further is checked where it runs, nested operands each at their own", () => {
  expect(checks("meta.a = hdr.eth.type == 1 ? pkt.lookahead<bit<8>>() : 8w0;")).toMatchObject({ before: [], inside: [1] });
  // The statement checks 1 byte; the right of && reads 2.
  expect(checks("if (pkt.lookahead<bit<8>>() == 1 && pkt.lookahead<bit<16>>() == 2) meta.a = 1;")).toMatchObject({ before: [1], inside: [2] });
  // ?: in an arm of ?:: the outer arm checks 1 byte, its own then-arm 4 more, its else-arm nothing more.
  const n = checks("meta.a = hdr.eth.type == 1 ? (pkt.lookahead<bit<8>>() == 2 ? pkt.lookahead<bit<32>>()[7:0] : pkt.lookahead<bit<8>>()) : 8w0;");
  expect(n).toMatchObject({ before: [], inside: [1, 4] });
  expect(n.c.search(/__ \+ 1 > end/)).toBeGreaterThan(-1);
  expect(n.c.search(/__ \+ 1 > end/)).toBeLessThan(n.c.search(/__ \+ 4 > end/));
  // A field of lookahead<H>() needs all of H (here 14 bytes), in a lazy operand too.
  expect(checks("meta.a = hdr.eth.type == 1 ? (bit<8>)pkt.lookahead<ethernet_t>().type : 8w0;")).toMatchObject({ before: [], inside: [14] });
});
