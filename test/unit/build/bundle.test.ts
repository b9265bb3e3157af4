// The CLI bundle (dist/p4ts.cjs with its code cache, made by `npm run build`)
// behaves as the modules it bundles: bin/p4ts.js gives the same files, the
// same diagnostics and the same exit status as compile() in this process.
// Registered as skipped when the package was not built with esbuild (under
// P4TS_REQUIRE_TOOLS=1, as on CI, a missing bundle is a failure).
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { compile } from "../../../compiler/compile.js";
import { corpus, repoRoot } from "../../helpers/corpus.js";
import { cleanupTmpDirs, requireTools, tmpDir } from "./tools.js";

afterAll(cleanupTmpDirs);

const bundle = path.join(repoRoot, "dist", "p4ts.cjs");
const built = fs.existsSync(bundle) && fs.existsSync(path.join(repoRoot, "dist", "p4ts.cache"));
if (!built && requireTools) throw new Error("dist/p4ts.cjs or dist/p4ts.cache missing: run npm run build (P4TS_REQUIRE_TOOLS=1)");
const p4ts = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(repoRoot, "bin", "p4ts.js"), ...args], { encoding: "utf8", env: { ...process.env, ...env } });

(built ? describe : describe.skip)("bin/p4ts.js through the bundle", () => {
  test.each([
    ["samples/l2_switch/l2_switch.p4", path.join(repoRoot, "samples/l2_switch/l2_switch.p4")],
    ["p4tc-stf/simple_l3.p4", path.join(corpus, "p4tc-stf/simple_l3.p4")],
  ])("%s: the files compile() gives", (_, file) => {
    const out = tmpDir("bundle");
    const r = p4ts([file, "-o", out]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const want = compile({ input: { file } });
    expect(Object.fromEntries(fs.readdirSync(out).sort().map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]))).toEqual(
      Object.fromEntries(Object.entries(want.outputs!).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
  });

  test("a program with errors: the diagnostics compile() formats, exit 1, nothing written", () => {
    const file = path.join(corpus, "p4tc/programs/add_entry_1_errors.p4");
    const out = tmpDir("bundle");
    const r = p4ts([file, "-o", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(compile({ input: { file } }).format());
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("400 kB of diagnostics through a pipe read slowly arrive whole (bin/p4ts.js exits early only with nothing left to write)", () => {
    const dir = tmpDir("bundle");
    const file = path.join(dir, "many.p4");
    fs.writeFileSync(file, ["#include <core.p4>", ...Array.from({ length: 3000 }, (_, i) => `const bit<8> x${i} = y${i};`)].join("\n") + "\n");
    const want = compile({ input: { file } }).format();
    expect(want.length).toBeGreaterThan(300_000);
    // The reader sleeps before reading: the 64 kB pipe fills and Node's writes to it turn asynchronous.
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const r = spawnSync("bash", ["-c", `${q(process.execPath)} ${q(path.join(repoRoot, "bin", "p4ts.js"))} ${q(file)} -o ${q(dir)} 2>&1 >/dev/null | (sleep 1; cat); exit "\${PIPESTATUS[0]}"`], {
      encoding: "utf8",
      maxBuffer: 16 << 20,
    });
    expect(r.stdout).toBe(want);
    expect(r.status).toBe(1);
  });

  test("--version, --help (answered by bin/p4ts.js without the bundle) and a usage error, bundled and unbundled alike", () => {
    for (const args of [["--version"], ["--help"], ["-h"], ["help"], ["--no-such-option"]]) {
      const a = p4ts(args);
      const b = p4ts(args, { P4TS_UNBUNDLED: "1" });
      expect([a.status, a.stdout, a.stderr]).toEqual([b.status, b.stdout, b.stderr]);
    }
    expect(p4ts(["--version"]).status).toBe(0);
    expect(p4ts(["--help"]).stdout).toMatch(/^Usage: p4ts FILE\.p4 -o OUTDIR/);
  });
});
