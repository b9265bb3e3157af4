/**
 * `p4ts stf FILE.p4 TEST.stf [--target NAME]`: compiles the program, reads
 * the test, resolves every name in it against the program (an unknown
 * table, action, key field, parameter or extern is a located error and
 * nothing runs), hands the operations to a target (targets/index.ts: the
 * P4TC emulation on this kernel by default) and checks what comes back: the
 * packets that leave against the `expect` lines, per port and in order (`*`
 * nibbles match anything), and the `check_counter` lines. A packet leaves
 * on the port its egress names; dropped packets (and packets passed up the
 * local stack) leave on none.
 *
 * An operation that fails at run time (an entry the target refuses, a
 * `remove` of an absent entry) is a located error; the test goes on with
 * the next line, so one run reports every problem, and it FAILs.
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import type { PipelineModel } from "../compiler/ir/pipeline.js";
import type { P4tcAbiName } from "../compiler/ir/abi/index.js";
import { createTarget, defaultTarget, targetNames } from "../targets/index.js";
import { TargetError, type OpResult, type TargetOptions } from "../targets/target.js";
import { parseStf, StfError, type StfStatement } from "./parse.js";
import { planStf, type StfPlan } from "./resolve.js";

export interface StfOptions {
  readonly program: string;
  readonly stf: string;
  readonly includePaths?: readonly string[];
  readonly defines?: Readonly<Record<string, string>>;
  readonly undefines?: readonly string[];
  /** The target to run on (targets/index.ts `targetNames`); default "emulation". */
  readonly target?: string;
  /** The P4TC ABI to compile for; default: the target's (`Target.abi`), else `p4c`. */
  readonly p4tcAbi?: P4tcAbiName;
  /** STF port → the target's port id (the emulation: ifindex) overrides. */
  readonly ports?: ReadonlyMap<number, number>;
  readonly clang?: string;
  /** Stops the run at once: the target cleans up and runStf returns 130. */
  readonly signal?: AbortSignal;
  readonly out: (text: string) => void;
}

/** The exit status of a run stopped by `StfOptions.signal` (128 + SIGINT, as a shell reports it). */
export const STF_INTERRUPTED = 130;

/** What the run found: 0 passed, 1 failed (mismatches or a bad test), 2 could not run here, 130 interrupted. */
export async function runStf(o: StfOptions): Promise<number> {
  const stfName = path.basename(o.stf);
  const at = (line: number, what: string, text: string): void => o.out(`${stfName}(${line}): ${what}: ${text}\n`);
  const targetName = o.target ?? defaultTarget;
  const targetOptions: TargetOptions = { ports: o.ports, clang: o.clang };
  const target = await createTarget(targetName, targetOptions);
  if (!target) {
    o.out(`p4ts stf: unknown target '${targetName}' (targets: ${targetNames.join(", ")})\n`);
    return 1;
  }

  let statements: StfStatement[];
  try {
    statements = parseStf(fs.readFileSync(o.stf, "utf8"));
  } catch (e) {
    if (e instanceof StfError) {
      at(e.line, "error", e.message);
      return 1;
    }
    throw e;
  }

  const r = compile({ input: { file: o.program }, includePaths: o.includePaths, defines: o.defines, undefines: o.undefines, ...(o.p4tcAbi ?? target.abi ? { p4tcAbi: o.p4tcAbi ?? target.abi } : {}) });
  if (!r.ok || !r.outputs || !r.pipeline) {
    o.out(r.format());
    return 1;
  }
  const plan = planStf(r.pipeline, statements);
  for (const e of plan.errors) at(e.line, "error", e.message);
  if (plan.errors.length > 0) {
    o.out(`FAIL: ${stfName}: ${plan.errors.length} problems\n`);
    return 1;
  }
  const why = target.unavailable();
  if (why) {
    o.out(`p4ts stf: cannot run packet tests on this machine: ${why}\n`);
    return 2;
  }
  for (const n of plan.notes) at(n.line, "note", n.text);

  let results: OpResult[];
  try {
    results = await target.run({ name: r.name, pipeline: r.pipeline, outputs: r.outputs, ast: r.ast, checked: r.checked }, plan.ops.map((p) => p.op), { signal: o.signal });
  } catch (e) {
    if (e instanceof TargetError) {
      o.out(`p4ts stf: ${e.message}\n`);
      return e.aborted || o.signal?.aborted ? STF_INTERRUPTED : 1;
    }
    throw e;
  }
  if (results.length !== plan.ops.length) throw new Error(`target ${target.name} returned ${results.length} results for ${plan.ops.length} operations`);

  const bad = checkResults(stfName, r.pipeline, plan, results, o.out);
  o.out(bad.problems === 0 ? `PASS: ${stfName}: ${bad.packets} packets, ${plan.expects.length} expected\n` : `FAIL: ${stfName}: ${bad.problems} problems\n`);
  return bad.problems === 0 ? 0 : 1;
}

/**
 * Checks a target's results (one per planned operation) against the test:
 * failed operations, counter checks, and the frames that left against the
 * `expect` lines. Every problem is written to `out` as a located error.
 * Shared by `runStf` and the kernel lane (stf/p4tc-lane.ts).
 */
export function checkResults(stfName: string, m: PipelineModel, plan: StfPlan, results: readonly OpResult[], out: (text: string) => void): { problems: number; packets: number } {
  const at = (line: number, what: string, text: string): void => out(`${stfName}(${line}): ${what}: ${text}\n`);
  let bad = 0;
  const sent: Sent[] = [];
  plan.ops.forEach((p, i) => {
    const res = results[i] ?? { ok: false, error: `${p.op.op}: no result` };
    if (!res.ok) {
      at(p.line, "error", res.error);
      bad++;
      return;
    }
    if (p.op.op === "packet") {
      for (const w of res.packet?.warnings ?? []) at(p.line, "note", w);
      sent.push({ line: p.line, outputs: res.packet?.outputs ?? [] });
    }
    if (p.check) {
      const c = p.check;
      const got = res.counter ? (c.what === "bytes" ? res.counter.bytes : res.counter.packets) : undefined;
      if (got !== c.value) {
        at(c.line, "error", `counter ${c.counter}(${c.index}) ${c.what} is ${got ?? "unknown"}, expected ${c.value}`);
        bad++;
      }
    }
  });
  bad += compareOutputs(stfName, out, m, sent, plan.expects);
  return { problems: bad, packets: sent.length };
}

interface Sent {
  readonly line: number;
  readonly outputs: readonly { readonly port: number; readonly data: Buffer }[];
}

function compareOutputs(stf: string, out: (text: string) => void, m: PipelineModel, sent: readonly Sent[], expects: readonly Extract<StfStatement, { k: "expect" }>[]): number {
  const o = { out };
  const outputs = new Map<number, { line: number; data: Buffer }[]>();
  for (const s of sent) {
    for (const out of s.outputs) {
      if (!outputs.has(out.port)) outputs.set(out.port, []);
      outputs.get(out.port)!.push({ line: s.line, data: out.data });
    }
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
