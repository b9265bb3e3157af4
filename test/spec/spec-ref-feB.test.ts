// The reference front end's own error conditions (its type checker's declaration,
// statement and type rules, name resolution and constant folding), one table per
// reference source file, as in spec-rules.test.ts: each condition has a program
// that passes the front end and one rejected with the condition's diagnostic as
// its first error, on the line marked `// ERR` (test/spec/README.md, "Reference
// checks"). No architecture and no `main`, like the reference's error tests.
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; }
header G { bit<8> a; }
`;

/** A control whose apply block is `body`, with an inout `bit<8> x` and a stack `s`. */
const ctl = (body: string): string => `control c(inout bit<8> x, inout H[2] s) {\napply {\n${body}\n}\n}\n`;

const SECTIONS: Record<string, Rule[]> = {
  "typeCheckTypes: Type_Bits (Fixed-width signed integers)": [
    { name: "a signed integer type has a non-zero width", msg: Msg.Fe_SignedZeroWidth,
      ok: "header W { int<1> f; }\n", bad: "header W {\nint<0> f; // ERR\n}\n" },
    { name: "a signed integer type written with an expression has a non-zero width", msg: Msg.Fe_SignedZeroWidth,
      ok: "const int N = 1;\nheader W { int<(N)> f; }\n", bad: "const int N = 0;\nheader W {\nint<(N)> f; // ERR\n}\n" },
    { name: "a fixed-width type is at most 2048 bits wide", msg: Msg.Fe_WidthUnsupported,
      ok: "header W { bit<2048> f; }\n", bad: "header W {\nbit<4096> f; // ERR\n}\n" },
  ],
  "typeCheckTypes: SerEnumMember (Enumeration types)": [
    { name: "a serializable enum's value fits an unsigned underlying type", msg: Msg.Fe_SerEnumBounds,
      ok: "enum bit<4> E { A = 15, B = 0 }\n", bad: "enum bit<4> E {\nA = 16, // ERR\nB = 0 }\n" },
    { name: "a serializable enum's value is not negative for an unsigned type", msg: Msg.Fe_SerEnumBounds,
      ok: "enum int<4> E { A = -1 }\n", bad: "enum bit<4> E {\nA = -1 // ERR\n}\n" },
    { name: "a serializable enum's value fits a signed underlying type", msg: Msg.Fe_SerEnumBounds,
      ok: "enum int<4> E { A = 7, B = -8 }\n", bad: "enum int<4> E {\nA = 8 // ERR\n}\n" },
    { name: "a serializable enum's value has the underlying type", msg: Msg.Fe_EnumMemberType,
      ok: "enum bit<4> E { A = 4w1, B = (bit<4>)8w2, C = A }\n", bad: "enum bit<4> E {\nA = 8w1 // ERR\n}\n" },
    { name: "a serializable enum's value is not a bool", msg: Msg.Fe_EnumMemberType,
      ok: "enum bit<4> E { A = 1 }\n", bad: "enum bit<4> E {\nA = true // ERR\n}\n" },
  ],
  "typeCheckTypes: Type_Method (Extern objects)": [
    { name: "an extern method does not return string", msg: Msg.Fe_MethodReturnType,
      ok: "extern X { X(); bit<8> f(); }\n", bad: "extern X { X();\nstring f(); // ERR\n}\n" },
  ],
  "typeCheckTypes: Type_Typedef, Method (Type specialization)": [
    { name: "a typedef of a generic extern gives its type arguments", msg: Msg.Fe_NoTypeArgs,
      ok: "extern X<T> { X(); }\ntypedef X<bit<8>> XX;\n", bad: "extern X<T> { X(); }\ntypedef\nX XX; // ERR\n" },
    { name: "an extern method's generic return type has type arguments", msg: Msg.Fe_ReturnGenericNoArgs,
      ok: "extern X<T> { X(); }\nextern E { E(); X<bit<8>> f(); }\n", bad: "extern X<T> { X(); }\nextern E { E();\nX f(); // ERR\n}\n" },
  ],
  "bindVariables (Generic functions; Arbitrary-precision integers)": [
    { name: "a type variable is not bound to a tuple holding int", msg: Msg.Fe_CannotInferWidth,
      ok: "extern void f<T>(in T x);\ncontrol c() { apply { f({8w1, 8w2}); } }\n",
      bad: "extern void f<T>(in T x);\ncontrol c() { apply {\nf({1, 8w2}); // ERR\n} }\n" },
  ],
  "typeChecker: canonicalize (Type specialization)": [
    { name: "a control type is not a type argument of an extern", msg: Msg.Fe_TypeArgIsBlock,
      ok: "extern E<T> { E(); }\ncontrol C();\ncontrol c() { E<bit<8>>() e; apply {} }\n",
      bad: "extern E<T> { E(); }\ncontrol C();\ncontrol c() {\nE<C>() e; // ERR\napply {} }\n" },
  ],
  "resolveReferences: lookup (Name resolution)": [
    { name: "a struct does not name itself inside a field's type", msg: Msg.Fe_SelfReference,
      ok: "struct S { bit<8> a; tuple<H, bit<8>> t; }\n", bad: "struct S { bit<8> a;\ntuple<S, bit<8>> t; // ERR\n}\n" },
    { name: "a typedef does not name itself", msg: Msg.Fe_SelfReference,
      ok: "typedef bit<8> S;\n", bad: "typedef\nS S; // ERR\n" },
    { name: "an extern method does not return its own extern type", msg: Msg.Fe_SelfReference,
      ok: "extern X { X(); }\nextern E { E(); X f(); }\n", bad: "extern E { E();\nE f(); // ERR\n}\n" },
    { name: "a call of an overloaded function matches one declaration", msg: Msg.Fe_MultipleMatching,
      ok: "extern void f(in bit<8> a);\nextern void f(in bit<16> b);\ncontrol c() { apply { f(a = 8w1); } }\n",
      bad: "extern void f(in bit<8> a);\nextern void f(in bit<16> a);\ncontrol c() { apply {\nf(8w1); // ERR\n} }\n" },
  ],
  "constantFolding (Operations on arbitrary-precision integers; shifts)": [
    { name: "no modulo of a negative int (worded for modulo)", msg: Msg.Fe_ModNegative,
      ok: "const int k = 5 % 3;\n", bad: "const int k =\n-5 % 3; // ERR\n" },
    { name: "saturating arithmetic is on fixed-width values", msg: Msg.Fe_SaturatingUntyped,
      ok: "const bit<8> k = 8w250 |+| 10;\n", bad: "const int k =\n1 |+| 2; // ERR\n" },
    { name: "a constant is shifted by at most 2048 bits", msg: Msg.Fe_WidthUnsupported,
      ok: "const bit<8> k = 8w1 << 2048;\n", bad: "const bit<8> k =\n8w1 << 3000; // ERR\n" },
  ],
  "typeCheckTypes: Type_Struct after specialization (Type nesting rules)": [
    { name: "a generic struct is not specialized with int", msg: Msg.Fe_FieldType,
      ok: "struct S<T> { T t; }\nstruct R { S<bit<8>> s; }\n", bad: "struct S<T> {\nT t; // ERR\n}\nstruct R { S<int> s; }\n" },
  ],
  "typeCheckDecl: checkAbstractMethods (Instantiating objects with abstract methods)": [
    { name: "an extern without abstract methods has no initializer, even an empty one", msg: Msg.Fe_NoAbstractMethods,
      ok: "extern X { X(); }\nX() x;\n", bad: "extern X { X(); }\nX() x // ERR\n= {};\n" },
  ],
  "typeCheckDecl: Declaration_Instance (Instantiations; Calling convention: named arguments)": [
    { name: "named constructor arguments name the constructor's parameters", msg: Msg.Fe_NoMatchingCtor,
      ok: "extern E { E(bit<8> a); }\ncontrol c() { E(a = 1) e; apply {} }\n", bad: "extern E { E(bit<8> a); }\ncontrol c() {\nE(a = 1, b = 2) e; // ERR\napply {} }\n" },
    { name: "named constructor arguments bind every required parameter", msg: Msg.Fe_NoMatchingCtor,
      ok: "control q()(bit<8> a, bit<8> b) { apply {} }\ncontrol c() { q(b = 2, a = 1) x; apply {} }\n",
      bad: "control q()(bit<8> a, bit<8> b) { apply {} }\ncontrol c() {\nq(b = 2) x; // ERR\napply {} }\n" },
  ],
  "typeCheckStmt: ForInStatement (For statement: ranges)": [
    { name: "a range's bounds convert to the loop variable's type", msg: Msg.Fe_TypeMismatch,
      ok: ctl("for (bit<8> i in 1 .. 3) { x = i; }"), bad: ctl("for (bool i in\n1 .. 3) { } // ERR") },
  ],
  "typeCheckStmt: ReturnStatement (Return statement)": [
    { name: "a return with a value is only in a function (not an action)", msg: Msg.Fe_ReturnOutsideFunction,
      ok: "control c() { action a() { return; } apply { a(); } }\n", bad: "control c() { action a() {\nreturn 1; // ERR\n} apply { a(); } }\n" },
    { name: "a return with a value is only in a function (not a control)", msg: Msg.Fe_ReturnOutsideFunction,
      ok: "control c() { apply { return; } }\n", bad: "control c() { apply {\nreturn 1; // ERR\n} }\n" },
  ],
  "typeCheckStmt: ForInStatement (For statement)": [
    { name: "the loop variable has the header stack's element type", msg: Msg.Fe_ForInElement,
      ok: ctl("for (H h in s) { x = h.a; }"), bad: ctl("for (G g // ERR\nin s) { x = g.a; }") },
    { name: "the loop variable has the list's element type", msg: Msg.Fe_ForInListElement,
      ok: ctl("for (H h in (list<H>){s[0], s[1]}) { x = h.a; }"), bad: ctl("for (G g // ERR\nin (list<H>){s[0], s[1]}) { x = g.a; }") },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}
