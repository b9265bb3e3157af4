// npm run bench:pps (scripts/bench-pps.mjs) on two programs with a small
// repeat: it builds p4ts's and the reference's C against the emulation
// (the reference's through bench/ref-include, its layouts statically
// asserted), loads both, and both give the same verdict and bytes on every
// packet. No timing is asserted: only that the figures are there.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { bpfUnavailableReason } from "../../../targets/emulation/loader.js";
import { findClang, isClangFound } from "../../../build/index.js";
import { describeUnless } from "../../helpers/skip.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const corpus = process.env.P4TS_CORPUS ?? path.resolve(repo, "../shared/corpus");

function missing(): string | undefined {
  const bpf = bpfUnavailableReason();
  if (bpf) return bpf;
  const clang = findClang({ env: process.env });
  if (!isClangFound(clang)) return clang.error;
  if (!fs.existsSync(path.join(corpus, "p4tc-stf", "expected-c"))) return `no reference C under ${corpus}`;
  if (!fs.existsSync(path.join(repo, "dist", "compiler", "compile.js"))) return "dist/ is not built (npm run build)";
  const netns = spawnSync("unshare", ["-n", "ip", "link", "add", "p4tspps0", "index", "17", "type", "ifb"], { encoding: "utf8" });
  if (netns.error || netns.status !== 0) return `cannot make a network namespace with an ifb interface (unshare -n ip link add ... type ifb): ${(netns.stderr || netns.error?.message || "").trim()}`;
  return undefined;
}

interface PacketSide {
  parserRc: number;
  mainRc: number | null;
  egressPort: number;
  drop: boolean;
  data: string;
}
interface Result {
  name: string;
  agree: boolean;
  layout: { structs: number; params: number };
  parser: { ours: number; ref: number; floor: number; ratio: number | null };
  main: { ours: number; ref: number; floor: number; ratio: number | null } | null;
  perPacket: { index: number; ours: PacketSide; ref: PacketSide; mode: string | null; reads: number; refReads: number }[];
}

describeUnless(missing(), "bench:pps", () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-pps-test-")), "pps.json");
  let run: ReturnType<typeof spawnSync>;
  let results: Result[] = [];
  let failures: string[] = [];

  beforeAll(() => {
    // In a network namespace of its own, with lo and one interface of ifindex 17 (ipip sends on STF port 1):
    // what the bench runs on does not depend on this machine's interfaces, and port 1 is not ifindex 2.
    const bench = [process.execPath, path.join(repo, "scripts/bench-pps.mjs"), "--only", "simple_l3,ipip", "--repeat", "2000", "--rounds", "1", "--fresh", "50", "--json", out];
    const inNetns = ["-n", "sh", "-ec", 'ip link add p4tspps0 index 17 type ifb; exec "$@"', "sh", ...bench];
    run = spawnSync("unshare", inNetns, { encoding: "utf8", env: { ...process.env, P4TS_CORPUS: corpus } });
    if (fs.existsSync(out)) ({ results, failures } = JSON.parse(fs.readFileSync(out, "utf8")) as { results: Result[]; failures: string[] });
  }, 600000);

  test("runs both programs and prints the figures beside the floor", () => {
    // On a failure, the bench's own words: why each program failed, and all it printed.
    const said = run.status === 0 ? "" : String(run.stdout);
    expect({ status: run.status, stderr: run.stderr, failures, said }).toEqual({ status: 0, stderr: "", failures: [], said: "" });
    expect(results.map((r) => r.name)).toEqual(["simple_l3", "ipip"]);
    const text = String(run.stdout);
    expect(text).toMatch(/^simple_l3 +\d+\.\d +\d+\.\d +\d+\.\d .*\| +\d+\.\d +\d+\.\d +\d+\.\d .* yes$/m);
    expect(text).toMatch(/harness floor .*: empty program \d+\.\d ns, lone emulated table hit \d+\.\d ns/);
    // With a repeat this small a net figure may fall within 1 ns of the floor: then it has no ratio.
    for (const part of ["parser", "main"]) expect(text).toMatch(new RegExp(`^${part}: (median ratio \\d+\\.\\d\\dx over [12] programs|no ratio)`, "m"));
    expect(text).toMatch(/load average: [\d.]+ [\d.]+ [\d.]+ at the start/);
    // STF port 0 is lo; port 1 the namespace's other interface, found by asking the kernel.
    expect(text).toMatch(/^STF port -> ifindex \(interfaces of this network namespace\): 0->1, 1->17$/m);
  });

  test("p4ts and the reference give the same verdict and bytes on every packet", () => {
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.perPacket.length).toBeGreaterThan(0);
      for (const p of r.perPacket) {
        expect({ prog: r.name, packet: p.index, ...p.ref }).toEqual({ prog: r.name, packet: p.index, ...p.ours });
        expect(p.ours.parserRc).toBe(3); // TC_ACT_PIPE: main ran
        expect(p.refReads).toBe(p.reads);
      }
      expect(r.agree).toBe(true);
    }
    // simple_l3 rewrites both MACs and redirects (its STF's expected packet).
    const l3 = results.find((r) => r.name === "simple_l3")!.perPacket[0]!;
    expect(l3.ours.mainRc).toBe(7);
    expect(l3.ours.data.slice(0, 24)).toBe("aabbccddeeff000102030405");
    // ipip pushes an outer IPv4 header on port 0 and pops it on port 1.
    const ipip = results.find((r) => r.name === "ipip")!.perPacket;
    expect(ipip[0]!.ours.data.length - 2 * 54).toBe(2 * 20);
    expect(ipip[1]!.ours.data.length).toBe(2 * 54);
  });

  test("a main that does not repeat to the same result is timed on fresh packets", () => {
    expect(results.find((r) => r.name === "simple_l3")!.perPacket.map((p) => p.mode)).toEqual(["repeat"]);
    expect(results.find((r) => r.name === "ipip")!.perPacket.map((p) => p.mode)).toEqual(["fresh", "fresh"]);
    expect(results.find((r) => r.name === "simple_l3")!.perPacket[0]!.reads).toBe(1);
  });

  test("the reference's key and parameter layouts were checked against p4ts's", () => {
    const l3 = results.find((r) => r.name === "simple_l3")!;
    expect(l3.layout.structs).toBe(1); // ingress_nh_table_key
    expect(l3.layout.params).toBe(3); // send_nh(port, srcMac, dstMac)
    for (const r of results) for (const part of [r.parser, r.main!]) expect(Number.isFinite(part.ours) && Number.isFinite(part.ref) && Number.isFinite(part.floor)).toBe(true);
  });

  test("main's floor replays each table read alone: one floor for both builds when their reads agree", () => {
    for (const r of results) {
      const m = r.main as unknown as { floor: number; refFloor: number; hitFloor: number };
      expect(Number.isFinite(m.floor) && Number.isFinite(m.hitFloor)).toBe(true);
      expect(m.refFloor).toBe(m.floor);
    }
    expect(String(run.stdout)).toMatch(/^main with the former floor \(every table read a lone 32-bit exact hit\): (median ratio|no ratio)/m);
  });
});
