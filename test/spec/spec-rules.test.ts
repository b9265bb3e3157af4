// The P4-16 spec's rules that make a program illegal, one table per spec section
// (test/spec/README.md maps sections to rules and test names). Each rule has a
// program that must pass the front end and one that must fail with the rule's
// diagnostic as its first error, on the line marked `// ERR`. Through compile().
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, frontendErrors, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; bit<16> b; }
struct S { H h; bit<8> x; }
extern E { E(); void f(); }
`;

/** A control with `locals` and `apply { body }`. */
const ctl = (locals: string, body: string): string => `control c(inout S s) {\n${locals}\napply {\n${body}\n}\n}\n`;
/** A parser with one state `start` whose body is `body`. */
const prs = (locals: string, body: string): string =>
  `parser p(packet_in pk, inout S s) {\n${locals}\nstate start {\n${body}\ntransition accept;\n}\n}\n`;
const TABLE = (props: string, actions = "a; b;"): string =>
  `action a() {}\naction b(bit<8> v) { s.x = v; }\ntable t {\nkey = { s.x : exact; }\nactions = { ${actions} }\n${props}\n}\n`;

/** A table with one ternary key (whose entries can have priorities) and `props`. */
const TERNARY = (props: string): string =>
  `action a() {}\ntable t {\nkey = { s.x : ternary; }\nactions = { a; }\n${props}\n}\n`;

export const SECTIONS: Record<string, Rule[]> = {
  "Instantiations; Restrictions on compile time and run time calls (where instantiations go)": [
    { name: "no instantiation in an action", msg: Msg.Fe_InstantiationInAction,
      ok: ctl("E() e;\naction a() { e.f(); }", "a();"), bad: ctl("action a() {\nE() e; // ERR\ne.f(); }", "a();") },
    { name: "no instantiation in a control apply block", msg: Msg.Fe_InstantiationInApply,
      ok: ctl("E() e;", "e.f();"), bad: ctl("", "E() e; // ERR\ne.f();") },
    { name: "no instantiation in a parser state", msg: Msg.Fe_InstantiationInState,
      ok: prs("E() e;", "e.f();"), bad: prs("", "E() e; // ERR\ne.f();") },
    { name: "a control is not instantiated at the top level", msg: Msg.Fe_InstantiationTopLevel,
      ok: "control k() { apply {} }\ncontrol c() { k() x; apply { x.apply(); } }\n", bad: "control k() { apply {} }\nk() x; // ERR\n" },
    { name: "a parser is not instantiated in a control", msg: Msg.Fe_InstantiationPlace,
      ok: "parser q(packet_in pk) { state start { transition accept; } }\nparser r(packet_in pk) { q() x; state start { x.apply(pk); transition accept; } }\n",
      bad: "parser q(packet_in pk) { state start { transition accept; } }\ncontrol c() {\nq() x; // ERR\napply {} }\n" },
    { name: "a control is not instantiated in a parser", msg: Msg.Fe_InstantiationPlace,
      ok: "control k() { apply {} }\ncontrol c() { k() x; apply { x.apply(); } }\n",
      bad: "control k() { apply {} }\nparser r(packet_in pk) {\nk() x; // ERR\nstate start { transition accept; } }\n" },
    { name: "no constructor call in an action", msg: Msg.Fe_CtorCallInAction,
      ok: "extern X { X(); }\nextern void g(X x);\ncontrol c() { X() x; action a() { g(x); } apply { a(); } }\n",
      bad: "extern X { X(); }\nextern void g(X x);\ncontrol c() { action a() {\ng(X()); // ERR\n} apply { a(); } }\n" },
  ],
  "Instantiations (recursion)": [
    { name: "a parser does not instantiate itself", msg: Msg.Fe_SelfReference,
      ok: "parser q(packet_in pk) { state start { transition accept; } }\nparser r(packet_in pk) { q() x; state start { x.apply(pk); transition accept; } }\n",
      bad: "parser r(packet_in pk) {\nr() x; // ERR\nstate start { transition accept; } }\n" },
    { name: "controls do not instantiate each other in a cycle (the later one is not declared yet)", msg: Msg.Fe_NotFound,
      ok: "control k(inout S s) { apply {} }\ncontrol c(inout S s) { k() x; apply { x.apply(s); } }\n",
      bad: "control c(inout S s) { k() y; apply { y.apply(s); } } // ERR\ncontrol k(inout S s) {\nc() x;\napply { x.apply(s); } }\n" },
  ],
  "Variables": [
    { name: "no variable of type string", msg: Msg.Fe_VariableType,
      ok: ctl("", "bit<8> v = 1; s.x = v;"), bad: ctl("", "string v; // ERR") },
    { name: "no variable of type int", msg: Msg.Fe_VariableType,
      ok: ctl("", "const int v = 1; s.x = v;"), bad: ctl("", "int v = 1; // ERR\ns.x = (bit<8>)v;") },
  ],
  "Arbitrary-precision integers": [
    { name: "int parameters are directionless", msg: Msg.Fe_IntParamDirection,
      ok: "extern void f(int v);\n", bad: "extern void f(\nin int v); // ERR\n" },
  ],
  "Exit statement; Switch statement": [
    { name: "no exit in a function", msg: Msg.Fe_ExitInFunction,
      ok: "bit<8> f(in bit<8> x) { return x; }\n", bad: "bit<8> f(in bit<8> x) {\nexit; // ERR\n}\n" },
    { name: "no switch in an action", msg: Msg.Fe_SwitchInAction,
      ok: ctl("action a() { if (s.x == 1) { s.x = 2; } }", "a();"), bad: ctl("action a() {\nswitch (s.x) { 1: {} } // ERR\n}", "a();") },
    { name: "switch labels are compile-time known", msg: Msg.Fe_CompileTimeConst,
      ok: ctl("", "switch (s.x) { 1: {} 2: {} }"), bad: ctl("", "switch (s.x) {\ns.h.a: {} // ERR\n}") },
    { name: "switch on a fixed-width expression, not int", msg: Msg.Fe_SwitchType,
      ok: ctl("", "switch (8w3) { 1: {} }"), bad: ctl("", "switch (3) { // ERR\n1: {} }") },
  ],
  "Actions": [
    { name: "directionless action parameters come last", msg: Msg.Fe_ActionParamOrder,
      ok: "action a(inout bit<8> y, bit<8> x) { y = x; }\n", bad: "action a(bit<8> x,\ninout bit<8> y) { y = x; } // ERR\n" },
  ],
  "Tables: Table properties, Actions": [
    { name: "a table has an actions property", msg: Msg.Fe_TableNoActions,
      ok: ctl(TABLE(""), "t.apply();"), bad: ctl("table t { // ERR\nkey = { s.x : exact; } }", "t.apply();") },
    { name: "directional parameters are bound in the action list", msg: Msg.Fe_ParamNotBound,
      ok: ctl("action d(inout bit<8> v) { v = 1; }\ntable t { actions = { d(s.x); } }", "t.apply();"),
      bad: ctl("action d(inout bit<8> v) { v = 1; }\ntable t { actions = {\nd; // ERR\n} }", "t.apply();") },
  ],
  "Explicit casts; Operations on header stacks": [
    { name: "only 0 and 1 cast to bool", msg: Msg.Fe_CastToBool,
      ok: ctl("", "bool v = (bool)1; if (v) { s.x = 1; }"), bad: ctl("", "bool v = (bool)2; // ERR\nif (v) { s.x = 1; }") },
    { name: "a constant stack index is in bounds", msg: Msg.Fe_IndexOutOfBounds,
      ok: ctl("H[2] st;", "st[1].a = 1;"), bad: ctl("H[2] st;", "st[2].a = 1; // ERR") },
  ],
  "Restrictions on compile time and run time calls (where calls go)": [
    { name: "no action call from a parser", msg: Msg.Fe_CallPlace,
      ok: "action a() {}\ncontrol c() { apply { a(); } }\n", bad: "action a() {}\n" + prs("", "a(); // ERR") },
    { name: "no control applied from a parser", msg: Msg.Fe_CallPlace,
      ok: "control k(inout S s) { apply {} }\ncontrol c(inout S s) { apply { k.apply(s); } }\n",
      bad: "control k(inout S s) { apply {} }\n" + prs("", "k.apply(s); // ERR") },
  ],
  "Notes common to all switch statements": [
    { name: "switch labels are distinct", msg: Msg.Fe_DuplicateSwitchLabel,
      ok: ctl("", "switch (s.x) { 1: {} 2: {} }"), bad: ctl("", "switch (s.x) { 1: {}\n1: {} // ERR\n}") },
    { name: "action labels are distinct", msg: Msg.Fe_DuplicateSwitchLabel,
      ok: ctl(TABLE(""), "switch (t.apply().action_run) { a: {} b: {} }"),
      bad: ctl(TABLE(""), "switch (t.apply().action_run) { a: {}\na: {} // ERR\n}") },
  ],
  "Function declarations": [
    { name: "a function returns a value on every path", msg: Msg.Fe_MissingReturn,
      ok: "bit<8> f(in bit<8> x) { if (x == 1) { return 2; } else { return 3; } }\n",
      bad: "bit<8> f(in bit<8> x) { // ERR\nif (x == 1) { return 2; } }\n" },
  ],
  "Annotations on the table action list": [
    { name: "a @tableonly action is not the default action", msg: Msg.Fe_DefaultActionTableOnly,
      ok: ctl(TABLE("default_action = a();", "@tableonly b; a;"), "t.apply();"),
      bad: ctl(TABLE("default_action = b(1); // ERR", "a; @tableonly b;"), "t.apply();") },
  ],
  "Size; Entry priorities": [
    { name: "size is a compile-time known integer", msg: Msg.Fe_TablePropertyType,
      ok: ctl(TABLE("size = 1024;"), "t.apply();"), bad: ctl(TABLE("size = true; // ERR"), "t.apply();") },
    { name: "size is not a run-time value", msg: Msg.Fe_TablePropertyType,
      ok: "control k(inout S s)(bit<32> n) {\n" + TABLE("size = n;") + "apply { t.apply(); } }\n",
      bad: ctl(TABLE("size = s.x; // ERR"), "t.apply();") },
    { name: "largest_priority_wins is a boolean", msg: Msg.Fe_TablePropertyType,
      ok: ctl(TABLE("largest_priority_wins = false;"), "t.apply();"), bad: ctl(TABLE("largest_priority_wins = 1; // ERR"), "t.apply();") },
    { name: "priority_delta is an integer", msg: Msg.Fe_TablePropertyType,
      ok: ctl(TABLE("priority_delta = 10;"), "t.apply();"), bad: ctl(TABLE("priority_delta = true; // ERR"), "t.apply();") },
  ],
  "Entries": [
    { name: "an entry's action is in the action list", msg: Msg.Fe_ActionNotInTable,
      ok: ctl("action z() {}\n" + TABLE("const entries = { 1 : a(); }"), "t.apply(); z();"),
      bad: ctl("action z() {}\n" + TABLE("const entries = {\n1 : z(); // ERR\n}"), "t.apply(); z();") },
    { name: "an entry's action is not @defaultonly", msg: Msg.Fe_EntryActionDefaultOnly,
      ok: ctl(TABLE("const entries = { 1 : a(); }", "a; @defaultonly b;"), "t.apply();"),
      bad: ctl(TABLE("const entries = {\n1 : b(1); // ERR\n}", "a; @defaultonly b;"), "t.apply();") },
    { name: "an entry binds every action parameter", msg: Msg.Fe_ParamNotBound,
      ok: ctl(TABLE("const entries = { 1 : b(2); }"), "t.apply();"), bad: ctl(TABLE("const entries = {\n1 : b(); // ERR\n}"), "t.apply();") },
    { name: "an entry's keyset is compile-time known", msg: Msg.Fe_EntryNotConstant,
      ok: ctl(TABLE("const entries = { 1 : a(); }"), "t.apply();"), bad: ctl(TABLE("const entries = {\ns.x : a(); // ERR\n}"), "t.apply();") },
    { name: "an entry's action arguments are compile-time known", msg: Msg.Fe_EntryNotConstant,
      ok: ctl(TABLE("const entries = { 1 : b(3); }"), "t.apply();"), bad: ctl(TABLE("const entries = {\n1 : b(s.x); // ERR\n}"), "t.apply();") },
  ],
  "Operations on strings": [
    { name: "strings are only concatenated, not compared", msg: Msg.Fe_CannotCompare,
      ok: "const string k = \"a\" ++ \"b\";\n", bad: ctl("", "bool v = \"a\" == \"b\"; // ERR\nif (v) { s.x = 1; }") },
  ],
  "Calling convention; Optional parameters": [
    { name: "an argument name is used once", msg: Msg.Fe_SameArgName,
      ok: "extern void f(in bit<8> a, in bit<8> b);\n" + ctl("", "f(b = 1, a = 2);"),
      bad: "extern void f(in bit<8> a, in bit<8> b);\n" + ctl("", "f(a = 1, a = 2); // ERR") },
    { name: "functions have no @optional parameters", msg: Msg.Fe_OptionalNotAllowed,
      ok: "extern void f(in bit<8> a, @optional in bit<8> b);\n", bad: "void f(in bit<8> a,\n@optional in bit<8> b) {} // ERR\n" },
  ],
  "Abstract methods": [
    { name: "an abstract method's implementation has its return type", msg: Msg.Fe_AbstractMismatch,
      ok: "extern X { X(); abstract bit<8> f(); }\ncontrol c() { X() x = { bit<8> f() { return 1; } }; apply {} }\n",
      bad: "extern X { X(); abstract bit<8> f(); }\ncontrol c() {\nX() x = { bool f() { return true; } }; // ERR\napply {} }\n" },
  ],
  "Type nesting rules": [
    { name: "a struct field is not a match_kind", msg: Msg.Fe_FieldType,
      ok: "struct T { error e; bool b; }\n", bad: "struct T {\nmatch_kind m; // ERR\n}\n" },
    { name: "a struct field is not a list", msg: Msg.Fe_FieldType,
      ok: "struct T { tuple<bit<8>, bool> t; }\n", bad: "struct T {\nlist<bit<8>> l; // ERR\n}\n" },
    { name: "type applies to bit<W>, int<W>, bool and type names only", msg: Msg.Fe_NewTypeBase,
      ok: "typedef bit<8> B;\ntype B T;\n", bad: "type error T; // ERR\n" },
    { name: "type does not apply to varbit", msg: Msg.Fe_NewTypeBase,
      ok: "type int<8> T;\n", bad: "type varbit<8> T; // ERR\n" },
  ],
  "Entry priorities": [
    { name: "an entry priority is a compile-time known non-negative integer", msg: Msg.Fe_EntryPriorityValue,
      ok: ctl(TERNARY("entries = { priority=3: 1 &&& 1 : a(); priority=(1+1): 2 : a(); }"), "t.apply();"),
      bad: ctl(TERNARY("entries = {\npriority=(1-3): 1 &&& 1 : a(); // ERR\n}"), "t.apply();") },
    { name: "an entry priority is not a run-time value", msg: Msg.Fe_EntryPriorityValue,
      ok: "control k(inout S s)(bit<32> n) {\n" + TERNARY("entries = { priority=(n): 1 : a(); }") + "apply { t.apply(); } }\n",
      bad: ctl(TERNARY("entries = {\npriority=(s.x): 1 : a(); // ERR\n}"), "t.apply();") },
  ],
  "Predefined annotations; Annotations controlling naming": [
    { name: "@hidden takes no arguments", msg: Msg.Fe_AnnotationNoArgs,
      ok: ctl("@hidden action z() {}", "z();"), bad: ctl("@hidden(\"z\") action z() {} // ERR", "z();") },
    { name: "@tableonly and @defaultonly take no arguments", msg: Msg.Fe_AnnotationNoArgs,
      ok: ctl(TABLE("", "@tableonly a; @defaultonly b;"), "t.apply();"), bad: ctl(TABLE("", "a;\n@defaultonly(1) b; // ERR\n"), "t.apply();") },
    { name: "@deprecated takes one string", msg: Msg.Fe_StringAnnotation,
      ok: "@deprecated(\"use g\") extern void f();\n", bad: "@deprecated(1) extern void f(); // ERR\n" },
    { name: "@pure and @noSideEffects take no arguments", msg: Msg.Fe_AnnotationNoArgs,
      ok: "@pure extern bit<8> f(in bit<8> x);\n@noSideEffects extern bit<8> g(in bit<8> x);\n",
      bad: "@pure[x=1] extern bit<8> f(in bit<8> x); // ERR\n" },
  ],
  "Operations on arbitrary-precision integers; Operations on fixed-width bit types (division)": [
    { name: "no division by zero", msg: Msg.Fe_DivByZero,
      ok: ctl("", "s.x = s.x / 2;"), bad: ctl("", "s.x = s.x / 0; // ERR") },
    { name: "no modulo by zero", msg: Msg.Fe_ModByZero,
      ok: ctl("", "s.x = s.x % 3;"), bad: ctl("", "s.x = s.x % 8w0; // ERR") },
  ],
  "Operations on fixed-width bit types: slices; Concatenation and shifts": [
    { name: "a slice is [msb:lsb]", msg: Msg.Fe_SliceOrder,
      ok: ctl("", "s.x = s.h.b[12:5];"), bad: ctl("", "s.x = (bit<8>)s.h.b[3:5]; // ERR") },
    { name: "a slice is within the width", msg: Msg.Fe_SliceRange,
      ok: ctl("", "s.x = s.h.b[15:8];"), bad: ctl("", "s.x = s.h.b[16:9]; // ERR") },
    { name: "no shift by a negative constant", msg: Msg.Fe_ShiftNegative,
      ok: ctl("", "s.x = s.x << 1;"), bad: ctl("", "s.x = s.x << -1; // ERR") },
    { name: "no division by a negative constant", msg: Msg.Fe_DivNegative,
      ok: "const int k = 5 / 2;\n", bad: "const int k = -5 / 2; // ERR\n" },
  ],
  "Generic methods; Don't care": [
    { name: "explicit type arguments match the type parameters in number", msg: Msg.Fe_TypeArgCountCall,
      ok: "T f<T>(in T x) { return x; }\n" + ctl("", "s.x = f<bit<8>>(s.x);"),
      bad: "T f<T>(in T x) { return x; }\n" + ctl("", "s.x = f<bit<8>, bit<8>>(s.x); // ERR") },
    { name: "_ is not a variable's type", msg: Msg.Fe_DontCareType,
      ok: "struct P<T> { T f; }\n" + ctl("", "P<bit<8>> v = { f = 1 }; s.x = v.f;"),
      bad: "struct P<T> { T f; }\n" + ctl("", "P<_> v; // ERR") },
  ],
  "Name resolution (declare before use)": [
    { name: "a function is declared before it is called", msg: Msg.Fe_NotFound,
      ok: "bit<8> f(in bit<8> x) { return x; }\n" + ctl("", "s.x = f(s.x);"),
      bad: ctl("", "s.x = f(s.x); // ERR") + "bit<8> f(in bit<8> x) { return x; }\n" },
    { name: "an action is declared before it is called", msg: Msg.Fe_NotFound,
      ok: "action a() {}\n" + ctl("", "a();"), bad: ctl("", "a(); // ERR") + "action a() {}\n" },
    { name: "a constant is declared before it is used", msg: Msg.Fe_NotFound,
      ok: "const bit<8> K = 1;\n" + ctl("", "s.x = K;"), bad: ctl("", "s.x = K; // ERR") + "const bit<8> K = 1;\n" },
    { name: "a constant is not used in its own initializer", msg: Msg.Fe_NotFound,
      ok: "const bit<8> J = 1;\nconst bit<8> K = J + 1;\n", bad: "const bit<8> K = K + 1; // ERR\n" },
    { name: "a control is declared before it is instantiated", msg: Msg.Fe_NotFound,
      ok: "control k(inout S s) { apply {} }\ncontrol c(inout S s) { k() x; apply { x.apply(s); } }\n",
      bad: "control c(inout S s) {\nk() x; // ERR\napply { x.apply(s); } }\ncontrol k(inout S s) { apply {} }\n" },
    { name: "a type is declared before it is used", msg: Msg.Fe_NotFound,
      ok: "typedef bit<8> B;\nstruct T { B f; }\n", bad: "struct T {\nB f; // ERR\n}\ntypedef bit<8> B;\n" },
    { name: "a parser state may be used before it is declared", msg: Msg.Fe_NotFound,
      ok: "parser q(packet_in pk) { state start { transition next; } state next { transition accept; } }\n",
      bad: "parser q(packet_in pk) { state start { transition next; } state next {\ntransition other; // ERR\n} }\n" },
  ],
  "Name resolution (shadowing parameters)": [
    { name: "a local in the apply block does not take a parameter's name", msg: Msg.Fe_ShadowsParameter,
      ok: ctl("", "bit<8> v = 1; s.x = v;"), bad: ctl("", "bit<8> s = 1; // ERR") },
    { name: "a local in an action does not take a parameter's name", msg: Msg.Fe_ShadowsParameter,
      ok: ctl("action a(bit<8> v) { bit<8> w = v; s.x = w; }", "a(1);"),
      bad: ctl("action a(bit<8> v) {\nbit<8> v2 = v; bit<8> s = v2; // ERR\n}", "a(1);") },
    { name: "a local in a function does not take a parameter's name", msg: Msg.Fe_ShadowsParameter,
      ok: "bit<8> f(in bit<8> x) { bit<8> y = x; return y; }\n", bad: "bit<8> f(in bit<8> x) {\nbit<8> x = 1; // ERR\nreturn x; }\n" },
  ],
  "Switch statement with integer or enumerated type expression": [
    { name: "the switch expression is not bool", msg: Msg.Fe_SwitchType,
      ok: ctl("", "switch (s.h.a) { 1: {} }"), bad: ctl("", "switch (s.h.a == 1) { // ERR\ntrue: {} }") },
  ],
  "Table properties": [
    { name: "a table property is given once", msg: Msg.Fe_Duplicate,
      ok: ctl(TABLE("size = 16;"), "t.apply();"), bad: ctl(TABLE("size = 16;\nsize = 32; // ERR"), "t.apply();") },
    { name: "a table has one key property", msg: Msg.Fe_Duplicate,
      ok: ctl(TABLE(""), "t.apply();"), bad: ctl(TABLE("key = { s.h.a : exact; } // ERR"), "t.apply();") },
  ],
  "Keys": [
    { name: "a key field is a scalar", msg: Msg.Fe_KeyType,
      ok: ctl("action a() {}\ntable t { key = { s.h.a : exact; s.h.isValid() : exact; } actions = { a; } }", "t.apply();"),
      bad: ctl("action a() {}\ntable t { key = {\ns.h : exact; // ERR\n} actions = { a; } }", "t.apply();") },
  ],
  "Default action": [
    { name: "the default action follows the actions property", msg: Msg.Fe_DefaultActionBeforeList,
      ok: ctl("action a() {}\ntable t { actions = { a; } default_action = a(); }", "t.apply();"),
      bad: ctl("action a() {}\ntable t {\ndefault_action = a(); // ERR\nactions = { a; } }", "t.apply();") },
    { name: "the default action is an action call", msg: Msg.Fe_DefaultActionNotAction,
      ok: ctl(TABLE("default_action = a;"), "t.apply();"), bad: ctl(TABLE("default_action = 1; // ERR"), "t.apply();") },
    { name: "the default action binds every action parameter", msg: Msg.Fe_ActionNotBound,
      ok: ctl(TABLE("default_action = b(1);"), "t.apply();"), bad: ctl(TABLE("default_action = b; // ERR"), "t.apply();") },
    { name: "the default action has no more arguments than parameters", msg: Msg.Fe_ArgCount,
      ok: ctl(TABLE("default_action = b(1);"), "t.apply();"), bad: ctl(TABLE("default_action = b(1, 2); // ERR"), "t.apply();") },
    { name: "the default action's named arguments name parameters", msg: Msg.Fe_NoSuchParam,
      ok: ctl(TABLE("default_action = b(v = 1);"), "t.apply();"), bad: ctl(TABLE("default_action = b(w = 1); // ERR"), "t.apply();") },
    { name: "the default action's directional arguments are the action list's", msg: Msg.Fe_DefaultActionArgMismatch,
      ok: ctl("action d(inout bit<8> v, bit<8> w) { v = w; }\ntable t { actions = { d(s.x); } default_action = d(s.x, 1); }", "t.apply();"),
      bad: ctl("action d(inout bit<8> v, bit<8> w) { v = w; }\ntable t { actions = { d(s.x); }\ndefault_action = d(s.h.a, 1); // ERR\n}", "t.apply();") },
  ],
  "Entries (action arguments)": [
    { name: "an entry's action has no more arguments than parameters", msg: Msg.Fe_ArgCount,
      ok: ctl(TABLE("const entries = { 1 : a(); }"), "t.apply();"), bad: ctl(TABLE("const entries = {\n1 : a(1); // ERR\n}"), "t.apply();") },
  ],
  "Actions (parameter types)": [
    { name: "action parameters are not externs", msg: Msg.Fe_ActionParamType,
      ok: "action a(in bit<8> x) {}\n", bad: "action a(\nE e) { e.f(); } // ERR\n" },
  ],
  "Enumeration types": [
    { name: "an enum has at least one member", msg: Msg.SyntaxErrorExpected,
      ok: "enum En { A, }\n", bad: "enum En { } // ERR\n" },
  ],
  "Bodies of Structured Annotations": [
    { name: "a structured annotation's keys are distinct", msg: Msg.Fe_Duplicate,
      ok: "@a[x=1, y=2] const bit<8> K = 1;\n", bad: "@a[x=1, x=2] const bit<8> K = 1; // ERR\n" },
    { name: "structured annotation values are int, string or bool", msg: Msg.Fe_StructuredAnnotationType,
      ok: "@a[1, \"s\", true, 2 + 3] const bit<8> K = 1;\n", bad: "@a[8w1] const bit<8> K = 1; // ERR\n" },
    { name: "structured annotation values are not structured expressions", msg: Msg.Fe_StructuredAnnotationType,
      ok: "@a[x=1] const bit<8> K = 1;\n", bad: "@a[x={1, 2}] const bit<8> K = 1; // ERR\n" },
    { name: "structured annotation values are compile-time known", msg: Msg.Fe_StructuredAnnotationConst,
      ok: "const int N = 3;\n@a[n=N] const bit<8> K = 1;\n", bad: "extern int g();\n@a[n=g()] const bit<8> K = 1; // ERR\n" },
  ],
  "Explicit casts (enums)": [
    { name: "an enum without an underlying type is not cast to bit<W>", msg: Msg.Fe_CastNotSupported,
      ok: "enum bit<8> En { A = 1 }\n" + ctl("", "s.x = (bit<8>)En.A;"), bad: "enum En { A }\n" + ctl("", "s.x = (bit<8>)En.A; // ERR") },
  ],
  "Method invocations and function calls (don't care)": [
    { name: "_ is only an out argument", msg: Msg.Fe_DontCareArg,
      ok: "extern void g(out bit<8> x);\n" + ctl("", "g(_);"), bad: "extern void g(in bit<8> x);\n" + ctl("", "g(_); // ERR") },
  ],
  "Instantiations (compile-time evaluation)": [
    { name: "constructor arguments are compile-time known", msg: Msg.Fe_CtorArgNotConst,
      ok: "extern X { X(bit<8> n); }\ncontrol c(inout S s)(bit<8> m) { X(m) x; X(8w3) y; apply {} }\n",
      bad: "extern X { X(bit<8> n); }\ncontrol c(inout S s) {\nX(s.x) x; // ERR\napply {} }\n" },
  ],
  "Constants": [
    { name: "a constant is not of an extern type", msg: Msg.Fe_ConstExtern,
      ok: "const bit<8> K = 1;\nE() e;\n", bad: "const E K = E(); // ERR\n" },
  ],
  "Instantiating objects with abstract methods": [
    { name: "an abstract method's implementation is not generic", msg: Msg.Fe_AbstractGeneric,
      ok: "extern X { X(); abstract bit<8> f(); }\ncontrol c() { X() x = { bit<8> f() { return 1; } }; apply {} }\n",
      bad: "extern X { X(); abstract bit<8> f(); }\ncontrol c() { X() x = {\nbit<8> f<T>() { return 1; } }; // ERR\napply {} }\n" },
  ],
  "For statement": [
    { name: "for-in iterates over a range, a header stack or a list", msg: Msg.Fe_ForInCollection,
      ok: ctl("H[2] st;", "for (bit<8> i in 1 .. 3) { s.x = i; } for (H h in st) { s.x = h.a; }"),
      bad: ctl("", "for (bit<8> i in s.x) { s.x = i; } // ERR") },
  ],
  "Parser states (grammar: parserState)": [
    { name: "the transition is the last statement of a state", msg: Msg.SyntaxErrorExpected,
      ok: prs("", "s.x = 1;"), bad: "parser p(packet_in pk, inout S s) { state start {\ntransition accept;\ns.x = 1; // ERR\n} }\n" },
    { name: "a state has one transition", msg: Msg.SyntaxErrorExpected,
      ok: "parser p(packet_in pk) { state start { transition accept; } }\n",
      bad: "parser p(packet_in pk) { state start { transition accept;\ntransition reject; // ERR\n} }\n" },
  ],
  "Restrictions on compile time and run time calls (top level of a control, constructor parameters)": [
    { name: "no table applied at the top level of a control", msg: Msg.Fe_CallPlace,
      ok: ctl("action a() {}\ntable t { actions = { a; } }", "bool b = t.apply().hit; if (b) { s.x = 1; }"),
      bad: ctl("action a() {}\ntable t { actions = { a; } }\nbool b = t.apply().hit; // ERR", "if (b) { s.x = 1; }") },
    { name: "a control does not take a package constructor parameter", msg: Msg.Fe_ParamType,
      ok: "package Q();\ncontrol C(inout S s);\npackage P(C c, Q q);\n", bad: "package Q();\ncontrol c(inout S s)(\nQ q) { apply {} } // ERR\n" },
    { name: "an extern does not take a control constructor parameter", msg: Msg.Fe_ParamType,
      ok: "extern X { X(E e); }\n", bad: "control C(inout S s);\nextern X { X(\nC c); } // ERR\n" },
  ],
  "Operations on fixed-width bit types ([L+:W] slices)": [
    { name: "the width of an [L+:W] slice is compile-time known", msg: Msg.Fe_SliceConst,
      ok: ctl("", "s.x = s.h.b[s.x +: 8];"), bad: ctl("", "s.x = (bit<8>)s.h.b[0 +: s.x]; // ERR") },
  ],
  "Parser Value Sets": [
    { name: "the size of a value_set is compile-time known", msg: Msg.Fe_ValueSetSize,
      ok: "parser p(packet_in pk, in bit<32> n)(bit<32> m) { value_set<bit<8>>(m) vs; state start { transition accept; } }\n",
      bad: "parser p(packet_in pk, in bit<32> n) {\nvalue_set<bit<8>>(n) vs; // ERR\nstate start { transition accept; } }\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}

describe("Instantiations (recursion), after name resolution", () => {
  test("a cycle written with a forward reference is also reported as recursive instantiation", () => {
    const bad = "control c(inout S s) { k() y; apply { y.apply(s); } }\ncontrol k(inout S s) { c() x; apply { x.apply(s); } }\n";
    expect(frontendErrors(PRELUDE, bad).map((d) => d.code)).toEqual(expect.arrayContaining([Msg.Fe_NotFound.code, Msg.Fe_RecursiveInstantiation.code]));
  });
});
