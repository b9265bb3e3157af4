/**
 * The kernel test lane: many compiled programs (built with `--p4tc-abi v13`)
 * checked on the real P4TC kernel in as few VM boots as possible. For each
 * program, in its own network namespace: run the template, attach parser and
 * main with `tc filter ... p4 ... action bpf ...` (`p4tc-load`), check the
 * pipeline is sealed (`state ready`), compare the introspection JSON with
 * what the kernel reports (`tc -j p4template get` of every table and
 * action), read every table back with `tc p4ctrl get`. A program with an STF
 * test is loaded once: its operations (script.ts, the same commands as the
 * P4TC VM target) run first, then the checks; the caller judges the STF
 * results (`LaneResult.stf`). Then the pipeline and its extern templates are
 * deleted, so that a later program may create the same externs.
 */
import fs from "node:fs";
import path from "node:path";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import type { OpResult, TargetOp } from "../target.js";
import { parseResults, stfScript } from "./script.js";
import { runInVm } from "./vm.js";

/** One program ready for the guest: a directory holding NAME.template, NAME.json and both objects. */
export interface LaneProgram {
  readonly name: string;
  readonly dir: string;
  /** The program's model (as compiled with `--p4tc-abi v13`). */
  readonly model: PipelineModel;
  /** The STF test's operations (resolved by the STF runner), run before the checks; null when it has none. */
  readonly ops: readonly TargetOp[] | null;
}

export interface LaneResult {
  readonly name: string;
  readonly ok: boolean;
  /** What failed (load, seal, JSON, p4ctrl, STF), one line each; empty when ok. */
  readonly problems: string[];
  /** The guest's output for this program. */
  readonly log: string;
  /** One result per STF operation (LaneProgram.ops), for the caller to judge; null without a test or when the program did not load. */
  readonly stf: OpResult[] | null;
}

interface IntroTable {
  name: string;
  id: number;
  tentries: number;
  keysize: number;
  actions: { id: number; name: string; params: { name: string; type: string }[] }[];
}

interface Introspection {
  externs: { name: string }[];
  tables: IntroTable[];
}

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

function readJson(p: LaneProgram): Introspection {
  return JSON.parse(fs.readFileSync(path.join(p.dir, `${p.name}.json`), "utf8")) as Introspection;
}

/** The guest script of one program (runs inside `p4tc-netns`): load and STF operations, checks, clean-up. */
function guestScript(p: LaneProgram, intro: Introspection): string {
  const n = p.name;
  const lines = [stfScript(p.model, p.ops ?? []).trimEnd(), 'echo "@@STF-END"', `echo "@@PIPE"; tc p4template get pipeline/${q(n)} 2>&1`];
  const actions = new Set<string>();
  for (const t of intro.tables) {
    lines.push(`echo "@@TBL ${t.name}"; tc -j p4template get table/${q(`${n}/${t.name}`)} 2>&1; echo`);
    lines.push(`tc p4ctrl get ${q(`${n}/table/${t.name}`)} > ctrl.log 2>&1 || { echo "@@CTRL-FAIL ${t.name}"; tail -3 ctrl.log; }`);
    for (const a of t.actions) actions.add(a.name);
  }
  for (const a of actions) lines.push(`echo "@@ACT ${a}"; tc -j p4template get action/${q(`${n}/${a}`)} 2>&1; echo`);
  lines.push(`tc filter del block 21 ingress >/dev/null 2>&1; tc p4template del pipeline/${q(n)} >/dev/null 2>&1`);
  for (const e of intro.externs) lines.push(`tc p4template del extern/root/${q(e.name)} >/dev/null 2>&1`);
  lines.push('echo "@@DONE"');
  return lines.join("\n") + "\n";
}

/**
 * Programs v13 can express that still fail on the v13 kernel, each with the
 * failure the lane must keep seeing (the lane and its jest suite assert that
 * the program fails with this message: remove the entry once it passes).
 */
export const KNOWN_V13_FAILURES: Readonly<Record<string, { readonly message: RegExp; readonly reason: string }>> = {
  const_entries_range_mask: {
    message: /^load: /m,
    reason: "the template's const entry with a range/mask key is refused by v13 tc (it prints its usage): v13 iproute2 parses that key spelling differently",
  },
};

/** Splits programs into batches where no two create the same extern template (they persist across namespaces). */
export function batches(progs: readonly LaneProgram[], maxPerBoot: number): LaneProgram[][] {
  const out: { progs: LaneProgram[]; externs: Set<string> }[] = [];
  for (const p of progs) {
    const ex = readJson(p).externs.map((e) => e.name);
    let b = out.find((x) => x.progs.length < maxPerBoot && ex.every((e) => !x.externs.has(e)));
    if (!b) out.push((b = { progs: [], externs: new Set() }));
    b.progs.push(p);
    for (const e of ex) b.externs.add(e);
  }
  return out.map((b) => b.progs);
}

/** Runs the lane for `progs` in one boot (the caller batches); one result per program. */
export async function runLaneBatch(progs: readonly LaneProgram[], work: string, opts: { log?: (s: string) => void; timeoutSec?: number } = {}): Promise<LaneResult[]> {
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const intros = new Map<string, Introspection>();
  for (const p of progs) {
    const d = path.join(work, p.name);
    fs.mkdirSync(d);
    for (const f of [`${p.name}.template`, `${p.name}.json`, `${p.name}_parser.o`, `${p.name}_control_blocks.o`]) fs.copyFileSync(path.join(p.dir, f), path.join(d, f));
    fs.chmodSync(path.join(d, `${p.name}.template`), 0o755);
    const intro = readJson(p);
    intros.set(p.name, intro);
    fs.writeFileSync(path.join(d, "lane.sh"), guestScript(p, intro));
  }
  const main = ["dmesg -n 1 2>/dev/null", ...progs.map((p) => `echo "@@@@ BEGIN ${p.name}"; (cd ${q(p.name)} && p4tc-netns bash lane.sh 2>&1); echo "@@@@ END ${p.name}"`)].join("\n");
  fs.writeFileSync(path.join(work, "run.sh"), main + "\n");
  // The guest's output also goes to WORK.log as it comes (to follow a long boot).
  const logFile = `${work}.log`;
  fs.writeFileSync(logFile, "");
  const log = (t: string): void => {
    fs.appendFileSync(logFile, t);
    opts.log?.(t);
  };
  const run = await runInVm(work, ["bash", "run.sh"], { log, timeoutSec: opts.timeoutSec ?? 1800 });
  return progs.map((p) => judge(p, intros.get(p.name)!, section(run.output, p.name), run.status));
}

function section(out: string, name: string): string | null {
  const b = out.indexOf(`@@@@ BEGIN ${name}\n`);
  if (b < 0) return null;
  const e = out.indexOf(`@@@@ END ${name}`, b);
  return out.slice(b, e < 0 ? undefined : e);
}

function block(log: string, tag: string): string {
  const i = log.indexOf(`${tag}\n`);
  if (i < 0) return "";
  const rest = log.slice(i + tag.length + 1);
  const j = rest.indexOf("\n@@");
  return j < 0 ? rest : rest.slice(0, j);
}

function parseArray(text: string): Record<string, unknown>[] | null {
  const t = text.trim();
  const s = t.indexOf("[");
  if (s < 0) return null;
  try {
    return JSON.parse(t.slice(s)) as Record<string, unknown>[];
  } catch {
    return null;
  }
}

/** What the kernel reported for one program, against its JSON. */
function judge(p: LaneProgram, intro: Introspection, log: string | null, vmStatus: number): LaneResult {
  const problems: string[] = [];
  if (log === null) return { name: p.name, ok: false, problems: [`no output (VM exit status ${vmStatus})`], log: "", stf: null };
  if (log.includes("@@LOAD-FAIL")) problems.push(`load: ${block(log, "@@LOAD-FAIL").trim().split("\n").slice(-3).join(" | ")}`);
  else {
    const pipe = block(log, "@@PIPE");
    if (!/state\s+(is\s+)?ready|sealed/i.test(pipe)) problems.push(`pipeline not sealed: ${pipe.trim().split("\n")[0] ?? ""}`);
    for (const t of intro.tables) {
      const got = parseArray(block(log, `@@TBL ${t.name}`))?.[0];
      if (!got) problems.push(`table ${t.name}: the kernel does not report it`);
      else {
        if (got.tblid !== t.id) problems.push(`table ${t.name}: JSON id ${t.id}, kernel tblid ${String(got.tblid)}`);
        if (got.keysz !== t.keysize) problems.push(`table ${t.name}: JSON keysize ${t.keysize}, kernel keysz ${String(got.keysz)}`);
        if (got.max_entries !== t.tentries) problems.push(`table ${t.name}: JSON tentries ${t.tentries}, kernel max_entries ${String(got.max_entries)}`);
      }
      if (log.includes(`@@CTRL-FAIL ${t.name}\n`)) problems.push(`tc p4ctrl get ${t.name}: ${block(log, `@@CTRL-FAIL ${t.name}`).trim().split("\n")[0] ?? ""}`);
      for (const a of t.actions) {
        const ga = parseArray(block(log, `@@ACT ${a.name}`))?.[0];
        if (!ga) {
          problems.push(`action ${a.name}: the kernel does not report it`);
          continue;
        }
        if (ga.actid !== a.id) problems.push(`action ${a.name}: JSON id ${a.id}, kernel actid ${String(ga.actid)}`);
        const kp = ((ga.params as { name: string; type: string }[] | undefined) ?? []).map((x) => `${x.name}:${x.type}`).join(",");
        const jp = a.params.map((x) => `${x.name}:${x.type}`).join(",");
        if (kp !== jp) problems.push(`action ${a.name}: JSON params ${jp}, kernel ${kp}`);
      }
    }
    if (!log.includes("@@DONE")) problems.push("the guest script did not finish");
  }
  const loaded = !log.includes("@@LOAD-FAIL");
  const stf = p.ops && loaded ? parseResults(log.slice(0, Math.max(0, log.indexOf("@@STF-END"))), p.ops) : null;
  return { name: p.name, ok: problems.length === 0, problems, log, stf };
}
