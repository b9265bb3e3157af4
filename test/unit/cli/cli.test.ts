// The command line: in-process through main(argv, io), and once through the built binary.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { main } from "../../../cli/main.js";
import { hasClang, missingOf, testIf } from "../build/tools.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

async function run(argv: string[]) {
  let out = "", err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-cli-"));
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

const good = `#include <core.p4>
header h_t { bit<8> f; }
struct headers_t { h_t h; }
parser P(packet_in pkt, out headers_t hdr) {
    state start { pkt.extract(hdr.h); transition accept; }
}
`;

describe("p4ts CLI", () => {
  test("--parse-only accepts a valid program", async () => {
    const r = await run([tmpFile("ok.p4", good), "--parse-only"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });

  test("a syntax error is located, printed with source line and caret, exit 1", async () => {
    const f = tmpFile("bad.p4", "header h_t { bit<8> f }\n");
    const r = await run([f, "--parse-only"]);
    expect(r.code).toBe(1);
    expect(r.err.startsWith(`${f}(1): [--Werror=syntax] error: `)).toBe(true);
    const lines = r.err.split("\n");
    expect(lines[1]).toBe("header h_t { bit<8> f }");
    expect(lines[2]).toMatch(/^ +\^+$/);
  });

  test("several syntax errors in one run", async () => {
    const f = tmpFile("bad2.p4", "header h_t { bit<8> f }\nstruct s { bit<8> a bit<8> b; }\nconst bit<8> x = ;\n");
    const r = await run([f, "--parse-only"]);
    expect(r.code).toBe(1);
    expect((r.err.match(/error:/g) ?? []).length).toBeGreaterThan(1);
  });

  test("-D defines a macro, -I adds an include directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-cli-"));
    fs.mkdirSync(path.join(dir, "inc"));
    fs.writeFileSync(path.join(dir, "inc", "defs.p4"), "#define W 16\n");
    fs.writeFileSync(path.join(dir, "m.p4"), '#include "defs.p4"\n#ifdef WANT\nheader h_t { bit<W> f; }\n#else\n#error WANT not set\n#endif\n');
    expect((await run([path.join(dir, "m.p4"), "--parse-only", "-I", path.join(dir, "inc"), "-D", "WANT"])).code).toBe(0);
    const r = await run([path.join(dir, "m.p4"), "--parse-only", "-I", path.join(dir, "inc")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/m\.p4\(5\).*WANT not set/);
  });

  test("a missing input file and an unknown option are usage errors", async () => {
    expect((await run(["/nonexistent/x.p4"])).code).toBe(1);
    const r = await run(["x.p4", "--no-such-option"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Unknown argument/i);
  });

  test("--pp writes the program back as P4 that parses again", async () => {
    const f = tmpFile("pp.p4", good);
    const ppOut = f + ".pp.p4";
    expect((await run([f, "--parse-only", "--pp", ppOut])).code).toBe(0);
    const printed = fs.readFileSync(ppOut, "utf8");
    expect(printed).toMatch(/header h_t/);
    expect((await run([ppOut, "--parse-only"])).code).toBe(0);
  });

  test("diagnostics name the file by the path as given (p4c's form), relative or absolute", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-cli-"));
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "sub", "bad.p4"), "header h_t { bit<8> f }\n");
    const bin = path.join(repo, "bin", "p4ts.js");
    const rel = spawnSync(process.execPath, [bin, "sub/bad.p4", "--parse-only"], { cwd: dir, encoding: "utf8" });
    expect(rel.status).toBe(1);
    expect(rel.stderr).toMatch(/^sub\/bad\.p4\(1\): \[--Werror=syntax\] error: /);
    const dotted = spawnSync(process.execPath, [bin, "./sub/../sub/bad.p4", "--parse-only"], { cwd: dir, encoding: "utf8" });
    expect(dotted.stderr).toMatch(/^\.\/sub\/\.\.\/sub\/bad\.p4\(1\): /);
  });

  test("the built binary runs and reports its version", () => {
    const bin = path.join(repo, "bin", "p4ts.js");
    const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe("p4ts CLI outputs", () => {
  const sample = path.join(repo, "samples", "l3_router", "l3_router.p4");
  const files = ["l3_router.template", "l3_router.json", "l3_router_parser.h", "l3_router_parser.c", "l3_router_control_blocks.c"];

  test("-o writes the template (executable), the JSON and the C files", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-out-"));
    const r = await run([sample, "-o", out]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([...files].sort());
    expect(fs.statSync(path.join(out, "l3_router.template")).mode & 0o111).not.toBe(0);
  });

  test("a program with errors writes nothing", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-out-"));
    const bad = tmpFile("bad_prog.p4", fs.readFileSync(sample, "utf8").replace(/PNA_NIC\(/, "PNA_NIC_X("));
    const r = await run([bad, "-o", out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/bad_prog\.p4\(\d+\).*error/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("--build with no usable clang is a clear error naming the ways to give one", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-out-"));
    const saved = process.env.CLANG;
    process.env.CLANG = path.join(out, "no-such-clang");
    try {
      const r = await run([sample, "-o", out, "--build"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/\$CLANG .*no-such-clang/);
    } finally {
      if (saved === undefined) delete process.env.CLANG;
      else process.env.CLANG = saved;
    }
  });

  testIf(missingOf(hasClang()), "--build compiles both objects when a clang with the BPF target is found", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-out-"));
    const r = await run([sample, "-o", out, "--build"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(out, "l3_router_parser.o"))).toBe(true);
    expect(fs.existsSync(path.join(out, "l3_router_control_blocks.o"))).toBe(true);
  });
});
