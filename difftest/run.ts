/**
 * Differential testing: the same packets and table entries through the
 * interpreter (sim/) and through the generated eBPF under the P4TC
 * emulation (BPF_PROG_TEST_RUN), comparing verdict (sent, dropped, passed
 * to the host), egress port, output bytes and counter values.
 *
 * Packets come from the interpreter itself: random bytes steered at every
 * `select` towards a randomly chosen case (the selector's packet bits are
 * rewritten to match it), plus truncated copies. Table entries use the key
 * values a first run of those packets presented to each table, one entry
 * per action of the table (with random lpm prefixes and ternary masks
 * around the key, and random action arguments).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile, type CompileResult } from "../compiler/compile.js";
import type { TableModel } from "../compiler/ir/pipeline.js";
import { EmulatedControlPlane, EntryError, type MapUpdate } from "../targets/emulation/entries.js";
import { filterFieldsUpdate } from "../targets/emulation/target.js";
import { EmulatedPipeline, LoaderError, TC_ACT_OK, TC_ACT_PIPE, TC_ACT_REDIRECT, bpfUnavailableReason } from "../targets/emulation/loader.js";
import { runBatch, type BatchOp } from "./batch.js";
import { Rng } from "../fuzz/generate.js";
import { extKey, EXT_COUNTER_ID } from "../targets/emulation/layout.js";
import { BPF_CFLAGS, buildObjects, findClang, generatedSources, isClangFound } from "../build/index.js";
import { runtimeHeadersDir } from "../compiler/paths.js";
import { spawnSync } from "node:child_process";
import { Interpreter, SimError, type SimOutcome } from "../sim/interp.js";
import type { TableState } from "../sim/tables.js";
import { SimControlPlane } from "../targets/sim/target.js";
import type { TargetOp } from "../targets/target.js";

export { Rng };

/** An integer in [0, n). */
const below = (rng: Rng, n: number): number => rng.int(0, n - 1);

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = below(rng, 256);
  return b;
}

export interface Disagreement {
  readonly program: string;
  readonly packet: string;
  readonly port: number;
  readonly what: string;
  readonly sim: string;
  readonly ebpf: string;
  /** The table operations in force (for reproducing). */
  readonly entries: readonly TargetOp[];
}

export interface ProgramReport {
  readonly program: string;
  /** Why it was not run (does not compile, uses Random, cannot build), or null. */
  readonly skipped: string | null;
  readonly packets: number;
  /** Packets whose comparison was skipped (the emulation cannot run them). */
  readonly packetsSkipped: number;
  readonly disagreements: readonly Disagreement[];
}

export interface ProgramInput {
  readonly name: string;
  readonly file?: string;
  readonly source?: string;
}

/**
 * Constructs whose results the two sides cannot agree on: skb->protocol, which BPF_PROG_TEST_RUN derives from
 * the frame and the interpreter reads as 0. Compared: timestamps (testrun.c passes a context whose tstamp is
 * 0, what the interpreter reads) and Random (the emulation is built with P4TS_EMU_SEEDED_RANDOM and both
 * sides restart the same generator from the same seed before each packet).
 */
const NONDETERMINISTIC = /skb_get_protocol/.source;

export interface DiffOptions {
  readonly seed: number;
  readonly packets: number;
  readonly clang?: string;
  readonly log?: (s: string) => void;
}

/** Why differential testing cannot run here, or null. */
export function difftestUnavailable(): string | null {
  const why = bpfUnavailableReason();
  if (why) return why;
  const clang = findClang({ env: process.env });
  return isClangFound(clang) ? null : clang.error;
}

function compileInput(p: ProgramInput): CompileResult {
  return p.file ? compile({ input: { file: p.file } }) : compile({ input: { source: p.source!, fileName: `${p.name}.p4` } });
}

/** Packets and entries for a program, made with the interpreter. */
export function generateTests(r: CompileResult, rng: Rng, count: number): { packets: { port: number; data: Buffer }[]; ops: TargetOp[] } {
  const prog = { ast: r.ast!, checked: r.checked! };
  const keys = new Map<TableState, bigint[][]>();
  const gen = new Interpreter(prog, {
    seed: below(rng, 1 << 30) + 1,
    steer: (n) => below(rng, n),
    onTableKey: (t, k) => {
      const l = keys.get(t) ?? [];
      if (l.length < 64) l.push([...k]);
      keys.set(t, l);
    },
  });
  const packets: { port: number; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    const port = below(rng, 4) === 0 ? 1 : 0;
    const data = randomBytes(rng, 14 + below(rng, below(rng, 4) === 0 ? 40 : 180));
    if (below(rng, 2) === 0) data.writeUInt16BE(below(rng, 4) === 0 ? 0x86dd : 0x0800, 12);
    gen.runPacket(data, port + 1);
    // BPF_PROG_TEST_RUN takes an IP EtherType only with a whole IP header behind it.
    const min = ipMin(data);
    const full = data.length < min ? Buffer.concat([data, randomBytes(rng, min - data.length)]) : data;
    packets.push({ port, data: full });
    if (below(rng, 5) === 0 && full.length > min + 1) packets.push({ port, data: Buffer.from(full.subarray(0, Math.max(min, 1) + below(rng, full.length - Math.max(min, 1)))) });
  }
  // One entry per action of each table, keyed on what the packets presented.
  const ops: TargetOp[] = [];
  const cp = new SimControlPlane(r.pipeline!, gen);
  for (const t of r.pipeline!.tables) {
    if (t.keys.length === 0) continue;
    const st = cp.tableState(t.name);
    const seen = (st && keys.get(st)) ?? [];
    // NoAction is the kernel's built-in action: the control plane does not take it for an entry.
    const acts = t.actions.filter((a) => a.scope !== "DefaultOnly" && a.action !== "NoAction");
    for (const a of acts) {
      const key = seen.length > 0 && below(rng, 6) !== 0 ? seen[below(rng, seen.length)]! : t.keys.map((k) => rng.bits(k.bitwidth));
      ops.push({
        op: "add",
        table: t.name,
        keys: t.keys.map((k, i) => keyMatch(t, i, key[i] ?? 0n, rng)),
        action: a.action,
        args: (r.pipeline!.actions.find((x) => x.name === a.action)?.params ?? []).map((p) => ({ name: p.name, value: p.type === "dev" ? BigInt(below(rng, 4)) : rng.bits(p.bitwidth) })),
      });
    }
  }
  return { packets, ops };
}

function keyMatch(t: TableModel, i: number, v: bigint, rng: Rng): { name: string; value: bigint; mask?: bigint; prefixLen?: number } {
  const k = t.keys[i]!;
  const w = k.bitwidth;
  const all = (1n << BigInt(w)) - 1n;
  const value = k.type === "dev" ? BigInt(Math.max(0, Number(v) - 1)) : v;
  if (k.type === "dev") return { name: k.name, value };
  if (t.matchType === "exact" || k.matchKind === "exact") return { name: k.name, value: value & all };
  if (k.matchKind === "lpm") {
    const p = below(rng, 3) === 0 ? below(rng, w + 1) : w;
    const m = p === 0 ? 0n : (all >> BigInt(w - p)) << BigInt(w - p);
    return { name: k.name, value: value & m, prefixLen: p };
  }
  const m = below(rng, 3) === 0 ? rng.bits(w) : all;
  return { name: k.name, value: value & m, mask: m };
}

function describe(o: { verdict: string; port: number; data: Buffer }): string {
  return o.verdict === "drop" ? "drop" : `${o.verdict}${o.verdict === "tx" ? ` port ${o.port}` : ""} ${o.data.toString("hex")}`;
}

/** Runs one program both ways and compares. */
export function diffProgram(p: ProgramInput, o: DiffOptions): ProgramReport {
  const none = (skipped: string): ProgramReport => ({ program: p.name, skipped, packets: 0, packetsSkipped: 0, disagreements: [] });
  const r = compileInput(p);
  if (!r.ok || !r.outputs || !r.pipeline || !r.ast || !r.checked) return none("does not compile");
  const text = p.source ?? fs.readFileSync(p.file!, "utf8");
  if (new RegExp(NONDETERMINISTIC).test(text)) return none("reads skb->protocol (the interpreter does not model it)");
  const rng = new Rng(o.seed);
  let tests: ReturnType<typeof generateTests>;
  try {
    tests = generateTests(r, rng, o.packets);
  } catch (e) {
    if (e instanceof SimError) return none(`the interpreter does not support it: ${e.message}`);
    throw e;
  }
  const clang = findClang({ clangPath: o.clang, env: process.env });
  if (!isClangFound(clang)) return none(clang.error);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-diff-"));
  let pipe: EmulatedPipeline | null = null;
  try {
    for (const [f, t] of Object.entries(r.outputs)) fs.writeFileSync(path.join(dir, f), t);
    const b = build(dir, r.name, clang.path);
    if (!b.ok) return none(`does not build: ${b.diagnostics.split("\n")[0]}`);
    try {
      pipe = EmulatedPipeline.load(path.join(dir, `${r.name}_parser.o`), path.join(dir, `${r.name}_control_blocks.o`));
    } catch (e) {
      if (e instanceof LoaderError) return none(`does not load: ${e.message.split("\n")[0]}`);
      throw e;
    }
    const ecp = new EmulatedControlPlane(r.pipeline);
    let setup: MapUpdate[];
    try {
      setup = ecp.setup();
    } catch (e) {
      if (e instanceof EntryError) return none(`the emulation's control plane refuses the const entries: ${e.message}`);
      throw e;
    }
    const batch: BatchOp[] = setup.filter((u) => pipe!.hasMap(u.map)).map((u) => ({ k: "update", u }));
    const ff = filterFieldsUpdate(r.pipeline, r.outputs, r.name, pipe);
    if (ff) batch.push({ k: "update", u: ff });
    const sim = new Interpreter({ ast: r.ast, checked: r.checked }, { seed: 1 });
    const scp = new SimControlPlane(r.pipeline, sim);
    const ops: TargetOp[] = [];
    for (const op of tests.ops) {
      const simOk = scp.apply(op).ok;
      let updates: MapUpdate[] = [];
      let emuOk = true;
      try {
        updates = emuUpdates(ecp, op);
      } catch (e) {
        if (e instanceof EntryError) emuOk = false;
        else throw e;
      }
      if (simOk !== emuOk) return none(`entry refused by one side only: ${JSON.stringify(op, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
      for (const u of updates) if (pipe.hasMap(u.map)) batch.push({ k: "update", u });
      ops.push(op);
    }
    const wants: SimOutcome[] = [];
    const seeded = pipe.hasMap(RANDOM_MAP);
    for (const [n, pk] of tests.packets.entries()) {
      // Each packet starts the generator afresh (a packet the emulation refuses does not shift the later ones).
      const seed = randomSeed(o.seed, n);
      sim.seedRandom(seed);
      if (seeded) batch.push({ k: "update", u: { map: RANDOM_MAP, key: u32le(0), value: u32le(seed) } });
      try {
        wants.push(sim.runPacket(Buffer.from(pk.data), pk.port + 1));
      } catch (e) {
        if (e instanceof SimError) return none(`the interpreter does not support it: ${e.message}`);
        throw e;
      }
      batch.push({ k: "packet", ifindex: pk.port + 1, data: pk.data });
    }
    // Counters the interpreter counted, read back after the packets.
    const counters = r.pipeline.externs.find((e) => e.name === "Counter");
    const reads: { name: string; index: number; packets: bigint; bytes: bigint }[] = [];
    for (const inst of counters?.instances ?? []) {
      const st = sim.externs.find((x) => x.kind === "Counter" && x.path === inst.name);
      for (const [idx, v] of st?.counters ?? []) {
        reads.push({ name: inst.name, index: idx, ...v });
        batch.push({ k: "lookup", map: "p4tc_emu_cnt", key: extKey(EXT_COUNTER_ID, inst.id, idx) });
      }
    }
    const results = runBatch(pipe.dir, batch);
    const bad = results.find((x, i) => x.k === "error" && batch[i]!.k === "update");
    if (bad && bad.k === "error") return none(`a map update failed (errno ${bad.errno})`);
    const packetResults = results.filter((_x, i) => batch[i]!.k === "packet");
    const lookups = results.filter((_x, i) => batch[i]!.k === "lookup");
    const disagreements: Disagreement[] = [];
    let skipped = 0;
    let run = 0;
    tests.packets.forEach((pk, n) => {
      const res = packetResults[n]!;
      const want = wants[n]!;
      if (res.k !== "packet") {
        skipped++; // BPF_PROG_TEST_RUN refused the frame (e.g. an IP EtherType without a full IP header)
        return;
      }
      const verdict = res.parserRc !== TC_ACT_PIPE || res.mainRc === null ? "drop" : res.mainRc === TC_ACT_REDIRECT ? "tx" : res.mainRc === TC_ACT_OK ? "pass" : "drop";
      const got = { verdict, port: verdict === "tx" ? res.egressPort - 1 : 0, data: verdict === "drop" ? Buffer.alloc(0) : res.data };
      const w = { verdict: want.verdict, port: want.verdict === "tx" ? want.port - 1 : 0, data: want.data };
      // The emulation cannot change skb->protocol, so it drops a non-IP frame whose length the deparser changes.
      if (got.verdict === "drop" && w.verdict !== "drop" && w.data.length !== pk.data.length && !isIp(pk.data)) {
        skipped++;
        return;
      }
      run++;
      const what = w.verdict !== got.verdict ? "verdict" : w.port !== got.port ? "port" : !w.data.equals(got.data) ? "bytes" : null;
      if (what) disagreements.push({ program: p.name, packet: pk.data.toString("hex"), port: pk.port, what, sim: describe(w), ebpf: describe(got), entries: ops });
    });
    // The interpreter counted every packet: compare counters only when the emulation ran every one too.
    const refused = packetResults.some((x) => x.k !== "packet");
    if (!refused) reads.forEach((c, i) => {
      const l = lookups[i]!;
      const e = l.k === "value" ? l.value : undefined;
      const ep = e ? e.readBigUInt64LE(0) : 0n;
      const eb = e ? e.readBigUInt64LE(8) : 0n;
      if (ep !== c.packets || eb !== c.bytes) {
        disagreements.push({ program: p.name, packet: "", port: 0, what: `counter ${c.name}[${c.index}]`, sim: `${c.packets} packets ${c.bytes} bytes`, ebpf: `${ep} packets ${eb} bytes`, entries: ops });
      }
    });
    return { program: p.name, skipped: null, packets: run, packetsSkipped: skipped, disagreements };
  } finally {
    pipe?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The emulation build's flags: the emulation's, and Random made reproducible. */
const FLAGS = ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE", "-DP4TS_EMU_SEEDED_RANDOM"];

let pch: string | null | undefined;

/**
 * The runtime header every generated file includes, precompiled with FLAGS once per process (parsing it is
 * most of a generated file's compile), or null when clang cannot precompile it.
 */
function runtimePch(clang: string): string | null {
  if (pch !== undefined) return pch;
  const out = path.join(os.tmpdir(), `p4ts-difftest-${process.pid}.pch`);
  const r = spawnSync(clang, [...BPF_CFLAGS, ...FLAGS, "-I", runtimeHeadersDir, "-x", "c-header", path.join(runtimeHeadersDir, "p4ts_pna.h"), "-o", out], { encoding: "utf8" });
  pch = r.status === 0 && fs.existsSync(out) ? out : null;
  if (pch) process.once("exit", () => fs.rmSync(out, { force: true }));
  return pch;
}

/** Builds both objects with one clang run over the precompiled header; anything short of a clean build is built again the ordinary way, for its messages. */
function build(dir: string, name: string, clang: string): { ok: boolean; diagnostics: string } {
  const p = runtimePch(clang);
  const sources = generatedSources(name);
  if (p) {
    const r = spawnSync(clang, [...BPF_CFLAGS, ...FLAGS, "-include-pch", p, "-I", runtimeHeadersDir, "-I", dir, "-c", ...sources], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status === 0 && `${r.stdout}${r.stderr}`.trim() === "" && sources.every((f) => fs.existsSync(path.join(dir, f.replace(/\.c$/, ".o"))))) return { ok: true, diagnostics: "" };
  }
  return buildObjects(dir, name, clang, { extraFlags: FLAGS });
}

/** The emulation's Random state (built with P4TS_EMU_SEEDED_RANDOM). */
const RANDOM_MAP = "p4tc_emu_random";

/** The (nonzero) Random seed of packet `n` of a run. */
function randomSeed(seed: number, n: number): number {
  return ((Math.imul(seed, 2654435761) ^ (n + 1)) >>> 0) || 1;
}

function u32le(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

function ipMin(d: Buffer): number {
  if (d.length < 14) return 0;
  const t = d.readUInt16BE(12);
  return t === 0x0800 ? 34 : t === 0x86dd ? 54 : 0;
}

function isIp(d: Buffer): boolean {
  return d.length >= 14 && (d.readUInt16BE(12) === 0x0800 || d.readUInt16BE(12) === 0x86dd);
}

/** A table operation as emulation map updates (STF ports become ifindex port+1, as the sim target does). */
function emuUpdates(cp: EmulatedControlPlane, op: TargetOp): MapUpdate[] {
  if (op.op !== "add") return [];
  const t = cp.table(op.table);
  const a = cp.action(t, op.action);
  const keys = t.keys.map((k, i) => {
    const g = op.keys[i]!;
    const value = k.type === "dev" ? g.value + 1n : g.value;
    return { value, mask: g.mask, prefix: g.prefixLen };
  });
  const args = a.params.map((p, i) => (p.type === "dev" ? op.args[i]!.value + 1n : op.args[i]!.value));
  return cp.add(t.name, keys, a.name, args, op.priority);
}

/** Every program differential testing runs over: the corpus, the reference STF programs, the samples and the fixtures. */
export function corpusPrograms(root: string): ProgramInput[] {
  const out: ProgramInput[] = [];
  const add = (dir: string, filter: (f: string) => boolean): void => {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, f);
      if (fs.statSync(full).isDirectory()) add(full, filter);
      else if (f.endsWith(".p4") && filter(f)) out.push({ name: path.relative(root, full), file: full });
    }
  };
  add(path.join(root, "../shared/corpus/p4tc/programs"), (f) => !f.includes("_errors"));
  add(path.join(root, "../shared/corpus/p4tc-stf"), () => true);
  add(path.join(root, "samples"), () => true);
  add(path.join(root, "test/fixtures/stf"), () => true);
  return out;
}
