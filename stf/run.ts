/**
 * `p4ts stf FILE.p4 TEST.stf`: compiles the program, builds it with the P4TC
 * emulation, loads it into the running kernel, installs the const entries,
 * default actions and the test's `add`/`setdefault`/`remove` lines, sends
 * each `packet` through parser and main (BPF_PROG_TEST_RUN on one CPU), and
 * checks the packets that leave against the `expect` lines, per port and in
 * order (`*` nibbles match anything). A packet leaves on the port its
 * redirect names; dropped packets (and packets passed up the local stack)
 * leave on none.
 *
 * Ports: STF port N is interface index N+1 unless `--port N=IFINDEX` says
 * otherwise. The ifindex is what `istd.input_port` reads for a packet sent
 * on port N (it must exist on this machine, except for ifindex 1, the
 * loopback), what `dev` values in `add` lines become, and how an egress
 * ifindex is mapped back to a port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import type { PipelineModel, TableModel } from "../compiler/ir/pipeline.js";
import { EmulatedControlPlane, EntryError, type KeyValue, type MapUpdate } from "../targets/emulation/entries.js";
import { EmulatedPipeline, LoaderError, TC_ACT_REDIRECT, bpfUnavailableReason, type PacketResult } from "../targets/emulation/loader.js";
import { buildObjects, findClang, isClangFound } from "../build/index.js";
import { parseStf, StfError, type StfStatement, type StfValue } from "./parse.js";
import { extKey, meterValue, EXT_COUNTER_ID, EXT_METER_ID } from "../targets/emulation/layout.js";

/** The instance id of the extern instance `name` (`Ctrl.inst`, or just `inst`) of type `type`. */
function externInstance(m: PipelineModel, type: string, name: string): number {
  const ext = m.externs.find((e) => e.name === type);
  const inst = ext?.instances.find((i) => i.name === name || i.name.endsWith(`.${name}`));
  if (!inst) throw new EntryError(`no ${type} instance ${name}${ext ? ` (instances: ${ext.instances.map((i) => i.name).join(", ")})` : ""}`);
  return inst.id;
}

export interface StfOptions {
  readonly program: string;
  readonly stf: string;
  readonly includePaths?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  readonly undefines?: readonly string[];
  /** STF port → ifindex overrides. */
  readonly ports?: ReadonlyMap<number, number>;
  readonly clang?: string;
  readonly out: (text: string) => void;
}

/** What the run found: 0 passed, 1 failed (mismatches or a bad test), 2 could not run here. */
export async function runStf(o: StfOptions): Promise<number> {
  const ifindexOf = (port: number): number => o.ports?.get(port) ?? port + 1;
  const portOf = (ifindex: number): number | null => {
    for (const [p, i] of o.ports ?? []) if (i === ifindex) return p;
    return ifindex >= 1 && !(o.ports && [...o.ports.keys()].includes(ifindex - 1)) ? ifindex - 1 : null;
  };

  let statements: StfStatement[];
  try {
    statements = parseStf(fs.readFileSync(o.stf, "utf8"));
  } catch (e) {
    if (e instanceof StfError) {
      o.out(`${path.basename(o.stf)}(${e.line}): error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  const r = compile({ input: { file: o.program }, includePaths: o.includePaths, defines: o.defines, undefines: o.undefines });
  if (!r.ok || !r.outputs || !r.pipeline) {
    o.out(r.format());
    return 1;
  }
  const why = bpfUnavailableReason();
  if (why) {
    o.out(`p4ts stf: cannot run packet tests on this machine: ${why}\n`);
    return 2;
  }
  const clang = findClang({ clangPath: o.clang, env: process.env });
  if (!isClangFound(clang)) {
    o.out(`p4ts stf: ${clang.error}\n`);
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-stf-"));
  let pipe: EmulatedPipeline | null = null;
  try {
    for (const [f, text] of Object.entries(r.outputs)) fs.writeFileSync(path.join(dir, f), text);
    const b = buildObjects(dir, r.name, clang, { extraFlags: ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"] });
    if (!b.ok) {
      o.out(b.diagnostics);
      return 1;
    }
    pipe = EmulatedPipeline.load(path.join(dir, `${r.name}_parser.o`), path.join(dir, `${r.name}_control_blocks.o`));
    const cp = new EmulatedControlPlane(r.pipeline);
    pipe.apply(cp.setup().filter((u) => pipe!.hasMap(u.map)));

    const sent: { port: number; line: number; result: PacketResult }[] = [];
    const expects: Extract<StfStatement, { k: "expect" }>[] = [];
    let bad = 0;
    for (const st of statements) {
      try {
        switch (st.k) {
          case "add":
          case "setdefault":
          case "remove":
            pipe.apply(controlUpdates(cp, st, ifindexOf));
            break;
          case "packet": {
            const res = pipe.run(st.data, ifindexOf(st.port));
            sent.push({ port: st.port, line: st.line, result: res });
            break;
          }
          case "expect":
            expects.push(st);
            break;
          case "wait":
            break;
          case "meter_config": {
            const inst = externInstance(r.pipeline, "Meter", st.meter);
            pipe.apply([{ map: "p4tc_emu_meter", key: extKey(EXT_METER_ID, inst, st.index), value: meterValue({ cir: st.cir, cbs: st.cbs, pir: st.pir, pbs: st.pbs }) }]);
            break;
          }
          case "check_counter": {
            const inst = externInstance(r.pipeline, "Counter", st.counter);
            const v = pipe.lookup("p4tc_emu_cnt", extKey(EXT_COUNTER_ID, inst, st.index));
            const got = v ? (st.what === "bytes" ? v.readBigUInt64LE(8) : v.readBigUInt64LE(0)) : 0n;
            if (got !== st.value) {
              o.out(`${path.basename(o.stf)}(${st.line}): error: counter ${st.counter}(${st.index}) ${st.what} is ${got}, expected ${st.value}\n`);
              bad++;
            }
            break;
          }
          case "ignored":
            o.out(`${path.basename(o.stf)}(${st.line}): note: '${st.what}' is not checked by p4ts stf\n`);
            break;
        }
      } catch (e) {
        if (e instanceof EntryError || e instanceof StfError) {
          o.out(`${path.basename(o.stf)}(${st.line}): error: ${e.message}\n`);
          bad++;
        } else throw e;
      }
    }
    bad += compareOutputs(o, r.pipeline, sent, expects, portOf);
    o.out(bad === 0 ? `PASS: ${path.basename(o.stf)}: ${sent.length} packets, ${expects.length} expected\n` : `FAIL: ${path.basename(o.stf)}: ${bad} problems\n`);
    return bad === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof LoaderError) {
      o.out(`p4ts stf: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    pipe?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function controlUpdates(cp: EmulatedControlPlane, st: Extract<StfStatement, { k: "add" | "setdefault" | "remove" }>, ifindexOf: (p: number) => number): MapUpdate[] {
  if (st.k === "remove") {
    if (st.table === null) throw new EntryError("'remove all' is not supported yet");
    const t = cp.table(st.table);
    return cp.remove(t.name, orderedKeys(t, st.keys, ifindexOf));
  }
  const t = cp.table(st.table);
  const a = cp.action(t, st.action.replace(/^_NoAction$/, "NoAction"));
  const args = a.params.map((p, i) => {
    const given = st.args.find((x) => x.name === p.name) ?? st.args[i];
    if (!given) throw new EntryError(`${st.action}: no value for parameter ${p.name}`);
    return p.type === "dev" ? BigInt(ifindexOf(Number(given.v.value))) : given.v.value;
  });
  if (st.k === "setdefault") return cp.setDefault(t.name, a.name, args);
  return cp.add(t.name, orderedKeys(t, st.keys, ifindexOf), a.name, args, st.prio ?? undefined);
}

/** Key values in the table's key order, matched by key name (or position). */
function orderedKeys(t: TableModel, keys: readonly { name: string; v: StfValue }[], ifindexOf: (p: number) => number): KeyValue[] {
  return t.keys.map((k, i) => {
    const given = keys.find((x) => x.name === k.name || x.name.endsWith(`.${k.name}`) || k.name.endsWith(`.${x.name}`)) ?? keys[i];
    if (!given) throw new EntryError(`no value for key ${k.name} of ${t.name}`);
    const v = k.type === "dev" ? { ...given.v, value: BigInt(ifindexOf(Number(given.v.value))) } : given.v;
    return v;
  });
}

function compareOutputs(
  o: StfOptions,
  m: PipelineModel,
  sent: readonly { port: number; line: number; result: PacketResult }[],
  expects: readonly Extract<StfStatement, { k: "expect" }>[],
  portOf: (ifindex: number) => number | null,
): number {
  const stf = path.basename(o.stf);
  const outputs = new Map<number, { line: number; data: Buffer }[]>();
  for (const s of sent) {
    const res = s.result;
    if (res.mainRc !== TC_ACT_REDIRECT) continue;
    const port = portOf(res.egressPort);
    if (port === null) {
      o.out(`${stf}(${s.line}): note: the packet left on ifindex ${res.egressPort}, which no STF port maps to\n`);
      continue;
    }
    if (!outputs.has(port)) outputs.set(port, []);
    outputs.get(port)!.push({ line: s.line, data: res.data });
  }
  let bad = 0;
  const byPort = new Map<number, Extract<StfStatement, { k: "expect" }>[]>();
  for (const e of expects) {
    if (!byPort.has(e.port)) byPort.set(e.port, []);
    byPort.get(e.port)!.push(e);
  }
  for (const port of new Set([...outputs.keys(), ...byPort.keys()])) {
    const got = outputs.get(port) ?? [];
    const want = byPort.get(port) ?? [];
    for (let i = 0; i < Math.max(got.length, want.length); i++) {
      const g = got[i];
      const w = want[i];
      if (!w) {
        o.out(`${stf}(${g!.line}): error: unexpected packet on port ${port}:\n${hexLines(g!.data)}`);
        bad++;
        continue;
      }
      if (!g) {
        o.out(`${stf}(${w.line}): error: expected a packet on port ${port}, none left there\n`);
        bad++;
        continue;
      }
      if (w.data === null) continue;
      const diff = packetDiff(w.data, w.care!, g.data, m);
      if (diff) {
        o.out(`${stf}(${w.line}): error: the packet on port ${port} (sent on line ${g.line}) differs from the expected one:\n${diff}`);
        bad++;
      }
    }
  }
  return bad;
}

function hexLines(b: Buffer): string {
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 16) out.push(`    ${i.toString(16).padStart(4, "0")}  ${[...b.subarray(i, i + 16)].map((x) => x.toString(16).padStart(2, "0")).join(" ")}\n`);
  return out.join("");
}

/** A byte diff of expected and received packets, each line labelled with the header it falls in; null when they match. */
export function packetDiff(want: Buffer, care: Buffer, got: Buffer, m: PipelineModel): string | null {
  let same = want.length === got.length;
  for (let i = 0; same && i < want.length; i++) if (((want[i]! ^ got[i]!) & care[i]!) !== 0) same = false;
  if (same) return null;
  const labels = headerLabels(m, Math.max(want.length, got.length));
  const lines: string[] = [`    length: expected ${want.length} bytes, got ${got.length}\n`];
  for (let i = 0; i < Math.max(want.length, got.length); i += 8) {
    const w: string[] = [];
    const g: string[] = [];
    const marks: string[] = [];
    for (let j = i; j < i + 8 && j < Math.max(want.length, got.length); j++) {
      const wc = j < want.length ? ([...want[j]!.toString(16).padStart(2, "0")].map((c, k) => (((care[j]! >> (4 - 4 * k)) & 0xf) === 0 ? "*" : c)).join("")) : "--";
      const gc = j < got.length ? got[j]!.toString(16).padStart(2, "0") : "--";
      const differ = j >= want.length || j >= got.length || ((want[j]! ^ got[j]!) & care[j]!) !== 0;
      w.push(wc);
      g.push(gc);
      marks.push(differ ? "^^" : "  ");
    }
    if (!marks.some((x) => x === "^^")) continue;
    lines.push(`    ${i.toString(16).padStart(4, "0")} ${(labels[i] ?? "").padEnd(18)} expected ${w.join(" ")}\n`);
    lines.push(`    ${"".padEnd(4)} ${"".padEnd(18)} got      ${g.join(" ")}\n`);
    lines.push(`    ${"".padEnd(4)} ${"".padEnd(18)}          ${marks.join(" ")}\n`);
  }
  return lines.join("");
}

/** Which header each byte offset falls in, assuming every header the deparser emits is present, in emit order. */
function headerLabels(m: PipelineModel, length: number): string[] {
  const dp = m.datapath;
  const labels: string[] = [];
  if (!dp) return labels;
  let off = 0;
  const visit = (list: readonly import("../compiler/ir/datapath.js").DStmt[]): void => {
    for (const s of list) {
      if (s.k === "emit") {
        const h = dp.headers.find((x) => x.name === s.layout);
        if (!h) continue;
        const name = s.header.path.join(".");
        for (let i = 0; i < h.bits / 8 && off < length; i++) labels[off++] = i === 0 ? name : `${name}+${i}`;
      } else if (s.k === "if") {
        visit(s.then);
      } else if (s.k === "block") visit(s.body);
    }
  };
  visit(dp.deparser.body);
  for (; off < length; off++) labels[off] = "payload";
  return labels;
}
