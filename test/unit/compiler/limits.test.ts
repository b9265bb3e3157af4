// Issue 11, item 1: no recursion limit, memory or time blow-up is reachable
// from the input. Deep nesting, long chains, long lines and macro bombs get
// one located "overlimit" error (exit 1), never a stack overflow (exit 2) or
// a hang; nesting just inside the limits compiles.
import { compile, type CompileResult } from "../../../compiler/compile.js";
import { MAX_NESTING } from "../../../grammar/parse.js";

function program(applyBody: string, prelude = "", types = ""): string {
  return `${prelude}#include <core.p4>
#include <tc/pna.p4>
header h_t { bit<8> a; }
struct headers_t { h_t h; }
struct metadata_t { }
${types}
parser P(packet_in pkt, out headers_t hdr, inout metadata_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.h); transition accept; }
}
control C(inout headers_t hdr, inout metadata_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    apply {
${applyBody}
    }
}
control D(packet_out pkt, inout headers_t hdr, in metadata_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.h); }
}
PNA_NIC(P(), C(), D()) main;
`;
}

function run(source: string): CompileResult {
  return compile({ input: { source, fileName: "limits.p4" } });
}

/** The one error, with its code, line and kind. */
function onlyError(r: CompileResult): { code: number; line: number | undefined; kind: string; message: string } {
  const errors = r.diagnostics.filter((d) => d.category === "error");
  expect(errors).toHaveLength(1);
  const e = errors[0];
  return { code: e.code, line: e.span?.line, kind: e.kind, message: e.message };
}

const APPLY_LINE = 12; // the line of program()'s apply body

describe("nesting limits (parser and AST depth)", () => {
  test.each([
    ["2,000 nested parentheses", program(`hdr.h.a = ${"(".repeat(2000)}1${")".repeat(2000)};`), "expression"],
    ["2,000 nested blocks", program(`${"{".repeat(2000)}${"}".repeat(2000)}`), "statement"],
    ["2,000 nested ifs without braces", program(`${"if (hdr.h.a == 1) ".repeat(2000)}hdr.h.a = 2;`), "nested"],
    ["2,000 nested ifs with braces", program(`${"if (hdr.h.a == 1) {".repeat(2000)}hdr.h.a = 2;${"}".repeat(2000)}`), "nested"],
    ["5,000 unary minus signs", program(`hdr.h.a = ${"-".repeat(5000)}hdr.h.a;`), "expression"],
    ["a chain of 1,000 `1+1+...` terms", program(`hdr.h.a = ${Array(1000).fill("1").join("+")};`), "expression"],
    ["a 120,000-token line", program(`hdr.h.a = 1${" + 1".repeat(60000)};`), "expression"],
    ["2,000 nested tuple types", program("", "", `typedef ${"tuple<".repeat(2000)}bit<8>${">".repeat(2000)} T;`), "type"],
  ])("%s: one located overlimit error", (_what, source, word) => {
    const r = run(source);
    expect(r.ok).toBe(false);
    const e = onlyError(r);
    expect(e.kind).toBe("overlimit");
    expect(e.message).toContain(`nested deeper than ${MAX_NESTING} levels`);
    expect(e.message).toContain(word === "nested" ? "nested" : word);
    expect(e.line).toBe(word === "type" ? 6 : APPLY_LINE);
  });

  test("nesting just inside the limits compiles", () => {
    const n = Math.floor(MAX_NESTING / 2) - 5;
    expect(run(program(`${"if (hdr.h.a == 1) {".repeat(n)}hdr.h.a = 2;${"}".repeat(n)}`)).ok).toBe(true);
    expect(run(program(`hdr.h.a = ${"(hdr.h.a + ".repeat(n)}1${")".repeat(n)};`)).ok).toBe(true);
    expect(run(program(`hdr.h.a = ${Array(MAX_NESTING - 10).fill("hdr.h.a").join(" + ")};`)).ok).toBe(true);
    const chain = Array.from({ length: MAX_NESTING - 10 }, (_, i) => `if (hdr.h.a == ${i}) hdr.h.a = ${i + 1}; else `).join("");
    expect(run(program(`${chain}hdr.h.a = 0;`)).ok).toBe(true);
  });
});

describe("preprocessor limits", () => {
  test("a 20-level doubling macro bomb stops with a located error", () => {
    const defs = ["#define M0 1", ...Array.from({ length: 20 }, (_, k) => `#define M${k + 1} M${k}+M${k}`)].join("\n") + "\n";
    const r = run(program("hdr.h.a = M20;", defs));
    const e = onlyError(r);
    expect(e.kind).toBe("overlimit");
    expect(e.message).toMatch(/^macro M\d+: expansion exceeds 200000 tokens/);
    expect(e.line).toBe(APPLY_LINE + 21);
  });

  test("3,000 nested function-like macro calls stop with a located error", () => {
    const r = run(program(`hdr.h.a = ${"F(".repeat(3000)}1${")".repeat(3000)};`, "#define F(x) x\n"));
    const e = onlyError(r);
    expect(e.message).toMatch(/^macro F: expansion exceeds 200 nested levels/);
    expect(e.line).toBe(APPLY_LINE + 1);
  });

  test("a one-line macro producing 100,000 tokens expands (no spread of a long array)", () => {
    const body = Array(50000).fill("1").join(" ");
    const r = compile({ input: { source: `#define BIG ${body}\nBIG\n`, fileName: "big.p4" }, stopAfter: "parse" });
    // Not a program, but the preprocessor got through: the parser's error is about the tokens.
    expect(r.diagnostics.some((d) => d.code === 2000 || d.code === 2001)).toBe(true);
  });

  test.each([
    ["5,000 nested parentheses", `${"(".repeat(5000)}1${")".repeat(5000)}`],
    ["5,000 unary operators", `${"-".repeat(5000)}1`],
    ["5,000 nested conditionals", `${"1 ? ".repeat(5000)}1${" : 0".repeat(5000)}`],
  ])("#if with %s: a located error", (_what, expr) => {
    const r = run(program("", `#if ${expr}\n#endif\n`));
    const e = onlyError(r);
    expect(e.message).toBe("invalid #if expression: nested deeper than 200 levels");
    expect(e.line).toBe(1);
  });

  test("an include cycle stops at the include depth", () => {
    const files: Record<string, string> = { "/v/a.p4": '#include "b.p4"\n', "/v/b.p4": '#include "a.p4"\n' };
    const r = compile({ input: { file: "/v/a.p4" }, readFile: (p) => files[p] });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.category === "error").map((d) => d.kind)).toEqual(["overlimit"]);
  });
});
