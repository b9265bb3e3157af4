// The emulated control plane: typed values encoded as the generated code lays keys and action parameters out.
import { compile } from "../../../compiler/compile.js";
import { EmulatedControlPlane, EntryError, encodeKey, encodeParams, parseTypedValue } from "../../../targets/emulation/entries.js";
import path from "node:path";
import { ABIS } from "../../../compiler/ir/abi/index.js";
import { corpus } from "../../helpers/corpus.js";
import { describeIf, kernelMissing } from "../build/tools.js";

const model = compile({ input: { file: path.join(corpus, "p4tc-stf", "simple_l3.p4") } }).pipeline!;

test("an ipv4 key is in network order, a bit key in host order, each ceil(w/8) bytes", () => {
  const t = model.tables[0]!;
  expect(t.keys[0]!.type).toBe("ipv4");
  expect(encodeKey(t, [{ value: 0x0a000002n }]).key).toEqual([10, 0, 0, 2]);
  const fake = { ...t, keys: [{ id: 1, name: "p", type: "bit16" as const, matchKind: "exact" as const, bitwidth: 16 }] };
  expect(encodeKey(fake, [{ value: 0x1234n }]).key).toEqual([0x34, 0x12]);
  expect(encodeKey(fake, [{ value: 0x1234n, prefix: 8 }]).mask).toEqual([0x00, 0xff]);
});

test("action parameters: dev in host order (4 bytes), macaddr in network order (6 bytes)", () => {
  const a = model.actions.find((x) => x.name.endsWith("send_nh"))!;
  expect(a.params.map((p) => p.type)).toEqual(["dev", "macaddr", "macaddr"]);
  expect(encodeParams(ABIS.p4c, a, [2n, 0x000102030405n, 0xaabbccddeeffn])).toEqual([2, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
});

test("v13 action parameters: each in its kernel container (macaddr 6 bytes in an 8-byte slot)", () => {
  const a = model.actions.find((x) => x.name.endsWith("send_nh"))!;
  expect(encodeParams(ABIS.v13, a, [2n, 0x000102030405n, 0xaabbccddeeffn])).toEqual([2, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 0]);
  const bits = { ...a, params: [17, 24, 33, 48].map((w, i) => ({ id: i + 1, name: `p${i}`, type: `bit${w}` as const, bitwidth: w })) };
  // bit17/bit24 in a u32, bit33/bit48 in a u64, host order
  expect(encodeParams(ABIS.v13, bits, [0x10203n, 0x102030n, 0x102030405n, 0x010203040506n])).toEqual([
    3, 2, 1, 0, 0x30, 0x20, 0x10, 0, 5, 4, 3, 2, 1, 0, 0, 0, 6, 5, 4, 3, 2, 1, 0, 0,
  ]);
  expect(encodeParams(ABIS.p4c, bits, [0x10203n, 0x102030n, 0x102030405n, 0x010203040506n])).toEqual([3, 2, 1, 0x30, 0x20, 0x10, 5, 4, 3, 2, 1, 6, 5, 4, 3, 2, 1]);
});

test("values that do not fit, unknown tables and actions are errors", () => {
  const cp = new EmulatedControlPlane(model);
  expect(() => cp.add("ingress/nh_table", [{ value: 1n << 40n }], "ingress/drop", [])).toThrow(EntryError);
  expect(() => cp.table("ingress.nope")).toThrow(/no table/);
  expect(() => cp.add("ingress.nh_table", [{ value: 1n }], "ingress.nope", [])).toThrow(/not an action/);
});

test("setup installs every table with its default miss action", () => {
  const cp = new EmulatedControlPlane(model);
  const u = cp.setup();
  expect(u.filter((x) => x.map === "p4tc_emu_tables").length).toBe(model.tables.length);
});

describe("p4ctrl-style typed values", () => {
  test.each([
    ["ipv4", 32, "10.0.0.2", { value: 0x0a000002n }],
    ["ipv4", 32, "10.0.0.0/24", { value: 0x0a000000n, prefix: 24 }],
    ["macaddr", 48, "aa:bb:cc:00:01:02", { value: 0xaabbcc000102n }],
    ["ipv6", 128, "2001:db8::1", { value: 0x20010db8000000000000000000000001n }],
    ["bit16", 16, "0x1234/0xff00", { value: 0x1234n, mask: 0xff00n }],
    ["bit8", 8, "42", { value: 42n }],
  ])("%s %s", (type, width, text, want) => {
    expect(parseTypedValue(type as string, width as number, text as string)).toEqual(want);
  });

  test("malformed values are errors", () => {
    expect(() => parseTypedValue("ipv4", 32, "10.0.0.300")).toThrow(EntryError);
    expect(() => parseTypedValue("ipv4", 32, "10.0.0.0/40")).toThrow(/longer/);
    expect(() => parseTypedValue("bit8", 8, "ten")).toThrow(/not a bit8 value/);
  });
});

describeIf(kernelMissing(), "on the kernel: create, read, update, delete", () => {
  test("an entry written with the emulated control plane reads back as written", async () => {
    const { realClang, tmpDir } = await import("../build/tools.js");
    const { EmulatedPipeline } = await import("../../../targets/emulation/loader.js");
    const { buildObjects } = await import("../../../build/index.js");
    const fs = await import("node:fs");
    const r = compile({ input: { file: path.join(corpus, "p4tc-stf", "simple_l3.p4") } });
    const out = tmpDir("ctrl");
    for (const [f, text] of Object.entries(r.outputs!)) fs.writeFileSync(path.join(out, f), text);
    const b = buildObjects(out, "simple_l3", realClang()!, { extraFlags: ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"] });
    expect(b.diagnostics).toBe("");
    const pipe = EmulatedPipeline.load(path.join(out, "simple_l3_parser.o"), path.join(out, "simple_l3_control_blocks.o"));
    try {
      const cp = new EmulatedControlPlane(r.pipeline!);
      pipe.apply(cp.setup());
      const key = [parseTypedValue("ipv4", 32, "10.0.0.2")];
      pipe.apply(cp.add("ingress/nh_table", key, "send_nh", [3n, 0x000102030405n, 0xaabbccddeeffn]));
      const at = cp.locateEntry("ingress.nh_table", key);
      expect(cp.decodeEntry(pipe.lookup(at.map, at.key)!)).toEqual({ action: "ingress/send_nh", args: [{ name: "port", value: 3n }, { name: "srcMac", value: 0x000102030405n }, { name: "dstMac", value: 0xaabbccddeeffn }] });
      pipe.apply(cp.update("ingress/nh_table", key, "drop", []));
      expect(cp.decodeEntry(pipe.lookup(at.map, at.key)!).action).toBe("ingress/drop");
      pipe.apply(cp.remove("ingress/nh_table", key));
      expect(pipe.lookup(at.map, at.key)).toBeUndefined();
      expect(() => cp.update("ingress/nh_table", key, "drop", [])).toThrow(/no such entry/);
      expect(() => cp.remove("ingress/nh_table", key)).toThrow(/has no entry with these keys/);
      // A lookup that fails is an error, not "absent": a key of the wrong size, a map the program does not have.
      const { LoaderError } = await import("../../../targets/emulation/loader.js");
      expect(() => pipe.lookup(at.map, at.key.subarray(1))).toThrow(LoaderError);
      expect(() => pipe.lookup("no_such_map", at.key)).toThrow(/has no map no_such_map/);
    } finally {
      pipe.close();
    }
  }, 60_000);
});
