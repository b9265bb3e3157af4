// Catalog entries of the P4TC mid-end, each with the smallest PNA program that
// must trigger it, run by catalog.test.ts. The line marked `/*@*/` is where the
// diagnostic must point.
import { TYPES, prog, table, type Cases } from "./harness.js";

const COUNTER = "    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS) cnt;\n";
/** An add-on-miss table `t`: its miss action `miss` adds `hit` entries with `addEntry` as the call. */
const addOnMiss = (addEntry: string, tableAnnotations = ""): string =>
  `    action hit() { }\n    action miss() { ${addEntry} }\n    ${tableAnnotations}table t { key = { hdr.h.c : exact; } actions = { hit; @defaultonly miss; } default_action = miss; add_on_miss = true; }`;

export const midendCases: Cases = {
  // A direct counter counts the entries of the table that binds it: counting with one no table binds is an error.
  Mid_DirectExternUnbound: { src: prog(COUNTER, "        cnt.count(); /*@*/") },
  // An explicit @tc_acl of an add-on-miss table must let the data path create entries.
  Mid_AddOnMissNoCreate: {
    src: prog(addOnMiss(`add_entry(action_name = "hit", action_params = {}, expire_time_profile_id = 0);`, '@tc_acl("CRUD:RX") ').replace("table t", "table t /*@*/"), "        t.apply();"),
  },
  Mid_AddEntryActionName: {
    src: prog(addOnMiss(`add_entry(action_name = "hi" ++ "t", action_params = {}, expire_time_profile_id = 0); /*@*/`), "        t.apply();"),
  },
  Mid_KeyUnsupported: { src: prog(table("t", "", "hdr.h.c : selector; /*@*/"), "        t.apply();") },
  Mid_EntryUnsupported: { src: prog(table("t", "const entries = { _ : drop(); /*@*/ }"), "        t.apply();") },
  // The roles of PNA_NIC's arguments come from their position: a package declared with another order cannot be mapped.
  Mid_MainArgument: {
    src: `#include <core.p4>\n${TYPES}control C(inout headers_t hdr) { apply { } }\nparser P(packet_in pkt, out headers_t hdr) { state start { transition accept; } }\n` +
      `control CT(inout headers_t hdr);\nparser PT(packet_in pkt, out headers_t hdr);\npackage PNA_NIC(CT main_control, PT main_parser, CT main_deparser);\nPNA_NIC(C(), P(), C()) main; /*@*/\n`,
  },
};
