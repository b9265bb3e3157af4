// The errors corpus: every invalid program is rejected by the front end with a
// located error and without an internal error, except the few listed below whose
// problem is target-specific or found by later stages of the reference compiler.
import fs from "node:fs";
import path from "node:path";
import { corpus, programsIn, refInclude } from "../helpers/corpus.js";
import { compile } from "../../compiler/compile.js";

/** Not rejected by the front end, with the reason (each a real gap or out of its scope). */
const NOT_REJECTED: Record<string, string> = {
  "array4.p4": "mid-end limit: too much expansion from non-constant array indexes",
  "issue2545.p4": "target restriction (extern functions with out nested struct arguments)",
  "issue5296_unknown_version.p4": "v1model version check (architecture-specific)",
  "issue5703_header_union_stack.p4": "target restriction (constant indexes into header union stacks)",
  "table-entries-error.p4": "the reference only warns (entry covered by a previous one)",
};

/**
 * Programs whose first error is not at a place the reference reports an
 * error, with the reason. Every other rejected program's first error is at
 * a file and line where the reference's `.p4-stderr` has an error (or, when
 * the reference's errors carry no location, in the program itself).
 */
const LOCATION_DIFFERS: Record<string, string> = {
};

/** The `FILE:LINE` places of the reference's errors (`f.p4(7): [--Werror=x] error:` and `f.p4(7):syntax error`). */
function referenceErrorPlaces(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/^(\S+?)\((\d+)\):\s*(?:\[--Werror=[\w-]+\] )?(?:error:|syntax error)/gm)].map((m) => `${path.basename(m[1]!)}:${m[2]}`));
}

test("invalid programs are rejected with a located error", () => {
  const dir = path.join(corpus, "p4_16_errors");
  const notRejected: string[] = [];
  const unlocated: string[] = [];
  const misplaced: string[] = [];
  let rejected = 0;
  for (const f of programsIn(dir)) {
    const r = compile({ input: { file: path.join(dir, f) }, includePaths: [refInclude], stopAfter: "frontend" });
    if (r.ok) {
      notRejected.push(f);
      continue;
    }
    rejected++;
    const d = r.diagnostics.find((x) => x.category === "error");
    if (!d?.span || !fs.existsSync(d.span.file) || d.span.line < 1) {
      unlocated.push(f);
      continue;
    }
    const mine = `${path.basename(d.span.file)}:${d.span.line}`;
    const stderr = path.join(dir, `${f}-stderr`);
    const ref = referenceErrorPlaces(fs.existsSync(stderr) ? fs.readFileSync(stderr, "utf8") : "");
    if (ref.size > 0 ? !ref.has(mine) : path.basename(d.span.file) !== f) misplaced.push(`${f}: ${mine} (reference: ${[...ref].join(", ") || "unlocated"})`);
  }
  console.log(`errors corpus: ${rejected} of ${programsIn(dir).length} rejected by the front end`);
  expect(rejected).toBe(287);
  expect(notRejected).toEqual(Object.keys(NOT_REJECTED).sort());
  expect(unlocated).toEqual([]);
  expect(misplaced.map((m) => m.split(":")[0])).toEqual(Object.keys(LOCATION_DIFFERS).sort());
});
