// Reference checks (part C): the error conditions of the reference's front-end passes
// other than its type checker (validateParsedProgram, checkNamedArgs, checkCoreMethods,
// entryPriorities, tableKeyNames, duplicateActionControlPlaneNameCheck, ...), enumerated
// from its source; test/spec/README.md lists them. Each rule has a program that passes the
// front end and one rejected with the rule's diagnostic as its first error, on the line
// marked `// ERR`. Programs have no architecture and no `main`, like the reference's
// error tests. Through compile().
import { Msg } from "../../compiler/diagnostics/messages.js";
import { frontendErrors, testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `#include <core.p4>
header H { bit<8> a; bit<8> b; }
`;

/** A control with the action `a` and the table `t` whose key and other properties are `props`. */
const tbl = (props: string, params = "in H h"): string =>
  `control c(${params}) {\naction a() {}\ntable t {\n${props}\n}\napply { t.apply(); } }\n`;

const SECTIONS: Record<string, Rule[]> = {
  "Match-action table: Keys (tableKeyNames)": [
    { name: "a cast key needs @name", msg: Msg.Fe_ComplexKeyName,
      ok: tbl("key = { (bit<16>)h.a: exact @name(\"w\"); h.a & 0xf: exact; h.a[3:0]: exact; h.isValid(): exact; }\nactions = { a; }"),
      bad: tbl("key = {\n(bit<16>)h.a: exact; } // ERR\nactions = { a; }") },
    { name: "a call key other than isValid() needs @name", msg: Msg.Fe_ComplexKeyName,
      ok: "extern bit<8> f();\n" + tbl("key = { f(): exact @name(\"f\"); }\nactions = { a; }"),
      bad: "extern bit<8> f();\n" + tbl("key = {\nf(): exact; } // ERR\nactions = { a; }") },
  ],
  "Control-plane API annotations (duplicateActionControlPlaneNameCheck)": [
    { name: "two actions of a control have distinct relative @names", msg: Msg.Fe_ControlPlaneName,
      ok: "control c() {\n@name(\"x\") action a() {}\n@name(\"y\") action b() {}\napply { a(); b(); } }\n",
      bad: "control c() {\n@name(\"x\") action a() {}\n@name(\"x\") action b() {} // ERR\napply { a(); b(); } }\n" },
    { name: "a local action's name does not collide with an absolute @name", msg: Msg.Fe_ControlPlaneName,
      ok: "@name(\".d.a\") action g() {}\ncontrol c() {\naction a() {}\napply { a(); g(); } }\n",
      bad: "@name(\".c.a\") action g() {}\ncontrol c() {\naction a() {} // ERR\napply { a(); g(); } }\n" },
  ],
  "Control-plane API annotations (one absolute @name, one object)": [
    { name: "a table with an absolute @name in a control instantiated twice", msg: Msg.Fe_TableNameInstances,
      ok: "control d() {\naction a() {}\n@name(\".t\") table t { actions = { a; } }\napply { t.apply(); } }\ncontrol c() {\nd() d1;\napply { d1.apply(); } }\n",
      bad: "control d() {\naction a() {}\n@name(\".t\") table t { actions = { a; } } // ERR\napply { t.apply(); } }\ncontrol c() {\nd() d1; d() d2;\napply { d1.apply(); d2.apply(); } }\n" },
    { name: "an action with an absolute @name in a control instantiated twice", msg: Msg.Fe_ObjectNameInstances,
      ok: "control d() {\n@name(\"a\") action a() {}\napply { a(); } }\ncontrol c() {\nd() d1; d() d2;\napply { d1.apply(); d2.apply(); } }\n",
      bad: "control d() {\n@name(\".a\") action a() {} // ERR\napply { a(); } }\ncontrol c() {\nd() d1; d() d2;\napply { d1.apply(); d2.apply(); } }\n" },
    { name: "an extern instance with an absolute @name in a control instantiated twice", msg: Msg.Fe_ObjectNameInstances,
      ok: "extern E { E(); }\ncontrol d() {\n@name(\".e\") E() e;\napply { } }\ncontrol c() {\nd() d1;\napply { d1.apply(); } }\n",
      bad: "extern E { E(); }\ncontrol d() {\n@name(\".e\") E() e; // ERR\napply { } }\ncontrol c() {\nd() d1; d() d2;\napply { d1.apply(); d2.apply(); } }\n" },
  ],
  "Control-plane API annotations (duplicateHierarchicalNameCheck)": [
    { name: "two tables do not share a hierarchical @name", msg: Msg.Fe_ControlPlaneName,
      ok: "control c() {\naction a() {}\n@name(\"x\") table t1 { actions = { a; } }\n@name(\"y\") table t2 { actions = { a; } }\napply { t1.apply(); t2.apply(); } }\ncontrol d() {\naction a() {}\n@name(\"x\") table t2 { actions = { a; } }\napply { t2.apply(); } }\n",
      bad: "control c() {\naction a() {}\n@name(\".x\") table t1 { actions = { a; } }\napply { t1.apply(); } }\ncontrol d() {\naction a() {}\n@name(\".x\") table t2 { actions = { a; } } // ERR\napply { t2.apply(); } }\n" },
    { name: "two instances do not share a hierarchical @name", msg: Msg.Fe_ControlPlaneName,
      ok: "extern E { E(); }\ncontrol c() {\n@name(\"e\") E() e1;\n@name(\"f\") E() e2;\napply {} }\n",
      bad: "extern E { E(); }\ncontrol c() {\n@name(\"e\") E() e1;\n@name(\"e\") E() e2; // ERR\napply {} }\n" },
  ],
  "Name resolution (validateParsedProgram: top-level duplicates)": [
    { name: "a function and an extern function do not share a name", msg: Msg.Fe_DuplicateDecl,
      ok: "void f() {}\nvoid f(in bit<8> x) {}\n",
      bad: "extern void f(in bit<8> x);\nvoid f() {} // ERR\n" },
  ],
  "Optional parameters and default values (checkNamedArgs)": [
    { name: "an inout parameter has no default value", msg: Msg.Fe_OutDefault,
      ok: "extern void f(in bit<8> x = 1);\n", bad: "extern void f(inout bit<8> x = 1); // ERR\n" },
    { name: "an @optional parameter has no default value", msg: Msg.Fe_OptionalDefault,
      ok: "extern void f(@optional in bit<8> x);\n", bad: "extern void f(@optional in bit<8> x = 1); // ERR\n" },
  ],
  "Calling convention (checkNamedArgs)": [
    { name: "either all or none of the arguments of a call are named", msg: Msg.Fe_NamedArgsMixed,
      ok: "extern void f(in bit<8> a, in bit<8> b);\ncontrol c() { apply { f(b = 2, a = 1); f(1, 2); } }\n",
      bad: "extern void f(in bit<8> a, in bit<8> b);\ncontrol c() { apply { f(a = 1,\n2); } } // ERR\n" },
  ],
  "Data insertion into packets (checkCoreMethods)": [
    { name: "emit takes structs and tuples of headers only, recursively", msg: Msg.Fe_EmitNested,
      ok: "struct S { H h; H[2] s; }\ncontrol c(packet_out p, in S s, in H h) { apply { p.emit(s); p.emit({h, s}); p.emit<H>({1, 2}); } }\n",
      bad: "struct S { H h; bit<8> b; }\ncontrol c(packet_out p, in S s) { apply {\np.emit(s); } } // ERR\n" },
  ],
  "Packet extraction: lookahead (checkCoreMethods)": [
    { name: "lookahead has its type argument written", msg: Msg.Fe_LookaheadTypeArg,
      ok: "parser p(packet_in pk) { state start { bit<8> x = pk.lookahead<bit<8>>(); transition accept; } }\n",
      bad: "parser p(packet_in pk) { state start {\nbit<8> x = pk.lookahead(); // ERR\ntransition accept; } }\n" },
  ],
  "Entries; Entry priorities (entryPriorities)": [
    { name: "const entries have no numeric priorities", msg: Msg.Fe_ConstEntriesPriority,
      ok: tbl("key = { h.a: ternary; }\nactions = { a; }\nentries = { priority=10: 1 &&& 1: a(); }"),
      bad: tbl("key = { h.a: ternary; }\nactions = { a; }\nconst entries = {\npriority=10: 1 &&& 1: a(); } // ERR") },
    { name: "priorities only for a key that is not all exact or lpm", msg: Msg.Fe_PriorityNotRequired,
      ok: tbl("key = { h.a: exact; h.b: ternary; }\nactions = { a; }\nentries = { priority=10: (1, 1 &&& 1): a(); }"),
      bad: tbl("key = { h.a: exact; h.b: lpm; } // ERR\nactions = { a; }\nentries = { priority=10: (1, 1 &&& 1): a(); }") },
  ],
  "Compile-time size determination; static_assert (staticAssert)": [
    { name: "a static_assert that folds to false fails with its message", msg: Msg.Fe_StaticAssertFailed,
      ok: "struct S { bit<8> a; bit<4> b; }\nconst bool k = static_assert(H.maxSizeInBits() == 16 && S.maxSizeInBytes() == 2, \"size\");\ncontrol c() { apply { static_assert(true); } }\n",
      bad: "const bool k = static_assert(H.minSizeInBytes() == 1, // ERR\n\"H has two bytes\");\n" },
  ],
  "Predefined annotations (parseAnnotations)": [
    { name: "@likely, @unlikely, @unroll and @persistent take no arguments", msg: Msg.Fe_AnnotationNoArgs,
      ok: "control c(in H h) { apply { if (h.a == 1) @likely { } else @unlikely { }\n@unroll for (bit<8> i = 0; i < 2; i = i + 1) { } } }\n",
      bad: "control c(in H h) { apply {\nif (h.a == 1) @likely(1) { } } } // ERR\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}

test("@noWarn with a non-string argument is accepted without an internal error", () => {
  expect(frontendErrors(PRELUDE, "@noWarn(1) action x() {}\ncontrol c() { apply { x(); } }\n")).toEqual([]);
});
