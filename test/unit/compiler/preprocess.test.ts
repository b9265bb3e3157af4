// Preprocessor unit table: each directive and the position mapping, with an in-memory file system.
import { preprocess } from "../../../compiler/preprocessor/index.js";
import { SourceFiles } from "../../../compiler/source.js";
import { DiagnosticBag } from "../../../compiler/diagnostics/index.js";

function run(files: Record<string, string>, opts: { defines?: [string, string][]; undefines?: string[] } = {}) {
  const diags = new DiagnosticBag();
  const r = preprocess({
    file: "/m/main.p4",
    includePaths: ["/inc"],
    builtinIncludeDir: "/builtin",
    readFile: (p) => files[p],
    files: new SourceFiles(),
    diags,
    ...opts,
  });
  const words = r.text.split(/\s+/).filter(Boolean).join(" ");
  return { r, words, diags: diags.all().map((d) => `${d.span?.file}:${d.span?.line} ${d.category}: ${d.message}`) };
}

test.each([
  ["object-like macro", "#define N 8\nbit<N> x;", "bit<8> x;"],
  ["function-like macro", "#define ADD(a, b) ((a) + (b))\nADD(1, 2)", "((1) + (2))"],
  ["stringify", '#define S(x) #x\nS(a + b)', '"a + b"'],
  ["paste", "#define CAT(a, b) a ## b\nCAT(fo, o)", "foo"],
  ["variadic", "#define V(f, ...) f(__VA_ARGS__)\nV(g, 1, 2)", "g(1, 2)"],
  ["no self-expansion", "#define X X + 1\nX", "X + 1"],
  ["mutual recursion stops", "#define A B\n#define B A\nA", "A"],
  ["macro call across lines", "#define F(a, b) [a b]\nF(1,\n2)\n", "[1 2]"],
  ["#undef", "#define N 1\n#undef N\nN", "N"],
  ["#ifdef / #else", "#define A\n#ifdef A\nyes\n#else\nno\n#endif", "yes"],
  ["#ifndef", "#ifndef A\nyes\n#endif", "yes"],
  ["#if with expression", "#define V 3\n#if V * 2 > 5 && defined(V) && !defined W\nyes\n#elif 1\nno\n#endif", "yes"],
  ["#elif chain", "#if 0\na\n#elif 0\nb\n#elif 2 - 1\nc\n#else\nd\n#endif", "c"],
  ["nested conditionals in a false branch", "#if 0\n#if 1\nx\n#endif\n#else\ny\n#endif", "y"],
  ["ternary and shifts", "#if (1 << 4) == 16 ? 1 : 0\nyes\n#endif", "yes"],
  ["comments removed", "a /* b\n c */ d // e\nf", "a d f"],
  ["P4 operators pass through", "x &&& 0xff .. 8w0xFF |+| y", "x &&& 0xff .. 8w0xFF |+| y"],
  ["#pragma kept", "#pragma once_not\nx", "#pragma once_not x"],
])("%s", (_name, src, expected) => {
  const r = run({ "/m/main.p4": src });
  expect(r.words).toBe(expected);
  expect(r.diags).toEqual([]);
});

test("-D and -U", () => {
  expect(run({ "/m/main.p4": "A B" }, { defines: [["A", "1"], ["B", "2"]], undefines: ["B"] }).words).toBe("1 B");
});

test("includes: quoted relative to the includer, then -I, angle brackets -I then builtin, guards", () => {
  const files = {
    "/m/main.p4": '#include "local.p4"\n#include <lib.p4>\n#include <core.p4>\n#include <core.p4>\nend',
    "/m/local.p4": "local",
    "/inc/lib.p4": "lib",
    "/builtin/core.p4": "#ifndef CORE\n#define CORE\ncore\n#endif",
  };
  expect(run(files).words).toBe("local lib core end");
});

test("a missing include is a located error", () => {
  expect(run({ "/m/main.p4": "\n#include <nope.p4>\n" }).diags).toEqual(["/m/main.p4:2 error: #include file <nope.p4> not found"]);
});

test("#error and #warning", () => {
  expect(run({ "/m/main.p4": "#warning careful\n#if 1\n#error stop here\n#endif" }).diags).toEqual([
    "/m/main.p4:1 warning: #warning careful",
    "/m/main.p4:3 error: #error stop here",
  ]);
});

test("unterminated #if and stray #endif", () => {
  expect(run({ "/m/main.p4": "#if 1\nx" }).diags).toEqual(["/m/main.p4:1 error: unterminated conditional directive"]);
  expect(run({ "/m/main.p4": "#endif" }).diags).toEqual(["/m/main.p4:1 error: #endif without #if"]);
});

test("locate maps tokens back into included files and macro invocations", () => {
  const { r } = run({ "/m/main.p4": '#define W 16\n#include "h.p4"\n  bit<W> y;', "/m/h.p4": "\n  header h {}" });
  const at = (s: string) => r.locate(r.text.indexOf(s));
  expect(at("header")).toEqual({ file: "/m/h.p4", line: 2, col: 3 });
  expect(at("y;")).toEqual({ file: "/m/main.p4", line: 3, col: 10 });
  expect(at("16")).toEqual({ file: "/m/main.p4", line: 3, col: 7 });
});

test("#line renumbers the following lines", () => {
  const { r } = run({ "/m/main.p4": '#line 100 "other.p4"\nx' });
  expect(r.locate(r.text.indexOf("x"))).toEqual({ file: "other.p4", line: 100, col: 1 });
});
