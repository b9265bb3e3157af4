// bench:pps machinery (scripts/bench-pps.mjs prints the table): builds a
// program twice against the P4TC emulation, once from p4ts's C and once
// from the reference's (p4c-pna-p4tc) C through bench/ref-include, loads
// both with the emulation loader, installs the same entries, checks that
// both give the same verdict and bytes on every packet, and times parser
// and main with BPF_PROG_TEST_RUN (bench/pps-harness.c) in interleaved
// rounds on one CPU. Uses the built package in dist/.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => import(path.join(root, "dist", p));
const { compile } = await dist("compiler/compile.js");
const { findClang, isClangFound, BPF_CFLAGS } = await dist("build/index.js");
const { EMULATION_CFLAGS } = await dist("targets/emulation/target.js");
const { EmulatedPipeline, bpfUnavailableReason, TC_ACT_PIPE } = await dist("targets/emulation/loader.js");
const { EmulatedControlPlane } = await dist("targets/emulation/entries.js");
const { actBpf, entryKey, entryValue, tableValue, TABLE_EXACT } = await dist("targets/emulation/layout.js");
const { parseStf } = await dist("stf/parse.js");
const { abiOf } = await dist("compiler/ir/abi/index.js");
const { planStf } = await dist("stf/resolve.js");

const bench = path.join(root, "bench");
const runtimeHeaders = path.join(root, "runtime-headers");
export const corpus = process.env.P4TS_CORPUS ?? path.resolve(root, "../shared/corpus");

/**
 * The programs: the 3 STF programs with their own tests, and corpus
 * programs with the packets and entries of bench/pps/NAME.stf. p4ts's
 * samples/ have no reference build (they are not in the corpus).
 */
export const PROGRAMS = [
  ...["simple_l3", "redirect_l2", "arp_respond"].map((name) => ({ name, group: "stf", p4: path.join(corpus, "p4tc-stf", `${name}.p4`), stf: path.join(corpus, "p4tc-stf", `${name}.stf`), refC: path.join(corpus, "p4tc-stf", "expected-c") })),
  ...fs
    .readdirSync(path.join(bench, "pps"))
    .filter((f) => f.endsWith(".stf"))
    .sort()
    .map((f) => f.replace(/\.stf$/, ""))
    .map((name) => ({ name, group: "corpus", p4: path.join(corpus, "p4tc", "programs", `${name}.p4`), stf: path.join(bench, "pps", `${name}.stf`), refC: path.join(corpus, "p4tc", "expected-c") })),
];

/** The clang flags of the reference's build: its own warnings off, our emulation and its extern layout on. */
const REF_CFLAGS = ["-DP4TS_EXT_ABI_REFERENCE", "-Wno-unused-value", "-Wno-pointer-sign", "-Wno-compare-distinct-pointer-types", "-Wno-address-of-packed-member", "-Wno-tautological-compare", "-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-unused-function", "-Wno-unused-label"];
/** clang flags common to both builds, p4ts's own BPF_CFLAGS less -Wall -Werror (the reference's C is not warning-clean). */
const COMMON = () => [...BPF_CFLAGS.filter((f) => f !== "-Wall" && f !== "-Werror"), ...EMULATION_CFLAGS];

export class BenchError extends Error {}

/** Why the bench cannot run here, or null. */
export function unavailable() {
  const why = bpfUnavailableReason();
  if (why) return why;
  if (spawnSync("taskset", ["--version"]).error) return "taskset not found (util-linux)";
  if (spawnSync("cc", ["--version"]).error) return "no host C compiler (cc) for bench/pps-harness.c";
  const clang = findClang({ env: process.env });
  if (!isClangFound(clang)) return clang.error;
  if (!fs.existsSync(path.join(corpus, "p4tc-stf", "expected-c"))) return `no reference C under ${corpus} (set P4TS_CORPUS)`;
  return null;
}

function clangPath() {
  const c = findClang({ env: process.env });
  if (!isClangFound(c)) throw new BenchError(c.error);
  return c.path;
}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new BenchError(`${what} failed:\n${(r.stderr || "") + (r.stdout || "") || r.error?.message}`.trimEnd());
  return r.stdout;
}

function clangBuild(src, obj, flags, includes, what) {
  run(clangPath(), [...COMMON(), ...flags, ...includes.flatMap((d) => ["-I", d]), "-c", src, "-o", obj], what);
}

/** The host-side tools, built once into `work`. */
export function buildTools(work) {
  const harness = path.join(work, "pps-harness");
  run("cc", ["-O2", "-Wall", "-o", harness, path.join(bench, "pps-harness.c")], "building bench/pps-harness.c");
  const empty = path.join(work, "floor-empty.o");
  const hit = path.join(work, "floor-hit.o");
  clangBuild(path.join(bench, "pps-floor.c"), empty, [], [runtimeHeaders], "building the empty floor");
  clangBuild(path.join(bench, "pps-floor.c"), hit, ["-DP4TS_FLOOR_HIT"], [runtimeHeaders], "building the table-hit floor");
  return { harness, empty, hit };
}

/** The floor programs, loaded: "parser" is the empty program, "main" the lone table hit (key: skb->mark). */
export const FLOOR_KEY = 0x0a000002;
export function loadFloors(tools, cpu) {
  const pipe = EmulatedPipeline.load(tools.empty, tools.hit, { cpu, handleSignals: false });
  const key = Buffer.alloc(4);
  key.writeUInt32LE(FLOOR_KEY);
  pipe.apply([
    { map: "p4tc_emu_tables", key: u32(1), value: tableValue({ type: TABLE_EXACT, keysz: 32 }) },
    { map: "p4tc_emu_entry", key: entryKey(1, 0, key), value: entryValue({ act: actBpf(1) }) },
  ]);
  return pipe;
}

function u32(v) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/**
 * Static asserts that the reference's table key structs are laid out as
 * p4ts's (same size, every field at the same offset), and that each
 * action's parameters sit where p4ts's control plane writes them. Appended
 * to the reference's control-block C, so a difference stops its build.
 */
export function layoutAsserts(oursMain, refMain, model) {
  const abi = abiOf(model);
  const out = [];
  const re = /struct __attribute__\(\(__packed__\)\) (\w+_key) \{([^}]*)\} __attribute__\(\(aligned\(8\)\)\);/g;
  for (const m of oursMain.matchAll(re)) {
    const [, name, body] = m;
    out.push(`struct __attribute__((__packed__)) p4ts_ours_${name} {${body}} __attribute__((aligned(8)));`);
    out.push(`_Static_assert(sizeof(struct ${name}) == sizeof(struct p4ts_ours_${name}), "${name}: size differs from p4ts's");`);
    for (const f of body.matchAll(/(\w+)(?:\[\d+\])?;/g)) {
      out.push(`_Static_assert(__builtin_offsetof(struct ${name}, ${f[1]}) == __builtin_offsetof(struct p4ts_ours_${name}, ${f[1]}), "${name}.${f[1]}: offset differs from p4ts's");`);
    }
  }
  let params = 0;
  for (const t of model.tables) {
    const value = `${t.name.replace(/[/.]/g, "_")}_value`;
    if (!refMain.includes(`struct __attribute__((__packed__)) ${value} {`)) continue;
    for (const r of t.actions) {
      const a = model.actions.find((x) => x.name === r.action);
      if (!a || a.params.length === 0) continue;
      const member = a.name.replace(/[/.]/g, "_");
      let off = 5;
      for (const p of a.params) {
        out.push(`_Static_assert(__builtin_offsetof(struct ${value}, u.${member}.${p.name}) == ${off}, "${value}: ${a.name}.${p.name} is not at byte ${off - 5} of the parameters, as p4ts writes it");`);
        off += abi.paramSlot(p.type, p.bitwidth).slot;
        params++;
      }
    }
  }
  return { text: out.join("\n") + "\n", structs: [...oursMain.matchAll(re)].length, params };
}

/** Builds p4ts's and the reference's objects of `prog` in `work/NAME`, and the counting builds. */
export function buildProgram(prog, work) {
  const dir = path.join(work, prog.name);
  const ours = path.join(dir, "ours");
  const ref = path.join(dir, "ref");
  fs.mkdirSync(ours, { recursive: true });
  fs.mkdirSync(ref, { recursive: true });
  const r = compile({ input: { file: prog.p4 } });
  if (!r.ok || !r.outputs || !r.pipeline) throw new BenchError(`p4ts cannot compile ${prog.p4}`);
  for (const [f, text] of Object.entries(r.outputs)) fs.writeFileSync(path.join(ours, f), text);
  // Every main build, timed or counting, calls the emulated kfuncs as the kernel's: never deleted (bench/pps-kfunc.h).
  const kfunc = ["-include", path.join(bench, "pps-kfunc.h")];
  const count = ["-include", path.join(bench, "pps-count.h")];
  const objs = { ours: {}, ref: {}, oursCount: {}, refCount: {} };
  for (const part of ["parser", "control_blocks"]) {
    clangBuild(path.join(ours, `${prog.name}_${part}.c`), path.join(ours, `${part}.o`), part === "parser" ? [] : kfunc, [runtimeHeaders, ours], `building p4ts's ${prog.name}_${part}.c`);
    objs.ours[part] = path.join(ours, `${part}.o`);
    objs.oursCount[part] = objs.ours[part];
  }
  const refMainSrc = path.join(prog.refC, `${prog.name}_control_blocks.c`);
  if (!fs.existsSync(refMainSrc)) throw new BenchError(`no reference C for ${prog.name} in ${prog.refC}`);
  const oursMain = fs.readFileSync(path.join(ours, `${prog.name}_control_blocks.c`), "utf8");
  const asserts = layoutAsserts(oursMain, fs.readFileSync(refMainSrc, "utf8"), r.pipeline);
  const wrapped = path.join(ref, `${prog.name}_control_blocks.c`);
  fs.writeFileSync(wrapped, `#include "${refMainSrc}"\n/* bench:pps: the reference's layouts are p4ts's */\n${asserts.text}`);
  const refIncludes = [path.join(bench, "ref-include"), runtimeHeaders, prog.refC];
  for (const [part, src] of [["parser", path.join(prog.refC, `${prog.name}_parser.c`)], ["control_blocks", wrapped]]) {
    clangBuild(src, path.join(ref, `${part}.o`), part === "parser" ? REF_CFLAGS : [...REF_CFLAGS, ...kfunc], refIncludes, `building the reference's ${prog.name}_${part}.c`);
    objs.ref[part] = path.join(ref, `${part}.o`);
    objs.refCount[part] = objs.ref[part];
  }
  // The counting builds: main only (the parser reads no table), so main owns the counter map.
  clangBuild(path.join(ours, `${prog.name}_control_blocks.c`), path.join(ours, "control_blocks.count.o"), count, [runtimeHeaders, ours], `building p4ts's ${prog.name}_control_blocks.c (counting)`);
  clangBuild(wrapped, path.join(ref, "control_blocks.count.o"), [...REF_CFLAGS, ...count], refIncludes, `building the reference's ${prog.name}_control_blocks.c (counting)`);
  objs.oursCount = { ...objs.oursCount, control_blocks: path.join(ours, "control_blocks.count.o") };
  objs.refCount = { ...objs.refCount, control_blocks: path.join(ref, "control_blocks.count.o") };
  const ref_ = refKeyModel(r.pipeline, fs.readFileSync(refMainSrc, "utf8"), fs.readFileSync(path.join(prog.refC, `${prog.name}_parser.c`), "utf8"));
  return { dir, model: r.pipeline, refModel: ref_.model, swapped: ref_.swapped, objs, asserts };
}

/** The table operations and packets of the program's STF file (table operations first, as written). */
export function readStf(prog, model) {
  const plan = planStf(model, parseStf(fs.readFileSync(prog.stf, "utf8")));
  if (plan.errors.length) throw new BenchError(`${prog.stf}:${plan.errors[0].line}: ${plan.errors[0].message}`);
  const ops = plan.ops.map((p) => p.op);
  return { tableOps: ops.filter((o) => o.op !== "packet"), packets: ops.filter((o) => o.op === "packet") };
}

/**
 * The CPUs this process may run on (its affinity, Cpus_allowed_list), ascending: taskset -c accepts
 * only these, and a container's cpuset can leave out CPUs that os.cpus() lists.
 */
export function allowedCpus() {
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
  if (!m) throw new BenchError("no Cpus_allowed_list in /proc/self/status");
  return m[1].split(",").flatMap((r) => {
    const [a, b = a] = r.split("-").map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

/**
 * Where each STF port arrives: BPF_PROG_TEST_RUN refuses (ENODEV) an skb
 * whose ifindex is above 1 and names no interface of this network
 * namespace, and which ifindexes exist differs from machine to machine (a
 * fresh container may have lo and an eth0 with ifindex 17). Port 0 is lo
 * (ifindex 1, which the kernel always takes); port N the N-th other
 * interface in ifindex order, found by running the empty floor program on
 * it (the kernel's own answer); on a machine with lo, eth0 this is
 * ifindex N+1, as in `p4ts stf`. Ports beyond the interfaces found get
 * unused ifindexes above them: fine for an egress port (a table's
 * parameter), an error for a packet's input port (see inputIfindex).
 */
export class PortMap {
  constructor(tools, cpu, floors, work, wanted = 3) {
    const data = path.join(work, "probe.pkt");
    fs.writeFileSync(data, Buffer.alloc(64));
    const listed = spawnSync("ip", ["-o", "link"], { encoding: "utf8" });
    const candidates = new Set([...(listed.stdout ?? "").matchAll(/^(\d+):/gm)].map((m) => Number(m[1])));
    for (let i = 2; i <= 32; i++) candidates.add(i);
    this.ifindexes = [1];
    for (const i of [...candidates].filter((x) => x > 1).sort((a, b) => a - b)) {
      if (this.ifindexes.length > wanted) break;
      const ctx = ctxFile(path.join(work, "probe.ctx"), i);
      try {
        harness(tools, cpu, ["run", path.join(floors.dir, "parser"), data, ctx, 1]);
        this.ifindexes.push(i);
      } catch (e) {
        if (!(e instanceof BenchError) || !/No such device/.test(e.message)) throw e;
      }
    }
  }
  /** The ifindex port `port` stands for (a table parameter of type PortId_t). */
  ifindex(port) {
    const n = this.ifindexes.length;
    return port < n ? this.ifindexes[port] : this.ifindexes[n - 1] + 1 + (port - n);
  }
  /** The ifindex a packet sent on `port` arrives with. */
  inputIfindex(port) {
    if (port >= this.ifindexes.length)
      throw new BenchError(`a packet on STF port ${port} needs ${port + 1} network interfaces here (lo and ${port} others); this network namespace has ${this.ifindexes.length} (ifindexes ${this.ifindexes.join(", ")})`);
    return this.ifindexes[port];
  }
  toString() {
    return this.ifindexes.map((x, p) => `${p}->${x}`).join(", ");
  }
}

/** The map updates of the program's entries, encoded once from p4ts's model for both builds. */
export function entryUpdates(model, tableOps, ports) {
  const cp = new EmulatedControlPlane(model);
  const out = [...cp.setup()];
  const dev = (type, v) => (type === "dev" ? BigInt(ports.ifindex(Number(v))) : v);
  for (const op of tableOps) {
    if (op.op === "add") {
      const t = model.tables.find((x) => x.name === op.table);
      const a = model.actions.find((x) => x.name === op.action);
      const keys = op.keys.map((k) => ({ value: dev(t?.keys.find((x) => x.name === k.name)?.type, k.value), mask: k.mask, prefix: k.prefixLen }));
      const args = op.args.map((g) => dev(a?.params.find((p) => p.name === g.name)?.type, g.value));
      out.push(...cp.add(op.table, keys, op.action, args, op.priority));
    } else if (op.op === "setDefault") {
      const a = model.actions.find((x) => x.name === op.action);
      out.push(...cp.setDefault(op.table, op.action, op.args.map((g) => dev(a?.params.find((p) => p.name === g.name)?.type, g.value))));
    } else throw new BenchError(`bench:pps takes add and setdefault before packets, not ${op.op}`);
  }
  return out;
}

/**
 * The model to encode the reference's entries with. The reference keeps a
 * header field it extracts with memcpy (bit<32> fields) in network order
 * and copies it into the key as it is, where p4ts (and the template's
 * bitN type) put the key in host order; such key fields are re-typed as
 * network-order fields, so both builds get the same entries in their own
 * byte order. Returns the model and the fields so re-typed.
 */
export function refKeyModel(model, refMain, refParser) {
  const swapped = [];
  const tables = model.tables.map((t) => {
    const prefix = t.name.replace(/[/.]/g, "_");
    const start = refMain.indexOf(`struct ${prefix}_key key;`);
    if (start < 0) return t;
    const block = refMain.slice(start, refMain.indexOf("tbl_read", start));
    const keys = t.keys.map((k, i) => {
      const m = new RegExp(`key\\.field${i} = (hdr->[\\w.]+);`).exec(block);
      if (!m || !refParser.includes(`__builtin_memcpy(&${m[1]},`) || ![16, 32, 64].includes(k.bitwidth) || k.type.startsWith("be") || ["ipv4", "ipv6", "macaddr"].includes(k.type)) return k;
      swapped.push(`${t.name} ${k.name}`);
      return { ...k, type: `be${k.bitwidth}` };
    });
    return { ...t, keys };
  });
  return { model: { ...model, tables }, swapped };
}

/** Loads a parser/main pair and installs `updates` in its emulation maps. */
export function loadPair(objs, updates, cpu) {
  const pipe = EmulatedPipeline.load(objs.parser, objs.control_blocks, { cpu, handleSignals: false });
  try {
    pipe.apply(updates.filter((u) => pipe.hasMap(u.map)));
  } catch (e) {
    pipe.close();
    throw e;
  }
  return pipe;
}

/** The __sk_buff a packet arrives with: its ifindex and, for the floors, the key in mark. */
export function ctxFile(file, ifindex, mark = 0) {
  const ctx = Buffer.alloc(192);
  ctx.writeUInt32LE(mark >>> 0, 8);
  ctx.writeUInt32LE(ifindex >>> 0, 40);
  fs.writeFileSync(file, ctx);
  return file;
}

/** One harness call, pinned to `cpu`: {retval, parserRetval, ns, data, cb}. */
export function harness(tools, cpu, args) {
  const out = run("taskset", ["-c", String(cpu), tools.harness, ...args.map(String)], `pps-harness ${args[0]}`);
  return JSON.parse(out.trim().split("\n").pop());
}

/**
 * Table reads and hits of the counting build: main run `runs` times by the
 * kernel after one parser run (harness "main" mode), or once on a fresh
 * packet (runs = 0, harness "fresh" mode).
 */
export function countReads(pipe, tools, cpu, data, ctx, runs = 0) {
  const key = (i) => u32(i);
  pipe.apply([0, 1].map((i) => ({ map: "p4ts_bench_reads", key: key(i), value: Buffer.alloc(8) })));
  harness(tools, cpu, [runs ? "main" : "fresh", path.join(pipe.dir, "parser"), path.join(pipe.dir, "main"), data, ctx, runs || 1]);
  const [reads, hits] = [0, 1].map((i) => {
    const v = pipe.lookup("p4ts_bench_reads", key(i));
    return v ? Number(v.readBigUInt64LE(0)) : 0;
  });
  return { reads, hits };
}

/** The table reads the counting build logged (bench/pps-count.h), the first `n`: {tblid, key}. */
export function readLog(pipe, n) {
  if (n > 16) throw new BenchError(`${n} table reads in one packet: the counting build logs 16`);
  return Array.from({ length: n }, (_, i) => {
    const v = pipe.lookup("p4ts_bench_log", u32(i));
    if (!v) throw new BenchError(`the counting build logged no table read ${i}`);
    return { tblid: v.readUInt32LE(0), key: v.subarray(8, 8 + v.readUInt32LE(4)) };
  });
}

/**
 * A table read's floor: a program that makes that read alone (its table id,
 * its key bytes as constants, on the stack as a program's key is) on the
 * counting pipeline's emulation maps, entries and all. Built into `dir`,
 * pinned in the pipeline's bpffs as replayN; returns its path.
 */
export function replayRead(pipe, rec, dir, n) {
  const src = path.join(dir, `replay${n}.c`);
  const obj = path.join(dir, `replay${n}.o`);
  const bytes = [...rec.key].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ");
  fs.writeFileSync(
    src,
    `/* bench:pps: table read ${n} of a packet, alone (table ${rec.tblid}, ${rec.key.length}-byte key) */
#include "p4ts_pna.h"
SEC("p4tc/main") int p4ts_replay(struct __sk_buff *skb)
{
	__u8 key[${rec.key.length}] __attribute__((aligned(8))) = { ${bytes} };
	struct p4tc_table_entry_act_bpf_params params = { .pipeid = 0, .tblid = ${rec.tblid} };
	struct p4tc_table_entry_act_bpf *act = bpf_p4tc_tbl_read(skb, &params, sizeof(params), key, sizeof(key));

	return act ? (int)act->act_id : TC_ACT_SHOT;
}
P4TS_LICENSE_GPL;
`,
  );
  clangBuild(src, obj, ["-include", path.join(bench, "pps-kfunc.h")], [runtimeHeaders], `building the floor of table read ${n}`);
  const maps = path.join(pipe.dir, "maps");
  const reuse = fs.readdirSync(maps).filter((m) => m.startsWith("p4tc_emu")).flatMap((m) => ["map", "name", m, "pinned", path.join(maps, m)]);
  const pinned = path.join(pipe.dir, `replay${n}`);
  fs.mkdirSync(path.join(pipe.dir, `replay${n}-maps`));
  run(pipe.bpftool, ["prog", "load", obj, pinned, "type", "action", ...reuse, "pinmaps", path.join(pipe.dir, `replay${n}-maps`)], `loading the floor of table read ${n}`);
  return pinned;
}

/** Where the two builds disagree on a packet (verdicts, bytes, egress port, drop), or null. */
export function disagreement(a, b) {
  const v = (r) => `parser ${r.parserRc}, main ${r.mainRc}, port ${r.egressPort}, drop ${r.drop}`;
  if (a.parserRc !== b.parserRc || a.mainRc !== b.mainRc) return `verdicts differ: p4ts ${v(a)}; reference ${v(b)}`;
  if (a.mainRc === null) return null;
  if (a.egressPort !== b.egressPort || a.drop !== b.drop) return `metadata differ: p4ts ${v(a)}; reference ${v(b)}`;
  if (!a.data.equals(b.data)) return `bytes differ: p4ts ${a.data.toString("hex")}; reference ${b.data.toString("hex")}`;
  return null;
}

export { TC_ACT_PIPE };
