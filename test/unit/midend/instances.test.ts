// A control instantiated more than once: everything that belongs to an
// instance (its tables, actions and action ids, extern instances, direct
// counters, default actions, const entries, JSON entries, the C's action
// cases, table keys and extern instance ids, and the STF names) is resolved
// per instance, never per declaration. Each shape below is generated from an
// instance tree, and the names every output must hold are computed from that
// tree (C/<path>.tb, C/<path>.set, C.<path>.cnt, ...), not taken from p4ts.
import { compile, type CompileResult } from "../../../compiler/compile.js";
import { parseStf } from "../../../stf/parse.js";
import { planStf } from "../../../stf/resolve.js";

/** A leaf control type: a Counter, a DirectCounter, two actions with a parameter, a table with a const entry and a default action with an argument. */
const leafType = (name: string): string => `
control ${name}(inout tag_t t) {
    Counter<bit<32>, bit<32>>(4, PNA_CounterType_t.PACKETS) cnt;
    DirectCounter<bit<32>>(PNA_CounterType_t.PACKETS) dc;
    action set(bit<32> v) { t.v = v; dc.count(); }
    action add(bit<32> v) { t.v = t.v + v; dc.count(); }
    table tb {
        key = { t.v : exact; }
        actions = { set; add; }
        default_action = add(7);
        pna_direct_counter = dc;
        const entries = { 1 : set(0x11); }
    }
    apply { cnt.count(0); tb.apply(); }
}`;

/** A control that instantiates Leaf twice (p on x, q on y) and has a table of its own. */
const MID = `
control Mid(inout tag_t x, inout tag_t y) {
    Leaf() p; Leaf() q;
    action mark(bit<32> m) { y.v = y.v | m; }
    table sel { key = { x.v : exact; } actions = { mark; NoAction; } default_action = NoAction; }
    apply { p.apply(x); q.apply(y); sel.apply(); }
}`;

type Kind = "Leaf" | "Leaf2" | "Mid";
interface Shape {
  readonly name: string;
  /** The main control's instances, applied in this order. */
  readonly insts: readonly { readonly name: string; readonly kind: Kind }[];
  /** The main control has a table and action of its own too. */
  readonly ownTable?: boolean;
}

/** What the instance tree says each output must hold. */
interface Expected {
  /** Leaf instances: path (`o1.p`) and the header tag its parameter is bound to. */
  leaves: { path: string; tag: string }[];
  /** Mid instances: path and the tag its `x` is bound to (the key of its table). */
  mids: { path: string; tag: string }[];
  tags: number;
}

function expected(shape: Shape): Expected {
  const e: Expected = { leaves: [], mids: [], tags: 0 };
  const tag = (): string => `t${e.tags++}`;
  for (const i of shape.insts) {
    if (i.kind !== "Mid") e.leaves.push({ path: i.name, tag: tag() });
    else {
      const x = tag();
      const y = tag();
      e.leaves.push({ path: `${i.name}.p`, tag: x }, { path: `${i.name}.q`, tag: y });
      e.mids.push({ path: i.name, tag: x });
    }
  }
  return e;
}

function source(shape: Shape): string {
  const e = expected(shape);
  const tags = Array.from({ length: e.tags }, (_, i) => `t${i}`);
  let next = 0;
  const applies = shape.insts.map((i) => (i.kind === "Mid" ? `${i.name}.apply(hdr.${tags[next++]}, hdr.${tags[next++]});` : `${i.name}.apply(hdr.${tags[next++]});`));
  const kinds = new Set(shape.insts.map((i) => i.kind));
  return `#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header tag_t { bit<32> v; }
struct headers_t { ethernet_t eth; ${tags.map((t) => `tag_t ${t};`).join(" ")} }
struct meta_t { }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.eth); ${tags.map((t) => `pkt.extract(hdr.${t});`).join(" ")} transition accept; }
}
${leafType("Leaf")}
${kinds.has("Leaf2") ? leafType("Leaf2") : ""}
${kinds.has("Mid") ? MID : ""}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    ${shape.insts.map((i) => `${i.kind}() ${i.name};`).join(" ")}
    ${shape.ownTable ? "action set(bit<32> v) { hdr.t0.v = v; }\n    table tb { key = { hdr.eth.type : exact; } actions = { set; NoAction; } default_action = NoAction; }" : ""}
    apply { ${applies.join(" ")} ${shape.ownTable ? "tb.apply();" : ""} send_to_port((PortId_t)2); }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.eth); ${tags.map((t) => `pkt.emit(hdr.${t});`).join(" ")} }
}
PNA_NIC(P(), C(), D()) main;
`;
}

const SHAPES: Shape[] = [
  { name: "twice", insts: [{ name: "i1", kind: "Leaf" }, { name: "i2", kind: "Leaf" }] },
  { name: "three times", insts: [{ name: "a", kind: "Leaf" }, { name: "b", kind: "Leaf" }, { name: "c", kind: "Leaf" }] },
  { name: "nested, four instances", insts: [{ name: "o1", kind: "Mid" }, { name: "o2", kind: "Mid" }] },
  { name: "mixed depths, with the main control's own table and action of the same names", insts: [{ name: "l", kind: "Leaf" }, { name: "m", kind: "Mid" }], ownTable: true },
  { name: "two control types with the same local names, each twice", insts: [{ name: "x1", kind: "Leaf" }, { name: "y1", kind: "Leaf2" }, { name: "x2", kind: "Leaf" }, { name: "y2", kind: "Leaf2" }] },
];

const PIPE = "inst";

/** What the template says: action ids, extern instance ids, and each table's lines. */
function readTemplate(text: string) {
  const actid = new Map<string, number>();
  for (const m of text.matchAll(/create action\/inst\/(\S+) actid (\d+)/g)) actid.set(m[1]!, Number(m[2]));
  const instid = new Map<string, number>();
  for (const m of text.matchAll(/create extern_inst\/inst\/(\w+)\/(\S+) instid (\d+)/g)) instid.set(`${m[1]}/${m[2]}`, Number(m[3]));
  const tables = new Map<string, { tblid: number; acts: string[]; direct: string | null; defaultMiss: string | null; entries: string[] }>();
  for (const block of text.split("\n\n")) {
    const m = /create table\/inst\/(\S+) \\\n\ttblid (\d+)/.exec(block);
    if (!m) continue;
    tables.set(m[1]!, {
      tblid: Number(m[2]),
      acts: [...block.matchAll(/act name (\S+)/g)].map((x) => x[1]!),
      direct: /pna_direct_counter (\S+)/.exec(block)?.[1] ?? null,
      defaultMiss: /default_miss_action (.*)/.exec(block)?.[1] ?? null,
      entries: [...block.matchAll(/ entry (.*)/g)].map((x) => x[1]!),
    });
  }
  return { actid, instid, tables };
}

interface JsonTable {
  name: string;
  id: number;
  actions: { id: number; name: string; default_miss_action: boolean; params: { name: string }[] }[];
}
interface Json {
  tables: JsonTable[];
  externs: { name: string; instances: { inst_name: string; inst_id: number }[] }[];
}

/** What the C says about the table of tblid T: where its key comes from, its action cases and the direct counter instance its actions count. */
function readC(c: string, cName: string) {
  const marker = `struct ${cName}_key key;`;
  const at = c.indexOf(marker);
  const next = c.indexOf("_key key;", at + marker.length);
  const seg = c.slice(at, next < 0 ? undefined : next);
  const before = c.slice(0, at);
  const counters = [...before.matchAll(/ext_id = 0x19000000;\s*ep__\.inst_id = (\d+);/g)];
  return {
    tblid: Number(/\.tblid = (\d+)/.exec(seg)?.[1]),
    key: /key\.field0 = ([^;]+);/.exec(seg)?.[1],
    cases: [...seg.matchAll(/case (\d+):/g)].map((m) => Number(m[1])),
    directIds: [...new Set([...seg.matchAll(/ext_id = 0x1A000000;\s*ep__\.inst_id = (\d+);/g)].map((m) => Number(m[1])))],
    /** The last Counter instance counted before the table's key is built (the leaf's `cnt.count(0)`). */
    counterBefore: counters.length > 0 ? Number(counters[counters.length - 1]![1]) : null,
  };
}

const cNameOf = (table: string): string => table.replace(/[^A-Za-z0-9_]/g, "_");

describe.each(SHAPES.map((s) => [s.name, s] as const))("%s", (_n, shape) => {
  let r: CompileResult;
  let tpl: ReturnType<typeof readTemplate>;
  let json: Json;
  let c: string;
  const e = expected(shape);
  beforeAll(() => {
    r = compile({ input: { source: source(shape), fileName: `${PIPE}.p4` } });
    tpl = readTemplate(r.outputs?.[`${PIPE}.template`] ?? "");
    json = JSON.parse(r.outputs?.[`${PIPE}.json`] ?? "{}") as Json;
    c = r.outputs?.[`${PIPE}_control_blocks.c`] ?? "";
  });

  test("compiles without errors", () => {
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  });

  test("the template has each instance's actions, tables and extern instances, and only those", () => {
    const actions = [...e.leaves.flatMap((l) => [`C/${l.path}.set`, `C/${l.path}.add`]), ...e.mids.map((m) => `C/${m.path}.mark`), ...(shape.ownTable ? ["C/set"] : [])];
    expect([...tpl.actid.keys()].sort()).toEqual(actions.sort());
    expect(new Set(tpl.actid.values()).size).toBe(actions.length);
    const tables = [...e.leaves.map((l) => `C/${l.path}.tb`), ...e.mids.map((m) => `C/${m.path}.sel`), ...(shape.ownTable ? ["C/tb"] : [])];
    expect([...tpl.tables.keys()].sort()).toEqual(tables.sort());
    const insts = e.leaves.flatMap((l) => [`Counter/C.${l.path}.cnt`, `DirectCounter/C.${l.path}.dc`]);
    expect([...tpl.instid.keys()].sort()).toEqual(insts.sort());
  });

  test("each instance's table lists, defaults to, enters and counts with its own instance's actions and direct counter", () => {
    for (const l of e.leaves) {
      const t = tpl.tables.get(`C/${l.path}.tb`)!;
      expect(t.acts).toEqual([`${PIPE}/C/${l.path}.set`, `${PIPE}/C/${l.path}.add`]);
      expect(t.direct).toBe(`DirectCounter/C.${l.path}.dc`);
      expect(t.defaultMiss).toBe(`action ${PIPE}/C/${l.path}.add param v 7`);
      expect(t.entries).toEqual([`t.v 1 permissions 0x1024 action ${PIPE}/C/${l.path}.set param v 0x11`]);
    }
    for (const m of e.mids) expect(tpl.tables.get(`C/${m.path}.sel`)!.acts).toEqual([`${PIPE}/C/${m.path}.mark`, "NoAction"]);
  });

  test("the JSON agrees: each table's actions are its instance's, with the template's action ids, and its default miss action", () => {
    for (const l of e.leaves) {
      const t = json.tables.find((x) => x.name === `C/${l.path}.tb`)!;
      expect(t.id).toBe(tpl.tables.get(t.name)!.tblid);
      expect(t.actions.map((a) => [a.name, a.id, a.default_miss_action, a.params.map((p) => p.name)])).toEqual([
        [`C/${l.path}.set`, tpl.actid.get(`C/${l.path}.set`), false, ["v"]],
        [`C/${l.path}.add`, tpl.actid.get(`C/${l.path}.add`), true, ["v"]],
      ]);
    }
    for (const m of e.mids) {
      const t = json.tables.find((x) => x.name === `C/${m.path}.sel`)!;
      // NoAction, the kernel's own action, is not listed in the JSON (as by the reference).
      expect(t.actions.map((a) => [a.name, a.id])).toEqual([[`C/${m.path}.mark`, tpl.actid.get(`C/${m.path}.mark`)]]);
    }
    const inst = (ext: string) => json.externs.find((x) => x.name === ext)!.instances.map((i) => [i.inst_name, i.inst_id]);
    expect(inst("Counter")).toEqual(e.leaves.map((l) => [`C.${l.path}.cnt`, tpl.instid.get(`Counter/C.${l.path}.cnt`)]));
    expect(inst("DirectCounter")).toEqual(e.leaves.map((l) => [`C.${l.path}.dc`, tpl.instid.get(`DirectCounter/C.${l.path}.dc`)]));
  });

  test("the C looks each instance's table up with its own key, runs its own action ids and counts its own counters", () => {
    for (const l of e.leaves) {
      const name = `C/${l.path}.tb`;
      const got = readC(c, cNameOf(name));
      expect(got.tblid).toBe(tpl.tables.get(name)!.tblid);
      expect(got.key).toBe(`hdr->${l.tag}.v`);
      expect(got.cases).toEqual([tpl.actid.get(`C/${l.path}.set`), tpl.actid.get(`C/${l.path}.add`)]);
      expect(got.directIds).toEqual([tpl.instid.get(`DirectCounter/C.${l.path}.dc`)]);
      expect(got.counterBefore).toBe(tpl.instid.get(`Counter/C.${l.path}.cnt`));
    }
    for (const m of e.mids) {
      const got = readC(c, cNameOf(`C/${m.path}.sel`));
      expect(got.key).toBe(`hdr->${m.tag}.v`);
      expect(got.cases).toEqual([tpl.actid.get(`C/${m.path}.mark`)]);
    }
  });

  test("STF names resolve to the table's own instance's action: in full, in the control, or in the table's instance", () => {
    for (const l of e.leaves) {
      const full = `C.${l.path}`;
      const text = [`add ${full}.tb t.v:5 set(v:1)`, `add ${full}.tb t.v:6 ${l.path}.add(v:2)`, `add ${l.path}.tb t.v:7 ${full}.set(v:3)`].join("\n");
      const plan = planStf(r.pipeline!, parseStf(text));
      expect(plan.errors).toEqual([]);
      expect(plan.ops.map((o) => (o.op.op === "add" ? [o.op.table, o.op.action] : null))).toEqual([
        [`C/${l.path}.tb`, `C/${l.path}.set`],
        [`C/${l.path}.tb`, `C/${l.path}.add`],
        [`C/${l.path}.tb`, `C/${l.path}.set`],
      ]);
      // Another instance's action is not this table's.
      const other = e.leaves.find((x) => x.path !== l.path)!;
      const bad = planStf(r.pipeline!, parseStf(`add ${full}.tb t.v:5 C.${other.path}.set(v:1)`));
      expect(bad.errors.map((x) => x.message)).toEqual([expect.stringMatching(`table C.${l.path}.tb has no action C.${other.path}.set`)]);
      const cnt = planStf(r.pipeline!, parseStf(`check_counter ${full}.cnt(0) packets == 0`));
      expect(cnt.errors).toEqual([]);
      expect(cnt.ops.map((o) => (o.op.op === "readCounter" ? o.op.counter : null))).toEqual([`C.${l.path}.cnt`]);
    }
  });
});

describe("one instance applied more than once", () => {
  // P4-16, Invoking a control: applying one instance twice accesses the same
  // stateful constructs (one kernel table, its entries and counters), each
  // apply with its own arguments. So every apply site looks the instance's
  // one table up (its tblid) with a key read from that apply's argument, and
  // its action bodies write that apply's argument. The sites each shape must
  // have are listed from the program text, not from p4ts.
  const program = (locals: string, apply: string, types: string): string => `#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { bit<48> dst; bit<48> src; bit<16> type; }
header tag_t { bit<32> v; }
struct headers_t { ethernet_t eth; tag_t t0; tag_t t1; tag_t t2; tag_t t3; }
struct meta_t { }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.eth); transition accept; }
}
${types}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    ${locals}
    apply { ${apply} }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.eth); pkt.emit(hdr.t0); pkt.emit(hdr.t1); pkt.emit(hdr.t2); pkt.emit(hdr.t3); }
}
PNA_NIC(P(), C(), D()) main;
`;
  const NO_TABLE = "control Set(inout tag_t t, in bit<32> k) { apply { t.v = k; } }";
  const TWICE = "control Twice(inout tag_t x, inout tag_t y) { Leaf() l; apply { l.apply(x); l.apply(y); } }";
  /** An apply site: the table (instance path), the tag its key reads and the tag its actions write. */
  type Site = readonly [table: string, key: string, writes: string];
  const leaf = (path: string, ...tags: string[]): Site[] => tags.map((t) => [`${path}.tb`, t, t]);
  /** Mid(x, y): p on x, q on y, then sel keyed on x whose action writes y. */
  const mid = (path: string, x: string, y: string): Site[] => [...leaf(`${path}.p`, x), ...leaf(`${path}.q`, y), [`${path}.sel`, x, y]];
  const cases: [string, string, string, string, Site[]][] = [
    ["with other arguments", "Leaf() i1;", "i1.apply(hdr.t0); i1.apply(hdr.t1);", leafType("Leaf"), leaf("i1", "t0", "t1")],
    ["with the same arguments", "Leaf() i1;", "i1.apply(hdr.t0); i1.apply(hdr.t0);", leafType("Leaf"), leaf("i1", "t0", "t0")],
    ["in the two branches of an if", "Leaf() i1;", "if (hdr.eth.type == 1) { i1.apply(hdr.t0); } else { i1.apply(hdr.t1); }", leafType("Leaf"), leaf("i1", "t0", "t1")],
    ["three times, beside another instance of the same control", "Leaf() i1; Leaf() i2;", "i1.apply(hdr.t0); i2.apply(hdr.t1); i1.apply(hdr.t2); i1.apply(hdr.t3);", leafType("Leaf"), [...leaf("i1", "t0"), ...leaf("i2", "t1"), ...leaf("i1", "t2", "t3")]],
    ["an instance whose tables are its own and its sub-instances'", "Mid() o1;", "o1.apply(hdr.t0, hdr.t1); o1.apply(hdr.t2, hdr.t3);", `${leafType("Leaf")}\n${MID}`, [...mid("o1", "t0", "t1"), ...mid("o1", "t2", "t3")]],
    ["a sub-instance applied twice by its parent", "Twice() w;", "w.apply(hdr.t0, hdr.t1);", `${leafType("Leaf")}\n${TWICE}`, leaf("w.l", "t0", "t1")],
    ["a sub-instance applied twice by each of two instances of its parent", "Twice() w1; Twice() w2;", "w1.apply(hdr.t0, hdr.t1); w2.apply(hdr.t2, hdr.t3);", `${leafType("Leaf")}\n${TWICE}`, [...leaf("w1.l", "t0", "t1"), ...leaf("w2.l", "t2", "t3")]],
    ["an instance applied twice whose sub-instance is applied twice", "Twice() w;", "w.apply(hdr.t0, hdr.t1); w.apply(hdr.t2, hdr.t3);", `${leafType("Leaf")}\n${TWICE}`, leaf("w.l", "t0", "t1", "t2", "t3")],
  ];
  test.each(cases)("%s: one kernel table per instance, each apply site keyed on and writing its own arguments", (_n, locals, apply, types, sites) => {
    const r = compile({ input: { source: program(locals, apply, types), fileName: `${PIPE}.p4` } });
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    const json = JSON.parse(r.outputs?.[`${PIPE}.json`] ?? "{}") as Json;
    // One table per instance, not per apply.
    expect(json.tables.map((t) => t.name).sort()).toEqual([...new Set(sites.map(([t]) => `C/${t}`))].sort());
    const tpl = readTemplate(r.outputs?.[`${PIPE}.template`] ?? "");
    expect([...tpl.tables.keys()].sort()).toEqual(json.tables.map((t) => t.name).sort());
    // The C's apply sites in order: each from `struct X_key key;` to the next one (or the control's end).
    const c = r.outputs?.[`${PIPE}_control_blocks.c`] ?? "";
    const control = c.slice(0, c.indexOf("control_done:"));
    const starts = [...control.matchAll(/struct (\w+)_key key;/g)];
    const got = starts.map((m, i) => {
      const seg = control.slice(m.index, starts[i + 1]?.index);
      const actions = seg.slice(seg.indexOf("switch (p4ts_act_id(act_bpf))"));
      return {
        cName: m[1],
        tblid: Number(/\.tblid = (\d+)/.exec(seg)?.[1]),
        key: /key\.field0 = hdr->(\w+)\.v;/.exec(seg)?.[1],
        writes: [...new Set([...actions.matchAll(/hdr->(\w+)\.v = /g)].map((x) => x[1]))],
      };
    });
    expect(got).toEqual(sites.map(([t, key, writes]) => ({ cName: cNameOf(`C/${t}`), tblid: json.tables.find((x) => x.name === `C/${t}`)!.id, key, writes: [writes] })));
  });

  test("an instance without tables may be applied again: each apply is inlined with its own arguments", () => {
    const r = compile({ input: { source: program("Set() s;", "s.apply(hdr.t0, 5); s.apply(hdr.t1, 6);", NO_TABLE), fileName: "twice.p4" } });
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    const c = r.outputs?.["twice_control_blocks.c"] ?? "";
    expect(c).toMatch(/hdr->t0\.v = 5U?;/);
    expect(c).toMatch(/hdr->t1\.v = 6U?;/);
  });
});
