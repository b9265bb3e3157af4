// Every STF test under the emulation with the v13 ABI (the action blob laid
// out by kernel container size, as the P4TC v13 kernel does): the same
// verdicts as with the default ABI (test/corpus/stf.test.ts) and as on the
// real kernel (test/p4tc-vm/lane.test.ts). Programs v13 cannot express are
// checked to be rejected with the ABI named instead.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../compiler/compile.js";
import { runStf } from "../../stf/run.js";
import { bpfUnavailableReason } from "../../targets/emulation/loader.js";
import { corpus, repoRoot } from "../helpers/corpus.js";
import { realClang, requireTools } from "../unit/build/tools.js";

const cases = [
  ...["arp_respond", "redirect_l2", "simple_l3"].map((n) => ({ name: n, p4: path.join(corpus, "p4tc-stf", `${n}.p4`) })),
  ...fs.readdirSync(path.join(repoRoot, "samples")).map((n) => ({ name: n, p4: path.join(repoRoot, "samples", n, `${n}.p4`) })),
  ...fs
    .readdirSync(path.join(repoRoot, "test", "fixtures", "stf"))
    .filter((f) => f.endsWith(".p4"))
    .map((f) => ({ name: `fixture ${f}`, p4: path.join(repoRoot, "test", "fixtures", "stf", f) })),
].map((c) => ({ ...c, stf: c.p4.replace(/\.p4$/, ".stf"), v13: compile({ input: { file: c.p4 }, p4tcAbi: "v13" }) }));

const why = realClang() === undefined ? "no clang with the BPF target" : bpfUnavailableReason();
if (why !== null && requireTools) throw new Error(`required tool missing: ${why} (P4TS_REQUIRE_TOOLS=1)`);
if (why !== null) console.log(`skipped: STF under the emulation with --p4tc-abi v13 (${why})`);

test.each(cases.filter((c) => !c.v13.ok).map((c) => [c.name, c]))("%s is rejected under v13 with the ABI named", (_n, c) => {
  expect(c.v13.diagnostics.some((d) => d.category === "error" && /--p4tc-abi v13/.test(d.message))).toBe(true);
});

(why === null ? describe : describe.skip)("STF under the emulation, --p4tc-abi v13", () => {
  test.each(cases.filter((c) => c.v13.ok).map((c) => [c.name, c]))("%s passes", async (_n, c) => {
    let out = "";
    const rc = await runStf({ program: c.p4, stf: c.stf, p4tcAbi: "v13", out: (t) => (out += t) });
    expect(out).toMatch(/^PASS/m);
    expect(rc).toBe(0);
  }, 120_000);
});
