// `p4ts sim`: every STF test `p4ts stf` runs (the reference corpus's three,
// the samples' and test/fixtures/stf's) passes on the interpreter, with no
// kernel, root or clang, through the CLI's main(); failures give the same
// diagnostics and exit codes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../../cli/main.js";
import { corpus, stfCases } from "../../helpers/corpus.js";

const cases = stfCases();

async function sim(...args: string[]): Promise<{ rc: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const rc = await main(["sim", ...args], { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) } as Parameters<typeof main>[1]);
  return { rc, out, err };
}

test.each(cases.map((c) => [c.name, c]))("p4ts sim: %s passes", async (_n, c) => {
  const r = await sim(c.p4, c.stf);
  expect(r.out).toMatch(/^PASS/m);
  expect(r.rc).toBe(0);
}, 60_000);

test("p4ts sim: a wrong expectation fails with the byte diff p4ts stf gives", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-sim-"));
  const bad = path.join(dir, "bad.stf");
  fs.writeFileSync(bad, fs.readFileSync(path.join(corpus, "p4tc-stf", "simple_l3.stf"), "utf8").replace("expect 1 aabbccdd eeff", "expect 1 aabbccdd eefe"));
  const r = await sim(path.join(corpus, "p4tc-stf", "simple_l3.p4"), bad);
  expect(r.rc).toBe(1);
  expect(r.out).toMatch(/bad\.stf\(\d+\): error: the packet on port 1/);
  expect(r.out).toMatch(/^FAIL/m);
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test("p4ts sim: a missing file is a usage error (exit 1)", async () => {
  const r = await sim("/nonexistent.p4", "/nonexistent.stf");
  expect(r.rc).toBe(1);
  expect(r.err).toMatch(/p4ts sim: \/nonexistent\.p4: No such file/);
});
