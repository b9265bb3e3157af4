// Generated-code-shaped C (the demo stand-in of test/unit/build) built
// unchanged with -DP4TS_EMULATE_P4TC: both objects load, share the maps
// pinned by name (hdr_md_cpumap and the emulation's) under /sys/fs/bpf, and
// run parser then main with BPF_PROG_TEST_RUN. /sys/fs/bpf is a bpffs
// mounted in a private mount namespace (unshare -m), so the host is untouched.
import fs from "node:fs";
import path from "node:path";
import { BPF_CFLAGS, findReadelf } from "../../../build/index.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { cleanupTmpDirs, fixturesDir, hasClang, hasTool, missingOf, realClang, run, testIf, tmpDir } from "../build/tools.js";
import { TABLE_EXACT, actBpf, bpfMissing, entryKey, entryValue, tableValue } from "./emu.js";

afterAll(cleanupTmpDirs);

const demoDir = path.join(fixturesDir, "demo");
const hex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, "0")).join(" ");

function buildDemo(defines: readonly string[]): { parser: string; main: string; out: string } {
  const d = tmpDir("emu-demo");
  const objs = ["demo_parser", "demo_control_blocks"].map((n) => {
    const obj = path.join(d, `${n}.o`);
    const r = run(realClang()!, [...BPF_CFLAGS, ...defines, "-I", runtimeHeadersDir, "-I", demoDir, "-c", path.join(demoDir, `${n}.c`), "-o", obj]);
    if (r.status !== 0 || r.out !== "") throw new Error(`clang ${n}.c:\n${r.out}`);
    return obj;
  });
  return { parser: objs[0]!, main: objs[1]!, out: d };
}

describe("generated C, unchanged, in both modes", () => {
  testIf(missingOf(hasClang(), [findReadelf() !== undefined, "llvm-readelf on PATH"]), "without the macro it references the kfuncs; with it, none (and no .ksyms)", () => {
    const readelf = findReadelf()!;
    const kfuncRefs = (obj: string) =>
      run(readelf!, ["-s", "-W", obj])
        .stdout.split("\n")
        .filter((l) => /\sUND\s/.test(l) && /p4tc_/.test(l))
        .map((l) => l.trim().split(/\s+/).at(-1));
    expect(kfuncRefs(buildDemo([]).main)).toEqual(["bpf_p4tc_tbl_read"]);
    const emu = buildDemo(["-DP4TS_EMULATE_P4TC"]);
    expect(kfuncRefs(emu.main)).toEqual([]);
    expect(run(readelf!, ["-S", "-W", emu.main]).stdout).not.toContain(".ksyms");
  });
});

describe("two objects sharing pinned maps (bpftool, private /sys/fs/bpf)", () => {
  testIf(bpfMissing() ?? missingOf(hasTool("unshare")), "parser then main: a miss goes up the stack, a hit installed with bpftool redirects", () => {
    const { parser, main, out: d } = buildDemo(["-DP4TS_EMULATE_P4TC"]);
    fs.writeFileSync(path.join(d, "pkt"), Buffer.alloc(64, 0xab));
    fs.writeFileSync(path.join(d, "ctx"), Buffer.alloc(192));
    const table = tableValue({ type: TABLE_EXACT, keysz: 32 });
    // key: istd.input_port = skb->ifindex, 1 (lo) under BPF_PROG_TEST_RUN; action ingress_send(port 7)
    const key = entryKey(1, 0, [1, 0, 0, 0]);
    const value = entryValue({ act: actBpf(1, [7, 0, 0, 0]) });
    const bpf = "/sys/fs/bpf";
    const script = `
set -e
cd ${d}
mount -t bpf bpf ${bpf}
bpftool prog load ${parser} ${bpf}/p4ts_parse type action
bpftool prog load ${main} ${bpf}/p4ts_main type action
ls ${bpf} > pins
pass() {
  taskset -c 0 bpftool -j prog run pinned ${bpf}/p4ts_parse data_in pkt data_out p1 ctx_in ctx ctx_out c1 > parse.$1.json
  { head -c 48 /dev/zero; dd if=c1 bs=1 skip=48 count=20 status=none; head -c 124 /dev/zero; } > ctx1
  taskset -c 0 bpftool -j prog run pinned ${bpf}/p4ts_main data_in p1 data_out p2 ctx_in ctx1 ctx_out c2 > main.$1.json
  cp c2 c2.$1
}
pass miss
bpftool map update pinned ${bpf}/p4tc_emu_tables key hex 01 00 00 00 value hex ${hex(table)}
bpftool map update pinned ${bpf}/p4tc_emu_entry key hex ${hex(key)} value hex ${hex(value)}
pass hit
`;
    const bpfMounts = () => fs.readFileSync("/proc/mounts", "utf8").split("\n").filter((l) => l.includes(" /sys/fs/bpf "));
    const before = bpfMounts();
    const r = run("unshare", ["-m", "--propagation", "private", "bash", "-c", script]);
    if (r.status !== 0) throw new Error(`datapath script failed:\n${r.out}`);
    const pins = fs.readFileSync(path.join(d, "pins"), "utf8").split("\n");
    expect(pins).toEqual(expect.arrayContaining(["hdr_md_cpumap", "p4tc_emu_tables", "p4tc_emu_entry", "p4ts_parse", "p4ts_main"]));
    const retval = (f: string) => (JSON.parse(fs.readFileSync(path.join(d, f), "utf8")) as { retval: number }).retval;
    const egressPort = (f: string) => fs.readFileSync(path.join(d, f)).readUInt32LE(48 + 4);
    expect(retval("parse.miss.json")).toBe(3); // TC_ACT_PIPE
    expect(retval("main.miss.json")).toBe(0); // TC_ACT_OK: no entry, egress_port 0
    expect(egressPort("c2.miss")).toBe(0);
    expect(retval("parse.hit.json")).toBe(3);
    expect(retval("main.hit.json")).toBe(7); // TC_ACT_REDIRECT
    expect(egressPort("c2.hit")).toBe(7);
    // The private bpffs never showed in this namespace's mount table.
    expect(bpfMounts()).toEqual(before);
  });
});
