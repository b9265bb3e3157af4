// The kernel lane's STF step without booting: the lane runs a test's
// operations with the VM target's commands after its load checks, reads
// their results from the guest's output and judges them with the checks of
// `p4ts stf` (stfProblems → checkResults), so a wrong frame or counter on
// the kernel fails the lane with the same located diff `p4ts stf` prints.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { stfProblems, type PreparedProgram } from "../../stf/p4tc-lane.js";
import { parseStf } from "../../stf/parse.js";
import { planStf } from "../../stf/resolve.js";
import { judgeProgram } from "../../targets/p4tc-vm/lane-judge.js";
import { corpus } from "../helpers/corpus.js";

const p4 = path.join(corpus, "p4tc-stf", "simple_l3.p4");
const stf = p4.replace(/\.p4$/, ".stf");
const r = compile({ input: { file: p4 }, p4tcAbi: "v13" });
const plan = planStf(r.pipeline!, parseStf(fs.readFileSync(stf, "utf8")));
const ops = plan.ops.map((p) => p.op);
const prog: PreparedProgram = { name: r.name, dir: "/nonexistent", model: r.pipeline!, ops, stf, plan, stfErrors: [] };

const want = "aabbccddeeff000102030405080045000028613d0000400605910a0000010a00000209fe000036495b780fb14bc650000200a2ab0000";

/** The guest's output of a program that loaded and passed the checks (none here: an empty JSON), with these STF lines. */
function guest(stfLines: string[]): string {
  return ["@@PIPE", "    state is ready", "@@STF-BEGIN", ...stfLines, "@@STF-END", "@@DONE"].join("\n");
}

const judge = (log: string) => judgeProgram({ name: r.name, intro: { externs: [], tables: [] }, templateEntries: new Map(), ops, log, vmStatus: 0 });

test("the expected frame on the expected port passes", () => {
  const res = judge(guest(["@@OP 0 0", `@@FRAME 1 ${want}`, "@@OP 1 0"]));
  expect(res.problems).toEqual([]);
  expect(stfProblems(prog, res)).toEqual([]);
});

test("a frame that differs fails with the byte diff p4ts stf prints", () => {
  const bad = want.replace(/^aabbccddeeff/, "0000aabbccdd");
  const got = stfProblems(prog, judge(guest(["@@OP 0 0", `@@FRAME 1 ${bad}`, "@@OP 1 0"])));
  expect(got[0]).toBe("STF simple_l3.stf: FAIL (1 problems)");
  expect(got.join("\n")).toMatch(/simple_l3\.stf\(\d+\): error: the packet on port 1 \(sent on line \d+\) differs from the expected one/);
});

test("no frame, a frame on another port, and an entry the kernel refused each fail", () => {
  expect(stfProblems(prog, judge(guest(["@@OP 0 0", "@@OP 1 0"]))).join("\n")).toMatch(/expected a packet on port 1, none left there/);
  expect(stfProblems(prog, judge(guest(["@@OP 0 0", `@@FRAME 0 ${want}`, "@@OP 1 0"]))).join("\n")).toMatch(/unexpected packet on port 0/);
  expect(stfProblems(prog, judge(guest(["Error: Unable to find action", "@@OP 0 1", "@@OP 1 0"]))).join("\n")).toMatch(/error: Error: Unable to find action/);
});

test("a program that did not load, or whose guest script stopped before the test, fails its STF test as not run", () => {
  const notLoaded = judge("@@LOAD-FAIL\nError: boom\n");
  expect(notLoaded.stf).toBeNull();
  expect(stfProblems(prog, notLoaded)).toEqual(["STF simple_l3.stf: did not run"]);
  const stopped = judge(["@@PIPE", "    state is ready", "@@STF-BEGIN", "@@OP 0 0"].join("\n"));
  expect(stfProblems(prog, stopped).join("\n")).toMatch(/packet: no result from the VM/);
});
