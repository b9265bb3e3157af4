// Catalog entries of the parser and the front end, each with the smallest input
// that must trigger it (P4-16 spec rule or the reference's wording), run by
// catalog.test.ts. The line marked `/*@*/` is where the diagnostic must point.
import type { Cases } from "./harness.js";

const CORE = "#include <core.p4>\n";
/** A control `c` over one bit<8> with `locals` and `apply { body }`, on one line. */
const ctl = (locals: string, body: string): string => `control c(inout bit<8> x) { ${locals} apply { ${body} } }`;
/** A table `t` keyed on `x` listing `actions`, with `props`. */
const tbl = (actions: string, props = "", kind = "exact"): string => `table t { key = { x : ${kind}; } actions = { ${actions} } ${props} }`;

export const frontendCases: Cases = {
  // --- lexer and parser
  // P4-16 grammar: a statement position (the branch of an if) does not take a declaration.
  SyntaxError: { src: CORE + ctl("", "if (x == 1) bit<8> y = 2; /*@*/") + "\n" },
  BadIntLiteral: { src: "const bit<8> k = 0x_; /*@*/\n" },
  // Reported where the string starts, not where the file ends.
  UnterminatedString: { src: `@name("abc /*@*/\nconst bit<8> k = 1;\n` },

  // --- names and types
  Fe_NotAType: { src: "const bit<8> k = 1;\nstruct s_t { k f; } /*@*/\n" },
  Fe_NotGeneric: { src: "typedef bit<8> B;\nstruct s_t { B<bit<8>> f; } /*@*/\n" },
  Fe_IllegalArraySize: { src: "header h_t { bit<8> f; }\nstruct s_t { h_t[-1] hs; } /*@*/\n" },
  Fe_ValueSetType: { src: CORE + "parser p(packet_in pk) { value_set<int>(4) vs; /*@*/ state start { transition accept; } }\n" },
  Fe_MethodReturnType: { src: "extern E { E(); int f(); } /*@*/\n" },
  Fe_TypeArgIsBlock: { src: CORE + "control d() { apply { } }\nstruct s<T> { T f; }\nstruct u { s<d> g; } /*@*/\n" },
  Fe_SelfTypeArg: { src: "extern E<T> { E(); }\ncontrol c() { E<E<bit<8>>>() e; /*@*/ apply { } }\n" },
  Fe_SelfStructArg: { src: "struct s<T> { T f; }\nstruct u { s<s<bit<8>>> g; } /*@*/\n" },
  Fe_TypeParamsNeeded: { src: "extern E<T> { E(); }\ncontrol c(E e) { apply { } } /*@*/\n" },

  // --- parameters
  Fe_ParamType: { src: CORE + "control d() { apply { } }\ncontrol c(d x) { apply { } } /*@*/\n" },
  // P4-16, Actions: action parameters may not have extern types (nor be an int).
  Fe_ActionParamType: { src: "extern E { E(); }\naction a(E e) { } /*@*/\n" },

  // --- expressions
  Fe_ActionCallResult: { src: CORE + ctl("action a() { }", "bit<8> v = a()(); /*@*/") + "\n" },
  Fe_DefaultNotLast: { src: "const tuple<bit<8>, bit<8>> v = { ..., 1 }; /*@*/\n" },
  Fe_CannotExtract: { src: CORE + "struct s_t { bit<8> f; }\n" + ctl("", "x = s_t.f; /*@*/") + "\n" },
  Fe_BinaryNotDefined: { src: CORE + "control c(inout bool b) { apply { b = b < b; /*@*/ } }\n" },
  Fe_CouldNotInferWidth: { src: "const bit<8> k = 1;\nconst bit<16> kk = 3 ++ k; /*@*/\n" },
  Fe_StructCompareWidth: { src: CORE + "control c(inout bool b) { apply { b = { a = 1 } == { a = 1 }; /*@*/ } }\n" },
  Fe_NegativeCount: { src: CORE + "header h_t { bit<8> f; }\ncontrol c() { h_t[4] hs; apply { hs.push_front(-1); /*@*/ } }\n" },

  // --- calls and generics
  Fe_AbstractCtorCall: { src: "extern E { E(); abstract void f(); }\nextern void g(E e);\ncontrol c() { apply { g(E()); /*@*/ } }\n" },
  Fe_Ambiguous: { src: "extern E { E(); void f(in bit<8> a); void f(in bit<16> b); }\ncontrol c() { E() e; apply { e.f(1); /*@*/ } }\n" },
  Fe_ArgCannotHaveType: { src: CORE + "extern void g<T>(in T v);\n" + ctl("action a() { } " + tbl("a;"), "g(t); /*@*/") + "\n" },
  Fe_IllegalTypeArg: { src: "extern void g<T>();\ncontrol c() { apply { g<void>(); /*@*/ } }\n" },
  Fe_CannotInferType: { src: "extern void g<T>(in T v);\ncontrol c() { apply { g(_); /*@*/ } }\n" },
  Fe_UnknownStructArg: { src: "extern void g<T>(in T v);\ncontrol c() { apply { g({ a = 8w1 }); /*@*/ } }\n" },
  Fe_FixedWidthTypeArg: { src: CORE + "header h_t { varbit<8> v; }\nparser p(packet_in pk) { state start { h_t y = pk.lookahead<h_t>(); /*@*/ transition accept; } }\n" },
  Fe_MultipleVarbit: {
    src: CORE + "header h_t {\n  varbit<8> a; /*@*/\n  varbit<8> b;\n}\nparser p(packet_in pk) { h_t y; state start { pk.extract(y, 16); transition accept; } }\n",
  },
  Fe_DirectionlessConst: { src: "extern E { E(bit<8> v); }\nextern bit<8> f(bit<8> v);\n" + ctl("E(f(x)) e; /*@*/", "") + "\n" },

  // --- instantiations
  Fe_ActionInitializer: { src: CORE + "control d() { apply { } }\ncontrol c() { d() y = { void f() { } }; /*@*/ apply { y.apply(); } }\n" },
  Fe_NoAbstractMethods: { src: "extern E { E(); void f(); }\ncontrol c() { E() e = { void g() { } }; /*@*/ apply { } }\n" },

  // --- tables
  Fe_TableSelfRef: { src: CORE + ctl("action a() { } " + tbl("a;", "size = t.size; /*@*/"), "t.apply();") + "\n" },
  Fe_ParamControlPlane: { src: CORE + ctl("action a(bit<8> v) { x = v; } " + tbl("a(1); /*@*/"), "t.apply();") + "\n" },
  Fe_ActionNotBound: { src: CORE + ctl("action a(bit<8> v, bit<8> w) { x = v; } " + tbl("a;", "default_action = a(1); /*@*/"), "t.apply();") + "\n" },
  Fe_DifferentActions: { src: CORE + "action a() { }\n" + ctl("action a() { } " + tbl(".a;", "default_action = a; /*@*/"), "t.apply();") + "\n" },
  Fe_EntryPriority: { src: CORE + ctl("action a() { } " + tbl("a;", "entries = { 1 : a(); /*@*/ priority = 3 : 2 : a(); }", "ternary"), "t.apply();") + "\n" },
  Fe_TableInActionArg: {
    src: CORE + ctl("action a(in bool h) { } table u { key = { x : exact; } actions = { a(true); } } " + tbl("a(u.apply().hit); /*@*/"), "t.apply();") + "\n",
  },
  Fe_NoCallsInKeyset: { src: CORE + "extern bit<8> f();\nparser p(packet_in pk, in bit<8> x) { state start { transition select(x) { f(): accept; /*@*/ default: reject; } } }\n" },
  Fe_NoActionParams: { src: "match_kind { exact }\naction NoAction(bit<8> v) { } /*@*/\n" + ctl("action a() { } " + tbl("a;"), "t.apply();") + "\n" },
  Fe_ObjectNameInstances: {
    src: CORE + `control d(inout bit<8> x) { @name(".a") action a() { } /*@*/ ${tbl("a;")} apply { t.apply(); } }\ncontrol c(inout bit<8> x) { d() d1; d() d2; apply { d1.apply(x); d2.apply(x); } }\ncontrol ct(inout bit<8> x);\npackage Pk(ct cc);\nPk(c()) main;\n`,
  },
  Fe_TableNameInstances: {
    src: CORE + `control d(inout bit<8> x) { action a() { } @name(".t") ${tbl("a;")} /*@*/ apply { t.apply(); } }\ncontrol c(inout bit<8> x) { d() d1; d() d2; apply { d1.apply(x); d2.apply(x); } }\ncontrol ct(inout bit<8> x);\npackage Pk(ct cc);\nPk(c()) main;\n`,
  },
};
