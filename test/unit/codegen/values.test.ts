// Spelling of values for iproute2, range splitting, and the template view's
// handling of entries (argument values, masks, ranges, shadowed duplicates).
import {
  formatKeyValue,
  formatValue,
  ipv4Text,
  ipv6Text,
  macText,
  prefixLength,
} from "../../../codegen/template/values.js";
import { rangeToMasks } from "../../../compiler/ir/values.js";
import { buildTemplateView, renderTemplate } from "../../../codegen/template/index.js";
import { CodegenError, type KeyFieldModel, type PipelineModel } from "../../../compiler/ir/pipeline.js";
import { FIXTURES, cloneModel } from "./corpusFixtures.js";
import { checkTemplate } from "../../helpers/tcTemplateGrammar.js";
import { renderIntrospection } from "../../../codegen/introspection/index.js";

const k = (type: KeyFieldModel["type"], bitwidth: number, matchKind: KeyFieldModel["matchKind"] = "ternary"): KeyFieldModel => ({
  id: 1,
  name: "k",
  type,
  matchKind,
  bitwidth,
});

describe("rangeToMasks", () => {
  test("splits a range into its prefix cover", () => {
    expect(rangeToMasks(1n, 8n, 8)).toEqual([
      { value: 1n, mask: 0xffn },
      { value: 2n, mask: 0xfen },
      { value: 4n, mask: 0xfcn },
      { value: 8n, mask: 0xffn },
    ]);
    expect(rangeToMasks(0n, 255n, 8)).toEqual([{ value: 0n, mask: 0n }]);
    expect(rangeToMasks(5n, 5n, 3)).toEqual([{ value: 5n, mask: 7n }]);
    expect(rangeToMasks(9n, 3n, 8)).toEqual([]);
  });
  test("covers exactly the range", () => {
    for (const [lo, hi] of [
      [0n, 0n],
      [3n, 200n],
      [17n, 1000n],
      [1n, 65534n],
    ] as const) {
      const parts = rangeToMasks(lo, hi, 16);
      let count = 0n;
      for (const p of parts) count += 0x10000n - p.mask;
      expect(count).toBe(hi - lo + 1n);
      for (const p of parts) expect(p.value >= lo && (p.value | (0xffffn & ~p.mask)) <= hi).toBe(true);
    }
  });
});

describe("formatValue / formatKeyValue", () => {
  test("keeps plain decimal and hex literals, rewrites other bases", () => {
    expect(formatValue("bit32", "0x2b", 0x2bn)).toBe("0x2b");
    expect(formatValue("bit32", "10", 10n)).toBe("10");
    expect(formatValue("bit8", "0b101", 5n)).toBe("0x5");
    expect(formatValue("bit8", "8w7", 7n)).toBe("0x7");
    expect(formatValue("bit128", "5", 5n)).toBe("0x5");
    expect(formatValue("bit128", "0xffff", 0xffffn)).toBe("0xffff");
    expect(formatValue("dev", "3", 3n)).toBe("3");
  });
  test("address types are spelled as addresses", () => {
    expect(ipv4Text(0x0a000001n)).toBe("10.0.0.1");
    expect(macText(0x0001020304ffn)).toBe("00:01:02:03:04:ff");
    expect(ipv6Text(0x20010db8000000000000000000000001n)).toBe("2001:db8:0:0:0:0:0:1");
    expect(formatValue("ipv4", "0x0a000001", 0x0a000001n)).toBe("10.0.0.1");
    expect(prefixLength(0xffffff00n, 32)).toBe(24);
    expect(prefixLength(0xff00ff00n, 32)).toBeNull();
  });
  test("masks, ranges and don't-care", () => {
    const texts = (key: KeyFieldModel, v: Parameters<typeof formatKeyValue>[1]) => formatKeyValue(key, v).map((m) => m.text);
    expect(texts(k("bit8", 8), { kind: "mask", text: "1&&&2", value: 1n, mask: 2n })).toEqual(["0x0/0x2"]);
    expect(texts(k("bit8", 8), { kind: "range", text: "1..8", low: 1n, high: 8n })).toEqual(["0x1", "0x2/0xfe", "0x4/0xfc", "0x8"]);
    expect(texts(k("bit16", 16), { kind: "dontcare", text: "default" })).toEqual(["0x0/0x0"]);
    expect(texts(k("ipv4", 32, "lpm"), { kind: "mask", text: "x", value: 0x0a0000ffn, mask: 0xffffff00n })).toEqual(["10.0.0.0/24"]);
    expect(texts(k("ipv4", 32), { kind: "mask", text: "x", value: 0x0a000001n, mask: 0xff00ff00n })).toEqual(["10.0.0.0/0xff00ff00"]);
    expect(texts(k("ipv4", 32), { kind: "value", text: "0x0a000001", value: 0x0a000001n })).toEqual(["10.0.0.1"]);
    expect(texts(k("macaddr", 48), { kind: "mask", text: "x", value: 0xffn, mask: 0xffn })).toEqual(["00:00:00:00:00:ff/0x0000000000ff"]);
    expect(() => formatKeyValue(k("bit8", 8, "exact"), { kind: "dontcare", text: "default" })).toThrow(CodegenError);
    expect(() => formatKeyValue(k("dev", 32), { kind: "mask", text: "x", value: 1n, mask: 1n })).toThrow(CodegenError);
  });
});

describe("template entries", () => {
  /** const_entries_range_mask with other entries. */
  function withEntries(entries: PipelineModel["tables"][number]["constEntries"]): PipelineModel {
    const m = cloneModel(FIXTURES.const_entries_range_mask!);
    m.tables[0]!.constEntries = entries;
    return m;
  }
  const A = "MainControlImpl/a_with_control_params";
  const arg = (text: string) => [{ name: "x", text, value: BigInt(text) }];

  test("argument values in other bases are printed so iproute2 reads them", () => {
    const m = withEntries([{ keys: [{ kind: "value", text: "0b11", value: 3n }], action: A, args: [{ name: "x", text: "0o17", value: 15n }], priority: null, permissions: "0x1024" }]);
    const v = buildTemplateView(m).tables[0]!.entries;
    expect(v).toEqual([
      { keys: [{ name: "h.h.r", value: "0x3" }], prio: null, permissions: "0x1024", action: "const_entries_range_mask/MainControlImpl/a_with_control_params", params: [{ name: "x", value: "0xf" }] },
    ]);
  });
  test("an explicit priority is printed, and may not be spread over a split range", () => {
    const one = withEntries([{ keys: [{ kind: "value", text: "1", value: 1n }], action: A, args: arg("2"), priority: 5, permissions: "0x1024" }]);
    expect(renderTemplate(one)).toContain("entry h.h.r 1 prio 5 permissions 0x1024 action");
    const split = withEntries([{ keys: [{ kind: "range", text: "1..8", low: 1n, high: 8n }], action: A, args: arg("2"), priority: 5, permissions: "0x1024" }]);
    expect(() => renderTemplate(split)).toThrow(CodegenError);
  });
  test("a table-wide split of many ranges still follows the grammar", () => {
    const m = withEntries([
      { keys: [{ kind: "range", text: "3..200", low: 3n, high: 200n }], action: A, args: arg("1"), priority: null, permissions: "0x1024" },
      { keys: [{ kind: "dontcare", text: "default" }], action: "MainControlImpl/a", args: [], priority: null, permissions: "0x1024" },
    ]);
    const script = renderTemplate(m);
    const r = checkTemplate(script, renderIntrospection(m) as never);
    expect(r.errors).toEqual([]);
    expect(r.run.commands.filter((c) => c[3] === "entry")).toHaveLength(rangeToMasks(3n, 200n, 8).length + 1);
  });
  test("default actions with several params repeat the param keyword", () => {
    const m = cloneModel(FIXTURES.simple_exact_example!);
    m.tables[0]!.defaultMissAction = {
      action: "ingress/send_nh",
      permissions: null,
      mayOverride: false,
      params: [
        { name: "port_id", runtime: false, text: "3", value: 3n },
        { name: "dmac", runtime: false, text: "0x000102030405", value: 0x000102030405n },
        { name: "smac", runtime: false, text: "0xa", value: 0xan },
      ],
    };
    expect(renderTemplate(m)).toContain(
      "default_miss_action action simple_exact_example/ingress/send_nh param port_id 3 param dmac 00:01:02:03:04:05 param smac 00:00:00:00:00:0a",
    );
  });
});
