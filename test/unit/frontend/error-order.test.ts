// The reference resolves names in a pass of its own and stops there when one is
// missing, so its first error is an undeclared name even when a type error
// comes earlier in the file. p4ts checks both in one walk and puts the
// undeclared names first; the other errors still follow.
import { compile } from "../../../compiler/compile.js";

const errorsOf = (source: string) =>
  compile({ input: { source, fileName: "order.p4" }, stopAfter: "frontend" }).diagnostics.filter((d) => d.category === "error");

const typeError = "bit<8> f(in bit<8> x) { bool b = x; return x; }\n"; // line 1: bit<8> is not a bool
const missing = "bit<8> g(in bit<8> x) { return y; }\n"; // line 2: y is not declared

describe("undeclared names are reported before the errors of later checks", () => {
  test("a type error alone is the first error", () => {
    const errs = errorsOf(typeError);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0].span?.line).toBe(1);
  });
  test("an undeclared name after a type error comes first, and the type error still follows", () => {
    const errs = errorsOf(typeError + missing);
    expect(errs[0].message).toMatch(/y: declaration not found/);
    expect(errs[0].span?.line).toBe(2);
    expect(errs.some((e) => e.span?.line === 1)).toBe(true);
  });
  test("undeclared names keep their order among themselves", () => {
    const errs = errorsOf(typeError + missing + "bit<8> h(in bit<8> x) { return z; }\n");
    expect(errs.slice(0, 2).map((e) => e.message)).toEqual([expect.stringMatching(/^y:/), expect.stringMatching(/^z:/)]);
  });
});
