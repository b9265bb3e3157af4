// The unused and shadow warnings, and how --Wdisable / --Werror change them.
import { compile } from "../../../compiler/compile.js";
import { Msg } from "../../../compiler/diagnostics/index.js";

const prog = (body: string, top = ""): string => `#include <core.p4>
${top}
control C(inout bit<8> x) {
${body}
    apply { }
}
control Top(inout bit<8> y) { C() c; apply { c.apply(y); } }
`;

function run(src: string, opts: { disabledWarnings?: string[]; warningsAsErrors?: string[] } = {}) {
  const r = compile({ input: { source: src, fileName: "w.p4" }, stopAfter: "frontend", ...opts });
  return { r, ws: r.diagnostics.filter((d) => d.category === "warning").map((d) => `${d.code}:${d.span?.line}:${d.message}`) };
}

test("an action nothing refers to is unused; one a table lists is not", () => {
  const { ws } = run(prog("    action a() { }\n    action b() { }\n    table t { actions = { b; } }"));
  expect(ws).toContain(`${Msg.Fe_Unused.code}:4:'a' is unused`);
  expect(ws.some((w) => w.includes("'b' is unused"))).toBe(false);
  expect(ws).toContain(`${Msg.Fe_Unused.code}:6:table 't' is unused`);
});

test("a control nobody instantiates is unused; @noWarn(\"unused\") silences it", () => {
  expect(run(prog("")).ws).toContain(`${Msg.Fe_Unused.code}:7:control 'Top' is unused`);
  expect(run(prog("").replace("control Top", '@noWarn("unused") control Top')).ws).toEqual([]);
});

test("a local action with the name of a top-level one shadows it", () => {
  const { r, ws } = run(prog("    action g() { }\n    table t { actions = { g; } }\n    apply { t.apply(); }".replace("    apply { t.apply(); }", ""), "action g() { }"));
  expect(ws.some((w) => w.startsWith(`${Msg.Fe_Shadows.code}:4:'g' shadows 'g'`))).toBe(true);
  const d = r.diagnostics.find((x) => x.code === Msg.Fe_Shadows.code)!;
  expect(d.related[0]?.span.line).toBe(2);
});

test("--Wdisable=unused removes them, --Werror=shadow turns shadowing into an error", () => {
  expect(run(prog("    action a() { }"), { disabledWarnings: ["unused"] }).ws).toEqual([]);
  const { r } = run(prog("    action g() { }\n    table t { actions = { g; } }", "action g() { }"), { warningsAsErrors: ["shadow"] });
  expect(r.ok).toBe(false);
  expect(r.format()).toMatch(/w\.p4\(4\): \[--Werror=shadow\] error: 'g' shadows 'g'/);
});
