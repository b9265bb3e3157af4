// The front end accepts every valid program: p4_16_samples (any architecture, with the
// reference include dir), the p4tc programs (but *_errors.p4), the p4tc-stf programs and
// the project's own samples/.
// Known gaps are listed in frontend-known-failures.txt; the list must stay exact.
import fs from "node:fs";
import path from "node:path";
import { corpus, programsIn, refInclude, isSymlinkStub, repoRoot } from "../helpers/corpus.js";
import { compile } from "../../compiler/compile.js";

function known(): Map<string, string> {
  const text = fs.readFileSync(path.join(repoRoot, "test/corpus/frontend-known-failures.txt"), "utf8");
  const m = new Map<string, string>();
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t || t.startsWith("#")) continue;
    const i = t.indexOf(":");
    m.set(i < 0 ? t : t.slice(0, i).trim(), i < 0 ? "" : t.slice(i + 1).trim());
  }
  return m;
}

function firstError(r: ReturnType<typeof compile>): string {
  const d = r.diagnostics.find((x) => x.category === "error");
  return d ? `${d.span ? `${path.basename(d.span.file)}(${d.span.line})` : ""}: ${d.message}` : "";
}

test("valid programs pass the front end (known failures listed exactly)", () => {
  const expected = known();
  const failing = new Map<string, string>();
  let checked = 0;
  const samples = path.join(corpus, "p4_16_samples");
  const runs: { name: string; file: string; inc: string[] }[] = [
    ...programsIn(samples).map((f) => ({ name: f, file: path.join(samples, f), inc: [refInclude, samples] })),
    ...programsIn(path.join(corpus, "p4tc/programs")).filter((f) => !f.endsWith("_errors.p4"))
      .map((f) => ({ name: f, file: path.join(corpus, "p4tc/programs", f), inc: [] })),
    ...programsIn(path.join(corpus, "p4tc-stf")).map((f) => ({ name: f, file: path.join(corpus, "p4tc-stf", f), inc: [] })),
    ...fs.readdirSync(path.join(repoRoot, "samples")).flatMap((d) => {
      const dir = path.join(repoRoot, "samples", d);
      return fs.statSync(dir).isDirectory() ? programsIn(dir).map((f) => ({ name: `samples/${d}/${f}`, file: path.join(dir, f), inc: [dir] })) : [];
    }),
  ];
  for (const r of runs) {
    if (isSymlinkStub(r.file)) continue;
    const res = compile({ input: { file: r.file }, includePaths: r.inc, stopAfter: "frontend" });
    checked++;
    if (!res.ok) failing.set(r.name, firstError(res));
  }
  const unexpected = [...failing].filter(([n]) => !expected.has(n)).map(([n, m]) => `${n}: ${m}`);
  const nowPassing = [...expected.keys()].filter((n) => !failing.has(n));
  console.log(`front end: ${checked - failing.size} of ${checked} valid programs pass (${failing.size} known failures)`);
  expect(unexpected).toEqual([]);
  expect(nowPassing).toEqual([]);
});
