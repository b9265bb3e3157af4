/**
 * The kernel test lane: many compiled programs (built with `--p4tc-abi v13`)
 * checked on the real P4TC kernel in as few VM boots as possible. For each
 * program, in its own network namespace: run the template, attach parser and
 * main with `tc filter ... p4 ... action bpf ...` (`p4tc-load`), check the
 * pipeline is sealed (`state ready`), compare the introspection JSON with
 * what the kernel reports (`tc -j p4template get` of every table and
 * action), read every table back with `tc p4ctrl get`, then run the STF
 * test's operations when there is one (script.ts: the same commands as the
 * P4TC VM target, `p4ts stf --target p4tc-vm`) on the same loaded pipeline,
 * so each program loads once; the caller judges the STF results
 * (`LaneResult.stf`, stf/p4tc-lane.ts). Then the pipeline and its extern
 * templates are deleted, so that a later program may create the same externs.
 */
import fs from "node:fs";
import path from "node:path";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import type { TargetOp } from "../target.js";
import { judgeProgram, templateEntryCounts, type Introspection, type LaneResult } from "./lane-judge.js";
import { stfScriptParts } from "./script.js";
import { runInVm } from "./vm.js";

export type { LaneResult } from "./lane-judge.js";

/** One program ready for the guest: a directory holding NAME.template, NAME.json and both objects. */
export interface LaneProgram {
  readonly name: string;
  readonly dir: string;
  /** The program's model (as compiled with `--p4tc-abi v13`). */
  readonly model: PipelineModel;
  /** The STF test's operations (resolved by the STF runner), run after the checks; null when it has none. */
  readonly ops: readonly TargetOp[] | null;
}

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

function readJson(p: LaneProgram): Introspection {
  return JSON.parse(fs.readFileSync(path.join(p.dir, `${p.name}.json`), "utf8")) as Introspection;
}

/** The guest script of one program (runs inside `p4tc-netns`). */
function guestScript(p: LaneProgram, intro: Introspection): string {
  const n = p.name;
  const stf = stfScriptParts(p.model, p.ops ?? []);
  const lines = [...stf.setup, `echo "@@PIPE"; tc p4template get pipeline/${q(n)} 2>&1`];
  const actions = new Set<string>();
  for (const t of intro.tables) {
    lines.push(`echo "@@TBL ${t.name}"; tc -j p4template get table/${q(`${n}/${t.name}`)} 2>&1; echo`);
    lines.push(`echo "@@CTRL ${t.name}"; tc -j p4ctrl get ${q(`${n}/table/${t.name}`)} > ctrl.out 2> ctrl.err; rc=$?; echo "rc $rc"; cat ctrl.out; echo; [ $rc = 0 ] || tail -2 ctrl.err`);
    for (const a of t.actions) actions.add(a.name);
  }
  for (const a of actions) lines.push(`echo "@@ACT ${a}"; tc -j p4template get action/${q(`${n}/${a}`)} 2>&1; echo`);
  if (p.ops) lines.push('echo "@@STF-BEGIN"', ...stf.ops, 'echo "@@STF-END"');
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
export const KNOWN_V13_FAILURES: Readonly<Record<string, { readonly message: RegExp; readonly reason: string }>> = {};

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
  // A boot of many programs under TCG on a loaded machine takes long: 28 programs took over 30 min at load 20.
  const run = await runInVm(work, ["bash", "run.sh"], { log, timeoutSec: opts.timeoutSec ?? 600 + 180 * progs.length });
  return progs.map((p) =>
    judgeProgram({
      name: p.name,
      intro: intros.get(p.name)!,
      templateEntries: templateEntryCounts(fs.readFileSync(path.join(p.dir, `${p.name}.template`), "utf8"), p.name),
      ops: p.ops,
      log: section(run.output, p.name),
      vmStatus: run.status,
    }),
  );
}

function section(out: string, name: string): string | null {
  const b = out.indexOf(`@@@@ BEGIN ${name}\n`);
  if (b < 0) return null;
  const e = out.indexOf(`@@@@ END ${name}`, b);
  return out.slice(b, e < 0 ? undefined : e);
}
