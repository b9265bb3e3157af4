// The generated C reads __sk_buff fields that P4 code uses (istd.input_port,
// istd.timestamp, skb_meta get) through P4TS_SKB_U32/U64: one load at a constant offset from
// the context register. A plain `skb->ifindex` read in several inlined
// actions let clang merge the reads into a load through a computed pointer,
// which the v13 kernel's verifier refused ("dereference of modified ctx ptr",
// multiple_tables_example_02 in the kernel lane).
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { corpus } from "../../helpers/corpus.js";

const dir = path.join(corpus, "p4tc", "programs");
const programs = fs.readdirSync(dir).filter((f) => f.endsWith(".p4")).sort();

test("no generated C reads a P4-visible __sk_buff field directly", () => {
  let reads = 0;
  for (const f of programs) {
    for (const abi of ["p4c", "v13"] as const) {
      const r = compile({ input: { file: path.join(dir, f) }, p4tcAbi: abi });
      if (!r.ok) continue;
      // The deparser's own one read of skb->protocol (to resize the frame) is not P4-visible.
      const c = r.outputs![`${r.name}_control_blocks.c`]!.replace(/__be16 proto__ = skb->protocol;/g, "");
      expect({ f, abi, direct: c.match(/skb->(ifindex|tstamp|mark|tc_index|tc_classid|queue_mapping|protocol)\b(?!\s*=[^=])/g) }).toEqual({ f, abi, direct: null });
      reads += (c.match(/P4TS_SKB_U(32|64)\(skb, (ifindex|tstamp|mark|tc_index|tc_classid|queue_mapping|protocol)\)/g) ?? []).length;
    }
  }
  // multiple_tables_example_02 alone reads the input port in three inlined actions.
  expect(reads).toBeGreaterThanOrEqual(3);
});

test("multiple_tables_example_02 reads its input port through the context load", () => {
  const r = compile({ input: { file: path.join(dir, "multiple_tables_example_02.p4") }, p4tcAbi: "v13" });
  expect(r.outputs!["multiple_tables_example_02_control_blocks.c"]).toContain("compiler_meta__->egress_port = P4TS_SKB_U32(skb, ifindex);");
});
