// The generated C tied to the P4 source (comments naming file, line and action), -g and --trace, through the CLI main().
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../../cli/main.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const sample = path.join(repo, "samples/l3_router/l3_router.p4");

async function run(argv: string[]) {
  let out = "", err = "";
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err };
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-trace-"));
}

function outputs(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
}

async function compileTo(file: string, extra: string[] = []): Promise<{ dir: string; files: Map<string, string> }> {
  const dir = tmpDir();
  const r = await run([file, "-o", dir, ...extra]);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return { dir, files: outputs(dir) };
}

describe("generated C names its P4 source", () => {
  test("statements, actions and parser states carry file:line comments", async () => {
    const { files } = await compileTo(sample);
    const control = files.get("l3_router_control_blocks.c")!;
    const parser = files.get("l3_router_parser.c")!;
    // `action route(` is on line 64 and its first statement on line 67; `state start` on line 47.
    expect(control).toMatch(/case 1: \/\* route, l3_router\.p4:64 \*\//);
    expect(control).toMatch(/case 2: \/\* drop, l3_router\.p4:77 \*\//);
    expect(control).toMatch(/\/\* l3_router\.p4:67 \*\/\n\s*hdr->eth\.dst_addr = /);
    expect(parser).toContain("/* state start, l3_router.p4:47 */");
    // Only base names: no directory of the source leaks into the C.
    expect(control + parser).not.toContain(path.dirname(sample));
  });

  test("outputs are byte-identical across path spellings and directories", async () => {
    const a = await compileTo(sample);
    const b = await compileTo(path.join(repo, "samples", "..", "samples", "l3_router", ".", "l3_router.p4"));
    const copy = path.join(tmpDir(), "l3_router.p4");
    fs.copyFileSync(sample, copy);
    const c = await compileTo(copy);
    expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    for (const [f, text] of a.files) {
      expect(b.files.get(f)).toBe(text);
      expect(c.files.get(f)).toBe(text);
    }
  });
});
