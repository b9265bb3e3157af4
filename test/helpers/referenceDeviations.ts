// The recorded deviations from the reference outputs (test/reference-deviations.md),
// as edits of the reference files: applying them to the reference output gives
// exactly what p4ts writes. A program not listed must match byte for byte.
export type JsonObj = { [k: string]: any };

/**
 * set_all_options's key (32+16+13+3 = 64 bits) takes 9 bytes field by field in
 * the eBPF key struct and in iproute2's key blob, but the kernel sizes both
 * from keysz as 8 bytes: p4ts declares keysz 72 so that all three agree.
 */
function keysz72(cmds: string[]): string[] {
  return cmds.map((c) => (c.includes("create table/") && c.includes("/set_all_options tblid") ? c.replace("keysz 64", "keysz 72") : c));
}

function setAllOptionsKeysize(doc: JsonObj): void {
  const t = (doc.tables as JsonObj[]).find((x) => x.name === "MainControlImpl/set_all_options")!;
  t.keysize = 72;
}

/**
 * The recorded deviations, as edits of the reference outputs. A program not
 * listed here must match the reference byte for byte.
 */
export const TEMPLATE_DEVIATIONS: Record<string, (cmds: string[]) => string[]> = {
  // Action arguments kept; the range 1..8 split into its prefix cover
  // (1, 2/0xfe, 4/0xfc, 8), whose first part repeats the earlier entry `1`
  // and is dropped; the mask entry written value/mask (value ANDed with the mask).
  const_entries_range_mask: (cmds) => {
    const pre = "$TC p4template create table/const_entries_range_mask/MainControlImpl/t_range entry h.h.r";
    const act = "permissions 0x1024 action const_entries_range_mask/MainControlImpl/a_with_control_params";
    const entries = [
      `${pre} 1 ${act} param x 21`,
      `${pre} 6 ${act} param x 22`,
      `${pre} 15 ${act} param x 24`,
      `${pre} 0x2/0xfe ${act} param x 23`,
      `${pre} 0x4/0xfc ${act} param x 23`,
      `${pre} 0x8 ${act} param x 23`,
      `${pre} 0x0/0x2 ${act} param x 26`,
    ];
    const kept = cmds.filter((c) => !c.includes(" entry "));
    return [...kept.slice(0, -1), ...entries, kept[kept.length - 1]!];
  },
  // next_hop(hport) and sendtoport(nport) keep their arguments (hport =
  // (PortId_t)0, nport = (PortId_t)1).
  multiple_tables_example_01: (cmds) =>
    keysz72(cmds).map((c) =>
      c.includes(" entry ") && c.endsWith("/next_hop")
        ? `${c} param vport 0`
        : c.includes(" entry ") && c.endsWith("/sendtoport")
          ? `${c} param vport 1`
          : c,
    ),
  // next_hop(hport) keeps its argument (hport = (PortId_t)0).
  multiple_tables_example_02: (cmds) =>
    keysz72(cmds).map((c) => (c.includes(" entry ") && c.endsWith("/next_hop") ? `${c} param vport 0` : c)),
};

export const JSON_DEVIATIONS: Record<string, (doc: JsonObj) => void> = {
  // set_all_options: 32+16+13+3 bits take 9 bytes, so keysize 72 (see keysz72).
  multiple_tables_example_01: (doc) => setAllOptionsKeysize(doc),
  multiple_tables_example_02: (doc) => setAllOptionsKeysize(doc),
  const_entries_range_mask: (doc) => {
    doc.tables[0].keyfields[0].match_type = "ternary";
  },
  matchtype: (doc) => {
    doc.tables[1].keyfields[2].match_type = "ternary"; // range
    doc.tables[2].keyfields[0].match_type = "ternary"; // optional
  },
  tc_may_override_example_01: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "123" });
    Object.assign(doc.tables[1].actions[0].params[0], { runtime: true, default_value: "0" });
  },
  tc_may_override_example_06: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "8" });
    Object.assign(doc.tables[1].actions[0].params[0], { runtime: true, default_value: "2" });
  },
  tc_may_override_example_04: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "58.74.90.106" });
  },
  tc_may_override_example_05: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "8" });
  },
  tc_may_override_example_07: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "123" });
    Object.assign(doc.tables[1].actions[0].params[0], { runtime: true, default_value: "0" });
  },
  tc_may_override_example_08: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "123" });
    Object.assign(doc.tables[1].actions[0].params[0], { runtime: true, default_value: "0" });
  },
  tc_may_override_example_09: (doc) => {
    Object.assign(doc.tables[0].actions[0].params[0], { runtime: true, default_value: "123" });
  },
};

