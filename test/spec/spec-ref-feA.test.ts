// Reference checks (p4c's frontends/p4/typeChecking/typeCheckExpr.cpp, typeUnification.cpp):
// the error conditions of the reference's expression type checker that p4ts missed
// or worded differently, each with a program that passes the front end and one
// rejected with the rule's diagnostic as its first error, on the line marked
// `// ERR` (test/spec/README.md, "Reference checks (typeCheckExpr.cpp, typeUnification.cpp)").
// Small programs without an architecture, like the reference's error tests.
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; }
`;

/** A control with parameters `params`, locals `locals` and apply block `body`. */
const ctl = (params: string, locals: string, body: string): string => `control c(${params}) {\n${locals}\napply {\n${body}\n}\n}\n`;
/** A table on key `y` (a control parameter) with the properties `props`. */
const tbl = (props: string): string => `table t {\n${props}\n}`;

const SECTIONS: Record<string, Rule[]> = {
  "typeCheckExpr.cpp: comparisons (Operations on tables, actions, match_kind)": [
    { name: "table application results are not compared", msg: Msg.Fe_ApplyResultCompare,
      ok: ctl("in bit<8> y", tbl("key = { y : exact; } actions = {}"), "bool b = t.apply().hit == t.apply().miss;"),
      bad: ctl("in bit<8> y", tbl("key = { y : exact; } actions = {}"), "bool b = t.apply() == t.apply(); // ERR") },
    { name: "tables are not compared", msg: Msg.Fe_TableCompare,
      ok: ctl("in bit<8> y", tbl("key = { y : exact; } actions = {}"), "t.apply();"),
      bad: ctl("in bit<8> y", tbl("key = { y : exact; } actions = {}"), "bool b = t == t; // ERR") },
    { name: "actions are not compared", msg: Msg.Fe_ActionCompare,
      ok: ctl("", "action a() {}", "a();"),
      bad: ctl("", "action a() {}", "bool b = a == a; // ERR") },
    { name: "match_kind values are compared for equality", msg: Msg.Fe_CannotCompare,
      ok: ctl("", "", "bool b = exact == ternary;\nbool d = lpm != exact;"),
      bad: ctl("", "", "bool b = exact == 1; // ERR") },
  ],
  "typeCheckExpr.cpp: table entries and default actions (Entries; Default action)": [
    { name: "the entries list comes after the table key", msg: Msg.Fe_EntriesBeforeKey,
      ok: ctl("in bit<8> y", "action a() {}\n" + tbl("key = { y : exact; }\nactions = { a; }\nconst entries = { 1 : a(); }"), "t.apply();"),
      bad: ctl("in bit<8> y", "action a() {}\n" + tbl("actions = { a; }\nconst entries = { 1 : a(); } // ERR\nkey = { y : exact; }"), "t.apply();") },
    { name: "a lone _ keyset matches one key only", msg: Msg.Fe_EntryKeyset,
      ok: ctl("in bit<8> y, in bit<8> z", "action a() {}\n" + tbl("key = { y : ternary; z : ternary; }\nactions = { a; }\nconst entries = { (_, _) : a(); }"), "t.apply();"),
      bad: ctl("in bit<8> y, in bit<8> z", "action a() {}\n" + tbl("key = { y : ternary; z : ternary; }\nactions = { a; }\nconst entries = {\n_ : a(); // ERR\n}"), "t.apply();") },
    { name: "a default action's data arguments are compile-time known", msg: Msg.Fe_ActionArgNotConst,
      ok: ctl("in bit<8> y", "action a(bit<8> v) {}\n" + tbl("key = { y : exact; }\nactions = { a; }\ndefault_action = a(3);"), "t.apply();"),
      bad: ctl("in bit<8> y", "action a(bit<8> v) {}\n" + tbl("key = { y : exact; }\nactions = { a; }\ndefault_action = a(y); // ERR"), "t.apply();") },
  ],
  "typeCheckExpr.cpp: indexing (Operations on header stacks; Tuple types)": [
    { name: "a stack index is not negative", msg: Msg.Fe_NegativeIndex,
      ok: ctl("inout H[2] s", "", "s[1].a = 1;"), bad: ctl("inout H[2] s", "", "s[-1].a = 1; // ERR") },
    { name: "a stack index is an integer", msg: Msg.Fe_ArrayIndexType,
      ok: ctl("inout H[2] s, in bit<1> i", "", "s[i].a = 1;"), bad: ctl("inout H[2] s, in bool i", "", "s[i].a = 1; // ERR") },
    { name: "a stack's last element is read, not written (next is written)", msg: Msg.Fe_NotLValue,
      ok: "parser p(inout H[2] s) {\nstate start {\ns.next = (H){#};\nbit<8> v = s.last.a;\ntransition accept;\n}\n}\n",
      bad: "parser p(inout H[2] s) {\nstate start {\ns.last.a = 1; // ERR\ntransition accept;\n}\n}\n" },
    { name: "a tuple index is below the tuple size", msg: Msg.Fe_TupleIndexRange,
      ok: ctl("", "", "tuple<bit<8>, bool> t = { 1, true };\nbool b = t[1];"),
      bad: ctl("", "", "tuple<bit<8>, bool> t = { 1, true };\nbool b = t[2]; // ERR") },
  ],
  "typeCheckExpr.cpp: calls (Method invocations; Instantiations)": [
    { name: "a call does not return a control, parser or package", msg: Msg.Fe_IllegalReturnType,
      ok: "control C();\nextern bit<8> get();\n" + ctl("", "", "bit<8> v = get();"), bad: "control C();\nextern C make();\n" + ctl("", "", "make(); // ERR") },
  ],
  "typeCheckExpr.cpp: `...` (type ANYTYPE) is no operand (Structure-valued expressions; Tuple types)": [
    { name: "... is not an arithmetic operand", msg: Msg.Fe_OperandType,
      ok: "struct S { bit<8> a; bit<8> b; }\n" + ctl("inout bit<8> x", "", "S s = { a = 1, ... };\ns = { b = x, ... };"),
      bad: ctl("inout bit<8> x", "", "x = x + ...; // ERR") },
    { name: "... is not compared", msg: Msg.Fe_CannotCompare,
      ok: "struct S { bit<8> a; bit<8> b; }\n" + ctl("in S s", "", "bool b = s == (S){ a = 1, ... };"),
      bad: ctl("in bit<8> x", "", "bool b = x == ...; // ERR") },
    { name: "... is not ordered", msg: Msg.Fe_BinaryNotDefined,
      ok: ctl("in bit<8> x", "", "bool b = x < 8;"), bad: ctl("in bit<8> x", "", "bool b = x < ...; // ERR") },
    { name: "... is not a condition", msg: Msg.Fe_ConditionNotBool,
      ok: ctl("in bool x", "", "if (x) {}"), bad: ctl("", "", "if (...) {} // ERR") },
    { name: "... has no members", msg: Msg.Fe_CannotExtract,
      ok: ctl("in H h", "", "bool b = h.isValid();"), bad: ctl("", "", "bool b = (...).isValid(); // ERR") },
    { name: "... is no width", msg: Msg.Fe_WidthNotConstant,
      ok: "control c(out bit<(8)> y) { apply { y = 1; } }\n", bad: "control c(out bit<(...)> y) { // ERR\napply {} }\n" },
  ],
  "typeCheckExpr.cpp: members of {#} and of calls (Operations on headers; Actions)": [
    { name: "{#} has no members (its type is not known)", msg: Msg.Fe_CannotExtract,
      ok: ctl("", "", "bool b = ((H){#}).isValid();"), bad: ctl("", "", "bool b = {#}.isValid(); // ERR") },
    { name: "an action call has no members", msg: Msg.Fe_CannotExtract,
      ok: ctl("in bit<8> y", "action a() {}\n" + tbl("key = { y : exact; } actions = { a; }"), "bool b = t.apply().hit;\na();"),
      bad: ctl("in bit<8> y", "action a() {}\n" + tbl("key = { y : exact; } actions = { a; }"), "bool b = a().hit; // ERR") },
  ],
  "typeUnification.cpp: type variables (Generic functions; Type variables)": [
    { name: "a generic call binds every type variable (bindVariables.cpp)", msg: Msg.Fe_CannotInferType,
      ok: "extern void f<T>(@optional in T x);\nextern void g<T>();\n" + ctl("", "", "f();\nf(8w1);\ng<bit<8>>();"),
      bad: "extern void g<T>();\n" + ctl("", "", "g(); // ERR") },
    { name: "a type variable only in the result is bound by the call's use, not by a call statement", msg: Msg.Fe_CannotInferType,
      ok: "extern T g<T>();\n" + ctl("", "", "bit<8> x = g();"),
      bad: "extern T g<T>();\n" + ctl("", "", "g(); // ERR") },
    { name: "two type variables of a generic declaration are distinct types", msg: Msg.Fe_TypeMismatch,
      ok: "void g<T, U>(in T b, out T c, out U d) {\nc = b;\n}\n", bad: "void g<T, U>(in T b, out U c) {\nc = b; // ERR\n}\n" },
  ],
  "typeUnification.cpp: structure-valued expressions and generic types (Structure-valued expressions; Header unions; Generic data types)": [
    { name: "a header union is not initialized from a list or a structure-valued expression", msg: Msg.Fe_TypeMismatch,
      ok: "header_union U { H h; }\n" + ctl("in H x", "", "U u = (U){#};\nU v;\nv.h = x;"),
      bad: "header_union U { H h; }\n" + ctl("in H x", "", "U u = { h = x }; // ERR") },
    { name: "values of a generic struct type with other type arguments are not assigned", msg: Msg.Fe_TypeMismatch,
      ok: "struct S<T> { T t; }\n" + ctl("", "", "S<bit<8>> s = { t = 1 };\nS<bit<8>> u = s;"),
      bad: "struct S<T> { T t; }\n" + ctl("", "", "S<bit<8>> s = { t = 1 };\nS<bool> u = s; // ERR") },
  ],
  "typeUnification.cpp: parser and control arguments (Parser and control types; Instantiations)": [
    { name: "a control argument has the parameter type's number of parameters (not fewer)", msg: Msg.Fe_CtorArgType,
      ok: "control C1(in bit<8> x, in bit<8> y = 1);\npackage Pk(C1 p);\ncontrol cc(in bit<8> x) { apply {} }\nPk(cc()) main;\n",
      bad: "control C1(in bit<8> x, in bit<8> y);\npackage Pk(C1 p); // ERR\ncontrol cc(in bit<8> x) { apply {} }\nPk(cc()) main;\n" },
    { name: "a control argument has the parameter type's number of parameters (not more)", msg: Msg.Fe_CtorArgType,
      ok: "control C1(in bit<8> x);\ncontrol outer(in bit<8> x)(C1 inner) { apply { inner.apply(x); } }\ncontrol cc(in bit<8> x, in bit<8> y = 2) { apply {} }\ncontrol top(in bit<8> x) { outer(cc()) o;\napply { o.apply(x); } }\n",
      bad: "control C1(in bit<8> x);\ncontrol outer(in bit<8> x)(C1 inner) { apply { inner.apply(x); } }\ncontrol cc(in bit<8> x, in bit<8> y) { apply {} }\ncontrol top(in bit<8> x) { outer(cc()) o; // ERR\napply { o.apply(x); } }\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}
