// runtime-headers/p4ts.mk: a two-file program builds with make, an edit to the
// included file rebuilds it (the -MD dependency file), and nothing changed means
// nothing to do.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describeUnless } from "../../helpers/skip.js";
import { realClang } from "../build/tools.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const haveMake = spawnSync("make", ["--version"]).status === 0;
const missing = !haveMake ? "no make" : realClang() === undefined ? "no clang with the BPF target" : undefined;

function make(dir: string, ...args: string[]) {
  const r = spawnSync("make", ["-C", dir, ...args], { encoding: "utf8", timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describeUnless(missing, "p4ts.mk", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-mk-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("builds a program with an include, rebuilds when the include changes", () => {
    fs.mkdirSync(path.join(dir, "inc"));
    const src = fs.readFileSync(path.join(repo, "samples", "l2_switch", "l2_switch.p4"), "utf8");
    expect(src).toMatch(/size = 4096;/);
    fs.writeFileSync(path.join(dir, "l2_switch.p4"), src.replace("#include <tc/pna.p4>", '#include <tc/pna.p4>\n#include "sizes.p4"').replace(/size = 4096;/g, "size = TSIZE;"));
    fs.writeFileSync(path.join(dir, "inc", "sizes.p4"), "#define TSIZE 1024\n");
    fs.writeFileSync(path.join(dir, "Makefile"), `P4SRC := l2_switch.p4\nP4TS_FLAGS := -I inc\ninclude ${path.join(repo, "runtime-headers", "p4ts.mk")}\n`);

    const first = make(dir);
    expect(first.out).toMatch(/-MD -MF out\/l2_switch\.d/);
    expect(first.status).toBe(0);
    const template = path.join(dir, "out", "l2_switch.template");
    expect(fs.readFileSync(template, "utf8")).toMatch(/tentries 1024 /);
    for (const o of ["l2_switch_parser.o", "l2_switch_control_blocks.o"]) expect(fs.existsSync(path.join(dir, "out", o))).toBe(true);
    expect(fs.readFileSync(path.join(dir, "out", "l2_switch.d"), "utf8")).toMatch(/^out\/\.l2_switch\.p4ts-stamp: l2_switch\.p4 \\\n(.*\\\n)* inc\/sizes\.p4\n/);

    expect(make(dir).out).toMatch(/Nothing to be done/);

    // An edit to the include, dated after the outputs, rebuilds them.
    fs.writeFileSync(path.join(dir, "inc", "sizes.p4"), "#define TSIZE 2048\n");
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, "inc", "sizes.p4"), later, later);
    const second = make(dir);
    expect(second.status).toBe(0);
    expect(second.out).toMatch(/p4ts\.js l2_switch\.p4 -o out/);
    expect(fs.readFileSync(template, "utf8")).toMatch(/tentries 2048 /);
    expect(fs.readFileSync(template, "utf8")).not.toMatch(/tentries 1024 /);
  });

  test("the default CLANG is the one p4ts --build finds", () => {
    const r = spawnSync(process.execPath, [path.join(repo, "bin", "p4ts.js"), "--print-clang"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(realClang());
    expect(make(dir, "p4ts-clean").status).toBe(0);
    expect(make(dir).out).toContain(`${realClang()} -O2`);
  });
});
