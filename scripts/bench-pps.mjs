#!/usr/bin/env node
// npm run bench:pps: ns/packet of p4ts's parser and main next to the
// reference's (p4c-pna-p4tc's generated C in ../shared/corpus, built against
// the same P4TC emulation through bench/ref-include), on the same packets
// and table entries, with BPF_PROG_TEST_RUN on one CPU in interleaved
// rounds. The harness floor (an empty program; a lone emulated table hit)
// is measured in every round, printed, and subtracted: parser net = raw -
// empty; main net = raw - empty - reads x (hit - empty), reads being the
// table reads the packet makes (counted by a separate counting build).
// Everything else the emulation does (mask scans of lpm/ternary tables,
// checksum and hash loops, counters) stays in both figures.
//
// Options: --repeat N (kernel repeats per measurement, default 1000000),
// --fresh N (iterations of a fresh-skb measurement, default 200000),
// --rounds R (default 5), --cpu C (default: the last CPU this process may
// run on), --only a,b,
// --json FILE (the figures and the per-packet agreement, for tests).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as lib from "./bench-pps-lib.mjs";

function option(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}
const repeat = Number(option("repeat", "1000000"));
const freshN = Number(option("fresh", "200000"));
const rounds = Number(option("rounds", "5"));
const cpus = lib.allowedCpus();
const cpu = Number(option("cpu", String(cpus.at(-1))));
const only = option("only", "");
const jsonOut = option("json", "");
if (![repeat, freshN, rounds, cpu].every((n) => Number.isInteger(n) && n >= 0) || repeat < 1 || rounds < 1) {
  console.error("bench:pps: --repeat, --fresh, --rounds must be positive integers, --cpu a CPU number");
  process.exit(1);
}
if (!cpus.includes(cpu)) {
  console.error(`bench:pps: --cpu ${cpu} is not one this process may run on (${cpus.join(",")})`);
  process.exit(1);
}
const why = lib.unavailable();
if (why) {
  console.error(`bench:pps: cannot run here: ${why}`);
  process.exit(1);
}
const programs = only ? lib.PROGRAMS.filter((p) => only.split(",").includes(p.name)) : lib.PROGRAMS;
if (only && programs.length !== only.split(",").length) {
  console.error(`bench:pps: unknown program in --only ${only} (known: ${lib.PROGRAMS.map((p) => p.name).join(", ")})`);
  process.exit(1);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// The kernel reports whole ns per measurement: a mean of the rounds (the highest and lowest dropped from 5 on) resolves below 1 ns.
const central = (xs) => {
  if (xs.length < 5) return median(xs);
  const s = [...xs].sort((a, b) => a - b).slice(1, -1);
  return s.reduce((a, b) => a + b, 0) / s.length;
};
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-pps-"));
const open = [];
const cleanup = () => {
  for (const p of open.splice(0)) p.close();
  fs.rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
// The measurements are synchronous: yielding between them lets SIGINT/SIGTERM run this handler (which unmounts and exits).
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => process.exit(130));
const tick = () => new Promise((resolve) => setImmediate(resolve));

const loadStart = load();
console.log(`bench:pps on CPU ${cpu}: repeat ${repeat}, ${rounds} interleaved rounds, fresh-skb measurements ${freshN} iterations; load average ${loadStart}`);
if (!only) console.log(`programs: the 3 STF programs and ${lib.PROGRAMS.length - 3} corpus programs (bench/pps/*.stf); samples/ has no reference build (its programs are not in the corpus), so none is timed`);
console.log("p4ts built as shipped (p4c ABI, v13 extern layout); the reference with its runtime header's extern layout; both clang -O2 -mcpu=v3, emulated P4TC");
const tools = lib.buildTools(work);
const floors = lib.loadFloors(tools, cpu);
open.push(floors);
const floorData = path.join(work, "floor.pkt");
fs.writeFileSync(floorData, Buffer.alloc(64));
const floorCtx = lib.ctxFile(path.join(work, "floor.ctx"), 1, lib.FLOOR_KEY);
const floorHitCheck = lib.harness(tools, cpu, ["run", path.join(floors.dir, "main"), floorData, floorCtx, 1]);
if (floorHitCheck.retval !== 1) throw new lib.BenchError(`the table-hit floor missed (returned ${floorHitCheck.retval})`);
const ports = new lib.PortMap(tools, cpu, floors, work);
console.log(`STF port -> ifindex (interfaces of this network namespace): ${ports}`);

const results = [];
const failures = [];
let printedHeader = false;
for (const prog of programs) {
  const pairs = [];
  try {
    const b = lib.buildProgram(prog, work);
    const { tableOps, packets } = lib.readStf(prog, b.model);
    const updates = lib.entryUpdates(b.model, tableOps, ports);
    const refUpdates = lib.entryUpdates(b.refModel, tableOps, ports);
    const side = {};
    for (const k of ["ours", "ref", "oursCount", "refCount"]) {
      side[k] = lib.loadPair(b.objs[k], k.startsWith("ref") ? refUpdates : updates, cpu);
      pairs.push(side[k]);
      open.push(side[k]);
    }
    const pk = [];
    for (const [i, op] of packets.entries()) {
      await tick();
      const data = path.join(b.dir, `pkt${i}`);
      fs.writeFileSync(data, op.data);
      const ifindex = ports.inputIfindex(op.port);
      const ctx = lib.ctxFile(path.join(b.dir, `ctx${i}`), ifindex);
      const ro = side.ours.run(op.data, ifindex);
      const rr = side.ref.run(op.data, ifindex);
      const p = { index: i, data, ctx, ours: summary(ro), ref: summary(rr), disagreement: lib.disagreement(ro, rr) };
      // The counting pairs see the packet once first, as the timed pairs did in the agreement check above
      // (an add-on-miss table has its entry from then on).
      const count = (s) => (lib.countReads(s, tools, cpu, data, ctx), lib.countReads(s, tools, cpu, data, ctx));
      const counted = { ours: count(side.oursCount), ref: count(side.refCount) };
      p.reads = counted.ours.reads;
      p.refReads = counted.ref.reads;
      // Each table read alone, as each build made it (the logs of the second counting run): its floor.
      p.replays = {
        ours: lib.readLog(side.oursCount, p.reads).map((rec, n) => lib.replayRead(side.oursCount, rec, b.dir, `${i}o${n}`)),
        ref: lib.readLog(side.refCount, p.refReads).map((rec, n) => lib.replayRead(side.refCount, rec, b.dir, `${i}r${n}`)),
      };
      p.main = ro.parserRc === lib.TC_ACT_PIPE && rr.parserRc === lib.TC_ACT_PIPE;
      if (p.main) {
        // Repeating main on its own output repeats the same work once its state cycles: from the 2nd run on,
        // every 2nd run leaves the same frame and skb->cb (the reference byte-swaps header fields in place,
        // so its state alternates), and every run gives the 1st run's verdict.
        const same = (a, c) => a.retval === c.retval && a.data === c.data && a.cb === c.cb;
        const path2 = (s) => [path.join(s.dir, "parser"), path.join(s.dir, "main")];
        // And the counting builds make the same table reads and hits on each of 4 runs as on a fresh packet
        // (the reference's in-place swaps can turn a hit into a miss with the same verdict).
        const fixed = (s) => {
          const r = [1, 2, 3, 4].map((n) => lib.harness(tools, cpu, ["main", ...path2(s), data, ctx, n]));
          return same(r[1], r[3]) && r.every((x) => x.retval === r[0].retval);
        };
        const tables = (s, c) => {
          const n = lib.countReads(s, tools, cpu, data, ctx, 4);
          return n.reads === 4 * c.reads && n.hits === 4 * c.hits;
        };
        const idem = fixed(side.ours) && fixed(side.ref) && tables(side.oursCount, counted.ours) && tables(side.refCount, counted.ref);
        p.mode = idem ? "repeat" : "fresh";
      }
      pk.push(p);
    }
    const t = { emptyRepeat: [], hit: [], emptySingle: [], hitSingle: [] };
    for (const p of pk) Object.assign(p, { t: { oursParser: [], refParser: [], oursMain: [], refMain: [], oursReads: p.replays.ours.map(() => []), refReads: p.replays.ref.map(() => []) } });
    for (let r = 0; r < rounds; r++) {
      await tick();
      t.emptyRepeat.push(lib.harness(tools, cpu, ["run", path.join(floors.dir, "parser"), floorData, floorCtx, repeat]).ns);
      t.hit.push(lib.harness(tools, cpu, ["run", path.join(floors.dir, "main"), floorData, floorCtx, repeat]).ns);
      if (pk.some((p) => p.mode === "fresh")) {
        t.emptySingle.push(lib.harness(tools, cpu, ["single", path.join(floors.dir, "parser"), floorData, floorCtx, freshN]).ns);
        t.hitSingle.push(lib.harness(tools, cpu, ["single", path.join(floors.dir, "main"), floorData, floorCtx, freshN]).ns);
      }
      const order = r % 2 === 0 ? ["ours", "ref"] : ["ref", "ours"];
      for (const p of pk) {
        await tick();
        for (const who of order) {
          const s = side[who];
          p.t[`${who}Parser`].push(lib.harness(tools, cpu, ["run", path.join(s.dir, "parser"), p.data, p.ctx, repeat]).ns);
        }
        if (!p.main) continue;
        for (const who of order) {
          const s = side[who];
          const args = p.mode === "repeat" ? ["main", path.join(s.dir, "parser"), path.join(s.dir, "main"), p.data, p.ctx, repeat] : ["fresh", path.join(s.dir, "parser"), path.join(s.dir, "main"), p.data, p.ctx, freshN];
          p.t[`${who}Main`].push(lib.harness(tools, cpu, args).ns);
          // Its table reads alone, run as main is.
          p.replays[who].forEach((r, n) => p.t[`${who}Reads`][n].push(lib.harness(tools, cpu, [p.mode === "repeat" ? "run" : "single", r, p.data, p.ctx, p.mode === "repeat" ? repeat : freshN]).ns));
        }
      }
    }
    const empty = central(t.emptyRepeat);
    const hit = central(t.hit);
    const emptySingle = t.emptySingle.length ? central(t.emptySingle) : null;
    const hitSingle = t.hitSingle.length ? central(t.hitSingle) : null;
    const sum = (f) => pk.reduce((a, p) => a + f(p), 0);
    const timedMain = pk.filter((p) => p.main);
    // A fresh-skb main's table reads run as cold as its own: their floor is the lone hit run once per call too.
    const base = (p) => (p.mode === "fresh" ? emptySingle : empty);
    // The floor of main: the empty program, and each table read the packet made alone, run as main is
    // (same table, same key, same entries: an exact hit or miss, an lpm or ternary mask scan, a direct counter).
    // When both builds make the same number of reads (the same tables, hits and misses; only the reference's
    // key byte order may differ), both get the mean of the two measured floors: one floor, less noise.
    const ownFloor = (p, who) => base(p) + p.t[`${who}Reads`].reduce((a, ns) => a + central(ns) - base(p), 0);
    const mainFloor = (p, who) => (p.reads === p.refReads ? (ownFloor(p, "ours") + ownFloor(p, "ref")) / 2 : ownFloor(p, who));
    // The former floor, printed beside: each read costs a lone hit on a 32-bit exact table.
    const hitFloor = (p) => (p.mode === "fresh" ? emptySingle + p.reads * (hitSingle - emptySingle) : empty + p.reads * (hit - empty));
    const res = {
      name: prog.name,
      group: prog.group,
      packets: pk.length,
      mainPackets: timedMain.length,
      modes: [...new Set(timedMain.map((p) => p.mode))].join("+") || "-",
      reads: timedMain.map((p) => p.reads).join("+") || "0",
      layout: { structs: b.asserts.structs, params: b.asserts.params },
      floor: { empty, hit, emptySingle, hitSingle },
      parser: { ours: sum((p) => central(p.t.oursParser)) / pk.length, ref: sum((p) => central(p.t.refParser)) / pk.length, floor: empty },
      main: timedMain.length
        ? {
            ours: sum((p) => (p.main ? central(p.t.oursMain) : 0)) / timedMain.length,
            ref: sum((p) => (p.main ? central(p.t.refMain) : 0)) / timedMain.length,
            floor: sum((p) => (p.main ? mainFloor(p, "ours") : 0)) / timedMain.length,
            refFloor: sum((p) => (p.main ? mainFloor(p, "ref") : 0)) / timedMain.length,
            hitFloor: sum((p) => (p.main ? hitFloor(p) : 0)) / timedMain.length,
          }
        : null,
      agree: pk.every((p) => !p.disagreement),
      disagreements: pk.filter((p) => p.disagreement).map((p) => `packet ${p.index}: ${p.disagreement}`),
      swapped: b.swapped,
      readsDiffer: pk.filter((p) => p.reads !== p.refReads).map((p) => `packet ${p.index}: p4ts ${p.reads} table reads, reference ${p.refReads}`),
      perPacket: pk.map((p) => ({ index: p.index, ours: p.ours, ref: p.ref, mode: p.mode ?? null, reads: p.reads, refReads: p.refReads })),
    };
    for (const part of ["parser", "main"]) {
      const x = res[part];
      // Within 1 ns of the floor (or under it: the floor is an estimate), a net figure is noise: no ratio.
      const rf = x?.refFloor ?? x?.floor;
      if (x) x.ratio = x.ref - rf >= 1 && x.ours - x.floor >= 1 ? (x.ours - x.floor) / (x.ref - rf) : null;
    }
    const m = res.main;
    if (m) m.ratioHitFloor = m.ref - m.hitFloor >= 1 && m.ours - m.hitFloor >= 1 ? (m.ours - m.hitFloor) / (m.ref - m.hitFloor) : null;
    results.push(res);
    printRow(res);
  } catch (e) {
    if (!(e instanceof lib.BenchError) && !(e?.constructor?.name === "LoaderError")) throw e;
    failures.push(`${prog.name}: ${e.message}`);
    console.log(`${prog.name.padEnd(28)} FAILED: ${e.message.split("\n").join("\n    ")}`);
  } finally {
    for (const p of pairs) {
      p.close();
      open.splice(open.indexOf(p), 1);
    }
  }
}

function summary(r) {
  return { parserRc: r.parserRc, mainRc: r.mainRc, egressPort: r.egressPort, drop: r.drop, data: r.data.toString("hex") };
}

function header() {
  console.log("");
  console.log(`ns/packet, raw: ${rounds >= 5 ? "mean of the rounds less the highest and lowest" : "median of the rounds"}; floor = what is subtracted (parser: the empty program; main: the empty program + each table read the packet made, alone, less the empty program, all run as main is: repeated, or once per call in fresh mode; the mean of p4ts's and the reference's, or when their reads differ in number, p4ts's floor and the reference's, rfloor, each from its own reads); ratio = (p4ts - floor) / (reference - rfloor); hit-floor ratio: with the former floor, empty + reads x (lone 32-bit exact hit - empty)`);
  console.log(`${"program".padEnd(28)} ${"parser p4ts".padStart(11)} ${"ref".padStart(7)} ${"floor".padStart(6)} ${"ratio".padStart(6)} | ${"main p4ts".padStart(9)} ${"ref".padStart(7)} ${"floor".padStart(6)} ${"rfloor".padStart(6)} ${"ratio".padStart(6)} ${"hitflr".padStart(6)} | reads mode    agree`);
}
function printRow(r) {
  if (!printedHeader) {
    header();
    printedHeader = true;
  }
  const f = (x, w = 7) => (x === null || x === undefined ? "-" : x.toFixed(1)).padStart(w);
  const q = (x) => (x === null || x === undefined ? "~floor" : `${x.toFixed(2)}x`).padStart(6);
  const m = r.main;
  console.log(
    `${r.name.padEnd(28)} ${f(r.parser.ours, 11)} ${f(r.parser.ref)} ${f(r.parser.floor, 6)} ${q(r.parser.ratio)} | ${f(m?.ours, 9)} ${f(m?.ref)} ${f(m?.floor, 6)} ${f(m?.refFloor, 6)} ${q(m?.ratio)} ${q(m?.ratioHitFloor)} | ${r.reads.padStart(5)} ${r.modes.padEnd(7)} ${r.agree ? "yes" : "NO"}`,
  );
  for (const d of [...r.disagreements, ...r.readsDiffer]) console.log(`    ${d}`);
  if (r.swapped.length) console.log(`    note: the reference's key holds ${r.swapped.join(", ")} in network order (p4ts: host order); its entries are encoded so`);
}

const floorsSeen = results.map((r) => r.floor);
if (floorsSeen.length) {
  const fm = (k) => median(floorsSeen.map((x) => x[k]).filter((x) => x !== null));
  const single = floorsSeen.some((x) => x.emptySingle !== null) ? `; run once per call (the fresh-skb floors): empty ${fm("emptySingle").toFixed(1)} ns, table hit ${fm("hitSingle").toFixed(1)} ns` : "";
  console.log(`\nharness floor (median over programs): empty program ${fm("empty").toFixed(1)} ns, lone emulated table hit ${fm("hit").toFixed(1)} ns${single}`);
}
function summarize(label, part, rs, key = "ratio") {
  const xs = rs.map((r) => r[part]?.[key]).filter((x) => typeof x === "number");
  if (!xs.length) {
    if (rs.some((r) => r[part])) console.log(`${label}: no ratio (every net figure is within 1 ns of the floor)`);
    return;
  }
  const worst = rs.filter((r) => r[part]?.[key] === Math.max(...xs)).map((r) => r.name);
  const over = rs.filter((r) => (r[part]?.[key] ?? 0) > 0.9).map((r) => `${r.name} ${r[part][key].toFixed(2)}x`);
  const atFloor = rs.filter((r) => r[part] && r[part][key] === null).map((r) => r.name);
  const skipped = atFloor.length ? ` (not counted, a net figure within 1 ns of the floor: ${atFloor.join(", ")})` : "";
  console.log(`${label}: median ratio ${median(xs).toFixed(2)}x over ${xs.length} programs${skipped}, max ${Math.max(...xs).toFixed(2)}x (${worst.join(", ")}); above 0.9x: ${over.length ? over.join(", ") : "none"}`);
}
summarize("parser", "parser", results);
summarize("main", "main", results);
summarize("main, repeat-mode programs only", "main", results.filter((r) => r.modes === "repeat"));
summarize("main with the former floor (every table read a lone 32-bit exact hit)", "main", results, "ratioHitFloor");
const disagreeing = results.filter((r) => !r.agree).map((r) => r.name);
console.log(`outputs: ${disagreeing.length ? `p4ts and the reference DISAGREE on ${disagreeing.join(", ")}` : `p4ts and the reference agree on every packet of ${results.length} programs`}`);
console.log(`load average: ${loadStart} at the start, ${load()} at the end`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ repeat, freshN, rounds, cpu, load: { start: loadStart, end: load() }, results, failures }, null, 2));
if (failures.length) {
  console.log(`\nfailed (${failures.length}):\n${failures.join("\n")}`);
  process.exit(1);
}
