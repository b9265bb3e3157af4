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
    // Each expected line is found in the sample's own text, so an edit to the sample moves the expectation with it.
    const line = (re: RegExp): number => fs.readFileSync(sample, "utf8").split("\n").findIndex((l) => re.test(l)) + 1;
    const route = line(/^\s*action route\(/), drop = line(/^\s*action drop\(/);
    const dmac = line(/^\s*hdr\.eth\.dst_addr = dmac;/), ifValid = line(/^\s*if \(hdr\.ipv4\.isValid\(\)/), start = line(/^\s*state start \{/);
    expect(Math.min(route, drop, dmac, ifValid, start)).toBeGreaterThan(0);
    expect(control).toContain(`case 1: /* route, l3_router.p4:${route} */`);
    expect(control).toContain(`case 2: /* drop, l3_router.p4:${drop} */`);
    expect(control).toMatch(new RegExp(`\\n\\s*hdr->eth\\.dst_addr = .*; /\\* l3_router\\.p4:${dmac} \\*/\\n`));
    expect(control).toMatch(new RegExp(`\\n\\s*if \\(hdr->ipv4\\.ebpf_valid .*\\) \\{ /\\* l3_router\\.p4:${ifValid} \\*/\\n`));
    expect(parser).toContain(`/* state start, l3_router.p4:${start} */`);
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

// Building needs clang with the BPF target; loading needs root and BPF (the emulation of the P4TC kfuncs).
import { spawnSync } from "node:child_process";
import { buildObjects, findClang, isClangFound } from "../../../build/index.js";
import { bpfUnavailableReason, EmulatedPipeline } from "../../../targets/emulation/loader.js";

const clang = findClang({ env: process.env });
const canBuild = isClangFound(clang);
const objdump = spawnSync("llvm-objdump-19", ["--version"]).status === 0;
const canLoad = canBuild && bpfUnavailableReason() === null;
const required = process.env.P4TS_REQUIRE_TOOLS === "1";
if (required && !(canBuild && objdump && canLoad)) throw new Error("P4TS_REQUIRE_TOOLS=1: clang-19, llvm-objdump-19 and BPF are needed for test/unit/cli/trace.test.ts");

(canBuild && objdump ? describe : describe.skip)("-g and --build: line info", () => {
  test("the object's .BTF.ext line info shows the P4 comments", async () => {
    const dir = tmpDir();
    // llvm-objdump -S reads the C through the object's DWARF path: a cached
    // object built in another directory would point at a file that is gone.
    const cache = process.env.P4TS_BUILD_CACHE;
    delete process.env.P4TS_BUILD_CACHE;
    const r = await run([sample, "-g", "--build", "-o", dir]).finally(() => {
      if (cache !== undefined) process.env.P4TS_BUILD_CACHE = cache;
    });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const d = spawnSync("llvm-objdump-19", ["-S", path.join(dir, "l3_router_control_blocks.o")], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(d.status).toBe(0);
    // llvm-objdump -S prints the source line of each line-info record: the P4 location is on it.
    expect(d.stdout).toMatch(/\n;\s*hdr->eth\.dst_addr = .*; \/\* l3_router\.p4:67 \*\/\n/);
    expect(d.stdout).toMatch(/\n;\s*hdr->ipv4\.ttl = .*; \/\* l3_router\.p4:69 \*\/\n/);
  });
});

(canBuild ? describe : describe.skip)("--trace", () => {
  test("builds with -Wall -Werror and has the trace calls", async () => {
    const dir = tmpDir();
    const r = await run([sample, "--trace", "--build", "-o", dir]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const parser = fs.readFileSync(path.join(dir, "l3_router_parser.c"), "utf8");
    const control = fs.readFileSync(path.join(dir, "l3_router_control_blocks.c"), "utf8");
    expect(parser).toContain('bpf_printk("p4ts: parser state start");');
    expect(parser).toContain('bpf_printk("p4ts: parser state parse_ipv4");');
    expect(control).toContain('bpf_printk("p4ts: table RouterControl_ipv4_route hit action %u", act_bpf->act_id);');
    expect(control).toContain('bpf_printk("p4ts: drop");');
    expect(control).toContain('bpf_printk("p4ts: redirect to port %u", compiler_meta__->egress_port);');
    expect(fs.existsSync(path.join(dir, "l3_router_control_blocks.o"))).toBe(true);
  });

  (canLoad ? test : test.skip)("with the trace calls, the emulation build passes the verifier", async () => {
    const dir = tmpDir();
    const r = await run([sample, "--trace", "-o", dir]);
    expect(r.code).toBe(0);
    if (!isClangFound(clang)) throw new Error("canLoad implies a clang");
    const b = buildObjects(dir, "l3_router", clang, { extraFlags: ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"] });
    expect(b.diagnostics ?? "").toBe("");
    expect(b.ok).toBe(true);
    const p = EmulatedPipeline.load(path.join(dir, "l3_router_parser.o"), path.join(dir, "l3_router_control_blocks.o"));
    p.close();
  });

  test("without --trace the C has no trace calls", async () => {
    const { files } = await compileTo(sample);
    for (const text of files.values()) expect(text).not.toContain("bpf_printk");
  });
});
