// The accept/reject harness of the front-end rule tables (test/spec/spec-rules.test.ts,
// test/unit/frontend/rules.test.ts): a rule has a program that must pass the front
// end and one that must be rejected with the rule's diagnostic on the line marked
// `// ERR`. Programs are a shared prelude followed by the rule's snippet, through compile().
import { compile } from "../../compiler/compile.js";
import type { MessageDef } from "../../compiler/diagnostics/messages.js";

export interface Rule {
  readonly name: string;
  readonly msg: MessageDef;
  readonly ok: string;
  readonly bad: string;
}

/** The front end's errors for `prelude + body`. */
export function frontendErrors(prelude: string, body: string) {
  const r = compile({ input: { source: prelude + body, fileName: "t.p4" }, stopAfter: "frontend" });
  return r.diagnostics.filter((d) => d.category === "error");
}

/** The 1-based line of `prelude + body` holding the `// ERR` marker. */
export function errLine(prelude: string, body: string): number {
  const i = (prelude + body).split("\n").findIndex((l) => l.includes("// ERR"));
  if (i < 0) throw new Error("no // ERR marker");
  return i + 1;
}

/**
 * Registers two tests per rule: `NAME: accepted` (no error) and `NAME: rejected`
 * (the rule's diagnostic at the marked line: the first error when `first`, else any).
 * `skipRejected` leaves out rejections a table checks elsewhere.
 */
export function testRules(prelude: string, rules: readonly Rule[], how: "first" | "any", skipRejected: (r: Rule) => boolean = () => false): void {
  for (const r of rules) {
    test(`${r.name}: accepted`, () => {
      expect(frontendErrors(prelude, r.ok).map((d) => `${d.span?.line}: ${d.message}`)).toEqual([]);
    });
    if (skipRejected(r)) continue;
    test(`${r.name}: rejected`, () => {
      const errs = frontendErrors(prelude, r.bad);
      expect(errs.length).toBeGreaterThan(0);
      if (how === "first") expect([errs[0].code, errs[0].span?.line, errs[0].message]).toEqual([r.msg.code, errLine(prelude, r.bad), errs[0].message]);
      else expect(errs.map((d) => [d.code, d.span?.line])).toContainEqual([r.msg.code, errLine(prelude, r.bad)]);
    });
  }
}
