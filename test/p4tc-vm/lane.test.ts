// The kernel lane as a jest suite: every lane program compiled with
// --p4tc-abi v13 and run on the real P4TC kernel (../shared/p4tc-vm), as
// `npm run test:p4tc` does, in a few qemu boots (several minutes). It runs in
// CI (P4TS_REQUIRE_TOOLS=1, .ci/run installs qemu and cpio) and wherever
// P4TS_P4TC_LANE=1; elsewhere it is registered as skipped, and
// P4TS_P4TC_LANE=0 turns it off explicitly. When it is wanted, a VM that
// cannot run here (folder, qemu or cpio missing) is a failure, never a skip.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { laneSources, prepareLane, runLane } from "../../stf/p4tc-lane.js";
import { KNOWN_V13_FAILURES, type LaneResult } from "../../targets/p4tc-vm/lane.js";
import { vmUnavailable } from "../../targets/p4tc-vm/vm.js";
import { repoRoot } from "../helpers/corpus.js";

const lane = process.env.P4TS_P4TC_LANE;
const wanted = lane === "1" || (lane !== "0" && process.env.P4TS_REQUIRE_TOOLS === "1");
const why = vmUnavailable();

if (wanted && why !== null) {
  test("the P4TC VM can run", () => {
    throw new Error(`the kernel lane is required here but cannot run: ${why}`);
  });
}

const run = wanted && why === null;
if (!run) console.log(`skipped: kernel lane (${!wanted ? "set P4TS_P4TC_LANE=1 to boot the P4TC VM" : why})`);

(run ? describe : describe.skip)("P4TC kernel lane (--p4tc-abi v13)", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-lane-"));
  const sources = laneSources(repoRoot);
  // jest runs a skipped describe's body too: compile and build only when the lane runs.
  const prepared = run ? prepareLane(sources, path.join(work, "build")) : { programs: [], rejected: [] };
  const results = new Map<string, LaneResult>();

  beforeAll(async () => {
    for (const r of await runLane(prepared.programs, work)) results.set(r.name, r);
  }, 3_600_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("every rejected program names the v13 ABI", () => {
    for (const r of prepared.rejected) expect(r.reason).toMatch(/p4tc-abi v13/);
  });

  const known = (n: string): boolean => Object.hasOwn(KNOWN_V13_FAILURES, n);
  const listed = prepared.programs.filter((p) => !known(p.name));
  test.each(listed.map((p) => [p.name, p.stf ? path.basename(p.stf) : "load only"]))("%s loads, seals, matches its JSON (%s)", (name) => {
    const r = results.get(name);
    expect(r?.problems ?? ["not run"]).toEqual([]);
  });

  // A known v13 failure must still fail with its message: when it passes, remove its entry.
  const knownHere = prepared.programs.filter((p) => known(p.name));
  if (knownHere.length > 0)
    test.each(knownHere.map((p) => [p.name, KNOWN_V13_FAILURES[p.name]!.reason]))("%s still fails on v13 as known (%s)", (name) => {
      const r = results.get(name);
      expect(r).toBeDefined();
      expect(r!.ok).toBe(false);
      expect(r!.problems.join("\n")).toMatch(KNOWN_V13_FAILURES[name]!.message);
    });

  test("every KNOWN_V13_FAILURES entry names a lane program v13 can express", () => {
    for (const n of Object.keys(KNOWN_V13_FAILURES)) expect(prepared.programs.map((p) => p.name)).toContain(n);
  });
});
