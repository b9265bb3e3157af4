// The P4-16 spec's rules of parsers, controls, externs, packages and the grammar
// (part 2 of the front-end rule tables; test/spec/README.md lists them), as in
// spec-rules.test.ts: each rule has a program that passes the front end and one
// rejected with the rule's diagnostic as its first error, on the line marked
// `// ERR`. Through compile().
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; bit<8> b; }
`;

/** A parser whose start state extracts `h` and then runs `body` (statements and the transition). */
const prs = (locals: string, body: string): string =>
  `parser p(packet_in pk, out H h) {\n${locals}\nstate start {\npk.extract(h);\n${body}\n}\n}\n`;
/** An extern with the abstract method `abs` and an instance of it in a parser, implemented by `impl`. */
const abs = (am: string, impl: string): string =>
  `extern X { X(); abstract ${am}; }\nparser q() {\nX() x = { // ERR\n${impl}\n};\nstate start { transition accept; } }\n`;

/** A control with the action `action` and a table whose action list starts with `list` (closed by the caller when it ends with `}`). */
const tbl = (action: string, list: string): string =>
  `control c(inout H h) {\n${action}\ntable t {\nactions = { ${list}${list.includes("}") ? "" : " }"}\n}\napply { t.apply(); } }\n`;

const SECTIONS: Record<string, Rule[]> = {
  "Select expressions": [
    { name: "a tuple keyset has one component per selector", msg: Msg.Fe_SelectKeyset,
      ok: prs("", "transition select(h.a, h.b) { (1, 2): accept; default: reject; }"),
      bad: prs("", "transition select(h.a, h.b) { // ERR\n(1, 2, 3): accept; default: reject; }") },
    { name: "a single-value keyset does not match several selectors", msg: Msg.Fe_SelectKeyset,
      ok: prs("", "transition select(h.a, h.b) { default: accept; }"),
      bad: prs("", "transition select(h.a, h.b) { // ERR\n1: accept; default: reject; }") },
  ],
  "Select expressions (selector and value set types)": [
    { name: "a selector is not a varbit or a string", msg: Msg.Fe_SelectStruct,
      ok: prs("", "transition select(h.a) { default: accept; }"), bad: "parser q() { state start {\ntransition select(\"a\") { default: accept; } } } // ERR\n" },
    { name: "a value set of structs has one field per selector", msg: Msg.Fe_SelectKeyset,
      ok: "struct K { bit<8> a; bit<8> b; }\n" + prs("value_set<K>(4) vs;", "transition select(h.a, h.b) { vs: accept; default: reject; }"),
      bad: "struct K { bit<8> a; bit<8> b; }\n" + prs("value_set<K>(4) vs;", "transition select(h.a) { // ERR\nvs: accept; default: reject; }") },
    { name: "a value set of one value does not match several selectors", msg: Msg.Fe_SelectKeyset,
      ok: prs("value_set<bit<8>>(4) vs;", "transition select(h.a) { vs: accept; default: reject; }"),
      bad: prs("value_set<bit<8>>(4) vs;", "transition select(h.a, h.b) { // ERR\nvs: accept; default: reject; }") },
  ],
  "Parser Value Sets (element type and size)": [
    { name: "a value set holds bit<W>, int<W>, tuples, structs or serializable enums, not headers", msg: Msg.Fe_ValueSetType,
      ok: prs("value_set<bit<8>>(4) vs;", "transition accept;"), bad: prs("value_set<\nH>(4) vs; // ERR", "transition accept;") },
    { name: "the size of a value set is a non-negative integer", msg: Msg.Fe_ValueSetSize,
      ok: prs("value_set<bit<8>>(4) vs;", "transition accept;"), bad: prs("value_set<bit<8>>(\ntrue) vs; // ERR", "transition accept;") },
  ],
  "Parser states (namespace)": [
    { name: "a state does not take the name of a parser local", msg: Msg.Fe_Duplicate,
      ok: "parser q() { bit<8> t; state start { t = 1; transition accept; } }\n",
      bad: "parser q() { bit<8> t; state start { transition t; }\nstate t { transition accept; } } // ERR\n" },
  ],
  "Direct type invocation": [
    { name: "a parser or control applied directly needs no constructor arguments", msg: Msg.Fe_NoMatchingCtor,
      ok: "control k()(bit<8> n = 1) { apply {} }\ncontrol c() { apply { k.apply(); } }\n",
      bad: "control k()(bit<8> n) { apply {} }\ncontrol c() { apply {\nk.apply(); } } // ERR\n" },
    { name: "a parser or control type (no body) is not applied directly", msg: Msg.Fe_NoMatchingCtor,
      ok: "control k() { apply {} }\ncontrol c() { apply { k.apply(); } }\n",
      bad: "control K();\ncontrol c() { apply {\nK.apply(); } } // ERR\n" },
  ],
  "Parser states (grammar parserState, parserStatement)": [
    { name: "a transition is not nested in an if", msg: Msg.SyntaxError,
      ok: prs("", "if (h.a == 1) { h.b = 2; }\ntransition accept;"),
      bad: prs("", "if (h.a == 1) {\ntransition reject; } // ERR\ntransition accept;") },
    { name: "a transition is not nested in a block", msg: Msg.SyntaxError,
      ok: prs("", "{ h.b = 2; }\ntransition accept;"), bad: prs("", "{\ntransition accept; } // ERR") },
    { name: "no for loop in a parser state", msg: Msg.SyntaxError,
      ok: prs("", "transition accept;"), bad: prs("", "for (bit<8> i = 0; i < 2; i = i + 1) { } // ERR\ntransition accept;") },
  ],
  "Parser Value Sets (grammar valueSetDeclaration)": [
    { name: "a value_set is declared in a parser only", msg: Msg.SyntaxError,
      ok: prs("value_set<bit<8>>(4) vs;", "transition select(h.a) { vs: accept; default: reject; }"), bad: "value_set<bit<8>>(4) vs; // ERR\n" },
    { name: "a value_set holds a base type, a tuple or a type name, not a stack", msg: Msg.SyntaxError,
      ok: prs("value_set<tuple<bit<8>, bit<8>>>(4) vs;", "transition select(h.a, h.b) { vs: accept; default: reject; }"),
      bad: prs("value_set<H[2]>(4) vs; // ERR", "transition accept;") },
  ],
  "Extern objects (grammar methodPrototype)": [
    { name: "a constructor is not abstract", msg: Msg.SyntaxError,
      ok: "extern X { X(); abstract void f(); }\n", bad: "extern X {\nabstract X(); // ERR\n}\n" },
  ],
  "Enumeration types (grammar specifiedIdentifierList)": [
    { name: "every member of an enum with an underlying type has a value", msg: Msg.SyntaxErrorExpected,
      ok: "enum bit<8> E { A = 1, B = 2 }\n", bad: "enum bit<8> E { A = 1,\nB, // ERR\nC = 3 }\n" },
  ],
  "Abstract methods": [
    { name: "an implementation has the abstract method's parameter types", msg: Msg.Fe_AbstractMismatch,
      ok: abs("bit<8> f(in bit<8> a)", "bit<8> f(in bit<8> a) { return a; }").replace(" // ERR", ""),
      bad: abs("bit<8> f(in bit<8> a)", "bit<8> f(in bit<16> a) { return 1; }") },
    { name: "an implementation has the abstract method's parameters, leaving out only @optional ones", msg: Msg.Fe_AbstractMismatch,
      ok: abs("bit<8> f(in bit<8> a, @optional in bit<8> b)", "bit<8> f(in bit<8> a) { return a; }").replace(" // ERR", ""),
      bad: abs("bit<8> f(in bit<8> a, in bit<8> b)", "bit<8> f(in bit<8> a) { return a; }") },
    { name: "an implementation has no more parameters than the abstract method", msg: Msg.Fe_AbstractMismatch,
      ok: abs("void f(in bit<8> a)", "void f(in bit<8> a) { }").replace(" // ERR", ""),
      bad: abs("void f(in bit<8> a)", "void f(in bit<8> a, in bit<8> b) { }") },
  ],
  "Abstract methods (this)": [
    { name: "this has the instance's extern type: only its methods, with their arguments", msg: Msg.Fe_CannotExtract,
      ok: "extern X { X(); abstract void f(); void g(); }\ncontrol c() { X() x = { void f() { this.g(); } }; apply {} }\n",
      bad: "extern X { X(); abstract void f(); void g(); }\ncontrol c() { X() x = { void f() {\nthis.h(); } }; apply {} } // ERR\n" },
  ],
  "Package types": [
    { name: "package parameters have no direction", msg: Msg.Fe_CtorParamDirection,
      ok: "control C();\npackage P(C c);\n", bad: "control C();\npackage P(\nin C c); // ERR\n" },
  ],
  "Optional parameters and default values": [
    { name: "a default value has the parameter's type", msg: Msg.Fe_TypeMismatch,
      ok: "extern X { X(); void f(in bit<8> a = 1); }\n", bad: "extern X { X();\nvoid f(in bit<8> a = true); } // ERR\n" },
  ],
  "Tables: Actions (action list and entry arguments)": [
    { name: "an action list argument has the parameter's type", msg: Msg.Fe_ArgType,
      ok: tbl("action a(in bit<8> y) { h.b = y; }", "a(3);"), bad: tbl("action a(in bit<8> y) { h.b = y; }", "a(true); } // ERR") },
    { name: "an out or inout action list argument is a left-value", msg: Msg.Fe_ReadOnlyArg,
      ok: tbl("action a(inout bit<8> y) { y = 1; }", "a(h.b);"), bad: tbl("action a(inout bit<8> y) { y = 1; }", "a(8w1); } // ERR") },
    { name: "an entry's action argument has the parameter's type", msg: Msg.Fe_ArgType,
      ok: tbl("action a(bit<8> y) { h.b = y; }", "a; }\nkey = { h.a : exact; }\nconst entries = { 1 : a(2); }"),
      bad: tbl("action a(bit<8> y) { h.b = y; }", "a; }\nkey = { h.a : exact; }\nconst entries = { 1 : a(true); } // ERR") },
  ],
  "Operations on headers (setValid, setInvalid)": [
    { name: "setValid and setInvalid change a left-value, not an in parameter", msg: Msg.Fe_MustBeLValue,
      ok: "control c(inout H h) { apply { h.setInvalid(); } }\n", bad: "control c(in H h) { apply {\nh.setInvalid(); // ERR\n} }\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}
