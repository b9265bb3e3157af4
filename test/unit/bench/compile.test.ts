// npm run bench:compile (scripts/bench-compile.mjs) times one `p4ts` process
// per corpus program. A figure is worth printing only for the run it claims
// to time: a CLI that cannot start fails fast, and once printed 0.05 s per
// file for it. The bench now refuses to print figures for runs that did not
// compile (exit 0) or report the program's own errors (exit 1 with a
// diagnostic), and says why. No timing is asserted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

/** A copy of the package (its files, and scripts/; dist/ as `dist` says) and a two-program corpus. */
function sandbox(dist: "none" | "broken" | "real"): { dir: string; corpus: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-bench-compile-test-"));
  for (const f of ["scripts", "bin", "package.json", "compiler/p4include", "runtime-headers"]) fs.cpSync(path.join(repo, f), path.join(dir, f), { recursive: true });
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"));
  if (dist === "real") fs.cpSync(path.join(repo, "dist"), path.join(dir, "dist"), { recursive: true });
  if (dist === "broken") {
    // compile() is there, the CLI bundle is not: every CLI run dies before compiling.
    fs.cpSync(path.join(repo, "dist"), path.join(dir, "dist"), { recursive: true });
    for (const f of ["p4ts.cjs", "p4ts.cache"]) fs.rmSync(path.join(dir, "dist", f), { force: true });
    fs.rmSync(path.join(dir, "dist", "cli"), { recursive: true, force: true });
  }
  const corpus = path.join(dir, "corpus");
  fs.mkdirSync(path.join(corpus, "p4tc", "programs"), { recursive: true });
  const header = "#include <core.p4>\n#include <tc/pna.p4>\n";
  fs.writeFileSync(path.join(corpus, "p4tc", "programs", "bad.p4"), `${header}control C() { apply { x = 1; } }\n`);
  fs.copyFileSync(path.join(repo, "samples", "l2_switch", "l2_switch.p4"), path.join(corpus, "p4tc", "programs", "l2_switch.p4"));
  return { dir, corpus };
}

function bench(s: { dir: string; corpus: string }) {
  return spawnSync(process.execPath, [path.join(s.dir, "scripts", "bench-compile.mjs")], { encoding: "utf8", env: { ...process.env, P4TS_CORPUS: s.corpus }, timeout: 120_000 });
}

describe("bench:compile times only runs that did their work", () => {
  it("refuses to run without dist/", () => {
    const s = sandbox("none");
    const r = bench(s);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("no dist/");
    expect(r.stdout).not.toContain("per file");
    fs.rmSync(s.dir, { recursive: true, force: true });
  }, 180_000);

  it("prints no figures when the CLI cannot start", () => {
    const s = sandbox("broken");
    const r = bench(s);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/runs did not do what they time/);
    expect(r.stderr).toContain("l2_switch.p4: exit");
    expect(r.stdout).not.toContain("per file");
    fs.rmSync(s.dir, { recursive: true, force: true });
  }, 180_000);

  it("prints figures for a program that compiles and one rejected with a diagnostic", () => {
    const s = sandbox("real");
    const r = bench(s);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 programs x 1, one process each/);
    expect(r.stdout).toMatch(/per file {2}CPU {2}median \d/);
    expect(r.stdout).toMatch(/compile\(\) \(1 compile, the rest are rejected as the CLI rejects them\)/);
    fs.rmSync(s.dir, { recursive: true, force: true });
  }, 180_000);
});
