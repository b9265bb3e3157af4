// The P4-16 spec's type rules (generics, type variables, don't care, header,
// struct, union, stack, array and varbit rules), one table per spec section,
// as in spec-rules.test.ts: each rule has a program that passes the front end
// and one rejected with the rule's diagnostic as its first error, on the line
// marked `// ERR` (test/spec/README.md lists them). Through compile().
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; bit<16> b; }
header V { bit<8> a; varbit<32> v; }
header_union U { H h; V w; }
struct S { H h; bit<8> x; }
`;

/** A generic function `f<T>` whose body is `body`. */
const gen = (ret: string, body: string): string => `${ret} f<T>(in T a, in T b) {\n${body}\n}\n`;
/** A parser extracting with `call` in its start state. */
const prs = (call: string): string => `parser p(packet_in pk, out H h, out V v) {\nstate start {\n${call}\ntransition accept;\n}\n}\n`;
/** A control with the union `u` and the struct `s`, whose apply block is `body`. */
const ctl = (body: string): string => `control c(inout U u, inout S s) {\napply {\n${body}\n}\n}\n`;

const SECTIONS: Record<string, Rule[]> = {
  "Operations on types that are type variables": [
    { name: "a type-variable value is assigned, not added", msg: Msg.Fe_OperandType,
      ok: gen("T", "T c = a;\nreturn c;"), bad: gen("T", "return a + b; // ERR") },
    { name: "a type-variable value is not ordered", msg: Msg.Fe_OperandType,
      ok: gen("bool", "return true;"), bad: gen("bool", "return a < b; // ERR") },
    { name: "a type-variable value is not negated", msg: Msg.Fe_UnaryOperand,
      ok: gen("T", "return a;"), bad: gen("T", "return -a; // ERR") },
    { name: "a type-variable value has no fields", msg: Msg.Fe_CannotExtract,
      ok: gen("void", "T c;\nc = b;"), bad: gen("bit<8>", "return a.x; // ERR") },
    { name: "a type-variable value is not indexed or sliced", msg: Msg.Fe_SliceType,
      ok: gen("void", "T c = b;"), bad: gen("bit<8>", "return a[7:0]; // ERR") },
    { name: "a type-variable value is not cast", msg: Msg.Fe_CastNotSupported,
      ok: gen("T", "return (T)a;"), bad: gen("bit<8>", "return (bit<8>)a; // ERR") },
    { name: "a type-variable value is not a condition", msg: Msg.Fe_ConditionNotBool,
      ok: gen("void", "if (true) { T c = a; }"), bad: gen("void", "if (a) { } // ERR") },
    { name: "a type-variable value is not called", msg: Msg.Fe_NotCallable,
      ok: gen("void", "T c = a;"), bad: gen("void", "a(); // ERR") },
  ],
  "Type specialization": [
    { name: "a specialized type binds all its type variables", msg: Msg.Fe_TypeArgCount,
      ok: "extern E<T, W> { E(); }\ncontrol c() { E<bit<8>, bit<16>>() e; apply { } }\n",
      bad: "extern E<T, W> { E(); }\ncontrol c() {\nE<bit<8>>() e; // ERR\napply { } }\n" },
    { name: "an instance binds its type variables explicitly or through its arguments", msg: Msg.Fe_CannotInferType,
      ok: "extern E<T> { E(T v); }\ncontrol c() { E(8w1) e; E<bit<8>>(1) f; apply { } }\n",
      bad: "extern E<T> { E(); }\ncontrol c() {\nE() e; // ERR\napply { } }\n" },
  ],
  "Calling convention; Select expressions; Entries (the don't care value)": [
    { name: "_ is an out argument, not a value", msg: Msg.Fe_DontCarePlace,
      ok: "extern void g(out bit<8> v);\ncontrol c(inout S s) { apply { g(_); } }\n",
      bad: "control c(inout S s) { apply {\ns.x = _; // ERR\n} }\n" },
    { name: "_ is a keyset, not an operand", msg: Msg.Fe_DontCarePlace,
      ok: "parser p(packet_in pk, inout S s) { state start { transition select(s.x, s.h.a) { (1, _): accept; _: reject; } } }\n",
      bad: "control c(inout S s) { apply {\nif (s.x == _) { } // ERR\n} }\n" },
  ],
  "Type nesting rules (arrays and header stacks)": [
    { name: "an array holds no int", msg: Msg.Fe_ArrayElementType,
      ok: "struct A { bit<8>[4] x; bit<8>[2][2] y; S[2] z; }\n", bad: "struct A {\nint[4] x; // ERR\n}\n" },
    { name: "an array holds no string, error or match_kind", msg: Msg.Fe_ArrayElementType,
      ok: "struct A { bool[2] x; }\n", bad: "struct A {\nerror[2] x; // ERR\n}\n" },
    { name: "an array holds no tuple", msg: Msg.Fe_ArrayElementType,
      ok: "struct A { tuple<bit<8>> t; H[2] hs; }\n", bad: "struct A {\ntuple<bit<8>>[2] x; // ERR\n}\n" },
    { name: "header stacks do not nest", msg: Msg.Fe_ArrayElementType,
      ok: "struct A { H[2] hs; U[2] us; }\n", bad: "struct A {\nH[2][3] x; // ERR\n}\n" },
    { name: "a tuple holds no void", msg: Msg.Fe_TupleField,
      ok: "typedef tuple<bit<8>, bool> T2;\n", bad: "typedef tuple<bit<8>, void> T2; // ERR\n" },
  ],
  "Operations on header unions": [
    { name: "a header union has isValid() only", msg: Msg.Fe_CannotExtract,
      ok: ctl("if (u.isValid()) { u.h.setValid(); }"), bad: ctl("u.setValid(); // ERR") },
  ],
  "Packet extraction: fixed-width and variable-width extraction": [
    { name: "the one-argument extract takes a fixed-width header", msg: Msg.Fe_ExtractVarbit,
      ok: prs("pk.extract(h);\npk.extract(v, 32w16);"), bad: prs("pk.extract(v); // ERR") },
    { name: "the two-argument extract takes a header with a varbit field", msg: Msg.Fe_ExtractVarbit,
      ok: prs("pk.extract(v, 32w16);"), bad: prs("pk.extract(h, 32w16); // ERR") },
  ],
  "Data insertion into packets (emit)": [
    { name: "emit takes a header, stack, union or struct, not a base type", msg: Msg.Fe_EmitType,
      ok: "struct E { H h; U u; }\ncontrol d(packet_out pk, in S s, in U u, in E e) { apply { pk.emit(e); pk.emit(u); pk.emit(s.h); } }\n",
      bad: "control d(packet_out pk, in S s) { apply {\npk.emit(s.x); // ERR\n} }\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}
