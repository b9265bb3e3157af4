// The P4-16 spec's rules of the "Expressions" chapter and the type chapters
// (operations on each type, casts, l-values, compile-time values), one table per
// spec section, as in spec-rules.test.ts: each rule has a program that passes the
// front end and one rejected with the rule's diagnostic as its first error, on
// the line marked `// ERR` (test/spec/README.md lists them). Through compile().
// The programs have no architecture and no `main`, like the reference's error
// tests: the front end alone must reject them.
import { Msg } from "../../compiler/diagnostics/messages.js";
import { testRules, type Rule } from "../helpers/frontendRules.js";

const PRELUDE = `header h { bit<8> a; }
type bit<8> N;
extern void takeN(in N x);
`;

/** A control whose parameters are `params` and whose apply block is `body`. */
const ctl = (params: string, body: string): string => `control c(${params})() {\napply {\n${body}\n}\n}\n`;
/** A parser whose parameters are `params` and whose start state holds `body`. */
const prs = (params: string, body: string): string => `parser p(${params}) {\nstate start {\n${body}\ntransition accept;\n}\n}\n`;

const SECTIONS: Record<string, Rule[]> = {
  "Introducing new types; Operations on types introduced by type": [
    { name: "a value of the original type is not assigned to the new type", msg: Msg.Fe_TypeMismatch,
      ok: ctl("in bit<8> x", "N v = (N)x;\nN w = 3;"), bad: ctl("in bit<8> x", "N v = x; // ERR") },
    { name: "a value of the new type is not assigned to the original type", msg: Msg.Fe_TypeMismatch,
      ok: ctl("in N x", "bit<8> v = (bit<8>)x;"), bad: ctl("in N x", "bit<8> v = x; // ERR") },
    { name: "a value of the original type is not passed for the new type", msg: Msg.Fe_ArgType,
      ok: ctl("in bit<8> x", "takeN((N)x);"), bad: ctl("in bit<8> x", "takeN(x); // ERR") },
    { name: "the new type has no arithmetic", msg: Msg.Fe_OperandType,
      ok: ctl("in N x", "N v = (N)((bit<8>)x + 1);"), bad: ctl("in N x", "N v = x + x; // ERR") },
    { name: "the new type has no shifts", msg: Msg.Fe_OperandType,
      ok: ctl("in N x", "bit<8> v = (bit<8>)x << 1;"), bad: ctl("in N x", "bit<8> v = (bit<8>)(x << 1); // ERR") },
    { name: "the new type is compared only with its own type", msg: Msg.Fe_CannotCompare,
      ok: ctl("in N x, in N y", "bool b = x == y || x == (N)1;"), bad: ctl("in N x", "bool b = x == 1; // ERR") },
  ],
  "Operations on headers": [
    { name: "setValid and setInvalid apply to l-values", msg: Msg.Fe_MustBeLValue,
      ok: ctl("inout h x", "x.setValid();\nx.setInvalid();"), bad: ctl("in h x", "bool b = x.isValid();\nx.setValid(); // ERR") },
  ],
  "Operations on header stacks": [
    { name: "push_front and pop_front are not used in a parser", msg: Msg.Fe_StackOpInParser,
      ok: ctl("inout h[2] s", "s.push_front(1);\ns.pop_front(1);"), bad: prs("inout h[2] s", "s.push_front(1); // ERR") },
    { name: "push_front and pop_front apply to l-values", msg: Msg.Fe_MustBeLValue,
      ok: ctl("inout h[2] s", "s.pop_front(2);"), bad: ctl("in h[2] s", "h[2] t = s;\ns.pop_front(1); // ERR") },
    { name: "next, last and lastIndex are only for header stacks", msg: Msg.Fe_OnlyHeaderStacks,
      ok: prs("inout h[2] s", "s.next.a = 1;\nbit<32> i = s.lastIndex;"), bad: prs("inout bit<8>[2] s", "s.next = 1; // ERR") },
    { name: "push_front and pop_front are only for header stacks", msg: Msg.Fe_OnlyHeaderStacks,
      ok: ctl("inout h[2] s", "s.push_front(1);"), bad: ctl("inout bit<8>[2] s", "s.push_front(1); // ERR") },
  ],
  "Concatenation and shifts (A note about shifts)": [
    { name: "a constant shift amount fits an int", msg: Msg.Fe_ShiftTooLarge,
      ok: ctl("inout bit<8> x", "x = x << 100;"), bad: ctl("inout bit<8> x", "x = x << 10000000000; // ERR") },
  ],
  "Compile-time size determination": [
    { name: "int, string, error and enums without an underlying type have no size", msg: Msg.Fe_NoWidth,
      ok: "enum bit<8> S { A = 1 }\nconst int k = h.minSizeInBits() + S.maxSizeInBits() + (8w1).minSizeInBytes();\n",
      bad: "enum E { A }\nconst int k =\nE.A.minSizeInBits(); // ERR\n" },
  ],
  "Calling convention: call by copy in/copy out": [
    { name: "an argument for a directionless parameter is compile-time known (outside actions)", msg: Msg.Fe_DirectionlessArgConst,
      ok: "extern void g(bit<8> v);\nconst bit<8> K = 2;\n" + ctl("in bit<8> x", "g(K);\ng(3);"),
      bad: "extern void g(bit<8> v);\n" + ctl("in bit<8> x", "g(x); // ERR") },
  ],
  "Unsigned integers (bit-strings); Header stacks (compile-time known sizes)": [
    { name: "a width is a compile-time known integer, not a bool", msg: Msg.Fe_WidthNotConstant,
      ok: "const int W = 4;\nstruct s { bit<(W)> a; int<(W * 2)> b; }\n", bad: "struct s {\nbit<(true)> a; // ERR\n}\n" },
    { name: "a stack size is a compile-time known integer, not a bool", msg: Msg.Fe_StackSize,
      ok: "const int W = 4;\nstruct s { h[W] a; }\n", bad: "struct s {\nh[false] a; // ERR\n}\n" },
  ],
};

for (const [section, rules] of Object.entries(SECTIONS)) {
  describe(section, () => testRules(PRELUDE, rules, "first"));
}
