// The recorded deviations from the reference outputs (test/reference-deviations.md),
// as edits of the reference files: applying them to the reference output gives
// exactly what p4ts writes. A program not listed must match byte for byte.
export type JsonObj = { [k: string]: any };

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
    cmds.map((c) =>
      c.includes(" entry ") && c.endsWith("/next_hop")
        ? `${c} param vport 0`
        : c.includes(" entry ") && c.endsWith("/sendtoport")
          ? `${c} param vport 1`
          : c,
    ),
  // next_hop(hport) keeps its argument (hport = (PortId_t)0).
  multiple_tables_example_02: (cmds) =>
    cmds.map((c) => (c.includes(" entry ") && c.endsWith("/next_hop") ? `${c} param vport 0` : c)),
};

export const JSON_DEVIATIONS: Record<string, (doc: JsonObj) => void> = {
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

