// The model's rule helpers and its validator, and the shell-safety guard of
// the template renderer.
import {
  CodegenError,
  encodeAcl,
  formatPermissions,
  isShellSafeName,
  isShellSafePipelineName,
  tableMatchType,
  validateModel,
  PERMISSIONS,
  DEFAULT_ACL,
  type PipelineModel,
} from "../../../compiler/ir/pipeline.js";
import { renderTemplate } from "../../../codegen/template/index.js";
import { FIXTURES, cloneModel } from "./corpusFixtures.js";

describe("encodeAcl (contract §2.7)", () => {
  test.each([
    ["CRUDPS:RX", "0x3da4"],
    ["CRUDPS:CRXP", "0x3de6"],
    ["RUPS:RUXP", "0x19b6"],
    ["R:RX", "0x1024"],
    ["RUS:RXP", "0x18a6"],
    ["CRUS:CRXP", "0x38e6"],
    ["CRUS:RXP", "0x38a6"],
    ["RP:RUXP", "0x1136"],
    ["RUP:RUXP", "0x1936"],
  ])("%s = %s", (acl, want) => {
    expect(encodeAcl(acl)).toBe(want);
  });
  test("the defaults agree with PERMISSIONS", () => {
    expect(encodeAcl(DEFAULT_ACL.table)).toBe(PERMISSIONS.table);
    expect(encodeAcl(DEFAULT_ACL.addOnMissTable)).toBe(PERMISSIONS.addOnMissTable);
    expect(encodeAcl(DEFAULT_ACL.extern)).toBe(PERMISSIONS.extern);
  });
  test("an empty side falls back to the default's side", () => {
    expect(encodeAcl(":RXP")).toBe(encodeAcl("CRUDPS:RXP"));
    expect(encodeAcl("RUS:", DEFAULT_ACL.extern)).toBe(encodeAcl("RUS:RUXP"));
    expect(encodeAcl("RUS")).toBe(encodeAcl("RUS:RX"));
  });
  test("a letter outside CRUDXPS is refused", () => {
    expect(encodeAcl("RW:RX")).toBeNull();
  });
  test("formatPermissions is lower-case hex without padding", () => {
    expect(formatPermissions(0x1024)).toBe("0x1024");
    expect(formatPermissions(0xab)).toBe("0xab");
  });
});

describe("tableMatchType (contract §2.3)", () => {
  test.each([
    [["exact"], "exact"],
    [["lpm"], "lpm"],
    [["ternary"], "ternary"],
    [["range"], "ternary"],
    [["optional"], "ternary"],
    [["exact", "exact"], "exact"],
    [["exact", "lpm"], "lpm"],
    [["lpm", "exact"], "exact"],
    [["lpm", "lpm"], "ternary"],
    [["exact", "ternary", "range"], "ternary"],
  ] as const)("%j -> %s", (kinds, want) => {
    expect(tableMatchType([...kinds])).toBe(want);
  });
});

describe("validateModel", () => {
  const base = (): PipelineModel => cloneModel(FIXTURES.multiple_tables_example_02!);
  test("reports broken ids, references and sizes", () => {
    const m = base();
    m.numTables = 3;
    m.actions[1]!.id = 7;
    m.tables[0]!.keySize = 33;
    m.tables[1]!.defaultMissAction!.action = "MainControlImpl/sendtoport";
    m.tables[0]!.defaultMissAction = { ...m.tables[0]!.defaultMissAction!, action: "MainControlImpl/next_hop" };
    m.tables[6]!.constEntries[4]!.args = [];
    const errs = validateModel(m).join("\n");
    expect(errs).toMatch(/numTables 3 but 7 tables/);
    expect(errs).toMatch(/id 7 at position 2/);
    expect(errs).toMatch(/keySize 33 but key widths add up to 32/);
    expect(errs).toMatch(/sendtoport is not in the table's action list/);
    expect(errs).toMatch(/next_hop is TableOnly/);
    expect(errs).toMatch(/args must match the action's params/);
  });
  test("reports bad types and unsafe names", () => {
    const m = base();
    m.actions[0]!.params[0]!.type = "macaddr";
    m.tables[0]!.keys[0]!.name = "hdr.h[0].f";
    m.tables[6]!.keys[0]!.name = "hdr h";
    const errs = validateModel(m).join("\n");
    expect(errs).toMatch(/type macaddr but bitwidth 32/);
    expect(errs).toMatch(/"hdr h" is not shell-safe/);
  });
});

describe("names that reach the shell", () => {
  test.each(["ingress/send_nh", "send_nh", "hdr.ipv4.srcAddr", "Ingress_Deparser.digest_inst", "_x/y_1.z"])("%s is safe", (n) => {
    expect(isShellSafeName(n)).toBe(true);
  });
  test.each(["", "a b", "a;b", "$(x)", "a/", "/a", "a//b", "hdr.h[0]", "x`y`", "1abc", "a-b", "a'b", "ä"])("%j is not", (n) => {
    expect(isShellSafeName(n)).toBe(false);
  });
  test("pipeline names are file stems: `-` allowed, < 32 bytes", () => {
    expect(isShellSafePipelineName("pna-example")).toBe(true);
    expect(isShellSafePipelineName("-rf")).toBe(false);
    expect(isShellSafePipelineName("a b")).toBe(false);
    expect(isShellSafePipelineName("x".repeat(32))).toBe(false);
  });

  const unsafe: [string, (m: PipelineModel) => void][] = [
    ["an action name", (m) => void (m.actions[0]!.name = "ingress/send nh")],
    ["an action param", (m) => void (m.actions[0]!.params[0]!.name = "port;id")],
    ["a table name", (m) => void (m.tables[0]!.name = "ingress/$(reboot)")],
    ["a table action reference", (m) => void (m.tables[0]!.actions[0]!.action = "ingress/send_nh`x`")],
    ["the pipeline name", (m) => void (m.pipelineName = "simple exact")],
  ];
  test.each(unsafe)("an unsafe %s makes renderTemplate throw", (_what, spoil) => {
    const m = cloneModel(FIXTURES.simple_exact_example!);
    spoil(m);
    expect(() => renderTemplate(m)).toThrow(CodegenError);
    expect(() => renderTemplate(m)).toThrow(/internal error/);
  });
  test("an unsafe key name throws once a const entry prints it", () => {
    const m = cloneModel(FIXTURES.multiple_tables_example_02!);
    m.tables[6]!.keys[1]!.name = "hdr.tcp[0].srcPort";
    expect(() => renderTemplate(m)).toThrow(CodegenError);
  });
  test("an unsafe extern instance name throws", () => {
    const m = cloneModel(FIXTURES.direct_counter_example!);
    m.externs[0]!.instances[0]!.name = "ingress.global counter";
    expect(() => renderTemplate(m)).toThrow(CodegenError);
  });
});
