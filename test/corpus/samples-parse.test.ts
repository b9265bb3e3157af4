// The whole p4_16_samples corpus: every program parses, and the printer round-trips it.
import path from "node:path";
import { corpus, programsIn, parseFile, isSymlinkStub } from "../helpers/corpus.js";
import { formatDiagnostics, DiagnosticBag } from "../../compiler/diagnostics/index.js";
import { printProgram } from "../../compiler/ast/print.js";
import { astDiff } from "../../compiler/ast/equal.js";
import { parseP4, locateIn } from "../../grammar/parse.js";

const dir = path.join(corpus, "p4_16_samples");
const files = programsIn(dir);

test("the samples corpus is there", () => {
  expect(files.length).toBe(1306);
});

test("every sample parses and round-trips through the printer", () => {
  const failures: string[] = [];
  const stubs: string[] = [];
  let roundTripped = 0;
  for (const f of files) {
    const file = path.join(dir, f);
    if (isSymlinkStub(file)) {
      stubs.push(f);
      continue;
    }
    const { program, diags, files: sf } = parseFile(file);
    if (diags.hasErrors()) {
      failures.push(`${f}: ${formatDiagnostics(diags.all(), sf).split("\n")[0]}`);
      continue;
    }
    const printed = printProgram(program);
    const d2 = new DiagnosticBag();
    const again = parseP4(printed, locateIn(`${f}.pp`, printed), d2);
    const diff = d2.hasErrors() ? `printed text does not parse: ${d2.all()[0].message}` : astDiff(program, again);
    if (diff) failures.push(`${f}: round trip: ${diff}`);
    else roundTripped++;
  }
  console.log(`samples: ${roundTripped} parsed and round-tripped, ${stubs.length} symlink stubs (${stubs.join(", ")})`);
  expect(failures).toEqual([]);
  // The stubs are the five *_ubpf.p4 links into the reference's backend tree.
  expect(stubs.length).toBeLessThanOrEqual(5);
});
