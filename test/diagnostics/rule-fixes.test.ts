// Rules that did not fire before the catalog trigger tables existed (issue 10,
// issue 11 item 6): each is rejected at the marked line, and a valid program
// next to it still compiles, through compile().
import { compile } from "../../compiler/compile.js";
import { Msg, type MsgName } from "../../compiler/diagnostics/index.js";
import { FILE, expectTriggered, prog, table } from "./harness.js";

interface Pair {
  readonly rule: string;
  readonly name: MsgName;
  /** Must compile without errors (through the front end only when `frontendOnly`). */
  readonly ok: string;
  /** Must report `name` at the line marked `/*@*\/`. */
  readonly bad: string;
  readonly frontendOnly?: boolean;
}

const CORE = "#include <core.p4>\n";
const COUNTER = "    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS) cnt;\n    action cc() { cnt.count(); }\n";

const pairs: Pair[] = [
  { rule: "a constant is not a type (P4-16, Name resolution)", name: "Fe_NotAType", frontendOnly: true,
    ok: "typedef bit<8> k_t;\nstruct s_t { k_t f; }\n", bad: "const bit<8> k = 1;\ntypedef k T; /*@*/\n" },
  { rule: "a struct type has no value members; an enum and the size methods do", name: "Fe_CannotExtract", frontendOnly: true,
    ok: CORE + "enum e_t { A }\ntypedef bit<32> T;\ncontrol c(inout bit<32> x) { apply { e_t v = e_t.A; x = T.minSizeInBits(); } }\n",
    bad: CORE + "header h_t { bit<8> f; }\ncontrol c(inout bit<8> x) { apply { x = h_t.f; /*@*/ } }\n" },
  { rule: "action parameters may not have extern types (P4-16, Actions)", name: "Fe_ActionParamType", frontendOnly: true,
    ok: "extern E { E(); }\nextern void use(in bit<8> v);\naction a(bit<8> v) { use(v); }\n",
    bad: "extern E { E(); }\naction a(bit<8> v,\n  E e) { } /*@*/\n" },
  { rule: "a direct counter is bound to the table whose actions count", name: "Mid_DirectExternUnbound",
    ok: prog(COUNTER + table("t", "pna_direct_counter = cnt;").replace("drop;", "drop; cc;"), "        t.apply();"),
    bad: prog(COUNTER.replace("cnt.count(); }", "cnt.count(); } /*@*/") + table("t"), "        t.apply();\n        cc();") },
  { rule: "NoAction as a const entry's action is reported, not an unknown action", name: "Mid_Unsupported",
    ok: prog(table("t", "const entries = { 1 : drop(); }").replace("drop;", "drop; NoAction;"), "        t.apply();"),
    bad: prog(table("t", "const entries = { 1 : NoAction(); /*@*/ }").replace("drop;", "drop; NoAction;"), "        t.apply();") },
];

describe("rules enforced where the catalog tables found them missing", () => {
  for (const p of pairs) {
    test(`${p.rule}: accepted`, () => {
      const r = compile({ input: { source: p.ok, fileName: FILE }, ...(p.frontendOnly ? { stopAfter: "frontend" as const } : {}) });
      expect(r.diagnostics.filter((d) => d.category === "error").map((d) => `${d.span?.line}: ${d.message}`)).toEqual([]);
    });
    test(`${p.rule}: rejected`, () => expectTriggered(p.name, { src: p.bad }));
  }

  test("an unterminated string is reported where it starts", () => {
    const r = compile({ input: { source: `const bit<8> a = 1;\n@name("abc\nconst bit<8> k = 1;\n\n`, fileName: FILE } });
    expect(r.diagnostics.filter((d) => d.code === Msg.UnterminatedString.code).map((d) => [d.span?.line, d.span?.col])).toEqual([[2, 7]]);
  });

  test("an action's parameter errors are reported after its body's, in the reference's order", () => {
    const r = compile({ input: { source: "action a(inout string x) {\n  x = (x >> 3) >> 8;\n}\n", fileName: FILE }, stopAfter: "frontend" });
    const errs = r.diagnostics.filter((d) => d.category === "error");
    expect(errs.map((d) => [d.code, d.span?.line])).toEqual([[Msg.Fe_OperandType.code, 2], [Msg.Fe_ParamDirectionType.code, 1]]);
  });

  test("a direct counter counted in its table's action and from apply is reported once, as not owned there", () => {
    const src = prog(COUNTER + table("t").replace("drop;", "drop; cc;"), "        t.apply();");
    const r = compile({ input: { source: src, fileName: FILE } });
    expect(r.diagnostics.filter((d) => d.category === "error").map((d) => d.code)).toEqual([Msg.Mid_DirectCounterNotOwned.code]);
  });
});
