// The PNA -> P4TC mid-end rules, each with a program that passes and one that
// fails, through the public compile() entry point. Programs are a small PNA
// skeleton with the control's locals and the package line varied.
import { compile, type CompileResult } from "../../../compiler/compile.js";
import { Msg } from "../../../compiler/diagnostics/index.js";

const HEADERS = `
#include <core.p4>
#include <tc/pna.p4>
header ethernet_t { @tc_type("macaddr") bit<48> dstAddr; @tc_type("macaddr") bit<48> srcAddr; bit<16> etherType; }
header ipv4_t { bit<8> ttl; bit<8> protocol; bit<32> srcAddr; bit<32> dstAddr; }
struct headers_t { ethernet_t ethernet; ipv4_t ipv4; }
struct meta_t { }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {
    state start { pkt.extract(hdr.ethernet); transition accept; }
}
control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.ethernet); }
}
`;

/** A program whose main control has `locals` and `apply { body }`. */
function program(locals: string, body = "t.apply();", pkg = "PNA_NIC(P(), C(), D()) main;"): string {
  return `${HEADERS}
control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    action drop() { drop_packet(); }
    action fwd(@tc_type("dev") PortId_t port) { send_to_port(port); }
${locals}
    apply { ${body} }
}
${pkg}
`;
}

const TABLE = (props: string, ann = ""): string => `
    ${ann} table t {
        key = { hdr.ipv4.dstAddr : exact @tc_type("ipv4"); }
        actions = { fwd; drop; }
        ${props}
    }`;

function run(source: string, fileName = "prog.p4"): CompileResult {
  return compile({ input: { source, fileName } });
}

function codes(r: CompileResult): number[] {
  return r.diagnostics.filter((d) => d.category === "error").map((d) => d.code);
}

function errorLine(r: CompileResult, code: number): number | undefined {
  return r.diagnostics.find((d) => d.code === code)?.span?.line;
}

function lineOf(source: string, needle: string): number {
  return source.split("\n").findIndex((l) => l.includes(needle)) + 1;
}

describe("main package", () => {
  test("PNA_NIC main gives a pipeline named after the file", () => {
    const r = run(program(TABLE("default_action = drop;")), "my_prog.p4");
    expect(codes(r)).toEqual([]);
    expect(r.pipeline?.pipelineName).toBe("my_prog");
    expect(Object.keys(r.outputs ?? {}).sort()).toEqual(["my_prog.json", "my_prog.template", "my_prog_control_blocks.c", "my_prog_parser.c", "my_prog_parser.h"]);
  });

  test("a program without main is rejected", () => {
    const r = run(program(TABLE(""), "t.apply();", ""));
    expect(codes(r)).toEqual([Msg.Mid_NoMain.code]);
    expect(r.outputs).toBeUndefined();
  });

  test("a file name the kernel cannot take as a pipeline name is rejected", () => {
    const src = program(TABLE(""));
    const r = run(src, "a_pipeline_name_longer_than_the_kernel_allows.p4");
    expect(codes(r)).toEqual([Msg.Mid_PipelineName.code]);
    expect(errorLine(r, Msg.Mid_PipelineName.code)).toBe(lineOf(src, "main;"));
  });

  test("the pipeline name is still checked, after the program's own errors, when an error stops the mid-end", () => {
    const r = run(program(TABLE(""), "t.apply();", ""), "bad name.p4");
    expect(codes(r)).toEqual([Msg.Mid_NoMain.code, Msg.Mid_PipelineName.code]);
    // No `main` to point at: the file's first line.
    expect(errorLine(r, Msg.Mid_PipelineName.code)).toBe(1);
    expect(r.diagnostics.find((d) => d.code === Msg.Mid_PipelineName.code)?.span?.file).toBe("bad name.p4");
  });
});

describe("names that reach the shell", () => {
  test("@name with P4 identifiers is used as the kernel name", () => {
    const r = run(program(TABLE("", '@name("my.table")')));
    expect(codes(r)).toEqual([]);
  });

  test.each([["$(reboot)"], ["a b"], ["x;rm -rf /"], ["`id`"], ["a'b"]])("@name(%j) is a located error", (hostile) => {
    const src = program(`    @name(${JSON.stringify(hostile)}) action evil() { }\n${TABLE("default_action = evil;").replace("fwd; drop;", "fwd; drop; evil;")}`);
    const r = run(src);
    expect(codes(r)).toContain(Msg.Mid_UnsafeName.code);
    expect(errorLine(r, Msg.Mid_UnsafeName.code)).toBe(lineOf(src, "action evil"));
    expect(r.outputs).toBeUndefined();
  });
});

describe("actions", () => {
  test("directionless bit<W> parameters are control-plane parameters", () => {
    const r = run(program(TABLE("default_action = fwd(3);")));
    expect(r.pipeline!.actions.map((a) => [a.name, a.params.map((p) => `${p.name}:${p.type}`)])).toEqual([
      ["C/drop", []],
      ["C/fwd", ["port:dev"]],
    ]);
  });

  test("a bool control-plane parameter is rejected", () => {
    const src = program(`    action flag(bool b) { }\n${TABLE("").replace("fwd; drop;", "fwd; drop; flag;")}`);
    const r = run(src);
    expect(codes(r)).toEqual([Msg.Mid_ActionParamType.code]);
    expect(errorLine(r, Msg.Mid_ActionParamType.code)).toBe(lineOf(src, "action flag"));
  });

  test("an action only called from another action gets no kernel id", () => {
    const src = program(`    action inner() { }\n    action outer() { inner(); }\n${TABLE("").replace("fwd; drop;", "fwd; drop; outer;")}`);
    const r = run(src);
    expect(r.pipeline!.actions.map((a) => a.name)).toEqual(["C/drop", "C/fwd", "C/outer"]);
  });
});

describe("@tc_type", () => {
  test("a named type of the right width is used", () => {
    const r = run(program(TABLE("")));
    expect(r.pipeline!.tables[0]!.keys[0]!.type).toBe("ipv4");
  });

  test("an unknown type is rejected where it is written", () => {
    const src = program(TABLE("").replace('@tc_type("ipv4")', '@tc_type("tcp")'));
    const r = run(src);
    expect(codes(r)).toEqual([Msg.Mid_TcTypeInvalid.code]);
    expect(r.diagnostics.find((d) => d.category === "error")!.message).toBe(`tc_type annotation cannot have '"tcp"' as value`);
  });

  test("a width mismatch is rejected", () => {
    const r = run(program(TABLE("").replace('@tc_type("ipv4")', '@tc_type("macaddr")')));
    expect(codes(r)).toEqual([Msg.Mid_TcTypeWidth.code]);
  });
});

describe("tables", () => {
  test("size, @tc_acl and @nummask reach the model", () => {
    const r = run(program(TABLE("size = 64;", '@tc_acl("CRUS:RXP") @nummask(4)')));
    const t = r.pipeline!.tables[0]!;
    expect([t.tentries, t.permissions, t.jsonNumMask]).toEqual([64, "0x38a6", 4]);
  });

  test("a keyless table is rejected", () => {
    const r = run(program(`    table t { actions = { drop; } }`));
    expect(codes(r)).toEqual([Msg.Mid_KeylessTable.code]);
  });

  test("a size that is not a positive constant is rejected", () => {
    const r = run(program(TABLE("size = 0;")));
    expect(codes(r)).toEqual([Msg.Mid_TableSizeInvalid.code]);
  });

  test("@nummask takes an integer", () => {
    const r = run(program(TABLE("", '@nummask("ct")')));
    expect(codes(r)).toEqual([Msg.Mid_NumMaskInvalid.code]);
  });

  test("a @tc_acl with letters outside CRUDXPS is rejected", () => {
    const r = run(program(TABLE("", '@tc_acl("CRUZ:RX")')));
    expect(codes(r)).toEqual([Msg.Mid_AclInvalid.code]);
  });

  test("a table without default_action gets @defaultonly NoAction", () => {
    const r = run(program(TABLE("")));
    expect(r.pipeline!.tables[0]!.actions.at(-1)).toEqual({ action: "NoAction", scope: "DefaultOnly", annotations: ["defaultonly"] });
  });

  test("the default action's constant arguments are kept in their base", () => {
    const r = run(program(TABLE("const default_action = fwd((PortId_t)0x10);")));
    expect(r.pipeline!.tables[0]!.defaultMissAction).toMatchObject({ action: "C/fwd", permissions: "0x1024", params: [{ name: "port", text: "0x10", value: 16n }] });
  });
});

describe("default hit annotations", () => {
  const refs = (a: string): string => TABLE("").replace("fwd; drop;", a);

  test("one @default_hit is the default hit action", () => {
    const r = run(program(refs("@default_hit fwd; drop;")));
    expect(r.pipeline!.tables[0]!.defaultHitAction?.action).toBe("C/fwd");
  });

  test.each([
    ["@default_hit fwd; @default_hit drop;", Msg.Mid_DefaultHitRepeated],
    ["@default_hit_const fwd; @default_hit_const drop;", Msg.Mid_DefaultHitRepeated],
    ["@default_hit fwd; @default_hit_const drop;", Msg.Mid_DefaultHitAndConst],
    ["@tableonly @default_hit fwd; drop;", Msg.Mid_ActionRefAnnotations],
    ["@tableonly @defaultonly fwd; drop;", Msg.Mid_TableOnlyDefaultOnly],
  ])("%s is rejected", (list, msg) => {
    const r = run(program(refs(list)));
    expect(codes(r)).toContain(msg.code);
  });
});

describe("const entries", () => {
  test("values, masks and action arguments are evaluated", () => {
    const src = program(`
    table t {
        key = { hdr.ipv4.protocol : ternary; }
        actions = { fwd; drop; }
        const entries = {
            0x06 &&& 0x0f : fwd((PortId_t)2);
            _ : drop();
        }
    }`);
    const r = run(src);
    expect(codes(r)).toEqual([]);
    expect(r.pipeline!.tables[0]!.constEntries.map((e) => [e.keys[0]!.kind, e.action, e.args.map((a) => a.value)])).toEqual([
      ["mask", "C/fwd", [2n]],
      ["dontcare", "C/drop", []],
    ]);
  });

  test("an entry whose action is not in the table is rejected", () => {
    const src = program(`
    action other() { }
    table t {
        key = { hdr.ipv4.protocol : exact; }
        actions = { drop; }
        const entries = { 6 : other(); }
    }`);
    // the front end rejects it first (spec 14.2.1.4: the action is in the table's action list)
    expect(codes(run(src))).toContain(Msg.Fe_ActionNotInTable.code);
  });
});

describe("externs", () => {
  test("a direct counter bound to its table has the table's size", () => {
    const src = program(`
    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS) cnt;
    action hit() { cnt.count(); }
    table t {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { hit; drop; }
        size = 100;
        pna_direct_counter = cnt;
    }`);
    const r = run(src);
    expect(codes(r)).toEqual([]);
    expect(r.pipeline!.externs[0]).toMatchObject({ name: "DirectCounter", instances: [{ name: "C.cnt", numel: 100, instType: "PACKETS" }] });
    expect(r.pipeline!.tables[0]!.directCounter).toEqual({ externName: "DirectCounter", instanceName: "C.cnt" });
  });

  test("a direct counter used by a table that does not own it is rejected on the call", () => {
    const src = program(`
    DirectCounter<bit<64>>(PNA_CounterType_t.PACKETS) cnt;
    action hit() { cnt.count(); }
    table t {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { hit; drop; }
    }`);
    const r = run(src);
    expect(codes(r)).toEqual([Msg.Mid_DirectCounterNotOwned.code]);
    expect(errorLine(r, Msg.Mid_DirectCounterNotOwned.code)).toBe(lineOf(src, "cnt.count()"));
  });

  test("pna_direct_meter must name a DirectMeter", () => {
    const src = program(`
    Meter<bit<32>>(16, PNA_MeterType_t.PACKETS) m;
    table t {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { drop; }
        pna_direct_meter = m;
    }`);
    const r = run(src);
    expect(codes(r)).toEqual([Msg.Mid_DirectExternWrongType.code]);
    expect(r.diagnostics.find((d) => d.category === "error")!.message).toBe("m: not a DirectMeter, see declaration of C.m");
  });

  test("an InternetChecksum in the main control is rejected", () => {
    const src = program("    InternetChecksum() ck;\n" + TABLE(""));
    const r = run(src);
    expect(codes(r)).toEqual([Msg.Mid_ExternNestedInControl.code]);
    expect(errorLine(r, Msg.Mid_ExternNestedInControl.code)).toBe(lineOf(src, "InternetChecksum() ck"));
  });

  test("a discarded meter color is a warning", () => {
    const r = run(program("    Meter<bit<32>>(16, PNA_MeterType_t.PACKETS) m;\n" + TABLE(""), "m.execute(0); t.apply();"));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toContain(Msg.Mid_MeterResultUnused.code);
  });
});

describe("add_entry", () => {
  const table = (dflt: string, named: string, params = "{}", extra = "add_on_miss = true;"): string => `
    action learn() { add_entry(action_name = "${named}", action_params = ${params}, expire_time_profile_id = (ExpireTimeProfileId_t)0); }
    table t {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { learn; drop; }
        default_action = ${dflt};
        ${extra}
    }`;

  test("in the default action it makes the table add-on-miss", () => {
    const r = run(program(table("learn", "drop")));
    expect(codes(r)).toEqual([]);
    expect(r.pipeline!.tables[0]).toMatchObject({ addOnMiss: true, permissions: "0x3de6" });
  });

  test("outside the default action it is rejected", () => {
    expect(codes(run(program(table("drop", "drop"))))).toEqual([Msg.Mid_AddEntryNotInDefault.code]);
  });

  test("naming an action that is not a hit action of the table is rejected", () => {
    expect(codes(run(program(table("learn", "fwd"))))).toEqual([Msg.Mid_AddEntryNotHitAction.code]);
  });

  test("passing the wrong number of action parameters is rejected", () => {
    expect(codes(run(program(table("learn", "drop", "{ 32w1 }"))))).toEqual([Msg.Mid_AddEntryParamCount.code]);
  });

  // The add-on-miss flow-tracking shape: a @defaultonly miss action adds a @tableonly NoAction entry.
  const flow = (refs: string): string => `
    action miss() { add_entry(action_name = "NoAction", action_params = {}, expire_time_profile_id = (ExpireTimeProfileId_t)1); }
    table t {
        key = { hdr.ipv4.dstAddr : exact; }
        actions = { ${refs} }
        add_on_miss = true;
        const default_action = miss;
    }`;

  test("a @defaultonly miss action may add a @tableonly NoAction entry", () => {
    const r = run(program(flow("@tableonly NoAction; @defaultonly miss;")));
    expect(codes(r)).toEqual([]);
    expect(r.pipeline!.tables[0]).toMatchObject({ addOnMiss: true });
  });

  test("NoAction missing from the action list is not a hit action", () => {
    expect(codes(run(program(flow("@defaultonly miss;"))))).toEqual([Msg.Mid_AddEntryNotHitAction.code]);
  });

  test("a @defaultonly action cannot be the hit action add_entry names", () => {
    expect(codes(run(program(flow("@defaultonly NoAction; @defaultonly miss;"))))).toEqual([Msg.Mid_AddEntryDefaultOnlyHit.code]);
  });

  test("without add_on_miss = true it warns", () => {
    const r = run(program(table("learn", "drop", "{}", "")));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toContain(Msg.Mid_AddEntryWithoutAddOnMiss.code);
  });
});

test("same input, byte-identical outputs", () => {
  const src = program(TABLE("default_action = fwd(1);"));
  expect(run(src).outputs).toEqual(run(src).outputs);
});

describe("datapath names resolve as the front end resolved them", () => {
  // Two functions of one name, told apart by their number of arguments: the
  // lowering inlines the one the front end picked, not the last declared.
  // ipv4 is emitted here: writes to a header never emitted whose fields nobody reads are dropped.
  const emitting = (src: string): string => src.replace("pkt.emit(hdr.ethernet);", "pkt.emit(hdr.ethernet); pkt.emit(hdr.ipv4);");
  const OVERLOADS = `
void mark(inout bit<8> t) { t = 8w0x2b; }
void mark(inout bit<8> t, in bit<8> v) { t = v; }
`;

  test("an overloaded function call inlines the overload of its arity", () => {
    const src = emitting(program(TABLE("default_action = drop;"), "mark(hdr.ipv4.ttl); t.apply();").replace("control C(", `${OVERLOADS}control C(`));
    const r = run(src, "overloads.p4");
    expect(codes(r)).toEqual([]);
    const c = r.outputs!["overloads_control_blocks.c"]!;
    expect(c).toContain("hdr->ipv4.ttl = 0x2bU;");
  });

  test("a local that shadows a parameter is the local inside its block only", () => {
    const body = "{ bit<8> ttl = 8w7; hdr.ipv4.protocol = ttl; } hdr.ipv4.ttl = 8w9; t.apply();";
    const r = run(emitting(program(TABLE("default_action = drop;"), body)), "shadow.p4");
    expect(codes(r)).toEqual([]);
    const c = r.outputs!["shadow_control_blocks.c"]!;
    expect(c).toMatch(/__u8 ttl_\d+ = 7U;/);
    expect(c).toMatch(/hdr->ipv4\.protocol = ttl_\d+;/);
    expect(c).toContain("hdr->ipv4.ttl = 9U;");
  });
});
