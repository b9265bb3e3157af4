// Every rendered template is a valid bash script, clean under shellcheck, and
// runs (with TC set to a recording stub) a command sequence that follows the
// tc p4template grammar and the kernel's ordering rules.
import fs from "node:fs";
import path from "node:path";
import { renderTemplate } from "../../../codegen/template/index.js";
import { renderIntrospection } from "../../../codegen/introspection/index.js";
import {
  bashSyntaxError,
  checkTcCommands,
  checkTemplate,
  recordTemplate,
  shellcheck,
  SHELLCHECK,
  type IntrospectionLike,
} from "../../helpers/tcTemplateGrammar.js";
import { corpus, expectedDir, FIXTURES, templateCommands } from "./corpusFixtures.js";

describe.each(Object.keys(FIXTURES).sort())("%s", (name) => {
  const model = FIXTURES[name]!;
  const script = renderTemplate(model);
  const json = renderIntrospection(model) as unknown as IntrospectionLike;

  test("bash -n accepts it", () => {
    expect(bashSyntaxError(script)).toBeNull();
  });

  test("shellcheck is clean", () => {
    const r = shellcheck(script);
    if (r === null) {
      if (process.env.P4TS_REQUIRE_TOOLS === "1") throw new Error(`${SHELLCHECK} is required (P4TS_REQUIRE_TOOLS=1) but not installed`);
      console.warn(`${SHELLCHECK} not installed; skipped`);
      return;
    }
    expect(r).toBe("");
  });

  test("run under a recording TC, the commands follow the tc p4template grammar", () => {
    const r = checkTemplate(script, json);
    expect(r.syntaxError).toBeNull();
    expect(r.errors).toEqual([]);
    // What ran is what the script says: one recorded command per `$TC` line.
    expect(r.run.commands.map((c) => `$TC ${c.join(" ")}`)).toEqual(templateCommands(script));
    expect(r.run.commands.length).toBeGreaterThanOrEqual(2);
  });
});

describe("the checker on the reference compiler's templates", () => {
  const dirs = [expectedDir, path.join(corpus, "p4tc-stf")];
  const templates = dirs.flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((f) => f.endsWith(".template"))
      .map((f) => path.join(d, f)),
  );
  // The reference outputs the contract (§2.5) calls broken: a P4 mask in an
  // unquoted word is a bash syntax error, and const entries drop the
  // arguments of actions that have parameters.
  const broken: Record<string, RegExp> = {
    const_entries_range_mask: /syntax error|bash exited/,
    multiple_tables_example_01: /entry gives 0 of the 1 params/,
    multiple_tables_example_02: /entry gives 0 of the 1 params/,
  };

  test("finds all 62 of them", () => {
    expect(templates.length).toBe(62);
  });

  test.each(templates.map((t) => [path.basename(t, ".template"), t]))("%s", (name, file) => {
    const script = fs.readFileSync(file, "utf8");
    const jsonFile = file.replace(/\.template$/, ".json");
    const json = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as IntrospectionLike;
    const r = checkTemplate(script, json);
    const problems = [r.syntaxError ?? "", ...r.errors].filter((x) => x !== "");
    if (broken[name]) expect(problems.join("\n")).toMatch(broken[name]!);
    else expect(problems).toEqual([]);
  });
});

describe("checkTcCommands catches", () => {
  const P = "p4template";
  const base = (): string[][] => [
    [P, "create", "pipeline/p", "numtables", "1"],
    [P, "create", "action/p/c/a", "actid", "1", "param", "x", "type", "bit8"],
    [P, "update", "action/p/c/a", "state", "active"],
    [P, "create", "table/p/c/t", "tblid", "1", "type", "exact", "keysz", "8", "permissions", "0x3da4", "tentries", "1024", "nummasks", "1", "table_acts", "act", "name", "p/c/a", "flags", "tableonly", "act", "name", "NoAction"],
    [P, "update", "pipeline/p", "state", "ready"],
  ];

  test("nothing in a valid sequence", () => {
    expect(checkTcCommands(base())).toEqual([]);
  });
  test("an object used before it is created", () => {
    const c = base();
    [c[1], c[3]] = [c[3]!, c[1]!];
    expect(checkTcCommands(c).join("\n")).toMatch(/table action p\/c\/a does not exist/);
  });
  test("a pipeline not created first", () => {
    const c = base();
    c.unshift(c.splice(1, 1)[0]!);
    expect(checkTcCommands(c).join("\n")).toMatch(/pipeline must be created first/);
  });
  test("numtables that does not match the tables created", () => {
    const c = base();
    c[0]![4] = "2";
    expect(checkTcCommands(c).join("\n")).toMatch(/numtables 2 but 1 tables created/);
  });
  test("a tableonly default action and a missing param", () => {
    const c = base();
    c.splice(4, 0, [P, "update", "table/p/c/t", "default_miss_action", "action", "p/c/a"]);
    expect(checkTcCommands(c).join("\n")).toMatch(/tableonly/);
  });
  test("P4 range syntax in an entry key", () => {
    const c = base();
    c[3]![c[3]!.indexOf("tableonly")] = "defaultonly";
    c.splice(4, 0, [P, "create", "table/p/c/t", "entry", "k", "8w1..8w8", "permissions", "0x1024", "action", "p/c/a", "param", "x", "1"]);
    const json: IntrospectionLike = { tables: [{ name: "c/t", keyfields: [{ name: "k", type: "bit8" }] }] };
    const errs = checkTcCommands(c, json).join("\n");
    expect(errs).toMatch(/iproute2 cannot parse 8w1\.\.8w8/);
    expect(errs).toMatch(/defaultonly/);
  });
  test("a command after state ready, and a sequence never sealed", () => {
    const c = base();
    c.push([P, "create", "action/p/c/b", "actid", "2"]);
    expect(checkTcCommands(c).join("\n")).toMatch(/after the pipeline was sealed/);
    expect(checkTcCommands(base().slice(0, 4)).join("\n")).toMatch(/never sealed/);
  });
});

test("recordTemplate honours set -e and the TC default", () => {
  const r = recordTemplate('#!/bin/bash\nset -e\n: "${TC:="tc"}"\n$TC p4template create pipeline/x numtables 0\nfalse\n$TC never');
  expect(r.commands).toEqual([["p4template", "create", "pipeline/x", "numtables", "0"]]);
  expect(r.status).not.toBe(0);
});

test("recordTemplate keeps each argument whole (spaces, quotes, empty ones) and bash's line numbers", () => {
  const r = recordTemplate(`#!/bin/bash\n: "\${TC:="tc"}"\n$TC a "b c" '' "d'e"\n$TC f\nbad_command_here\n`);
  expect(r.commands).toEqual([["a", "b c", "", "d'e"], ["f"]]);
  expect(r.stderr).toMatch(/line 5: bad_command_here/);
});

(fs.existsSync(SHELLCHECK) ? test : test.skip)("shellcheck reports a finding even in a script whose clean twin is remembered", () => {
  const clean = '#!/bin/bash\nx="a b"\necho "$x"\n';
  expect(shellcheck(clean)).toBe("");
  expect(shellcheck(clean)).toBe("");
  expect(shellcheck('#!/bin/bash\nx="a b"\necho $x\n')).toMatch(/SC2086/);
});
