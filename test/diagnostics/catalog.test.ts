// Issue 11, item 6: every diagnostic in the catalog has a test that triggers it
// through compile(). The table below maps a catalog name to a minimal input; the
// test asserts that a diagnostic with that code is reported at the file and line
// marked `/*@*/` (or, for whole-compilation problems, with no location). A final
// check fails when a catalog entry is neither in this table nor asserted by name
// (`Msg.NAME`) in another test under test/, so a new message cannot land untested.
import * as fs from "node:fs";
import * as path from "node:path";
import { Msg, type MsgName } from "../../compiler/diagnostics/index.js";
import { MAIN, expectTriggered, prog, table, type Case, type Cases } from "./harness.js";
import { frontendCases } from "./cases-frontend.js";
import { midendCases } from "./cases-midend.js";

const catalogCases: Cases = {
  // --- preprocessor
  PP_IncludeNotFound: { src: `#include "nope.h" /*@*/\n` },
  PP_Error: { src: `#error stop here /*@*/\n` },
  PP_Warning: { src: `#warning careful /*@*/\n` },
  PP_BadDirective: { src: `#frobnicate /*@*/\n` },
  PP_UnterminatedIf: { src: `#if 1 /*@*/\nbit<8> x;\n` },
  PP_UnmatchedEndif: { src: `#endif /*@*/\n` },
  PP_BadExpression: { src: `#if 1 + /*@*/\n#endif\n` },
  PP_MacroArgs: { src: `#define F(a, b) a + b\nconst bit<8> x = F(1); /*@*/\n` },
  PP_IncludeDepth: {
    src: `#include "self.h" /*@*/\n`,
    opts: { readFile: (p) => (p.endsWith("self.h") ? `#include "self.h"\n` : undefined) },
    file: "self.h",
  },
  PP_UnterminatedComment: { src: `/*@*/ /* never closed\nbit<8> x;\n` },
  PP_ExpansionLimit: {
    src: [`#define M0 x`, ...Array.from({ length: 24 }, (_, i) => `#define M${i + 1} M${i} M${i}`), `M24 /*@*/`].join("\n") + "\n",
  },
  // --- lexer and parser
  LexError: { src: `const bit<8> x = 8w0xZZ; /*@*/\n` },
  NestingTooDeep: { src: `const bit<8> x = ${"(".repeat(5000)}1${")".repeat(5000)}; /*@*/\n` },
  // --- front end
  Fe_NotMatchKind: { src: prog(table("t", "", "hdr.h.c : drop; /*@*/"), "        t.apply();") },
  Fe_ParamDirectionType: { src: prog("", "", "extern E { E(); }\ncontrol Q(in E e) { apply { } } /*@*/\n") },
  Fe_CtorReturnType: { src: prog("", "", "extern E2 { bit<8> E2(); } /*@*/\n") },
  Fe_InstantiationInFunction: { src: prog("", "", "extern E3 { E3(); void m(); }\nbit<8> f() { E3() e; /*@*/ return 1; }\n") },
  Fe_WidthNotConstant: { src: prog("", "        bit<8> n = 1;\n        bit<(n)> y = 0; /*@*/") },
  Fe_TypeArgCount: { src: prog("", "", "struct g_t<T> { T f; }\nstruct u_t { g_t<bit<8>, bit<8>> x; } /*@*/\n") },
  Fe_EnumValueNotConst: { src: prog("", "", "bit<8> g() { return 1; }\nenum bit<8> e_t { A = g() } /*@*/\n") },
  Fe_UnaryOperand: { src: prog("", "        bool b = !hdr.h.a; /*@*/") },
  Fe_DivByZero: { src: prog("", "        hdr.h.a = K; ", "const bit<8> K = 8w1 / 8w0; /*@*/\n") },
  Fe_SignedDiv: { src: prog("", "        int<8> s = 1;\n        s = s / 2; /*@*/") },
  Fe_SliceConst: { src: prog("", "        hdr.h.a = hdr.h.c[hdr.h.a:0]; /*@*/") },
  Fe_SliceOrder: { src: prog("", "        hdr.h.a = hdr.h.c[0:7]; /*@*/") },
  Fe_SliceType: { src: prog("", "        bool b = true;\n        bool c = b[0:0]; /*@*/") },
  Fe_IndexType: { src: prog("", "        hdr.h.a = hdr.h.a[1]; /*@*/") },
  Fe_ReturnMissing: { src: prog("", "", "bit<8> f() { return; } /*@*/\n") },
  Fe_SwitchLabel: { src: prog(table("t"), "        switch (t.apply().action_run) { 1: { } } /*@*/") },
  Fe_NotCallable: { src: prog("", "        hdr.h.a(); /*@*/") },
  Fe_ExtractNotHeader: { src: prog("", "", "", "state start { pkt.extract(meta); transition accept; } /*@*/") },
  Fe_NamedArgsMixed: { src: prog("    action a(bit<8> x, bit<8> y) { }", "        a(x = 1, 2); /*@*/") },
  Fe_NoSuchParam: { src: prog("    action a(bit<8> x) { }", "        a(zz = 1); /*@*/") },
  Fe_FunctionCallsAction: { src: prog("", "", "action ga() { }\nvoid f() { ga(); } /*@*/\n") },
  Fe_ShiftRight: { src: prog("", "        int<8> s = -1;\n        hdr.h.a = hdr.h.a << s; /*@*/") },
  Fe_ShiftIntNonConst: { src: prog("", "        hdr.h.c = (bit<32>)(1 << hdr.h.a); /*@*/") },
  Mid_Unsupported: { src: prog("", "        v_t v;", "header v_t { varbit<8> a; bit<8> b; } /*@*/\n") },
  // --- mid-end P4TC limits and rules
  Mid_TooManyTables: {
    src: prog(Array.from({ length: 33 }, (_, i) => table(`t${i}`).trimEnd() + (i === 32 ? " /*@*/" : "")).join("\n"), Array.from({ length: 33 }, (_, i) => `        t${i}.apply();`).join("\n")),
  },
  Mid_KeyTooWide: {
    src: prog(`    table t { key = { ${Array.from({ length: 17 }, (_, i) => `hdr.h.c : exact @name("k${i}");`).join(" ")} } /*@*/\n        actions = { drop; } }`, "        t.apply();"),
  },
  Mid_ActionParamLimit: {
    src: prog(`    action wide(${Array.from({ length: 17 }, (_, i) => `bit<8> p${i}`).join(", ")}) { } /*@*/\n${table("t").replace("drop;", "drop; wide;")}`, "        t.apply();"),
  },
  Mid_NameTooLong: { src: prog(table("a_table_whose_name_is_far_too_long_for_p4tc").trimEnd() + " /*@*/\n", "        a_table_whose_name_is_far_too_long_for_p4tc.apply();") },
  Mid_MainNotPnaNic: { src: prog("", "").replace(MAIN, "package Other(); /**/\nOther() main; /*@*/\n") },
  Mid_NumMaskRange: { src: prog(`    @nummask(5000) /*@*/\n${table("t", "", "hdr.h.c : ternary;")}`, "        t.apply();") },
  Mid_MayOverrideWithoutParams: { src: prog(table("t", "@tc_may_override default_action = drop; /*@*/"), "        t.apply();") },
  // --- more front end
  Fe_NoTypeArgs: { src: prog("", "        g_t x; /*@*/", "struct g_t<T> { T f; }\n") },
  Fe_ThisOutsideAbstract: { src: prog("", "", "bit<8> f() { return this.get(); } /*@*/\n") },
  Fe_UnknownWidth: { src: prog("", "        hdr.h.a = (bit<8>)(~1); /*@*/") },
  Fe_SelectStruct: { src: prog("", "", "", "state start { pkt.extract(hdr.h); transition select(meta) { default: accept; } } /*@*/") },
  Fe_ParamNotBound: { src: prog("    action a(bit<8> x) { }", "        a(); /*@*/") },
  Fe_StackSize: { src: prog("", "        bit<8> n = 1;\n        h_t[n] hs; /*@*/") },
  Fe_TypeArgCountCall: { src: prog("", "        hdr.h.a = id<bit<8>, bit<8>>(hdr.h.a); /*@*/", "T id<T>(in T x) { return x; }\n") },
  Fe_NotGenericCall: { src: prog("", "        drop<bit<8>>(); /*@*/") },
  Fe_TupleField: { src: prog("", "        tuple<packet_in> t; /*@*/") },
  SyntaxErrorExpected: { src: `const bit<8> x = 1 $ 2; /*@*/\n` },
  FileNotFound: { src: "", opts: { input: { file: "/nonexistent/cat_missing.p4" } }, file: null },
  Fe_BadWidth: { src: prog("", "        bit<(-1)> x = 0; /*@*/") },
  Fe_NoMatchingCtor: { src: prog("    Counter<bit<32>, bit<8>>() c; /*@*/", "        c.count(0);") },
  Fe_ExternCompare: { src: prog("    Hash<bit<16>>(PNA_HashAlgorithm_t.CRC16) h1;\n    Hash<bit<16>>(PNA_HashAlgorithm_t.CRC16) h2;", "        if (h1 == h2) { } /*@*/") },
  Mid_MayOverrideWithoutDefaultHit: { src: prog("    action set(bit<8> v) { hdr.h.a = v; }\n" + table("t").replace("drop;", "@tc_may_override set; /*@*/ drop;"), "        t.apply();") },
  Mid_DirectExternShared: { src: prog("    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS) cnt;\n    action cc() { cnt.count(); }\n" + table("t", "pna_direct_counter = cnt;").replace("drop;", "drop; cc;") + table("u", "pna_direct_counter = cnt; /*@*/").replace("drop;", "drop; cc;"), "        t.apply();\n        u.apply();") },
  Mid_DirectExternNotInstance: { src: prog(table("t", "pna_direct_counter = drop; /*@*/"), "        t.apply();") },
  // (a run-time default_action argument is the front end's Fe_ActionArgNotConst; a call's value is known to the front end only as compile-time)
  Mid_NotConstant: { src: prog("    Counter<bit<32>, bit<32>>(size(), PNA_CounterType_t.PACKETS) cnt; /*@*/", "        cnt.count(0);", "@pure extern bit<32> size();\n") },
  Mid_AbiLacks: { src: prog("", "        if (is_net_port(istd.input_port)) { drop_packet(); } /*@*/"), opts: { p4tcAbi: "v13" } },
  Mid_AbiNumel: { src: prog("    Counter<bit<32>, bit<32>>(2048, PNA_CounterType_t.PACKETS) cnt; /*@*/", "        cnt.count(0);"), opts: { p4tcAbi: "v13" } },
  Fe_SliceNegative: { src: prog("", "        hdr.h.a = hdr.h.c[7:-1]; /*@*/") },
};

const thisFile = new URL(import.meta.url).pathname;
const tables = [catalogCases, frontendCases, midendCases];
const cases: Cases = Object.assign({}, ...tables);

describe("every catalog entry in the tables is reported, located", () => {
  test("no entry is in two tables", () => {
    const names = tables.flatMap((t) => Object.keys(t));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
  test.each(Object.entries(cases) as [MsgName, Case][])("%s", (name, c) => expectTriggered(name, c));
});


/** Catalog names asserted as `Msg.NAME` by a test file other than this one. */
function namesAssertedElsewhere(): Set<string> {
  const root = path.resolve(path.dirname(thisFile), "..");
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && p !== thisFile) for (const m of fs.readFileSync(p, "utf8").matchAll(/\bMsg\.([A-Za-z_0-9]+)/g)) found.add(m[1]!);
    }
  };
  walk(root);
  return found;
}

const RANGES: readonly [RegExp, number, number][] = [
  [/^PP_/, 1000, 1999],
  [/^Fe_/, 3000, 4999],
  [/^Mid_/, 5000, 5999],
  [/^FileNotFound$/, 9000, 9999],
  [/^(SyntaxError|SyntaxErrorExpected|LexError|BadIntLiteral|UnterminatedString|NestingTooDeep)$/, 2000, 2999],
];

describe("the catalog", () => {
  const names = Object.keys(Msg) as MsgName[];

  test("codes are unique", () => {
    const byCode = new Map<number, string[]>();
    for (const n of names) byCode.set(Msg[n].code, [...(byCode.get(Msg[n].code) ?? []), n]);
    expect([...byCode.values()].filter((v) => v.length > 1)).toEqual([]);
  });

  test("each code lies in its layer's range", () => {
    const wrong = names.filter((n) => {
      const r = RANGES.find(([re]) => re.test(n));
      return r === undefined || Msg[n].code < r[1] || Msg[n].code > r[2];
    });
    expect(wrong).toEqual([]);
  });

  test("every entry has a triggering test (the table here, or Msg.NAME asserted elsewhere)", () => {
    const elsewhere = namesAssertedElsewhere();
    const covered = (n: string) => n in cases || elsewhere.has(n);
    expect(names.filter((n) => !covered(n))).toEqual([]);
  });
});
