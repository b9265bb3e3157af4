// The template and introspection back ends on hand-written models of corpus
// programs, against the reference compiler's outputs. Byte-identical where
// test/reference-deviations.md records no deviation; otherwise the reference
// with exactly the recorded deviation applied.
import { renderTemplate } from "../../../codegen/template/index.js";
import { renderIntrospection, renderIntrospectionText } from "../../../codegen/introspection/index.js";
import { validateModel } from "../../../compiler/ir/pipeline.js";
import { FIXTURES, readExpected, templateCommands } from "./corpusFixtures.js";
import { JSON_DEVIATIONS, TEMPLATE_DEVIATIONS, type JsonObj } from "../../helpers/referenceDeviations.js";


describe.each(Object.keys(FIXTURES).sort())("%s", (name) => {
  const model = FIXTURES[name]!;

  test("the hand-written model is valid", () => {
    expect(validateModel(model)).toEqual([]);
  });

  test("template", () => {
    const got = renderTemplate(model);
    const want = readExpected(name, "template");
    const deviate = TEMPLATE_DEVIATIONS[name];
    if (deviate) {
      expect(templateCommands(got)).toEqual(deviate(templateCommands(want)));
      expect(got).not.toBe(want);
    } else {
      expect(got).toBe(want);
    }
  });

  test("introspection JSON", () => {
    const text = renderIntrospectionText(model);
    expect(JSON.parse(text)).toEqual(renderIntrospection(model));
    const want = readExpected(name, "json");
    const deviate = JSON_DEVIATIONS[name];
    if (deviate) {
      const doc = JSON.parse(want) as JsonObj;
      deviate(doc);
      expect(JSON.parse(text)).toEqual(doc);
      expect(JSON.parse(text)).not.toEqual(JSON.parse(want));
    } else {
      expect(text).toBe(want);
    }
  });
});

test("the JSON layout follows the reference when keys are added (runtime params)", () => {
  const text = renderIntrospectionText(FIXTURES.tc_may_override_example_01!);
  expect(text).toContain(
    [
      '              "bitwidth" : 32,',
      '              "runtime" : true,',
      '              "default_value" : "123"',
      "            }",
    ].join("\n"),
  );
  expect(text.endsWith("}")).toBe(true);
});
