// `--help` and `--version` load no front end; `stf --help` loads no STF runner or build machinery.
// Runs the built binary unbundled (P4TS_UNBUNDLED=1: the one-file bundle hides its
// modules) with a module-load hook that logs every module it loads.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-lazy-"));
const hooks = path.join(dir, "hooks.mjs");
const register = path.join(dir, "register.mjs");
fs.writeFileSync(hooks, 'import fs from "node:fs";\nexport async function load(url, context, next) {\n  fs.appendFileSync(process.env.P4TS_LOAD_LOG, url + "\\n");\n  return next(url, context);\n}\n');
fs.writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(new URL(`file://${hooks}`).href)});\n`);

let runs = 0;
function loaded(args: string[]): string[] {
  const log = path.join(dir, `log-${runs++}`);
  const r = spawnSync(process.execPath, ["--import", register, path.join(repo, "bin", "p4ts.js"), ...args], { encoding: "utf8", env: { ...process.env, P4TS_LOAD_LOG: log, P4TS_UNBUNDLED: "1" } });
  expect(r.status).toBe(0);
  return fs.readFileSync(log, "utf8").trim().split("\n");
}

const heavy = [/\/dist\/grammar\//, /\/dist\/compiler\/frontend\//, /\/dist\/compiler\/compile\.js/, /\/dist\/codegen\//, /\/dist\/stf\//, /\/dist\/build\//, /\/dist\/targets\//];

describe("start-up loads only what the command needs", () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  test("p4ts --version: bin/p4ts.js answers from package.json and loads no module of the CLI", () => {
    expect(loaded(["--version"]).filter((m) => m.includes("/dist/"))).toEqual([]);
  });
  test.each([["--help"], ["stf", "--help"], ["stf", "--version"], ["help"]])("p4ts %s", (...args: string[]) => {
    const mods = loaded(args);
    expect(mods.some((m) => m.endsWith("/dist/cli/main.js"))).toBe(true);
    expect(mods.filter((m) => heavy.some((h) => h.test(m)))).toEqual([]);
  });
  test("a compilation does load the front end (the hook sees it)", () => {
    const mods = loaded([path.join(repo, "samples", "l2_switch", "l2_switch.p4"), "--parse-only"]);
    expect(mods.some((m) => /\/dist\/grammar\/p4parser\.js$/.test(m))).toBe(true);
  });
  test("a plain compilation (FILE.p4 -o DIR) reads its options without loading yargs; --help loads it", () => {
    const mods = loaded([path.join(repo, "samples", "l2_switch", "l2_switch.p4"), "-o", path.join(dir, "out")]);
    expect(mods.some((m) => m.endsWith("/dist/compiler/compile.js"))).toBe(true);
    expect(mods.filter((m) => m.includes("/node_modules/yargs/"))).toEqual([]);
    expect(loaded(["--help"]).some((m) => m.includes("/node_modules/yargs/"))).toBe(true);
  });
});
