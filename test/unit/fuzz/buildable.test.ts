// Issue 11, item 2: what the compiler accepts builds (clang -Wall -Werror)
// and loads (the verifier); what it cannot build it rejects with a located
// error naming the limit. The reproducers come from the issue and from the
// program generator (fuzz/generate.ts).
import { compile } from "../../../compiler/compile.js";
import { checkProgram, findTools } from "../../../fuzz/check.js";
import { generateProgram } from "../../../fuzz/generate.js";
import { program } from "./program.js";

const tools = findTools();
const requireTools = process.env.P4TS_REQUIRE_TOOLS === "1";

const one = (fields: string) => `header h_t { ${fields} }\nstruct headers_t { h_t h; }`;

describe("rejected with a located error naming the limit", () => {
  test.each([
    ["a bit<0> field", one("bit<8> a; bit<0> z;"), "header field h_t.z of 0 bits"],
    ["a header of 4104 bits", one("bit<8> a; bit<2048> y; bit<2048> z;"), "header h_t of 4104 bits (p4ts supports headers of at most 4096 bits)"],
    ["a 65-bit field", one("bit<65> z; bit<7> a;"), "header field h_t.z of 65 bits at bit 0"],
    ["a 72-bit field after 4 bits", one("bit<4> a; bit<72> z; bit<4> b;"), "header field h_t.z of 72 bits at bit 4"],
  ])("%s", (_what, types, text) => {
    const r = compile({ input: { source: program(types, "hdr.h.a = 1;"), fileName: "lim.p4" } });
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain(text);
    // At the declaration, the field's (or for the header's size, its name), not where the header is first extracted (line 6).
    expect(errors[0].span?.line).toBe(3);
    const decl = types.split("\n")[0]!;
    expect(decl.slice(errors[0].span!.col - 1)).toMatch(text.startsWith("header field") ? /^bit<\d+> z;/ : /^h_t \{/);
  });

  test("a bit<8192> field: the front end's width limit (the reference's), at the field's type", () => {
    const types = one("bit<8> a; bit<8192> z;");
    const errors = compile({ input: { source: program(types, "hdr.h.a = 1;"), fileName: "lim.p4" } }).diagnostics.filter((d) => d.category === "error");
    expect(errors.map((e) => e.message)).toEqual(["bit<8192>: Compiler only supports widths up to 2048"]);
    expect(errors[0].span?.line).toBe(3);
    expect(types.split("\n")[0]!.slice(errors[0].span!.col - 1)).toMatch(/^bit<8192> z;/);
  });

  test("const entries keyed on a header stack element: a located error, not an internal error", () => {
    const types = "header h_t { bit<8> a; }\nstruct headers_t { h_t[2] h; }";
    const src = program(types, "t.apply();", `    action a() { }
    table t {
        key = { hdr.h[0].a : exact; }
        actions = { a; }
        const entries = { 1 : a(); }
    }`).replace("pkt.extract(hdr.h);", "pkt.extract(hdr.h[0]);");
    const r = compile({ input: { source: src, fileName: "stackkey.p4" } });
    const errors = r.diagnostics.filter((d) => d.category === "error");
    expect(errors.map((d) => d.message)).toEqual([
      "entry key 'hdr.h[0].a' of table 'C/t' is not supported: a P4TC key name is letters, digits, '_', '.' and '/': give the key field a @name",
    ]);
    expect(errors[0].span?.line).toBe(14); // the entry
    // With a @name the same table compiles.
    expect(compile({ input: { source: src.replace("exact;", 'exact @name("k");'), fileName: "stackkey.p4" } }).ok).toBe(true);
  });
});

const buildCases: [string, string, string][] = [
  ["a 63-bit field spanning nine bytes", one("bit<3> a; bit<63> z; bit<6> b;"), "hdr.h.z = hdr.h.z + 1;"],
  ["x = x", one("bit<8> a;"), "meta.m = meta.m; hdr.h.a = hdr.h.a;"],
  ["x == x and x < x", one("bit<8> a;"), "if (meta.m == meta.m && !(hdr.h.a < hdr.h.a)) { hdr.h.a = 2; }"],
  ["skb_set_mark without skb_set_protocol", one("bit<8> a;"), "skb_set_mark(skb_get_mark() + 1);"],
  ["a 4096-bit header", one("bit<8> a; bit<2048> y; bit<2040> z;"), "hdr.h.a = 1;"],
  ["50 nested ifs", one("bit<8> a;"), `${"if (hdr.h.a == 1) {".repeat(50)}hdr.h.a = 2;${"}".repeat(50)}`],
  ["a chain of 190 terms", one("bit<8> a;"), `hdr.h.a = ${Array(190).fill("hdr.h.a").join(" + ")};`],
];

const buildTest = tools.clang || requireTools ? test.each(buildCases) : test.skip.each(buildCases);
describe(`accepted means buildable${tools.load ? " and loadable" : ""}`, () => {
  buildTest("%s", (what, types, apply) => {
    const r = checkProgram("buildable", program(types, apply), tools);
    expect({ what, verdict: r.verdict, detail: r.detail }).toEqual({ what, verdict: "ok", detail: "" });
  });

  const gen = tools.clang || requireTools ? test : test.skip;
  gen("generated programs 1-8 compile, build and load", () => {
    for (let seed = 1; seed <= 8; seed++) {
      const p = generateProgram(seed);
      const r = checkProgram(p.name, p.source, tools);
      expect({ seed, verdict: r.verdict, detail: r.detail }).toEqual({ seed, verdict: "ok", detail: "" });
    }
  });

  // Each of the three forms of a lookahead read on a condition (an arm of ?:, the right of && and of ||), whose
  // packet bounds are checked inside the expression: the verifier takes the check and the reads it guards.
  gen("generated programs with a varbit length read ahead on a condition compile, build and load", () => {
    const forms = [/\? pkt\.lookahead<bit<(16|24|32)>>\(\)/, /&& pkt\.lookahead<bit<(16|24|32)>>\(\)/, /\|\| pkt\.lookahead<bit<(16|24|32)>>\(\)/];
    const sources = [15, 34, 98].map((seed) => {
      const p = generateProgram(seed);
      const r = checkProgram(p.name, p.source, tools);
      expect({ seed, verdict: r.verdict, detail: r.detail }).toEqual({ seed, verdict: "ok", detail: "" });
      return p.source;
    });
    expect(forms.map((f) => sources.some((s) => f.test(s)))).toEqual([true, true, true]);
  });

  // The later features (generate.ts's ext stream), each in one of three programs: found by the extended generator, the
  // PNA metadata struct redefinitions and duplicate labels fixed on this branch.
  gen("generated programs with enums, bools, nested structs, int<N>, switches on bits and enums, exit/return, direct action calls, @tc_type, a sub-parser and a sub-control compile, build and load", () => {
    const features = [/enum bit</, /bool flag/, /inner_t in0/, /^error \{/m, /SubParserImpl\(\) sub_parser/, /SubControlImpl\(\) sc/, /switch \((hdr|meta)\.[^)]*\) \{\n\s+\d+w/, /switch \(meta\.(se|pe)\)/, /int<\d+>/, /^\s+(exit|return);/m, /^\s+(dact|act)[x\d]+\([^)]*\);/m, /@tc_type/];
    const sources = [283, 9, 18].map((seed) => {
      const p = generateProgram(seed);
      const r = checkProgram(p.name, p.source, tools);
      expect({ seed, verdict: r.verdict, detail: r.detail }).toEqual({ seed, verdict: "ok", detail: "" });
      return p.source;
    });
    expect(features.filter((f) => !sources.some((s) => f.test(s)))).toEqual([]);
  });
});

test("the generator is deterministic", () => {
  expect(generateProgram(42)).toEqual(generateProgram(42));
  expect(generateProgram(42).source).not.toEqual(generateProgram(43).source);
});
