// The kernel lane finds the corpus as every other corpus user does: in
// $P4TS_CORPUS, else ../shared/corpus beside the checkout. It used to look
// only beside the checkout, so the lane could not run from a worktree or a
// checkout elsewhere.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { laneSources } from "../../../stf/p4tc-lane.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

test("laneSources reads the corpus from P4TS_CORPUS", () => {
  const corpus = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-lane-corpus-"));
  fs.mkdirSync(path.join(corpus, "p4tc", "programs"), { recursive: true });
  fs.mkdirSync(path.join(corpus, "p4tc-stf"), { recursive: true });
  fs.writeFileSync(path.join(corpus, "p4tc", "programs", "one.p4"), "");
  fs.writeFileSync(path.join(corpus, "p4tc", "programs", "one_errors.p4"), "");
  fs.writeFileSync(path.join(corpus, "p4tc-stf", "two.p4"), "");
  fs.writeFileSync(path.join(corpus, "p4tc-stf", "two.stf"), "");
  const before = process.env.P4TS_CORPUS;
  process.env.P4TS_CORPUS = corpus;
  try {
    const fromCorpus = laneSources(repo).filter((s) => s.p4.startsWith(corpus));
    expect(fromCorpus).toEqual([
      { p4: path.join(corpus, "p4tc", "programs", "one.p4"), stf: null },
      { p4: path.join(corpus, "p4tc-stf", "two.p4"), stf: path.join(corpus, "p4tc-stf", "two.stf") },
    ]);
  } finally {
    if (before === undefined) delete process.env.P4TS_CORPUS;
    else process.env.P4TS_CORPUS = before;
    fs.rmSync(corpus, { recursive: true, force: true });
  }
});
