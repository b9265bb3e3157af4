// The command line: in-process through main(argv, io), and once through the built binary.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { main } from "../../../compiler/cli.js";

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
    expect(r.err).toMatch(/^bad\.p4\(1\): \[--Werror=syntax\] error: /);
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

  test("the built binary runs and reports its version", () => {
    const bin = path.join(repo, "bin", "p4ts.js");
    const r = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
