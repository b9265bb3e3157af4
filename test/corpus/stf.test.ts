// STF packet tests run on this kernel (P4TC emulated in BPF): the reference
// corpus's three, every sample's and test/fixtures/stf's; a wrong expectation
// fails with a byte diff. Also the runner's behaviour on bad tests, run-time
// errors, frames of every length and signals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { runStf } from "../../stf/run.js";
import { corpus, repoRoot, stfCases } from "../helpers/corpus.js";
import { describeIf, kernelMissing } from "../unit/build/tools.js";

const cases = stfCases();

const simpleL3 = path.join(corpus, "p4tc-stf", "simple_l3.p4");
const lengths = path.join(repoRoot, "test", "fixtures", "stf", "packet_lengths.p4");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-stf-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function stf(p4: string, file: string): Promise<{ rc: number; out: string }> {
  let out = "";
  const rc = await runStf({ program: p4, stf: file, out: (t) => (out += t) });
  return { rc, out };
}

function stfFile(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

test("every reference test, sample and fixture has a program and an STF test, and no STF test is left without its program", () => {
  for (const c of cases) {
    expect(fs.existsSync(c.p4)).toBe(true);
    expect(fs.existsSync(c.stf)).toBe(true);
  }
  expect(cases.filter((c) => !c.name.startsWith("fixture ")).length).toBe(3 + 6);
  const fixtures = fs.readdirSync(path.join(repoRoot, "test", "fixtures", "stf"));
  expect(fixtures.filter((f) => f.endsWith(".stf")).map((f) => f.replace(/\.stf$/, ".p4")).sort()).toEqual(fixtures.filter((f) => f.endsWith(".p4")).sort());
});

describe("bad tests are located errors before anything runs (no kernel needed)", () => {
  test("an unknown key field name", async () => {
    const f = stfFile("unknown-key.stf", "# x\nadd ingress.nh_table dstAdr:0x0a000002 ingress.send_nh(port:1, srcMac:0, dstMac:0)\npacket 0 00\n");
    const r = await stf(simpleL3, f);
    expect(r.out).toMatch(/^unknown-key\.stf\(2\): error: table ingress\.nh_table has no key field dstAdr \(key fields: dstAddr\)$/m);
    expect(r.out).toMatch(/^FAIL/m);
    expect(r.rc).toBe(1);
  });

  test("an unknown action parameter", async () => {
    const r = await stf(simpleL3, stfFile("unknown-param.stf", "add ingress.nh_table dstAddr:1 ingress.send_nh(port:1, srcMac:0, dstMac:0, vlan:3)\n"));
    expect(r.out).toMatch(/^unknown-param\.stf\(1\): error: action ingress\.send_nh has no parameter vlan/m);
    expect(r.rc).toBe(1);
  });

  test("a negative port", async () => {
    const r = await stf(simpleL3, stfFile("port.stf", "\n\npacket -1 00\n"));
    expect(r.out).toBe("port.stf(3): error: bad port '-1': expected packet PORT HEXDATA\n");
    expect(r.rc).toBe(1);
  });

  test("an unknown target", async () => {
    let out = "";
    const rc = await runStf({ program: simpleL3, stf: stfFile("t.stf", "packet 0 00\n"), target: "nope", out: (t) => (out += t) });
    expect(out).toMatch(/unknown target 'nope' \(targets: emulation/);
    expect(rc).toBe(1);
  });
});

describeIf(kernelMissing(), "on this kernel", () => {
  test.each(cases.map((c) => [c.name, c]))("%s passes", async (_n, c) => {
    const r = await stf(c.p4, c.stf);
    expect(r.out).toMatch(/^PASS/m);
    expect(r.rc).toBe(0);
  }, 60_000);

  test("a wrong expectation fails, with a byte diff naming the header", async () => {
    const bad = stfFile("bad.stf", fs.readFileSync(path.join(corpus, "p4tc-stf", "simple_l3.stf"), "utf8").replace("expect 1 aabbccdd eeff", "expect 1 aabbccdd eefe"));
    const r = await stf(simpleL3, bad);
    expect(r.rc).toBe(1);
    expect(r.out).toMatch(/bad\.stf\(\d+\): error: the packet on port 1/);
    expect(r.out).toMatch(/ethernet\s+expected aa bb cc dd ee fe/);
    expect(r.out).toMatch(/^FAIL/m);
  }, 60_000);

  test("a packet expected on another port fails", async () => {
    const bad = stfFile("other-port.stf", fs.readFileSync(path.join(corpus, "p4tc-stf", "simple_l3.stf"), "utf8").replace("expect 1", "expect 2"));
    const r = await stf(simpleL3, bad);
    expect(r.rc).toBe(1);
    expect(r.out).toMatch(/unexpected packet on port 1/);
    expect(r.out).toMatch(/expected a packet on port 2, none left there/);
  }, 60_000);

  test("remove of an absent entry is a located error; the test goes on and FAILs", async () => {
    const text = [
      "add ingress.nh_table dstAddr:0x0a000002 ingress.send_nh(port:0x1, srcMac:0x000102030405, dstMac:0xAABBCCDDEEFF)",
      "remove ingress.nh_table dstAddr:0x0a000009",
      "packet 0 10000002 aabb1000 0001aabb 08004500 0028613d 00004006 05910a00 00010a00 0002",
      "expect 1 aabbccdd eeff0001 02030405 08004500 0028613d 00004006 05910a00 00010a00 0002$",
      "remove ingress.nh_table dstAddr:0x0a000002",
      "remove ingress.nh_table dstAddr:0x0a000002",
      "packet 0 10000002 aabb1000 0001aabb 08004500 0028613d 00004006 05910a00 00010a00 0002",
      "",
    ].join("\n");
    const r = await stf(simpleL3, stfFile("absent.stf", text));
    expect(r.out.split("\n").filter((l) => /error/.test(l))).toEqual([
      "absent.stf(2): error: table ingress/nh_table has no entry with these keys",
      "absent.stf(6): error: table ingress/nh_table has no entry with these keys",
    ]);
    // The packets after the errors still ran: the first matched, the second (entry removed) was dropped.
    expect(r.out).toMatch(/^FAIL: absent\.stf: 2 problems$/m);
    expect(r.rc).toBe(1);
  }, 60_000);

  test("remove all removes every entry the test added", async () => {
    const text = [
      "add ingress.nh_table dstAddr:0x0a000002 ingress.send_nh(port:0x1, srcMac:0x000102030405, dstMac:0xAABBCCDDEEFF)",
      "remove all",
      "packet 0 10000002 aabb1000 0001aabb 08004500 0028613d 00004006 05910a00 00010a00 0002",
      "",
    ].join("\n");
    const r = await stf(simpleL3, stfFile("all.stf", text));
    expect(r.out).toBe("PASS: all.stf: 1 packets, 0 expected\n");
  }, 60_000);

  describe("frames of every length", () => {
    const ipv4 = (n: number): Buffer => {
      const b = Buffer.alloc(n);
      Buffer.from("000000000002000000000001080045000000000000004011", "hex").copy(b);
      b.writeUInt16BE(n - 14, 16);
      for (let i = 34; i < n; i++) b[i] = (i * 7) & 0xff;
      return b;
    };
    const ttlDown = (b: Buffer): Buffer => {
      const o = Buffer.from(b);
      o[22] = 0x3f;
      return o;
    };

    test.each([3712, 3713, 9000, 16064])("a %i-byte IPv4 frame on port 0 (loopback) goes through whole", async (n) => {
      const p = ipv4(n);
      const r = await stf(lengths, stfFile(`len${n}.stf`, `packet 0 ${p.toString("hex")}\nexpect 1 ${ttlDown(p).toString("hex")}$\n`));
      expect(r.out).toBe(`PASS: len${n}.stf: 1 packets, 1 expected\n`);
    }, 60_000);

    test("a frame longer than the emulation makes is a located error", async () => {
      const r = await stf(lengths, stfFile("len16065.stf", `packet 0 ${ipv4(16065).toString("hex")}\n`));
      expect(r.out).toMatch(/^len16065\.stf\(1\): error: a 16065-byte frame is longer than port 0 takes \(16064 bytes/m);
      expect(r.rc).toBe(1);
    }, 60_000);
  });

  describe("signals stop the run at once, clean up and exit non-zero", () => {
    const bin = path.join(repoRoot, "bin", "p4ts.js");
    const manyPackets = (): string => {
      const p = "packet 0 000000000002 000000000001 0800 45000014 00000000 40110000 0a000001 0a000002\n";
      return p.repeat(3000);
    };

    /** Starts `p4ts stf` with its own TMPDIR, sends `sig` once `ready(tmpdir)` holds, and returns its exit code, output and what it left in TMPDIR. */
    async function interrupt(sig: NodeJS.Signals, ready: (dir: string) => boolean): Promise<{ code: number | null; out: string; left: string[] }> {
      const dir = fs.mkdtempSync(path.join(tmp, "tmpdir-"));
      const stfPath = stfFile(`many-${sig}.stf`, manyPackets());
      const child = spawn(process.execPath, [bin, "stf", lengths, stfPath], { env: { ...process.env, TMPDIR: dir }, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      let sent = false;
      while (!sent && child.exitCode === null) {
        if (ready(dir)) {
          child.kill(sig);
          sent = true;
        } else await new Promise((r) => setTimeout(r, 20));
      }
      const code = await exited;
      return { code, out, left: fs.readdirSync(dir) };
    }

    test("SIGTERM in the packet loop", async () => {
      // A p4ts-run-* directory exists while a packet runs.
      const r = await interrupt("SIGTERM", (d) => fs.readdirSync(d).some((f) => f.startsWith("p4ts-run-")));
      expect(r.out).toMatch(/p4ts stf: interrupted/);
      expect(r.out).not.toMatch(/PASS|FAIL/);
      expect(r.code).toBe(143);
      expect(r.left).toEqual([]);
    }, 60_000);

    test("SIGINT during the build", async () => {
      // The sources are written and clang is building the parser.
      const building = (d: string): boolean =>
        fs.readdirSync(d).some((f) => f.startsWith("p4ts-stf-") && fs.existsSync(path.join(d, f, "packet_lengths_control_blocks.c")) && !fs.existsSync(path.join(d, f, "packet_lengths_parser.o")));
      const r = await interrupt("SIGINT", building);
      expect(r.out).toMatch(/p4ts stf: interrupted/);
      expect(r.code).toBe(130);
      expect(r.left).toEqual([]);
    }, 60_000);
  });
});
