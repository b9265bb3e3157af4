// The shared Handlebars environment: strict (a missing view field throws),
// no HTML escaping, isolated from the global Handlebars instance.
import Handlebars from "handlebars";
import { compileTemplate, hbs, COMPILE_OPTIONS } from "../../../codegen/hbs.js";
import { TEMPLATE_SOURCE, buildTemplateView } from "../../../codegen/template/index.js";
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
