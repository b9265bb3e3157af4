// Differential test: our preprocessor's token stream equals the system cpp's on the whole corpus.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { corpus, refInclude, programsIn, readFile } from "../helpers/corpus.js";
import { preprocess } from "../../compiler/preprocessor/index.js";
import { SourceFiles } from "../../compiler/source.js";
import { DiagnosticBag } from "../../compiler/diagnostics/index.js";

const dirs = ["p4_16_samples", "p4_16_errors", "p4tc/programs", "p4tc-stf"].map((d) => path.join(corpus, d));
const tokens = (s: string) => s.match(/[A-Za-z_$][\w$]*|\d[\w.]*|"(?:\\.|[^"\\])*"|\S/g) ?? [];

function hasCpp(): boolean {
  try {
    execFileSync("cpp", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

test("token streams equal cpp -E -P on every corpus program", () => {
  expect(hasCpp()).toBe(true); // gcc's cpp is on every machine here; CI installs it
  // One bash process runs cpp over all files (much faster than a spawn per file).
  const jobs: { file: string; dir: string; out: string }[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-cpp-"));
  let script = "";
  for (const dir of dirs) {
    for (const f of programsIn(dir)) {
      const out = path.join(tmp, `${jobs.length}.i`);
      jobs.push({ file: path.join(dir, f), dir, out });
      script += `cpp -E -P -undef -nostdinc -x assembler-with-cpp -I '${dir}' -I '${refInclude}' '${path.join(dir, f)}' > '${out}' 2>/dev/null || rm -f '${out}'\n`;
    }
  }
  execFileSync("bash", ["-s"], { input: script, maxBuffer: 1 << 26 });
  let same = 0, cppFailed = 0;
  const mismatches: string[] = [];
  for (const j of jobs) {
    if (!fs.existsSync(j.out)) {
      cppFailed++;
      continue;
    }
    const ref = fs.readFileSync(j.out, "utf8");
    const r = preprocess({ file: j.file, includePaths: [j.dir], builtinIncludeDir: refInclude, readFile, files: new SourceFiles(), diags: new DiagnosticBag() });
    const a = tokens(r.text), b = tokens(ref);
    if (a.join(" ") === b.join(" ")) same++;
    else {
      let k = 0;
      while (a[k] === b[k]) k++;
      mismatches.push(`${path.basename(j.file)} at token ${k}: ours ${a.slice(k, k + 6).join(" ")} | cpp ${b.slice(k, k + 6).join(" ")}`);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`preprocessor vs cpp: ${same} of ${jobs.length - cppFailed} equal (${cppFailed} rejected by cpp itself)`);
  expect(mismatches).toEqual([]);
  expect(same).toBeGreaterThan(1600);
});
