// One passing and one failing snippet per front-end rule, through the public compile()
// entry point. In a failing snippet the line marked `// ERR` is where the diagnostic
// must be reported.
import { compile } from "../../../compiler/compile.js";
import { Msg } from "../../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; bit<16> b; }
struct S { H h; bit<8> x; }
`;

function run(body: string) {
  return compile({ input: { source: PRELUDE + body, fileName: "t.p4" }, stopAfter: "frontend" });
}

const ctl = (locals: string, body: string, params = "inout S s") => `control c(${params}) {\n${locals}\napply {\n${body}\n}\n}\n`;

const rules: Rule[] = [
  { name: "unknown name", msg: Msg.Fe_NotFound,
    ok: ctl("", "s.x = 1;"), bad: ctl("", "s.x = y; // ERR") },
  { name: "unknown type", msg: Msg.Fe_NotFound,
    ok: "typedef bit<8> T;\nconst T c = 1;\n", bad: "const U c = 1; // ERR\n" },
  { name: "duplicate top-level declaration", msg: Msg.Fe_DuplicateDecl,
    ok: "const bit<4> a = 1;\nconst bit<4> b = 2;\n", bad: "const bit<4> a = 1;\nconst bit<4> a = 2; // ERR\n" },
  { name: "duplicate struct field", msg: Msg.Fe_Duplicate,
    ok: "struct T { bit<8> f; bit<8> g; }\n", bad: "struct T { bit<8> f;\n bit<8> f; // ERR\n}\n" },
  { name: "duplicate parameter", msg: Msg.Fe_Duplicate,
    ok: "action a(bit<8> p, bit<8> q) {}\n", bad: "action a(bit<8> p,\n bit<8> p) {} // ERR\n" },
  { name: "duplicate error member", msg: Msg.Fe_Duplicate,
    ok: "error { Mine }\n", bad: "error {\n NoMatch // ERR\n}\n" },
  { name: "member of a struct", msg: Msg.Fe_NoField,
    ok: ctl("", "s.h.a = 1;"), bad: ctl("", "s.h.c = 1; // ERR") },
  { name: "operands of the same width", msg: Msg.Fe_BinaryOperands,
    ok: ctl("", "s.h.b = s.h.b + 16w1;"), bad: ctl("", "s.h.b = s.h.b + s.h.a; // ERR") },
  { name: "int literal adapts to the other operand", msg: Msg.Fe_BinaryOperands,
    ok: ctl("", "s.h.a = s.h.a + 1;"), bad: ctl("", "s.h.a = s.h.a + 8w1 + 16w1; // ERR") },
  { name: "bool operands of arithmetic", msg: Msg.Fe_OperandType,
    ok: ctl("", "s.x = s.x & 3;"), bad: ctl("", "s.x = s.x & true; // ERR") },
  { name: "comparable types", msg: Msg.Fe_CannotCompare,
    ok: ctl("", "bool b = s.x == 8w1;"), bad: ctl("", "bool b = s.x == true; // ERR") },
  { name: "assignment types", msg: Msg.Fe_TypeMismatch,
    ok: ctl("", "s.h.b = (bit<16>)s.x;"), bad: ctl("", "s.h.b = s.x; // ERR") },
  { name: "in parameters are read-only", msg: Msg.Fe_NotLValue,
    ok: ctl("", "s.x = 1;"), bad: ctl("", "s.x = 1; // ERR", "in S s").replace("s.x = 1; // ERR", "s.x = 1; // ERR") },
  { name: "if condition is bool", msg: Msg.Fe_ConditionNotBool,
    ok: ctl("", "if (s.x == 1) { s.x = 2; }"), bad: ctl("", "if (s.x) { s.x = 2; } // ERR") },
  { name: "out argument is writable", msg: Msg.Fe_ReadOnlyArg,
    ok: `parser p(packet_in pk, out H h) { state start { pk.extract(h); transition accept; } }\n`,
    bad: `parser p(packet_in pk, in H h) { state start { pk.extract(h); // ERR\n transition accept; } }\n` },
  { name: "argument count", msg: Msg.Fe_ArgCount,
    ok: "extern void f(in bit<8> a);\n" + ctl("", "f(s.x);"), bad: "extern void f(in bit<8> a);\n" + ctl("", "f(s.x, s.x); // ERR") },
  { name: "argument type", msg: Msg.Fe_ArgType,
    ok: "extern void f(in bit<8> a);\n" + ctl("", "f(s.x);"), bad: "extern void f(in bit<8> a);\n" + ctl("", "f(true); // ERR") },
  { name: "generic argument inference", msg: Msg.Fe_ArgType,
    ok: "extern void f<T>(in T a, in T b);\n" + ctl("", "f(s.x, s.x);"), bad: "extern void f<T>(in T a, in T b);\n" + ctl("", "f(s.x, s.h.b); // ERR") },
  { name: "could not infer a width", msg: Msg.Fe_CannotInferWidth,
    ok: "extern void f<T>(in T a);\n" + ctl("", "f(8w5);"), bad: "extern void f<T>(in T a);\n" + ctl("", "f(5); // ERR") },
  { name: "return value in a void function", msg: Msg.Fe_ReturnInVoid,
    ok: "bit<8> f() { return 1; }\n", bad: "void f() {\n return 1; // ERR\n}\n" },
  { name: "return type", msg: Msg.Fe_TypeMismatch,
    ok: "bit<8> f() { return 1; }\n", bad: "bit<8> f() {\n return true; // ERR\n}\n" },
  { name: "constant initializer is constant", msg: Msg.Fe_NotConstant,
    ok: ctl("", "const bit<8> k = 3 + 4; s.x = k;"), bad: ctl("", "const bit<8> k = s.x; // ERR") },
  { name: "bit width is a constant", msg: Msg.Fe_WidthTooLarge,
    ok: "typedef bit<32> T;\n", bad: "typedef bit<2147483648> T; // ERR\n" },
  { name: "division of negative constants", msg: Msg.Fe_DivNegative,
    ok: "const int k = 8 / 2;\n", bad: "const int k = -8 / 2; // ERR\n" },
  { name: "shift by a negative amount", msg: Msg.Fe_ShiftNegative,
    ok: "const bit<8> k = 8w1 << 2;\n", bad: "const bit<8> k = 8w1 << -2; // ERR\n" },
  { name: "slice bounds", msg: Msg.Fe_SliceRange,
    ok: ctl("", "s.x = s.h.b[7:0];"), bad: ctl("", "s.x = s.h.b[16:9]; // ERR") },
  { name: "casts", msg: Msg.Fe_CastNotSupported,
    ok: ctl("", "s.x = (bit<8>)s.h.b;"), bad: ctl("", "bool b = (bool)s.x; // ERR") },
  { name: "enum members", msg: Msg.Fe_InvalidEnumTag,
    ok: "enum E { A, B }\nconst E e = E.A;\n", bad: "enum E { A, B }\nconst E e = E.C; // ERR\n" },
  { name: "error members", msg: Msg.Fe_NotFound,
    ok: "const error e = error.NoMatch;\n", bad: "const error e = error.Nope; // ERR\n" },
  { name: "header fields", msg: Msg.Fe_FieldType,
    ok: "header G { bit<8> a; bool b; }\n", bad: "header G { H inner; } // ERR\n" },
  { name: "header union fields", msg: Msg.Fe_FieldType,
    ok: "header_union U { H a; }\n", bad: "header_union U { bit<8> a; } // ERR\n" },
  { name: "serializable enum type", msg: Msg.Fe_EnumType,
    ok: "enum bit<8> E { A = 1 }\n", bad: "enum int E { A = 1 } // ERR\n" },
  { name: "new types over base types", msg: Msg.Fe_NewTypeBase,
    ok: "type bit<8> T;\n", bad: "type S T; // ERR\n" },
  { name: "parser states accept/reject are built in", msg: Msg.Fe_AcceptImplemented,
    ok: "parser p() { state start { transition accept; } }\n", bad: "parser p() { state start { transition accept; }\n state accept { transition reject; } } // ERR\n" },
  { name: "parser has a start state", msg: Msg.Fe_NoStartState,
    ok: "parser p() { state start { transition accept; } }\n", bad: "parser p() { // ERR\n state begin { transition accept; } }\n" },
  { name: "select cases go to states", msg: Msg.Fe_NotAState,
    ok: "parser p(in bit<8> x) { state start { transition select(x) { 1: accept; default: reject; } } }\n",
    bad: "parser p(in bit<8> x) { state start { transition select(x) {\n 1: x; // ERR\n default: reject; } } }\n" },
  { name: "select keyset types", msg: Msg.Fe_SelectKeyset,
    ok: "parser p(in bit<8> x) { state start { transition select(x) { 8w1: accept; default: reject; } } }\n",
    bad: "parser p(in bit<8> x) { state start {\n transition select(x) { // ERR\n 16w1: accept;\n default: reject; } } }\n" },
  { name: "table key match kinds", msg: Msg.Fe_NotFound,
    ok: ctl("table t { key = { s.x : exact; } actions = { NoAction; } }", "t.apply();"),
    bad: ctl("table t { key = {\n s.x : fuzzy; // ERR\n } actions = { NoAction; } }", "t.apply();") },
  { name: "table actions are actions", msg: Msg.Fe_NotAnAction,
    ok: ctl("action a() {}\ntable t { actions = { a; } }", "t.apply();"),
    bad: ctl("const bit<8> a = 1;\ntable t { actions = {\n a; // ERR\n } }", "t.apply();") },
  { name: "default action is listed", msg: Msg.Fe_DefaultActionNotInList,
    ok: ctl("action a() {}\naction b() {}\ntable t { actions = { a; b; } default_action = b(); }", "t.apply();"),
    bad: ctl("action a() {}\naction b() {}\ntable t { actions = { a; }\n default_action = b(); // ERR\n }", "t.apply();") },
  { name: "entries need a key", msg: Msg.Fe_EntriesKeyless,
    ok: ctl("table t { key = { s.x : exact; } actions = { NoAction; } const entries = { 1 : NoAction(); } }", "t.apply();"),
    bad: ctl("table t { // ERR\n actions = { NoAction; }\n const entries = { 1 : NoAction(); }\n }", "t.apply();") },
  { name: "switch labels are the table's actions", msg: Msg.Fe_NotALabel,
    ok: ctl("action a() {}\naction b() {}\ntable t { actions = { a; } }", "switch (t.apply().action_run) { a: {} }"),
    bad: ctl("action a() {}\naction b() {}\ntable t { actions = { a; } }", "switch (t.apply().action_run) {\n b: {} // ERR\n }") },
  { name: "action_run only in switch", msg: Msg.Fe_ActionRunOutsideSwitch,
    ok: ctl("table t { actions = { NoAction; } }", "switch (t.apply().action_run) { default: {} }"),
    bad: ctl("table t { actions = { NoAction; } }", "bool b = t.apply().action_run == t.apply().action_run; // ERR") },
  { name: "apply not in actions", msg: Msg.Fe_ApplyInAction,
    ok: ctl("table t { actions = { NoAction; } }", "t.apply();"),
    bad: ctl("table t { actions = { NoAction; } }\naction a() {\n t.apply(); // ERR\n}", "a();") },
  { name: "verify only in parsers", msg: Msg.Fe_OnlyInParser,
    ok: "parser p() { state start { verify(true, error.NoMatch); transition accept; } }\n",
    bad: ctl("", "verify(true, error.NoMatch); // ERR") },
  { name: "instances of extern, parser, control or package types", msg: Msg.Fe_CannotAllocate,
    ok: "extern E { E(); }\n" + ctl("E() e;", ""), bad: ctl("S() v; // ERR", "") },
  { name: "no variables of extern types", msg: Msg.Fe_CannotDeclareVar,
    ok: "extern E { E(); }\n" + ctl("E() e;", ""), bad: "extern E { E(); }\n" + ctl("E v; // ERR", "") },
  { name: "out parameters without defaults", msg: Msg.Fe_OutDefault,
    ok: "extern void f(in bit<8> a = 1);\n", bad: "extern void f(out bit<8> a = 1); // ERR\n" },
  { name: "constructor parameters have no direction", msg: Msg.Fe_CtorParamDirection,
    ok: "control c()(bit<8> k) { apply {} }\n", bad: "control c()(in bit<8> k) { apply {} } // ERR\n" },
  { name: "break only in loops", msg: Msg.Fe_BreakOutsideLoop,
    ok: ctl("", "for (bit<8> i = 0; i < 4; i = i + 1) { break; }"), bad: ctl("", "break; // ERR") },
  { name: "tables need NoAction when they have no default action", msg: Msg.Fe_NoAction,
    ok: ctl("action a() {}\ntable t { actions = { a; } }", "t.apply();"),
    bad: "#undef X\n" },
  { name: "package arguments match the package's parameters", msg: Msg.Fe_CtorArgType,
    ok: "control C(inout S s);\npackage P(C c);\ncontrol d(inout S s) { apply {} }\nP(d()) main;\n",
    bad: "control C(inout S s);\npackage P(C c); // ERR\ncontrol d(inout H h) { apply {} }\nP(d()) main;\n" },
  { name: "@name takes a string", msg: Msg.Fe_NameAnnotation,
    ok: "@name(\"x\") action a() {}\n", bad: "@name(4) // ERR\naction a() {}\n" },
  { name: "abstract methods are implemented", msg: Msg.Fe_AbstractNotImplemented,
    ok: "extern E { E(); abstract void f(); }\n" + ctl("E() e = { void f() {} };", ""),
    bad: "extern E { E(); abstract void f(); }\n" + ctl("E() e; // ERR", "") },
  { name: "only abstract methods are implemented", msg: Msg.Fe_NoMatchingAbstract,
    ok: "extern E { E(); abstract void f(); }\n" + ctl("E() e = { void f() {} };", ""),
    bad: "extern E { E(); abstract void f(); }\n" + ctl("E() e = { void f() {}\n void g() {} // ERR\n };", "") },
  { name: "actions have distinct control-plane names", msg: Msg.Fe_ControlPlaneName,
    ok: "@name(\"x\") action a() {}\n@name(\"y\") action b() {}\n", bad: "@name(\"x\") action a() {}\n@name(\".x\") action b() {} // ERR\n" },
  { name: "entry keysets match the key", msg: Msg.Fe_EntryKeyset,
    ok: ctl("table t { key = { s.x : exact; } actions = { NoAction; } const entries = { 1 : NoAction(); } }", "t.apply();"),
    bad: ctl("table t { key = { s.x : exact; } actions = { NoAction; } const entries = {\n (1, 2) : NoAction(); // ERR\n } }", "t.apply();") },
  { name: "arithmetic keys need @name", msg: Msg.Fe_ComplexKeyName,
    ok: ctl("table t { key = { s.x + 1 : exact @name(\"k\"); } actions = { NoAction; } }", "t.apply();"),
    bad: ctl("table t { key = {\n s.x + 1 : exact; // ERR\n } actions = { NoAction; } }", "t.apply();") },
  { name: "parsers reach accept or reject", msg: Msg.Fe_ParserUnreachable,
    ok: "parser p() { state start { transition s1; } state s1 { transition accept; } }\n",
    bad: "parser p() { // ERR\n state start { transition s1; } state s1 { transition start; } }\n" },
  { name: "a control does not instantiate itself", msg: Msg.Fe_SelfReference,
    ok: "control d() { apply {} }\ncontrol c() { d() i; apply { i.apply(); } }\n",
    bad: "control c() {\n c() i; // ERR\n apply { i.apply(); } }\n" },
  { name: "one default label", msg: Msg.Fe_DuplicateDefault,
    ok: ctl("", "switch (s.x) { 1: {} default: {} }"), bad: ctl("", "switch (s.x) { // ERR\n default: {}\n default: {} }") },
  { name: "ternary branches of one type", msg: Msg.Fe_TernaryTypes,
    ok: ctl("", "s.x = s.x == 1 ? 8w1 : 8w2;"), bad: ctl("", "s.x = s.x == 1 ? 8w1 : true; // ERR") },
  { name: "values of a type variable are not compared", msg: Msg.Fe_TypeVarCompare,
    ok: "bool f<T>(in T a) { return true; }\n", bad: "bool f<T>(in T a, in T b) {\n return a == b; // ERR\n}\n" },
  { name: "caller type variables are rigid", msg: Msg.Fe_ArgType,
    ok: "extern void g(in bit<8> x);\nvoid f<T>(in T a) { }\n", bad: "extern void g(in bit<8> x);\nvoid f<T>(in T a) {\n g(a); // ERR\n}\n" },
  { name: "structured annotations are not repeated", msg: Msg.Fe_StructuredAnnotationDup,
    ok: "@a[1] @b[2]\nconst bit<8> k = 1;\n", bad: "@a[1]\n@a[2] // ERR\nconst bit<8> k = 1;\n" },
  { name: "next and last only in parsers", msg: Msg.Fe_StackNextOutsideParser,
    ok: "parser p(packet_in pk, out H[2] hs) { state start { pk.extract(hs.next); transition accept; } }\n",
    bad: ctl("", "s.x = hs.last.a; // ERR", "inout H[2] hs, inout S s") },
  { name: "push_front takes a constant count", msg: Msg.Fe_CompileTimeConst,
    ok: ctl("", "hs.push_front(1);", "inout H[2] hs, inout S s"), bad: ctl("", "hs.push_front(s.x); // ERR", "inout H[2] hs, inout S s") },
  { name: "tuple indexes are constants", msg: Msg.Fe_TupleIndex,
    ok: ctl("", "tuple<bit<8>, bool> t = { 1, true }; s.x = t[0];"), bad: ctl("", "tuple<bit<8>, bool> t = { 1, true };\n s.x = t[s.x]; // ERR") },
  { name: "struct initializers name every field", msg: Msg.Fe_TypeMismatch,
    ok: "struct P { bit<8> a; bit<8> b; }\n" + ctl("", "P p = { a = 1, b = 2 };"), bad: "struct P { bit<8> a; bit<8> b; }\n" + ctl("", "P p = { a = 1 }; // ERR") },
  { name: "headers can be invalidated with {#}", msg: Msg.Fe_TypeMismatch,
    ok: ctl("", "s.h = {#};"), bad: ctl("", "s.x = {#}; // ERR") },
  { name: "serializable enums do not take bit values implicitly", msg: Msg.Fe_TypeMismatch,
    ok: "enum bit<8> E { A = 1 }\n" + ctl("", "E e = (E)s.x; s.x = (bit<8>)e;"), bad: "enum bit<8> E { A = 1 }\n" + ctl("", "E e = s.x; // ERR") },
  { name: "bool is not an integer", msg: Msg.Fe_TypeMismatch,
    ok: ctl("", "bool b = true;"), bad: ctl("", "bool b = 1; // ERR") },
];

describe("front-end rules", () => {
  // Fe_NoAction needs a program without core.p4: below.
  testRules(PRELUDE, rules, "any", (r) => r.msg === Msg.Fe_NoAction);

  test("tables need NoAction when they have no default action: rejected without core.p4", () => {
    const src = "match_kind { exact }\ncontrol c(in bit<8> x) {\n action a() {}\n table t { // ERR\n key = { x : exact; } actions = { a; } }\n apply { t.apply(); } }\n";
    const res = compile({ input: { source: src, fileName: "t.p4" }, stopAfter: "frontend" });
    expect(res.diagnostics.map((d) => [d.code, d.span?.line])).toContainEqual([Msg.Fe_NoAction.code, 4]);
  });

  test("the checked program exposes types, resolved names and constants", () => {
    const res = run("const bit<8> k = 3 + 4;\n" + ctl("", "s.x = k;"));
    expect(res.ok).toBe(true);
    expect(res.checked).toBeDefined();
    const values = [...res.checked!.constants.values()];
    expect(values).toContain(7n);
    expect([...res.checked!.types.values()].some((t) => t.k === "bits" && t.width === 8)).toBe(true);
    expect(res.checked!.refs.size).toBeGreaterThan(0);
  });

  test("constant folding wraps bit<W> and int<W>", () => {
    const res = run("const bit<8> a = 8w255 + 8w2;\nconst int<8> b = 8s127 + 8s1;\n");
    expect(res.ok).toBe(true);
    const vals = [...res.checked!.constants.entries()].filter(([n]) => n.kind === "ConstantDeclaration").map(([, v]) => v);
    expect(vals).toEqual([1n, -128n]);
  });
});
