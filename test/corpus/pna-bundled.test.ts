// `#include <pna.p4>` gives the standard PNA declarations with the bundled includes
// alone: every pna-* sample that does not include dpdk/pna.p4 passes the front end
// without the reference include directory. A program whose main is the standard
// four-block PNA_NIC gets one target error at main from the mid-end.
import fs from "node:fs";
import path from "node:path";
import { corpus, programsIn } from "../helpers/corpus.js";
import { compile } from "../../compiler/compile.js";
import { Msg } from "../../compiler/diagnostics/messages.js";

const samples = path.join(corpus, "p4_16_samples");
const pnaSamples = programsIn(samples)
  .filter((f) => f.startsWith("pna") && !fs.readFileSync(path.join(samples, f), "utf8").includes("dpdk/pna.p4"));

test("the pna-* samples pass the front end with the bundled pna.p4", () => {
  expect(pnaSamples.length).toBeGreaterThan(50);
  const failing = pnaSamples.flatMap((f) => {
    const r = compile({ input: { file: path.join(samples, f) }, includePaths: [samples], stopAfter: "frontend" });
    const d = r.diagnostics.find((x) => x.category === "error");
    return d ? [`${f}: ${d.span?.line}: ${d.message}`] : [];
  });
  expect(failing).toEqual([]);
});

const PROGRAM = `#include <core.p4>
#include <pna.p4>
struct H {}
struct M {}
parser P(packet_in pkt, out H h, inout M m, in pna_main_parser_input_metadata_t istd) { state start { transition accept; } }
control Pre(in H h, inout M m, in pna_pre_input_metadata_t istd, inout pna_pre_output_metadata_t ostd) { apply {} }
control C(inout H h, inout M m, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
  apply { if (istd.direction == PNA_Direction_t.NET_TO_HOST && istd.pass == (PassNumber_t) 0) { recirculate(); } }
}
control D(packet_out pkt, in H h, in M m, in pna_main_output_metadata_t ostd) { apply {} }
PNA_NIC(P(), Pre(), C(), D()) main;
`;

test("standard PNA type-checks; P4TC rejects its four-block PNA_NIC once, at main", () => {
  const fe = compile({ input: { source: PROGRAM, fileName: "std.p4" }, stopAfter: "frontend" });
  expect(fe.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  const mid = compile({ input: { source: PROGRAM, fileName: "std.p4" }, stopAfter: "midend" });
  const errs = mid.diagnostics.filter((d) => d.category === "error");
  expect(errs.map((d) => [d.code, d.span?.line])).toEqual([[Msg.Mid_PreControlUnsupported.code, 11]]);
});
