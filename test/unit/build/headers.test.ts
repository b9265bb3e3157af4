// The runtime headers: they compile with nothing but clang, warning-free,
// their layouts are the contract's, every kfunc is declared and callable,
// the helper numbers are the kernel's (checked by loading programs into the
// running kernel), and the make fragment builds a program in two lines.
import fs from "node:fs";
import path from "node:path";
import { BPF_CFLAGS, findReadelf } from "../../../build/index.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { cleanupTmpDirs, fixturesDir, hasClang, hasTool, isRoot, missingOf, realClang, run, testIf, tmpDir, withBpffs } from "./tools.js";

afterAll(cleanupTmpDirs);

const bpfHeader = fs.readFileSync(path.join(runtimeHeadersDir, "p4ts_bpf.h"), "utf8");
const pnaHeader = fs.readFileSync(path.join(runtimeHeadersDir, "p4ts_pna.h"), "utf8");
const emuHeader = fs.readFileSync(path.join(runtimeHeadersDir, "p4ts_p4tc_emu.h"), "utf8");
const arithHeader = fs.readFileSync(path.join(runtimeHeadersDir, "p4ts_arith.h"), "utf8");

/** Helper numbers from the kernel's include/uapi/linux/bpf.h (__BPF_FUNC_MAPPER). */
const UAPI_HELPER_IDS: Record<string, number> = {
  map_lookup_elem: 1,
  map_update_elem: 2,
  map_delete_elem: 3,
  ktime_get_ns: 5,
  trace_printk: 6,
  get_prandom_u32: 7,
  get_smp_processor_id: 8,
  skb_store_bytes: 9,
  l3_csum_replace: 10,
  l4_csum_replace: 11,
  tail_call: 12,
  clone_redirect: 13,
  redirect: 23,
  perf_event_output: 25,
  skb_load_bytes: 26,
  csum_diff: 28,
  skb_change_tail: 38,
  skb_pull_data: 39,
  skb_change_head: 43,
  xdp_adjust_head: 44,
  skb_adjust_room: 50,
  redirect_map: 51,
  xdp_adjust_meta: 54,
  xdp_adjust_tail: 65,
  ringbuf_output: 130,
  loop: 181,
  xdp_load_bytes: 189,
  xdp_store_bytes: 190,
};

/** name -> number of every helper p4ts_bpf.h declares. */
function declaredHelpers(): Record<string, number> {
  const out: Record<string, number> = {};
  const re = /\(\*\s*const\s+bpf_(\w+)\)\([^;]*?\)\s*=\s*\(void \*\)(\d+);/gs;
  for (const m of bpfHeader.matchAll(re)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Every kfunc p4ts_pna.h declares. */
/** Kfuncs declared only in the header's v13 section (-DP4TS_P4TC_ABI_V13); headers_v13.c calls them. */
const V13_ONLY = ["bpf_p4tc_extern_indirect_count_pktsnbytes", "bpf_p4tc_extern_indirect_count_pktsonly", "bpf_p4tc_extern_indirect_count_bytesonly"];

function declaredKfuncs(): string[] {
  const names = new Set<string>();
  const re = /^extern\s[^;]*?\b((?:bpf|xdp)_p4tc_\w+)\s*\([^;]*\)\s*__ksym;/gms;
  for (const m of pnaHeader.matchAll(re)) names.add(m[1]!);
  return [...names].sort();
}

function compile(src: string, obj: string, extra: readonly string[] = []) {
  return run(realClang()!, [...BPF_CFLAGS, ...extra, "-I", runtimeHeadersDir, "-c", src, "-o", obj]);
}

describe("declarations", () => {
  test("helper numbers are the kernel UAPI's", () => {
    expect(declaredHelpers()).toEqual(UAPI_HELPER_IDS);
  });

  test("every P4TC kfunc is declared __ksym, tc and XDP twins alike", () => {
    const k = declaredKfuncs();
    for (const base of [
      "tbl_read",
      "entry_create",
      "entry_create_on_miss",
      "entry_update",
      "entry_delete",
      "extern_count_pktsnbytes",
      "extern_count_pkts",
      "extern_count_bytes",
      "extern_meter_pkts",
      "extern_meter_pkts_color",
      "extern_meter_bytes",
      "extern_meter_bytes_color",
      "extern_md_read",
      "extern_md_write",
      "extern_digest_pack",
      "is_net_port",
      "is_host_port",
    ]) {
      expect(k).toContain(`bpf_p4tc_${base}`);
      expect(k).toContain(`xdp_p4tc_${base}`);
    }
    for (const ext of [
      "ext_csum_16bit_complement_add",
      "ext_csum_16bit_complement_sub",
      "ext_csum_16bit_complement_get",
      "ext_csum_16bit_complement_clear",
      "ext_csum_16bit_complement_set_state",
      "ext_csum_crc16_add",
      "ext_csum_crc16_get",
      "ext_csum_crc16_clear",
      "ext_csum_crc32_add",
      "ext_csum_crc32_get",
      "ext_csum_crc32_clear",
      "ext_hash_16bit_complement",
      "ext_hash_crc16",
      "ext_hash_crc32",
      "skb_meta_set",
      "skb_meta_get",
      ...V13_ONLY.map((k) => k.replace(/^bpf_p4tc_/, "")),
    ])
      expect(k).toContain(`bpf_p4tc_${ext}`);
    expect(k).toHaveLength(53);
  });

  test("the headers are ours and self-contained: no #include of system headers", () => {
    const ours = ['"p4ts_bpf.h"', '"p4ts_p4tc_emu.h"', '"p4ts_arith.h"'];
    for (const text of [bpfHeader, pnaHeader, emuHeader, arithHeader]) {
      const includes = [...text.matchAll(/^\s*#\s*include\s+(\S+)/gm)].map((m) => m[1]);
      expect(includes.filter((i) => !ours.includes(i!))).toEqual([]);
    }
  });
});

describe("compiling with clang only", () => {
  testIf(missingOf(hasClang(), [findReadelf() !== undefined, "llvm-readelf on PATH"] as const), "the all-in fixture builds warning-free, and its object references every kfunc", () => {
    const clang = realClang()!;
    const obj = path.join(tmpDir("hdr"), "headers_all.o");
    const r = compile(path.join(fixturesDir, "headers_all.c"), obj, ["-nostdinc"]);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
    const readelf = findReadelf()!;
    const syms = run(readelf!, ["-s", "-W", obj]).stdout;
    const undef = new Set(
      syms
        .split("\n")
        .filter((l) => /\sUND\s/.test(l))
        .map((l) => l.trim().split(/\s+/).at(-1)!),
    );
    const missing = declaredKfuncs().filter((k) => !undef.has(k) && !V13_ONLY.includes(k));
    expect(missing).toEqual([]);
    const sections = run(readelf!, ["-S", "-W", obj]).stdout;
    for (const s of ["p4tc/parse", "p4tc/main", "xdp", ".maps", ".BTF", "license"]) expect(sections).toContain(` ${s} `);
  });

  testIf(missingOf(hasClang(), [findReadelf() !== undefined, "llvm-readelf on PATH"] as const), "with -DP4TS_P4TC_ABI_V13 the counter calls reference v13's indirect_count kfuncs", () => {
    const obj = path.join(tmpDir("hdr"), "headers_v13.o");
    const r = compile(path.join(fixturesDir, "headers_v13.c"), obj, ["-nostdinc", "-DP4TS_P4TC_ABI_V13"]);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
    const undef = run(findReadelf()!, ["-s", "-W", obj])
      .stdout.split("\n")
      .filter((l) => /\sUND\s/.test(l))
      .map((l) => l.trim().split(/\s+/).at(-1)!)
      .filter((n) => n.includes("p4tc"));
    expect(undef.sort()).toEqual([...V13_ONLY].sort());
  });

  testIf(missingOf(hasClang(), [findReadelf() !== undefined, "llvm-readelf on PATH"] as const), "with -DP4TS_EMULATE_P4TC the same fixture builds, every kfunc defined inline: no kfunc symbol left", () => {
    const clang = realClang()!;
    for (const extra of [[], ["-DP4TS_EXT_ABI_REFERENCE"]]) {
      const obj = path.join(tmpDir("hdr"), "headers_emu.o");
      const r = compile(path.join(fixturesDir, "headers_all.c"), obj, ["-nostdinc", "-DP4TS_EMULATE_P4TC", ...extra]);
      expect(r.out).toBe("");
      expect(r.status).toBe(0);
      const readelf = findReadelf()!;
      const undef = run(readelf!, ["-s", "-W", obj])
        .stdout.split("\n")
        .filter((l) => /\sUND\s/.test(l) && /p4tc_/.test(l));
      expect(undef).toEqual([]);
    }
  });

  testIf(missingOf(hasClang()), "the reference extern layout compiles too (-DP4TS_EXT_ABI_REFERENCE)", () => {
    const clang = realClang()!;
    const obj = path.join(tmpDir("hdr"), "headers_ref.o");
    const r = compile(path.join(fixturesDir, "headers_all.c"), obj, ["-DP4TS_EXT_ABI_REFERENCE"]);
    expect(r.out).toBe("");
    expect(r.status).toBe(0);
  });

  testIf(missingOf(hasClang()), "a layout drift is caught at compile time by the header's own _Static_assert", () => {
    const clang = realClang()!;
    // A copy of the runtime headers in which the action struct lost its packing (132 bytes instead of 129).
    const d = tmpDir("drift");
    for (const f of fs.readdirSync(runtimeHeadersDir)) if (f.endsWith(".h")) fs.copyFileSync(path.join(runtimeHeadersDir, f), path.join(d, f));
    const pna = fs.readFileSync(path.join(d, "p4ts_pna.h"), "utf8");
    const drifted = pna.replace(/(struct p4tc_table_entry_act_bpf \{[^}]*\}) __attribute__\(\(packed\)\);/, "$1;");
    expect(drifted).not.toBe(pna);
    fs.writeFileSync(path.join(d, "p4ts_pna.h"), drifted);
    const src = path.join(d, "drift.c");
    fs.writeFileSync(src, `#include "p4ts_pna.h"\n`);
    const r = run(clang!, [...BPF_CFLAGS, "-I", d, "-c", src, "-o", path.join(d, "drift.o")]);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("p4ts_pna.h");
    expect(r.out).toContain("p4tc_table_entry_act_bpf must be 129 bytes");
  });
});


describe("loading into the running kernel (helpers only; kfuncs need a P4TC kernel)", () => {
  const loadMissing = missingOf(hasClang(), hasTool("bpftool"), isRoot());

  function load(obj: string, type: string, pinDir: string, tag: string) {
    const pin = path.join(pinDir, `p4ts-test-${process.pid}-${tag}`);
    const r = run("bpftool", ["prog", "load", obj, pin, "type", type]);
    let xlated = "";
    if (r.status === 0) {
      xlated = run("bpftool", ["prog", "dump", "xlated", "pinned", pin]).stdout;
      fs.rmSync(pin, { force: true });
    }
    return { ...r, xlated };
  }

  testIf(loadMissing, "the tc helpers fixture passes the verifier as a classifier, calling the helpers we name", () => {
    const obj = path.join(tmpDir("load"), "helpers_tc.o");
    const c = compile(path.join(fixturesDir, "helpers_tc.c"), obj);
    expect(c.out).toBe("");
    withBpffs((dir) => {
      const r = load(obj, "classifier", dir, "tc");
      if (r.status !== 0) throw new Error(`bpftool prog load failed:\n${r.out}`);
      // Helpers the kernel does not rewrite keep their names in the translated program.
      for (const h of [
        "ktime_get_ns",
        "skb_load_bytes",
        "trace_printk",
        "csum_diff",
        "skb_store_bytes",
        "l3_csum_replace",
        "l4_csum_replace",
        "skb_event_output", // tc's implementation of perf_event_output
        "ringbuf_output",
        "skb_adjust_room",
        "skb_change_head",
        "skb_change_tail",
        "skb_pull_data",
        "clone_redirect",
        "tail_call",
        "redirect",
      ])
        expect(r.xlated).toMatch(new RegExp(`call bpf_${h}#`));
    });
  });

  testIf(loadMissing, "the XDP helpers fixture passes the verifier", () => {
    const obj = path.join(tmpDir("load"), "helpers_xdp.o");
    const c = compile(path.join(fixturesDir, "helpers_xdp.c"), obj);
    expect(c.out).toBe("");
    withBpffs((dir) => {
      const r = load(obj, "xdp", dir, "xdp");
      if (r.status !== 0) throw new Error(`bpftool prog load failed:\n${r.out}`);
      for (const h of ["xdp_load_bytes", "xdp_store_bytes", "xdp_adjust_meta", "xdp_adjust_head", "xdp_adjust_tail"])
        expect(r.xlated).toMatch(new RegExp(`call bpf_${h}#`));
    });
  });

  testIf(loadMissing, "control: a wrong helper number is refused", () => {
    const d = tmpDir("load");
    const src = path.join(d, "bogus.c");
    fs.writeFileSync(
      src,
      `#include "p4ts_bpf.h"\nstatic long (* const bogus_helper)(void) = (void *)9999;\n` +
        `SEC("p4tc/parse") int f(struct __sk_buff *skb) { return (int)bogus_helper(); }\nP4TS_LICENSE_GPL;\n`,
    );
    const obj = path.join(d, "bogus.o");
    expect(compile(src, obj).status).toBe(0);
    withBpffs((dir) => {
      const r = load(obj, "classifier", dir, "bogus");
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/invalid func|unknown func/);
    });
  });
});

describe("p4ts.mk", () => {
  testIf(missingOf(hasClang(), hasTool("make")), "two lines build both objects; a second make does nothing; realclean removes outputs", () => {
    const clang = realClang()!;
    const proj = tmpDir("mk");
    // Stands in for p4ts until the back end exists: writes the demo outputs.
    const fake = path.join(proj, "fake-p4ts");
    const demo = path.join(fixturesDir, "demo");
    fs.writeFileSync(
      fake,
      `#!/bin/sh\n# usage: fake-p4ts FILE.p4 -o OUTDIR\necho "fake-p4ts ran: $*"\n[ "$2" = "-o" ] || exit 2\nmkdir -p "$3"\n` +
        `cp "${demo}/demo_parser.h" "${demo}/demo_parser.c" "${demo}/demo_control_blocks.c" "$3/"\n` +
        `printf '{}' > "$3/demo.json"\nprintf '#!/bin/bash -x\\n' > "$3/demo.template"\n`,
    );
    fs.chmodSync(fake, 0o755);
    fs.writeFileSync(path.join(proj, "demo.p4"), "// stand-in\n");
    fs.writeFileSync(path.join(proj, "Makefile"), `P4SRC := demo.p4\ninclude ${path.join(runtimeHeadersDir, "p4ts.mk")}\n`);
    const vars = [`P4TS=${fake}`, `CLANG=${clang}`];

    const first = run("make", ["-C", proj, ...vars]);
    expect(first.status).toBe(0);
    expect(first.out).toContain("fake-p4ts ran: demo.p4 -o out");
    expect(first.out).toContain("--target=bpf -mcpu=v3 -Wall -Werror");
    expect(first.out).toContain(`-I${runtimeHeadersDir}`);
    for (const o of ["demo_parser.o", "demo_control_blocks.o"]) expect(fs.existsSync(path.join(proj, "out", o))).toBe(true);

    const second = run("make", ["-C", proj, ...vars]);
    expect(second.status).toBe(0);
    expect(second.out).not.toContain("fake-p4ts ran");
    expect(second.out).not.toContain("--target=bpf");

    const other = run("make", ["-C", proj, ...vars, "OUTDIR=build"]);
    expect(other.status).toBe(0);
    expect(fs.existsSync(path.join(proj, "build", "demo_control_blocks.o"))).toBe(true);

    const emu = run("make", ["-C", proj, ...vars, "OUTDIR=emu", "P4TS_EMULATE=1"]);
    expect(emu.status).toBe(0);
    expect(emu.out).toContain("-Werror -DP4TS_EMULATE_P4TC -I");
    expect(fs.existsSync(path.join(proj, "emu", "demo_control_blocks.o"))).toBe(true);

    const clean = run("make", ["-C", proj, ...vars, "p4ts-realclean"]);
    expect(clean.status).toBe(0);
    expect(fs.readdirSync(path.join(proj, "out"))).toEqual([]);
  });

  testIf(missingOf(hasTool("make")), "P4SRC is required", () => {
    const proj = tmpDir("mk");
    fs.writeFileSync(path.join(proj, "Makefile"), `include ${path.join(runtimeHeadersDir, "p4ts.mk")}\n`);
    const r = run("make", ["-C", proj]);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("set P4SRC");
  });
});
