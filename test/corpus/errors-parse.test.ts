// The p4_16_errors corpus at the parser: every program whose reference error is a
// syntax error is rejected here with a syntax error on the same line; no program crashes.
import fs from "node:fs";
import path from "node:path";
import { corpus, programsIn, parseFile } from "../helpers/corpus.js";

const dir = path.join(corpus, "p4_16_errors");

test("syntax errors are reported on the reference's line, and nothing crashes", () => {
  let syntax = 0, sameLine = 0;
  const wrong: string[] = [];
  for (const f of programsIn(dir)) {
    const ref = fs.readFileSync(path.join(dir, f + "-stderr"), "utf8");
    const m = /\((\d+)\):\s*syntax error/.exec(ref) ?? /\((\d+)\): \[--Werror=syntax\]/.exec(ref);
    const { diags } = parseFile(path.join(dir, f)); // throws (fails the test) on a crash
    if (!m) continue;
    syntax++;
    const first = diags.all().find((d) => d.category === "error");
    if (first?.span?.line === Number(m[1]) && first.kind === "syntax") sameLine++;
    else wrong.push(`${f}: reference line ${m[1]}, ours ${first ? `${first.span?.line}: ${first.message}` : "none"}`);
  }
  console.log(`errors corpus: ${sameLine} of ${syntax} reference syntax errors reported on the same line`);
  expect(syntax).toBeGreaterThan(10);
  expect(wrong).toEqual([]);
});
