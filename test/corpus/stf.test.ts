// STF packet tests run on this kernel (P4TC emulated in BPF): the reference
// corpus's three, every sample's and test/fixtures/stf's; a wrong expectation
// fails with a byte diff.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runStf } from "../../stf/run.js";
import { bpfUnavailableReason } from "../../targets/emulation/loader.js";
import { corpus, stfCases } from "../helpers/corpus.js";
import { need, realClang } from "../unit/build/tools.js";

const cases = stfCases();

function canRun(): boolean {
  if (!need(realClang() !== undefined, "no clang with the BPF target")) return false;
  const why = bpfUnavailableReason();
  return need(why === null, why ?? "");
}

async function stf(p4: string, file: string): Promise<{ rc: number; out: string }> {
  let out = "";
  const rc = await runStf({ program: p4, stf: file, out: (t) => (out += t) });
  return { rc, out };
}

test("every sample has a program and an STF test", () => {
  for (const c of cases) {
    expect(fs.existsSync(c.p4)).toBe(true);
    expect(fs.existsSync(c.stf)).toBe(true);
  }
  expect(cases.length).toBeGreaterThanOrEqual(5);
});

test.each(cases.map((c) => [c.name, c]))("%s passes", async (_n, c) => {
  if (!canRun()) return;
  const r = await stf(c.p4, c.stf);
  expect(r.out).toMatch(/^PASS/m);
  expect(r.rc).toBe(0);
}, 60_000);

test("a wrong expectation fails, with a byte diff naming the header", async () => {
  if (!canRun()) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-stf-"));
  const bad = path.join(dir, "bad.stf");
  fs.writeFileSync(bad, fs.readFileSync(path.join(corpus, "p4tc-stf", "simple_l3.stf"), "utf8").replace("expect 1 aabbccdd eeff", "expect 1 aabbccdd eefe"));
  const r = await stf(path.join(corpus, "p4tc-stf", "simple_l3.p4"), bad);
  expect(r.rc).toBe(1);
  expect(r.out).toMatch(/bad\.stf\(\d+\): error: the packet on port 1/);
  expect(r.out).toMatch(/ethernet\s+expected aa bb cc dd ee fe/);
  expect(r.out).toMatch(/^FAIL/m);
}, 60_000);

test("a packet expected on another port fails", async () => {
  if (!canRun()) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-stf-"));
  const bad = path.join(dir, "port.stf");
  fs.writeFileSync(bad, fs.readFileSync(path.join(corpus, "p4tc-stf", "simple_l3.stf"), "utf8").replace("expect 1", "expect 2"));
  const r = await stf(path.join(corpus, "p4tc-stf", "simple_l3.p4"), bad);
  expect(r.rc).toBe(1);
  expect(r.out).toMatch(/unexpected packet on port 1/);
  expect(r.out).toMatch(/expected a packet on port 2, none left there/);
}, 60_000);
