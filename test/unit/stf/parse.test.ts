// The STF format: statements, values (hex with * nibbles, prefixes, masks), packet data.
import { parseStf, parseValue, StfError } from "../../../stf/parse.js";

describe("STF values", () => {
  test.each([
    ["0x0a000001", { value: 0x0a000001n }],
    ["10", { value: 10n }],
    ["0b101", { value: 5n }],
    ["0x0a000000/24", { value: 0x0a000000n, prefix: 24 }],
    ["0x06&&&0x0f", { value: 6n, mask: 15n }],
    ["0x**01", { value: 1n, mask: 0x00ffn }],
    ["10.0.0.0/8", { value: 0x0a000000n, prefix: 8 }],
    ["00:01:02:03:04:05", { value: 0x000102030405n }],
  ])("%s", (text, want) => {
    expect(parseValue(text, 1)).toEqual(want);
  });

  test("a bad number is an error on its line", () => {
    expect(() => parseValue("0xzz", 7)).toThrow(StfError);
  });
});

describe("STF statements", () => {
  const text = `# a comment
add ingress.nh_table 10 dstAddr:0x0a000002 port:3 ingress.send_nh(port:0x1, mac:0x000102030405) = 1
setdefault ingress.nh_table ingress.drop()
packet 0 0001 0203
expect 1 00** 0203$
expect 2
remove ingress.nh_table dstAddr:0x0a000002
wait
check_counter c(1) packets == 1
no_packet
`;
  const st = parseStf(text);

  test("add: table, priority, keys, action and arguments", () => {
    expect(st[0]).toMatchObject({ k: "add", line: 2, table: "ingress.nh_table", prio: 10, action: "ingress.send_nh" });
    const add = st[0] as Extract<typeof st[number], { k: "add" }>;
    expect(add.keys.map((x) => [x.name, x.v.value])).toEqual([["dstAddr", 0x0a000002n], ["port", 3n]]);
    expect(add.args.map((x) => [x.name, x.v.value])).toEqual([["port", 1n], ["mac", 0x000102030405n]]);
  });

  test("setdefault, remove, wait and the statements that are only noted", () => {
    expect(st.map((s) => s.k)).toEqual(["add", "setdefault", "packet", "expect", "expect", "remove", "wait", "check_counter", "ignored"]);
    expect(st[1]).toMatchObject({ table: "ingress.nh_table", action: "ingress.drop", args: [] });
  });

  test("packet and expect data, with wildcard nibbles and exact length", () => {
    expect(st[2]).toMatchObject({ k: "packet", port: 0, data: Buffer.from([0, 1, 2, 3]) });
    expect(st[3]).toMatchObject({ k: "expect", port: 1, data: Buffer.from([0, 0, 2, 3]), care: Buffer.from([0xff, 0, 0xff, 0xff]), exactLength: true });
    expect(st[4]).toMatchObject({ k: "expect", port: 2, data: null });
  });

  test("odd-length packet data is an error with its line", () => {
    expect(() => parseStf("packet 0 abc\n")).toThrow(/odd number/);
  });
});

test("check_counter and the meter_config extension", () => {
  const st = parseStf("check_counter ingress.c(3) bytes == 128\nmeter_config ingress.m(7) cir:0 cbs:1 pir:0 pbs:2\ncheck_counter c(1) == 2\n");
  expect(st[0]).toEqual({ k: "check_counter", line: 1, counter: "ingress.c", index: 3, what: "bytes", value: 128n });
  expect(st[1]).toEqual({ k: "meter_config", line: 2, meter: "ingress.m", index: 7, cir: 0n, cbs: 1n, pir: 0n, pbs: 2n });
  expect(st[2]).toMatchObject({ what: "packets", value: 2n });
  expect(() => parseStf("meter_config m(1) cir:0\n")).toThrow(/no cbs/);
});


describe("port numbers are checked when the file is read", () => {
  test.each([
    ["packet -1 00", /bad port '-1'/],
    ["packet x 00", /bad port 'x'/],
    ["packet 1.5 00", /bad port '1.5'/],
    ["packet", /no port/],
    ["expect -2", /bad port '-2'/],
    ["packet 4294967295 00", /port 4294967295 is out of 0\.\.4294967294/],
  ])("%s", (text, want) => {
    let err: unknown;
    try {
      parseStf(`# first\n${text}\n`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StfError);
    expect((err as StfError).line).toBe(2);
    expect((err as StfError).message).toMatch(want);
  });

  test("0 and the largest port are fine", () => {
    expect(parseStf("packet 0 00\nexpect 4294967294\n").map((s) => (s as { port: number }).port)).toEqual([0, 4294967294]);
  });

  test("a packet may be empty", () => {
    expect(parseStf("packet 3\n")[0]).toMatchObject({ k: "packet", port: 3, data: Buffer.alloc(0) });
  });
});
