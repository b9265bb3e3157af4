// --diagnostics-format json on the p4_16_errors corpus: one JSON object per line for
// every diagnostic the text format prints, with the same file, line and message.
import fs from "node:fs";
import path from "node:path";
import { main } from "../../cli/main.js";
import { corpus, refInclude, programsIn } from "../helpers/corpus.js";

const dir = path.join(corpus, "p4_16_errors");

async function run(argv: string[]) {
  let out = "",
    err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

/** The first line of each diagnostic in the text format: PATH(LINE): [--Wxxx=KIND] SEVERITY: MESSAGE. */
const HEAD = /^(.+)\((\d+)\): \[--W(?:error|warn)=([^\]]+)\] (error|warning): (.*)$/;

test("every diagnostic of the errors corpus in JSON matches the text format", async () => {
  const programs = programsIn(dir);
  expect(programs.length).toBeGreaterThan(100);
  let objects = 0;
  for (const f of programs) {
    const file = path.join(dir, f);
    const args = [file, "-I", refInclude, "--stop-after", "midend"];
    const text = await run(args);
    const json = await run([...args, "--diagnostics-format", "json"]);
    expect([f, json.code]).toEqual([f, text.code]);
    const ds = json.err.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
    const heads = text.err.split("\n").map((l) => HEAD.exec(l)).filter((m) => m !== null);
    expect([f, ds.length]).toEqual([f, heads.length]);
    ds.forEach((d, i) => {
      const h = heads[i]!;
      expect(Object.keys(d)).toEqual(["code", "kind", "severity", "file", "line", "column", "end", "message", "related"]);
      expect({ f, file: d.file, line: d.line, kind: d.kind, severity: d.severity, message: d.message }).toEqual({ f, file: h[1], line: Number(h[2]), kind: h[3], severity: h[4], message: h[5] });
      expect(typeof d.code).toBe("number");
      const end = d.end as { line: number; column: number };
      expect(end.line > (d.line as number) || (end.line === d.line && end.column > (d.column as number))).toBe(true);
      expect(fs.existsSync(d.file as string)).toBe(true);
      for (const r of d.related as Record<string, unknown>[]) expect(Object.keys(r).slice(0, 4)).toEqual(["file", "line", "column", "end"]);
    });
    objects += ds.length;
  }
  console.log(`errors corpus: ${objects} diagnostics of ${programs.length} programs checked in JSON`);
  expect(objects).toBeGreaterThan(programs.length / 2);
});
