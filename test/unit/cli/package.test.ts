// The package as npm ships it: `npm pack`, unpacked into a fresh project's node_modules
// (what `npm install p4ts-X.tgz` does; its production dependencies are linked from this
// checkout's node_modules, so no network is needed), then used from there: the CLI, the
// library by import, require and TypeScript types, and p4ts.mk.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { realClang } from "../build/tools.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-pack-"));
const proj = path.join(work, "proj");
const pkgDir = path.join(proj, "node_modules", "p4ts");

function sh(cmd: string, args: string[], cwd = proj) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, NODE_OPTIONS: "" } });
  return { status: r.status, out: r.stdout ?? "", err: r.stderr ?? "", all: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

beforeAll(() => {
  expect(fs.existsSync(path.join(repo, "dist", "index.js"))).toBe(true); // npm test builds first
  const pack = sh("npm", ["pack", "--ignore-scripts", "--pack-destination", work], repo);
  expect(pack.status).toBe(0);
  const tgz = fs.readdirSync(work).find((f) => f.endsWith(".tgz"))!;
  fs.mkdirSync(path.join(proj, "node_modules", ".bin"), { recursive: true });
  fs.writeFileSync(path.join(proj, "package.json"), '{ "name": "uses-p4ts", "version": "1.0.0", "private": true }\n');
  expect(sh("tar", ["xzf", path.join(work, tgz), "-C", path.join(proj, "node_modules")]).status).toBe(0);
  fs.renameSync(path.join(proj, "node_modules", "package"), pkgDir);
  fs.symlinkSync("../p4ts/bin/p4ts.js", path.join(proj, "node_modules", ".bin", "p4ts"));
  // The production dependency tree, as npm lists it; the top-level ones are linked.
  const ls = sh("npm", ["ls", "--omit=dev", "--all", "--parseable"], repo);
  const top = ls.out.split("\n").filter((p) => path.dirname(p) === path.join(repo, "node_modules") || path.dirname(path.dirname(p)) === path.join(repo, "node_modules") && path.basename(path.dirname(p)).startsWith("@"));
  expect(top.map((p) => path.basename(p))).toEqual(expect.arrayContaining(["yargs", "handlebars"]));
  for (const p of top) {
    const to = path.join(proj, "node_modules", path.relative(path.join(repo, "node_modules"), p));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.symlinkSync(p, to);
  }
  fs.copyFileSync(path.join(repo, "samples", "l2_switch", "l2_switch.p4"), path.join(proj, "l2_switch.p4"));
}, 300_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test("the tarball holds what users need and nothing of the sources or tests", () => {
  for (const f of ["LICENSE", "CHANGELOG.md", "README.md", "bin/p4ts.js", "dist/index.js", "dist/index.d.ts", "runtime-headers/p4ts.mk", "compiler/p4include/core.p4"]) expect([f, fs.existsSync(path.join(pkgDir, f))]).toEqual([f, true]);
  for (const f of ["test", "cli", "index.ts", "node_modules"]) expect([f, fs.existsSync(path.join(pkgDir, f))]).toEqual([f, false]);
  expect(fs.readFileSync(path.join(pkgDir, "LICENSE"), "utf8")).toMatch(/Apache License\s+Version 2\.0, January 2004/);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  expect(pkg.engines.node).toBe("^20.19 || ^22.12 || >=23");
});

test("the installed CLI compiles a program and reports errors with exit 1", () => {
  const r = sh(path.join(proj, "node_modules", ".bin", "p4ts"), ["l2_switch.p4", "-o", "out"]);
  expect(r.all).toBe("");
  expect(r.status).toBe(0);
  expect(fs.readdirSync(path.join(proj, "out")).sort()).toEqual(["l2_switch.json", "l2_switch.template", "l2_switch_control_blocks.c", "l2_switch_parser.c", "l2_switch_parser.h"]);
  fs.writeFileSync(path.join(proj, "bad.p4"), "header h { bit<8> f }\n");
  const bad = sh(path.join(proj, "node_modules", ".bin", "p4ts"), ["bad.p4"]);
  expect(bad.status).toBe(1);
  expect(bad.err).toMatch(/^bad\.p4\(1\): \[--Werror=syntax\] error: /);
});

test("the library loads by import and by require, with its types", () => {
  const esm = sh(process.execPath, ["--input-type=module", "-e", 'import { compile, build, runStf, main } from "p4ts"; const r = compile({ input: { file: "l2_switch.p4" } }); console.log(r.ok, Object.keys(r.outputs).length, r.pipeline.tables.length, typeof build, typeof runStf, typeof main);']);
  expect(esm.err).toBe("");
  expect(esm.out).toBe("true 5 2 function function function\n");
  const cjs = sh(process.execPath, ["-e", 'const { compile } = require("p4ts"); console.log(compile({ input: { file: "l2_switch.p4" }, stopAfter: "frontend" }).ok);']);
  expect(cjs.err).toBe("");
  expect(cjs.out).toBe("true\n");
  fs.writeFileSync(
    path.join(proj, "use.ts"),
    'import { compile, build, type PipelineModel, type CheckedProgram, type TableModel, type JsonDiagnostic } from "p4ts";\nconst r = compile({ input: { file: "l2_switch.p4" } });\nconst m: PipelineModel | undefined = r.pipeline;\nconst c: CheckedProgram | undefined = r.checked;\nconst t: TableModel[] = m ? [...m.tables] : [];\nconst j: JsonDiagnostic[] = [];\nvoid build; void c; void t; void j;\n// @ts-expect-error: not a model field\nm?.noSuchField;\n',
  );
  const tsc = sh(process.execPath, [path.join(repo, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--typeRoots", path.join(repo, "node_modules", "@types"), "--types", "node", "use.ts"]);
  expect(tsc.all).toBe("");
  expect(tsc.status).toBe(0);
});

test("p4ts.mk from the installed package finds its p4ts (and clang as --build does)", () => {
  fs.writeFileSync(path.join(proj, "Makefile"), "P4SRC := l2_switch.p4\nOUTDIR := mkout\ninclude node_modules/p4ts/runtime-headers/p4ts.mk\n");
  const gen = sh("make", ["p4ts-generate"]);
  expect(gen.status).toBe(0);
  expect(gen.out).toMatch(/node_modules\/p4ts\/runtime-headers\/\.\.\/bin\/p4ts\.js l2_switch\.p4 -o mkout -MD/);
  expect(fs.existsSync(path.join(proj, "mkout", "l2_switch.template"))).toBe(true);
  expect(fs.readFileSync(path.join(proj, "mkout", "l2_switch.d"), "utf8")).toMatch(/node_modules\/p4ts\/compiler\/p4include\/core\.p4/);
  if (realClang() !== undefined) {
    const all = sh("make", []);
    expect(all.status).toBe(0);
    expect(fs.existsSync(path.join(proj, "mkout", "l2_switch_control_blocks.o"))).toBe(true);
  }
});
