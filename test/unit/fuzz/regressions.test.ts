// Issue 11: failures the fuzzer found (npm run fuzz), each kept as a
// regression test through compile(): the compiler rejects the input with a
// located error naming the limit (never an internal error), or compiles it.
import fs from "node:fs";
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { Msg } from "../../../compiler/diagnostics/index.js";
import { RESERVED_C_TAGS } from "../../../compiler/midend/lower/base.js";
import { checkProgram, findTools } from "../../../fuzz/check.js";
import { generateProgram } from "../../../fuzz/generate.js";
import { program } from "./program.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const tools = findTools();
const requireTools = process.env.P4TS_REQUIRE_TOOLS === "1";

/** `property`: `const entries` (no numeric priorities allowed, P4-16 "Entries") or `entries`. */
function withTable(keys: string, entries: string, property = "const entries"): string {
  return `#include <core.p4>
#include <tc/pna.p4>
header h_t { bit<64> a; bit<48> b; bit<8> c; }
struct headers_t { h_t h; }
struct metadata_t { bit<7> m; }
parser P(packet_in pkt, out headers_t hdr, inout metadata_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.h); transition accept; }
}
control C(inout headers_t hdr, inout metadata_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    action a(bit<8> x) { hdr.h.c = x; }
    table t {
        key = { ${keys} }
        actions = { a; }
        ${property} = {
${entries}
        }
    }
    apply { t.apply(); }
}
control D(packet_out pkt, inout headers_t hdr, in metadata_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.h); }
}
PNA_NIC(P(), C(), D()) main;
`;
}

const RANGE3 = "hdr.h.b : range; meta.m : range; hdr.h.a : range;";

describe("const entries whose ranges expand to too many kernel entries (generated program 146)", () => {
  test("rejected at the entry with the count and the limit, not an internal error", () => {
    const src = withTable(RANGE3, [
      "            (48w1 .. 48w2, 7w1 .. 7w2, 64w1 .. 64w2) : a(1);",
      "            (48w83757175294908 .. 48w281474976710655, 7w50 .. 7w64, 64w3181478922073141078 .. 64w5785654845505323766) : a(2);",
    ].join("\n"));
    const r = compile({ input: { source: src, fileName: "ranges.p4" } });
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors.map((d) => [d.code, d.span?.line])).toEqual([[Msg.Mid_EntryExpansion.code, 16]]);
    // 48w83757175294908..max is 22 prefixes, 7w50..64 is 4, the 64-bit range 60: 5280 in all.
    expect(errors[0].message).toBe("this entry of table 'C/t' expands to 5280 kernel entries: P4TC matches ranges as value/mask pairs, and p4ts allows at most 4096 per entry");
  });

  test("an entry just inside the limit compiles, with one kernel entry per combination", () => {
    // 0..4094 of 64 bits is 12 pairs, 1..126 of 7 bits is 12: 144 combinations.
    const src = withTable("hdr.h.a : range; meta.m : range;", "            (64w0 .. 64w4094, 7w1 .. 7w126) : a(1);");
    const r = compile({ input: { source: src, fileName: "ranges.p4" } });
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    expect(r.outputs!["ranges.template"].match(/ entry hdr\.h\.a /g)).toHaveLength(144);
  });

  test("an explicit priority on an entry that expands to several kernel entries is rejected at the entry", () => {
    const src = withTable("hdr.h.a : range;", "            priority=5: 64w1 .. 64w6 : a(1);", "entries"); // 1, 2-3, 4-5, 6
    const r = compile({ input: { source: src, fileName: "prio.p4" } });
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors.map((d) => [d.code, d.span?.line])).toEqual([[Msg.Mid_EntryPriorityExpansion.code, 15]]);
    expect(errors[0].message).toContain("expand to 4 kernel entries");
  });
});

describe("a parser loop over a stack's .next (generated program 100019, which the verifier rejected)", () => {
  const source = fs.readFileSync(path.join(repo, "test/fixtures/fuzz/gen_100019.p4"), "utf8");

  test("the element index is opaque to clang after its bound check, so the address is computed from the checked register", () => {
    const r = compile({ input: { source, fileName: "gen_100019.p4" } });
    expect(r.ok).toBe(true);
    const c = r.outputs!["gen_100019_parser.c"];
    expect(c).toMatch(/if \(i__ >= 4\) \{\n\t+parser_error__ = \d+;\n\t+goto reject;\n\t+\}\n\t+asm volatile\(""\s*:\s*"\+r"\(i__\)\);/);
  });

  const run = tools.clang || requireTools ? test : test.skip;
  run(`compiles, builds${tools.load ? " and passes the verifier" : ""}`, () => {
    const r = checkProgram("gen_100019", source, tools);
    expect({ verdict: r.verdict, detail: r.detail }).toEqual({ verdict: "ok", detail: "" });
  });
});

test("a file that includes itself with a 120,000-token line stops at the source limit, at the #include (it took 39 s of CPU, 64 inclusions deep)", () => {
  const text = `#include "mutant.p4"\nconst bit<8> LONG = 1${" + 0".repeat(120000)};\n`;
  const r = compile({ input: { file: "/fuzz/mutant.p4" }, readFile: (p) => (p === "/fuzz/mutant.p4" ? text : undefined) });
  const errors = r.diagnostics.filter((d) => d.category === "error");
  expect(errors.map((d) => [d.code, d.span?.file, d.span?.line])).toEqual([[Msg.PP_SourceTooLarge.code, "/fuzz/mutant.p4", 1]]);
  expect(errors[0].message).toBe("#include mutant.p4: the program and its includes would exceed 4 MiB of source; this implementation does not support larger programs");
});

test("`const default_action = _;` (a mutant of direct_meter.p4) is a located error, not an internal error", () => {
  const src = withTable("hdr.h.a : exact;", "            1 : a(1);").replace("        const entries = {", "        const default_action = _;\n        const entries = {");
  const r = compile({ input: { source: src, fileName: "dflt.p4" } });
  const errors = r.diagnostics.filter((d) => d.category === "error");
  // The front end reports it now; the mid-end's own check (Fe_NotAnAction) stays for inputs that get through.
  expect(errors.length).toBeGreaterThan(0);
  expect(errors.map((d) => d.span?.line)).toEqual(errors.map(() => 14));
  expect(errors.filter((d) => /internal/.test(d.message))).toEqual([]);
});

test("`default_action = act3(-1)` and a const entry's `a(-2)` on bit<N> parameters are 2^N - 1 and 2^N - 2 (a mutant of a generated program: an internal error, value \"0x-1\" not shell-safe)", () => {
  const src = withTable("hdr.h.a : exact;", "            1 : a(-2);").replace("        const entries = {", "        default_action = a(-1);\n        const entries = {");
  const r = compile({ input: { source: src, fileName: "neg.p4" } });
  expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  const template = r.outputs!["neg.template"];
  expect(template).toMatch(/default_miss_action action neg\/C\/a param x 255$/m);
  expect(template).toMatch(/ entry hdr\.h\.a 1 permissions 0x1024 action neg\/C\/a param x 254$/m);
});

test("generated program 500026 compiles: its const entries on istd.input_port (a PortId_t, not a bit<32>) cast exact values and match anything on its other kinds", () => {
  const p = generateProgram(500026);
  const r = compile({ input: { source: p.source, fileName: `${p.name}.p4` } });
  expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
  expect(r.ok).toBe(true);
  expect(p.source).toMatch(/key = \{\n +istd\.input_port : range;\n +\}[^]*?const entries = \{\n +_ : act\d+\(\);/);
});

/** program() with header h_t { a, b, c }: `types` and `decls` (the control's) before, `apply` in the main control. */
function withControl(types: string, decls: string, apply: string, meta = ""): string {
  return program(`header h_t { bit<8> a; bit<16> b; bit<32> c; }\nstruct headers_t { h_t h; }\n${types}`, apply, decls, meta);
}

const built = tools.clang || requireTools ? test.each : test.skip.each;

// Generated programs 4, 5, 9, 11... (a sub-control taking istd and ostd): the C redefined struct pna_main_input_metadata_t.
describe("a P4 type's C struct tag is none the generated C already has (the runtime headers' structs, the PNA metadata among them, and the C's own)", () => {
  const sub = `control Sub(inout headers_t hdr, inout bit<32> m, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    apply { if (istd.recirculated) { m = m + 1; } hdr.h.c = (bit<32>)istd.input_port; }
}`;
  built<[string, string, string, string, string]>([
    ["a sub-control with the PNA metadata parameters", sub, "    Sub() sub;", "sub.apply(hdr, meta.m, istd, ostd);", ""],
    ["a local of a PNA metadata type", "", "", "pna_main_input_metadata_t x; x.recirculated = hdr.h.a == 1; if (x.recirculated) { meta.m = 1; }", ""],
    ["a metadata field of a PNA metadata type", "", "", "meta.o.class_of_service = (ClassOfService_t)hdr.h.a; if ((bit<8>)meta.o.class_of_service == 2) { hdr.h.b = 3; }", "pna_main_output_metadata_t o;"],
    ["types named like runtime and generated structs", "struct xdp_md { bit<8> a; } struct xdp_md_0 { bit<8> z; } struct hdr_md { bit<16> q; } header p4tc_ext_bpf_val { bit<8> b; }", "",
      "meta.s.a = hdr.h.a; meta.s0.z = meta.s.a + 1; meta.hm.q = hdr.h.b; p4tc_ext_bpf_val v; v.setValid(); v.b = meta.s0.z; hdr.h.a = v.b; hdr.h.b = meta.hm.q;", "xdp_md s; xdp_md_0 s0; hdr_md hm;"],
  ])("%s", (_what, types, decls, apply, meta) => {
    const r = checkProgram("ctags", withControl(types, decls, apply, meta), tools);
    expect({ verdict: r.verdict, detail: r.detail }).toEqual({ verdict: "ok", detail: "" });
  });

  test("the list of reserved tags is every struct, union and enum tag the runtime headers declare", () => {
    const dir = path.join(repo, "runtime-headers");
    const tags = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".h"))) {
      for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/^\s*(?:struct|union|enum)\s+([A-Za-z_][A-Za-z0-9_]*)\s*[{;]/gm)) tags.add(m[1]!);
    }
    expect(tags.size).toBeGreaterThan(20);
    expect([...tags].filter((t) => !RESERVED_C_TAGS.has(t))).toEqual([]);
  });
});

// Generated program 22 (an action with `return` in a table applied twice): the C defined its label at each apply.
describe("a table applied at several sites whose actions return (C labels are the function's)", () => {
  const decls = `    action inner(bit<8> v) { if (v == 0) { return; } hdr.h.c = hdr.h.c + 1; }
    action r(bit<8> v) { if (hdr.h.a == v) { return; } hdr.h.b = hdr.h.b + 1; inner(v); }
    table t { key = { hdr.h.a : exact; } actions = { r; NoAction; } default_action = r(7); }`;
  built<[string, string]>([
    ["two applies", "t.apply(); t.apply();"],
    ["apply, hit and switch", "t.apply(); if (t.apply().hit) { meta.m = 1; } switch (t.apply().action_run) { r: { meta.m = 2; } default: { } }"],
    ["applies in both branches and a direct call", "if (hdr.h.b == 1) { t.apply(); } else { t.apply(); r(3); }"],
  ])("%s", (_what, apply) => {
    const r = checkProgram("relabel", withControl("", decls, apply), tools);
    expect({ verdict: r.verdict, detail: r.detail }).toEqual({ verdict: "ok", detail: "" });
  });
});

// Generated programs 54 and 244 (before the generator's later features): clang folded a 128-bit
// subtraction of a shifted value into a multiply by -2^k, a call of __multi3, which BPF does not have.
describe("a subtraction of values wider than 64 bits builds for BPF whatever its right operand", () => {
  const types = "header h_t { bit<8> a; bit<96> x; bit<96> y; bit<128> z; bit<32> b; }\nstruct headers_t { h_t h; }";
  built<[string, string]>([
    ["minus a shifted value", "hdr.h.x = hdr.h.y - (hdr.h.x << 8);"],
    ["minus shifted and or-ed values", "hdr.h.x = hdr.h.y - ((((bit<96>)hdr.h.a << 28) | (bit<96>)hdr.h.b) << 8 | (bit<96>)hdr.h.a);"],
    ["128 bits, shifted by 64 and more", "hdr.h.z = hdr.h.z - (hdr.h.z << 64) - ((bit<128>)hdr.h.b << 100);"],
    ["-= a shifted value", "hdr.h.y -= (bit<96>)hdr.h.b << 42;"],
    ["program 244's: a shifted value minus shifted and or-ed ones", "hdr.h.x = ((hdr.h.x | hdr.h.y) << 42) - (((((bit<96>)hdr.h.b << 28) | (bit<96>)hdr.h.a) << 8) | (bit<96>)(8w0x8e * hdr.h.a));"],
  ])("%s", (_what, apply) => {
    const r = checkProgram("sub128", program(types, apply), tools);
    expect({ verdict: r.verdict, detail: r.detail }).toEqual({ verdict: "ok", detail: "" });
  });
});

// Generated programs 142 and 246 (const entries on a 72-bit ternary key): an internal error in the template's code generation.
describe("const entries with masked values on a key tc p4template cannot write masked (bitW over 64 bits, dev)", () => {
  const types = "header h_t { bit<8> a; bit<72> x; bit<128> y; bit<32> p; }\nstruct headers_t { h_t h; }";
  const table = (key: string, entry: string) => `    action s(bit<8> v) { hdr.h.a = v; }
    table t {
        key = { ${key} }
        actions = { s; }
        const entries = {
            ${entry} : s(1);
        }
    }`;
  const compileIt = (key: string, entry: string) => compile({ input: { source: program(types, "t.apply();", table(key, entry)), fileName: "wide_mask.p4" } });
  test.each([
    ["a ternary mask on 72 bits", "hdr.h.x : ternary;", "72w5 &&& 72w0xff", "hdr.h.x", "bit72"],
    ["_ on a 72-bit ternary key", "hdr.h.x : ternary;", "_", "hdr.h.x", "bit72"],
    ["a prefix on a 128-bit lpm key", "hdr.h.y : lpm;", "128w0 &&& 0xffff0000000000000000000000000000", "hdr.h.y", "bit128"],
    ["a range of two values on 72 bits", "hdr.h.x : range;", "72w4 .. 72w5", "hdr.h.x", "bit72"],
    ["a mask on a dev key", 'hdr.h.p : ternary @tc_type("dev");', "32w1 &&& 32w1", "hdr.h.p", "dev"],
    ["the second key of two", "hdr.h.a : exact; hdr.h.x : ternary;", "(1, 72w1 &&& 72w1)", "hdr.h.x", "bit72"],
  ])("%s: rejected at the value, not an internal error", (_what, key, entry, name, type) => {
    const r = compileIt(key, entry);
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors.map((d) => [d.code, d.span?.line])).toEqual([[Msg.Mid_EntryUnsupported.code, 15]]);
    expect(errors[0]!.message).toBe(`entry key '${name}' of table 'C/t' is not supported: a ${type} key takes exact values only: tc p4template writes value/mask for keys of at most 64 bits, ipv4, ipv6 and macaddr`);
  });

  test.each([
    ["an exact value on a 72-bit ternary key", "hdr.h.x : ternary;", "72w5", /entry hdr\.h\.x 0x5 /],
    ["a full mask", "hdr.h.x : ternary;", "72w5 &&& 0xffffffffffffffffff", /entry hdr\.h\.x 0x5 /],
    ["a one-value range", "hdr.h.x : range;", "72w7 .. 72w7", /entry hdr\.h\.x 0x7 /],
    ["a masked ipv6 key", 'hdr.h.y : lpm @tc_type("ipv6");', "128w0 &&& 0xffff0000000000000000000000000000", /entry hdr\.h\.y 0:0:0:0:0:0:0:0\/16 /],
    ["a masked 64-bit slice of the key's width", "hdr.h.p : ternary;", "32w1 &&& 32w1", /entry hdr\.h\.p 0x1\/0x1 /],
  ])("%s compiles", (_what, key, entry, line) => {
    const r = compileIt(key, entry);
    expect(r.diagnostics.filter((d) => d.category === "error")).toEqual([]);
    expect(r.outputs!["wide_mask.template"]).toMatch(line);
  });
});

// Generated program 100168 (a varbit length read ahead on the right of && and ||): the verifier refused the parser, as
// clang read the lookahead's bytes through `pkt + off` recomputed in another register than the one the guard had checked.
describe("a lookahead in a lazily evaluated operand reads through the pointer its guard checked", () => {
  const p = generateProgram(100168);

  test("the guard's pointer is opaque to clang, and the reads go through it", () => {
    expect(p.source).toMatch(/&& pkt\.lookahead<bit<24>>\(\)\[7:0\] != 0/);
    const c = compile({ input: { source: p.source, fileName: `${p.name}.p4` } }).outputs![`${p.name}_parser.c`]!;
    const guards = [...c.matchAll(/\(\{ const __u8 \*(la\d+__) = pkt \+ off; asm volatile\(""\s*:\s*"\+r"\(\1\)\); if \(\1 \+ (\d+) > end\) goto packet_too_short; ([^;]*); \}\)/g)];
    expect(guards.length).toBeGreaterThanOrEqual(2);
    for (const [, at, n, body] of guards) {
      expect(body).not.toContain("pkt[");
      expect(Math.max(...[...body!.matchAll(new RegExp(`${at}\\[(\\d+)\\]`, "g"))].map((m) => Number(m[1])))).toBe(Number(n) - 1);
    }
  });

  const run = tools.clang || requireTools ? test : test.skip;
  run(`compiles, builds${tools.load ? " and passes the verifier" : ""}`, () => {
    const r = checkProgram(p.name, p.source, tools);
    expect({ verdict: r.verdict, detail: r.detail }).toEqual({ verdict: "ok", detail: "" });
  });
});
