// One test per row of the table of target-defined choices in sim/README.md:
// what the interpreter does where the P4-16 and PNA specifications leave the
// choice to the target (it follows the generated eBPF on P4TC).
import { ETH, hex, one, program, simRun } from "./helpers.js";

const ETH_H = `${ETH} 0801`;

describe("sim: target-defined choices (sim/README.md)", () => {
  test("1: without send_to_port or drop_packet the packet goes to the host stack", async () => {
    expect(await one(program({ apply: "" }), `${ETH_H} 01020304`)).toBe("pass");
    expect(await one(program({ apply: "send_to_port((PortId_t)3);" }), `${ETH_H} 01020304`)).toBe("tx 2 " + hex(`${ETH_H} 01020304`).toString("hex"));
  });

  test("2: the last of send_to_port and drop_packet wins", async () => {
    expect(await one(program({ apply: "send_to_port((PortId_t)3); drop_packet();" }), `${ETH_H} 01020304`)).toBe("drop");
    expect(await one(program({ apply: "drop_packet(); send_to_port((PortId_t)3);" }), `${ETH_H} 01020304`)).toMatch(/^tx 2 /);
  });

  test("3: `transition reject` with no error drops the packet", async () => {
    const p = program({ parser: "state start { pkt.extract(hdr.eth); transition reject; }", apply: "send_to_port((PortId_t)3);" });
    expect(await one(p, `${ETH_H} 01020304`)).toBe("drop");
  });

  test("4: after a parser error main still runs, sees the error, and keeps the headers extracted before it", async () => {
    const p = program({
      apply: "if (istd.parser_error == error.PacketTooShort && hdr.eth.isValid() && !hdr.h.isValid()) { send_to_port((PortId_t)3); } else { drop_packet(); }",
    });
    // h needs 4 bytes, 2 are there: PacketTooShort; the 2 bytes stay as payload.
    expect(await one(p, `${ETH_H} 0102`)).toBe(`tx 2 ${hex(`${ETH_H} 0102`).toString("hex")}`);
    const v = program({ parser: "state start { pkt.extract(hdr.eth); verify(hdr.eth.type == 0x0800, error.NoMatch); transition accept; }", apply: "if (istd.parser_error == error.NoMatch) { send_to_port((PortId_t)3); }" });
    expect(await one(v, `${ETH_H} 0102`)).toMatch(/^tx 2 /);
  });

  test("5: headers, metadata and variables start zeroed; an invalid header's fields read what they hold", async () => {
    const p = program({
      locals: "bit<32> x;",
      apply: "if (x == 0 && meta.m == 0 && hdr.h.a == 0) { hdr.h.setValid(); hdr.h.b = 7; hdr.h.setInvalid(); if (hdr.h.b == 7) { send_to_port((PortId_t)3); } }",
    });
    expect(await one(p, `${ETH} 0800 01020304`)).toMatch(/^tx 2 /);
  });

  test("6: setValid on a header never extracted gives zeroed fields (the generated code zeroes header storage per packet)", async () => {
    const p = program({ apply: "hdr.h.setValid(); hdr.h.b = 9; send_to_port((PortId_t)1);" });
    expect(await one(p, `${ETH} 0800 ${"ee".repeat(20)}`)).toBe(`tx 0 ${hex(`${ETH} 0800 00090000 ${"ee".repeat(20)}`).toString("hex")}`);
  });

  test("7: ternary entries: the lowest priority value wins, unprioritised entries rank in order of addition; lpm: the longest prefix", async () => {
    const p = program({
      locals: `action to(PortId_t p) { send_to_port(p); }
        table t { key = { hdr.h.a : ternary; } actions = { to; NoAction; } default_action = NoAction; }
        table l { key = { hdr.h.c : lpm; } actions = { to; NoAction; } default_action = NoAction; }`,
      apply: "if (hdr.h.b == 0) { t.apply(); } else { l.apply(); }",
    });
    const add = (prio: number | undefined, mask: bigint, port: number) => ({ op: "add" as const, table: "C/t", keys: [{ name: "hdr.h.a", value: 0x10n & mask, mask }], action: "to", args: [{ name: "p", value: BigInt(port) }], priority: prio });
    expect(await one(p, `${ETH_H} 10000000`, [add(undefined, 0xf0n, 4), add(undefined, 0xffn, 5)])).toMatch(/^tx 3 /);
    expect(await one(p, `${ETH_H} 10000000`, [add(9, 0xf0n, 4), add(2, 0xffn, 5)])).toMatch(/^tx 4 /);
    const lpm = (len: number, port: number) => ({ op: "add" as const, table: "C/l", keys: [{ name: "hdr.h.c", value: 0x1200n, prefixLen: len }], action: "to", args: [{ name: "p", value: BigInt(port) }] });
    expect(await one(p, `${ETH_H} 10011234`, [lpm(8, 4), lpm(12, 5), lpm(4, 6)])).toMatch(/^tx 3 /);
  });

  test("8: counters: an index out of range is ignored; bytes are the arriving frame's length less its Ethernet header (tc's qdisc_pkt_len); the type decides what is counted", async () => {
    const p = program({
      locals: "Counter<bit<32>, bit<32>>(4, PNA_CounterType_t.PACKETS_AND_BYTES) c; Counter<bit<32>, bit<32>>(4, PNA_CounterType_t.PACKETS) pc;",
      apply: "c.count(1); c.count(9); pc.count(1); hdr.h.setInvalid();",
    });
    const r = await simRun(p, [
      { op: "packet", port: 0, data: hex(`${ETH_H} 01020304`) },
      { op: "readCounter", counter: "c", index: 1 },
      { op: "readCounter", counter: "c", index: 9 },
      { op: "readCounter", counter: "pc", index: 1 },
    ]);
    expect(r.slice(1)).toEqual([
      { ok: true, counter: { packets: 1n, bytes: 4n } },
      { ok: true, counter: { packets: 0n, bytes: 0n } },
      { ok: true, counter: { packets: 1n, bytes: 0n } },
    ]);
  });

  test("9: meters: time does not pass (full buckets that never refill); an unconfigured meter keeps the input colour", async () => {
    const p = program({
      locals: "Meter<bit<32>>(4, PNA_MeterType_t.PACKETS) m;",
      apply: "PNA_MeterColor_t c = m.execute(1); if (c == PNA_MeterColor_t.GREEN) { send_to_port((PortId_t)1); } else if (c == PNA_MeterColor_t.YELLOW) { send_to_port((PortId_t)2); } else { send_to_port((PortId_t)3); }",
    });
    const pk = { op: "packet" as const, port: 0, data: hex(`${ETH_H} 01020304`) };
    const r = await simRun(p, [pk, { op: "configureMeter", meter: "m", index: 1, cir: 1000n, cbs: 1n, pir: 1000n, pbs: 2n }, pk, pk, pk]);
    expect(r.map((x) => (x.ok && x.packet ? x.packet.outputs[0]!.port : null))).toEqual([0, null, 0, 1, 2]);
  });

  test("10: hashes: CRC-32 MSB first with init 0 and no final xor, CRC-16 reflected, over the fields' bits; base + hash % max", async () => {
    const p = program({
      decls: "header r_t { bit<32> crc32; bit<16> crc16; bit<16> ones; bit<16> based; }",
      headers: "r_t r;",
      locals: "Hash<bit<32>>(PNA_HashAlgorithm_t.CRC32) h32; Hash<bit<16>>(PNA_HashAlgorithm_t.CRC16) h16; Hash<bit<16>>(PNA_HashAlgorithm_t.ONES_COMPLEMENT16) h1;",
      apply: "hdr.r.setValid(); hdr.r.crc32 = h32.get_hash({ hdr.h.a, hdr.h.c }); hdr.r.crc16 = h16.get_hash({ hdr.h.a }); hdr.r.ones = h1.get_hash({ hdr.h.c }); hdr.r.based = h16.get_hash(16w100, { hdr.h.a }, 16w10); send_to_port((PortId_t)1);",
      deparser: "pkt.emit(hdr.eth); pkt.emit(hdr.h); pkt.emit(hdr.r);",
    });
    const out = await one(p, `${ETH_H} 31000102`);
    const r = hex(out.split(" ")[2]!).subarray(18);
    // CRC-32/MPEG-2 without its 0xffffffff init (init 0) over 31 0102; CRC-16/ARC over 31.
    expect(r.readUInt32BE(0)).toBe(crc32Msb(Buffer.from([0x31, 0x01, 0x02])));
    expect(r.readUInt16BE(4)).toBe(0x0ff1 /* CRC-16/ARC("1") is 0xD4C1 with init 0... computed below */ ^ 0x0ff1 ^ crc16Arc(Buffer.from([0x31])));
    expect(r.readUInt16BE(6)).toBe(~0x0102 & 0xffff);
    expect(r.readUInt16BE(8)).toBe(100 + (crc16Arc(Buffer.from([0x31])) % 10));
  });

  test("11: Checksum<bit<32>>(CRC32).get() is the register inverted; InternetChecksum.get_state() is the running sum", async () => {
    const p = program({
      decls: "header r_t { bit<32> crc; bit<16> state; bit<16> sum; }",
      headers: "r_t r;",
      dlocals: "Checksum<bit<32>>(PNA_HashAlgorithm_t.CRC32) c; InternetChecksum() ic;",
      apply: "hdr.r.setValid(); send_to_port((PortId_t)1);",
      deparser: "c.update(hdr.h.c); hdr.r.crc = c.get(); ic.add({ hdr.h.c, hdr.h.c }); hdr.r.state = ic.get_state(); hdr.r.sum = ic.get(); pkt.emit(hdr.eth); pkt.emit(hdr.h); pkt.emit(hdr.r);",
    });
    const r = hex((await one(p, `${ETH_H} 00008001`)).split(" ")[2]!).subarray(18);
    expect(r.readUInt32BE(0)).toBe((crc32Msb(Buffer.from([0x80, 0x01])) ^ 0xffffffff) >>> 0);
    expect(r.readUInt16BE(4)).toBe(0x0003); // 0x8001 + 0x8001 = 0x10002, folded
    expect(r.readUInt16BE(6)).toBe(0xfffc);
  });

  test("12: a frame the deparser would shrink below an IPv4 header after Ethernet is dropped (bpf_skb_adjust_room refuses)", async () => {
    const p = program({ apply: "send_to_port((PortId_t)1);", deparser: "pkt.emit(hdr.eth);" });
    // 4-byte h removed from an 18-byte frame: 0 bytes would follow Ethernet.
    expect(await one(p, `${ETH_H} 01020304`)).toBe("drop");
    // With 30 more bytes, 30 >= 20 stay: the header is removed.
    const payload = "00".repeat(30);
    expect(await one(p, `${ETH_H} 01020304 ${payload}`)).toBe(`tx 0 ${hex(`${ETH_H} ${payload}`).toString("hex")}`);
  });

  test("13: every port is a network port", async () => {
    const p = program({ apply: "if (is_net_port(istd.input_port) && !is_host_port(istd.input_port)) { send_to_port((PortId_t)1); }" });
    expect(await one(p, `${ETH_H} 01020304`)).toMatch(/^tx 0 /);
  });

  test("14: Random is seeded: the same seed gives the same values, in [min, max]", async () => {
    const p = program({
      locals: "Random<bit<8>>(8w10, 8w13) r;",
      apply: "hdr.h.a = r.read(); send_to_port((PortId_t)1);",
    });
    const pk = { op: "packet" as const, port: 0, data: hex(`${ETH_H} 01020304`) };
    const vals = async (seed: number) => (await simRun(p, [pk, pk, pk, pk, pk, pk], seed)).map((x) => (x.ok && x.packet ? x.packet.outputs[0]!.data[14]! : -1));
    const a = await vals(7);
    expect(a).toEqual(await vals(7));
    for (const v of a) expect(v >= 10 && v <= 13).toBe(true);
  });

  test("15: division and modulo by zero give 0; shifts by the width or more give 0", async () => {
    const p = program({
      locals: "bit<8> z = 0;",
      apply: "hdr.h.a = hdr.h.b / z; hdr.h.b = hdr.h.b % z; hdr.h.c = hdr.h.c << (bit<8>)(z + 16); send_to_port((PortId_t)1);",
    });
    expect(await one(p, `${ETH_H} 05060708`)).toBe(`tx 0 ${hex(`${ETH_H} 00000000`).toString("hex")}`);
  });

  test("16: checksum state starts at zero for each packet", async () => {
    const p = program({
      dlocals: "InternetChecksum() ic;",
      apply: "send_to_port((PortId_t)1);",
      deparser: "ic.add({ hdr.h.c }); hdr.h.c = ic.get_state(); pkt.emit(hdr.eth); pkt.emit(hdr.h);",
    });
    const pk = { op: "packet" as const, port: 0, data: hex(`${ETH_H} 00000102`) };
    const r = await simRun(p, [pk, pk]);
    expect(r.map((x) => (x.ok && x.packet ? x.packet.outputs[0]!.data.readUInt16BE(16) : -1))).toEqual([0x0102, 0x0102]);
  });

  test("17: add_entry in a miss action adds an entry for the missed key", async () => {
    const p = program({
      locals: `action hit_it() { send_to_port((PortId_t)2); }
        action add_it() { add_entry("hit_it", {}, (ExpireTimeProfileId_t)0); }
        table t { key = { hdr.h.a : exact; } actions = { hit_it; @defaultonly add_it; } default_action = add_it; add_on_miss = true; }`,
      apply: "t.apply();",
    });
    const pk = { op: "packet" as const, port: 0, data: hex(`${ETH_H} 01020304`) };
    const r = await simRun(p, [pk, pk]);
    expect(r.map((x) => (x.ok && x.packet ? (x.packet.outputs[0]?.port ?? x.packet.note) : null))).toEqual(["pass", 1]);
  });

  test("18: register cells start at 0 whatever the initial value; an index out of range reads 0 and a write there is ignored", async () => {
    const p = program({
      locals: "Register<bit<16>, bit<32>>(4, 16w7) r;",
      apply: "r.write(32w9, 16w5); hdr.h.c = r.read(32w9); hdr.h.a = (bit<8>)r.read(32w3); send_to_port((PortId_t)1);",
    });
    expect(await one(p, `${ETH_H} 01020304`)).toBe(`tx 0 ${hex(`${ETH_H} 00020000`).toString("hex")}`);
  });

  test("19: a varbit size that is not whole bytes is HeaderTooShort (once the packet is long enough), nothing extracted", async () => {
    const p = program({
      decls: "header v_t { bit<8> n; varbit<32> d; }",
      headers: "v_t v;",
      parser: "state start { pkt.extract(hdr.eth); pkt.extract(hdr.v, (bit<32>)pkt.lookahead<bit<8>>()); transition accept; }",
      apply: "if (istd.parser_error == error.HeaderTooShort && !hdr.v.isValid()) { send_to_port((PortId_t)3); }",
      deparser: "pkt.emit(hdr.eth); pkt.emit(hdr.v);",
    });
    expect(await one(p, `${ETH_H} 0caabbcc`)).toBe(`tx 2 ${hex(`${ETH_H} 0caabbcc`).toString("hex")}`);
    // 12 bits wanted, none there: the length is checked first.
    const q = p.replace("error.HeaderTooShort", "error.PacketTooShort");
    expect(await one(q, `${ETH_H} 0c`)).toBe(`tx 2 ${hex(`${ETH_H} 0c`).toString("hex")}`);
  });
});

function crc32Msb(d: Buffer): number {
  let c = 0;
  for (const b of d) {
    c = (c ^ (b << 24)) >>> 0;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? ((c << 1) ^ 0x04c11db7) >>> 0 : (c << 1) >>> 0;
  }
  return c;
}

function crc16Arc(d: Buffer): number {
  let c = 0;
  for (const b of d) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return c;
}
