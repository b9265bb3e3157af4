// The shared Handlebars environment: strict (a missing view field throws),
// no HTML escaping, isolated from the global Handlebars instance.
import Handlebars from "handlebars";
import fs from "node:fs";
import path from "node:path";
import { hbs, COMPILE_OPTIONS } from "../../../codegen/hbs.js";
import { compileTemplate } from "../../../codegen/hbs-compile.js";
import { TEMPLATE_SOURCE, buildTemplateView } from "../../../codegen/template/index.js";
import { compiledTemplateModule } from "../../../codegen/template/precompile.js";
import { repoRoot } from "../../helpers/corpus.js";
import { FIXTURES } from "./corpusFixtures.js";

test("compiles with noEscape and strict", () => {
  expect(COMPILE_OPTIONS).toEqual({ noEscape: true, strict: true });
  expect(compileTemplate<{ a: string }>("{{a}}")({ a: "<&>\"'" })).toBe("<&>\"'");
  expect(() => compileTemplate<object>("{{missing}}")({})).toThrow(/missing/);
});

test("is its own environment", () => {
  expect(hbs).not.toBe(Handlebars);
  expect(Object.keys(hbs.helpers)).toEqual(Object.keys(Handlebars.create().helpers));
});

test("the template script fails loudly on a missing printed field", () => {
  // Strict mode checks printed fields ({{x}}); arguments of block helpers
  // ({{#if x}}) are looked up leniently, which is why TemplateView is a
  // complete TypeScript type with null for absent facts.
  const view = buildTemplateView(FIXTURES.direct_counter_example!) as unknown as { tables: Record<string, unknown>[] };
  delete view.tables[0]!.tentries;
  expect(() => compileTemplate<unknown>(TEMPLATE_SOURCE)(view)).toThrow(/tentries/);
});

test("the precompiled template script is TEMPLATE_SOURCE precompiled today (else: npm run build && node scripts/precompile-template.mjs)", () => {
  const committed = fs.readFileSync(path.join(repoRoot, "codegen/template/compiled.ts"), "utf8");
  expect(committed).toBe(compiledTemplateModule(TEMPLATE_SOURCE));
});
