// The kernel lane's checks without booting: the guest's answers for
// calculator (shaped as v13 `tc -j p4template get` / `tc -j p4ctrl get`
// print them, as recorded in the VM) judged against the program's own JSON
// and template. Each check must fail when the kernel's answer differs.
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { judgeProgram, templateEntryCounts, type Introspection, type JudgeInput } from "../../targets/p4tc-vm/lane-judge.js";
import { corpus } from "../helpers/corpus.js";

const r = compile({ input: { file: path.join(corpus, "p4tc", "programs", "calculator.p4") }, p4tcAbi: "v13", disabledWarnings: ["all"] });
const intro = JSON.parse(r.outputs!["calculator.json"]!) as Introspection;
const template = r.outputs!["calculator.template"]!;
const T = "MainControlImpl/calculate";
const OPS: [string, number][] = [
  ["operation_add", 0x2b],
  ["operation_sub", 0x2d],
  ["operation_and", 0x26],
  ["operation_or", 0x7c],
  ["operation_xor", 0x5e],
];

interface Kernel {
  tblid: number;
  keysz: number;
  entries: number;
  miss: string;
  ctrl: { key: string; kind: string }[];
  ctrlRc: number;
  actions: { name: string; actid: number; params: { name: string; type: string }[] }[];
  sealed: boolean;
}

function kernel(): Kernel {
  return {
    tblid: 1,
    keysz: 8,
    entries: 5,
    miss: "calculator/MainControlImpl/operation_drop",
    ctrl: OPS.map(([a]) => ({ key: "op", kind: `calculator/MainControlImpl/${a}` })),
    ctrlRc: 0,
    actions: intro.tables[0]!.actions.map((a) => ({ name: a.name, actid: a.id, params: a.params.map((p) => ({ name: p.name, type: p.type })) })),
    sealed: true,
  };
}

/** What lane.ts's guest script prints for calculator when the kernel holds `k`. */
function guestLog(k: Kernel): string {
  const tbl = { obj: "table", pname: "calculator", pipeid: 1, tblid: k.tblid, tname: T, keysz: k.keysz, max_entries: 1024, masks: 1, entries: k.entries, default_miss: { actions: [{ order: 1, kind: k.miss }] } };
  const entries = k.ctrl.map((e) => ({ tblname: T, tblid: 1, prio: 64000, key: [{ keyfield: e.key, id: 1, width: 8, type: "bit8", match_type: "exact", fieldval: 1 }], actions: { actions: [{ order: 1, kind: e.kind, params: [] }] } }));
  return [
    "@@@@ BEGIN calculator",
    "@@PIPE",
    `templates obj type pipeline\npipeline name calculator\npipeline id 1\n    num_tables 1\n    state is ${k.sealed ? "ready" : "created"}`,
    `@@TBL ${T}`,
    JSON.stringify([tbl]),
    `@@CTRL ${T}`,
    `rc ${k.ctrlRc}`,
    k.ctrlRc === 0 ? JSON.stringify([{ pname: "calculator", pipeid: 1 }, { entries }]) : "Error: Table name not found.",
    ...k.actions.flatMap((a) => [`@@ACT ${a.name}`, JSON.stringify([{ obj: "action template", pname: "calculator", aname: `calculator/${a.name}`, actid: a.actid, params: a.params }])]),
    "@@DONE",
  ].join("\n");
}

const judge = (k: Kernel, extra: Partial<JudgeInput> = {}) =>
  judgeProgram({ name: "calculator", intro, templateEntries: templateEntryCounts(template, "calculator"), ops: null, log: guestLog(k), vmStatus: 0, ...extra });

test("the template's entries are counted per table", () => {
  expect([...templateEntryCounts(template, "calculator")]).toEqual([[T, 5]]);
});

test("a kernel that holds what the JSON and template say passes", () => {
  expect(judge(kernel()).problems).toEqual([]);
});

test.each<[string, (k: Kernel) => void, RegExp]>([
  ["table id", (k) => (k.tblid = 2), /JSON id 1, kernel tblid 2/],
  ["key size", (k) => (k.keysz = 16), /JSON keysize 8, kernel keysz 16/],
  ["entry count in the template get", (k) => (k.entries = 4), /the template creates 5 entries, the kernel reports 4/],
  ["default miss action", (k) => (k.miss = "calculator/MainControlImpl/operation_add"), /JSON default miss action MainControlImpl\/operation_drop, kernel calculator\/MainControlImpl\/operation_add/],
  ["entries read back", (k) => k.ctrl.pop(), /4 entries read back, the template creates 5/],
  ["entry action", (k) => (k.ctrl[0]!.kind = "calculator/other"), /entry action calculator\/other is not one of the JSON's/],
  ["entry key field", (k) => (k.ctrl[0]!.key = "opcode"), /key field opcode is not in the JSON/],
  ["p4ctrl get status", (k) => (k.ctrlRc = 255), /tc p4ctrl get MainControlImpl\/calculate: exit 255: Error: Table name not found/],
  ["action id", (k) => (k.actions[0]!.actid = 9), /action MainControlImpl\/operation_add: JSON id 1, kernel actid 9/],
  ["action params", (k) => k.actions[0]!.params.push({ name: "x", type: "bit8" }), /JSON params , kernel x:bit8/],
  ["a missing action", (k) => k.actions.pop(), /action MainControlImpl\/operation_drop: the kernel does not report it/],
  ["sealing", (k) => (k.sealed = false), /pipeline not sealed/],
])("a kernel whose %s differs fails the program", (_what, change, re) => {
  const k = kernel();
  change(k);
  const got = judge(k);
  expect(got.ok).toBe(false);
  expect(got.problems.join("\n")).toMatch(re);
});

test("tc's `ipv6` for a u128 parameter is the JSON's bit128; any other type name still differs", () => {
  const withParam = (type: string) => {
    const k = kernel();
    k.actions[0]!.params = [{ name: "addr6", type }];
    const i = structuredClone(intro);
    i.tables[0]!.actions[0]!.params = [{ name: "addr6", type: "bit128" }];
    return judge(k, { intro: i });
  };
  expect(withParam("ipv6").problems).toEqual([]);
  expect(withParam("bit64").problems.join("\n")).toMatch(/JSON params addr6:bit128, kernel addr6:bit64/);
});

test("no output, a load failure and an unfinished script fail the program", () => {
  expect(judgeProgram({ name: "calculator", intro, templateEntries: new Map(), ops: null, log: null, vmStatus: 125 }).problems).toEqual(["no output (VM exit status 125)"]);
  const load = judge(kernel(), { log: "@@LOAD-FAIL\nError: Must specify extern id.\n+ tc p4template create extern/root/Counter\n" });
  expect(load.problems[0]).toMatch(/^load: .*Must specify extern id/);
  expect(judge(kernel(), { log: guestLog(kernel()).replace("@@DONE", "") }).problems).toContain("the guest script did not finish");
});
