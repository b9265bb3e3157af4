/**
 * The kernel lane's verdict on one program: what the guest printed (the
 * sections `lane.ts` asks for) against the program's introspection JSON and
 * template. Pure: no VM, so every check can be shown to fail when the
 * kernel's answer differs (test/p4tc-vm/lane-judge.test.ts).
 */
import type { OpResult, TargetOp } from "../target.js";
import { parseResults } from "./script.js";

export interface IntroTable {
  name: string;
  id: number;
  tentries: number;
  keysize: number;
  keyfields?: { name: string; type: string }[];
  actions: { id: number; name: string; params: { name: string; type: string }[]; default_miss_action?: boolean }[];
}

export interface Introspection {
  externs: { name: string }[];
  tables: IntroTable[];
}

export interface LaneResult {
  readonly name: string;
  readonly ok: boolean;
  /** What failed (load, seal, JSON, p4ctrl, STF), one line each; empty when ok. */
  readonly problems: string[];
  /** The guest's output for this program. */
  readonly log: string;
  /** One result per STF operation (the caller judges them); null without a test or when the program did not load. */
  readonly stf: OpResult[] | null;
}

export interface JudgeInput {
  /** The pipeline name. */
  readonly name: string;
  readonly intro: Introspection;
  /** Entries the template creates, per table name (`CTRL/tbl`). */
  readonly templateEntries: ReadonlyMap<string, number>;
  /** The STF operations the guest ran after the checks (between `@@STF-BEGIN` and `@@STF-END`), or null. */
  readonly ops: readonly TargetOp[] | null;
  /** The guest's output for this program (null: none, the VM died first). */
  readonly log: string | null;
  readonly vmStatus: number;
}

/** Table entries per table created by a template (`create table/PNAME/TBL entry ...` lines). */
export function templateEntryCounts(template: string, pname: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = new RegExp(`p4template create table/${pname.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/(\\S+) entry `, "g");
  for (const m of template.matchAll(re)) out.set(m[1]!, (out.get(m[1]!) ?? 0) + 1);
  return out;
}

/** The text after the line `tag` up to the next `@@` line. */
export function block(log: string, tag: string): string {
  const i = log.indexOf(`${tag}\n`);
  if (i < 0) return "";
  const rest = log.slice(i + tag.length + 1);
  const j = rest.indexOf("\n@@");
  return j < 0 ? rest : rest.slice(0, j);
}

/** The first line of `text` that is a JSON array (`tc -j` prints one line), parsed; null when none parses. */
function jsonLine(text: string): Record<string, unknown>[] | null {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("[")) continue;
    try {
      return JSON.parse(t) as Record<string, unknown>[];
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * v13 `tc` prints a parameter whose container is u128 as `ipv6` (the kernel
 * has no ipv6 type: the template created it as `bit128`, and the kernel keeps
 * only the container id and bit end). Seen for test_ipv6_example's `addr6`.
 */
const TC_TYPE_ALIASES: Readonly<Record<string, string>> = { ipv6: "bit128" };

interface CtrlEntry {
  tblname?: string;
  key?: { keyfield?: string }[];
  actions?: { actions?: { kind?: string }[] };
}

function checkTable(p: JudgeInput, t: IntroTable, log: string, problems: string[]): void {
  const want = p.templateEntries.get(t.name) ?? 0;
  const got = jsonLine(block(log, `@@TBL ${t.name}`))?.[0];
  if (!got) problems.push(`table ${t.name}: the kernel does not report it`);
  else {
    if (got.tblid !== t.id) problems.push(`table ${t.name}: JSON id ${t.id}, kernel tblid ${String(got.tblid)}`);
    if (got.keysz !== t.keysize) problems.push(`table ${t.name}: JSON keysize ${t.keysize}, kernel keysz ${String(got.keysz)}`);
    if (got.max_entries !== t.tentries) problems.push(`table ${t.name}: JSON tentries ${t.tentries}, kernel max_entries ${String(got.max_entries)}`);
    if ((got.entries ?? 0) !== want) problems.push(`table ${t.name}: the template creates ${want} entries, the kernel reports ${String(got.entries)}`);
    const miss = t.actions.find((a) => a.default_miss_action);
    const kind = (got.default_miss as { actions?: { kind?: string }[] } | undefined)?.actions?.[0]?.kind;
    if (miss && kind !== `${p.name}/${miss.name}`) problems.push(`table ${t.name}: JSON default miss action ${miss.name}, kernel ${kind ?? "none"}`);
  }
  // Read the table back through the runtime API: the entries the template made, with the JSON's keys and actions.
  const ctrl = block(log, `@@CTRL ${t.name}`);
  const rc = /^rc (\d+)/.exec(ctrl)?.[1];
  if (rc !== "0") {
    problems.push(`tc p4ctrl get ${t.name}: ${rc === undefined ? "did not run" : `exit ${rc}: ${ctrl.split("\n").slice(1).join(" ").trim()}`}`);
    return;
  }
  const arr = jsonLine(ctrl);
  const entries = ((arr?.find((x) => Array.isArray(x.entries))?.entries as CtrlEntry[] | undefined) ?? []).filter((e) => e.tblname === undefined || e.tblname === t.name);
  if (entries.length !== want) problems.push(`tc p4ctrl get ${t.name}: ${entries.length} entries read back, the template creates ${want}`);
  const keys = new Set((t.keyfields ?? []).map((k) => k.name));
  const acts = new Set(t.actions.map((a) => `${p.name}/${a.name}`));
  for (const e of entries) {
    for (const k of e.key ?? []) if (k.keyfield !== undefined && !keys.has(k.keyfield)) problems.push(`tc p4ctrl get ${t.name}: key field ${k.keyfield} is not in the JSON`);
    for (const a of e.actions?.actions ?? []) if (a.kind !== undefined && !acts.has(a.kind)) problems.push(`tc p4ctrl get ${t.name}: entry action ${a.kind} is not one of the JSON's`);
  }
}

/** What the kernel reported for one program, against its JSON and template. */
export function judgeProgram(p: JudgeInput): LaneResult {
  const problems: string[] = [];
  const log = p.log;
  if (log === null) return { name: p.name, ok: false, problems: [`no output (VM exit status ${p.vmStatus})`], log: "", stf: null };
  if (log.includes("@@LOAD-FAIL")) problems.push(`load: ${block(log, "@@LOAD-FAIL").trim().split("\n").slice(-3).join(" | ")}`);
  else {
    const pipe = block(log, "@@PIPE");
    if (!/state\s+(is\s+)?ready|sealed/i.test(pipe)) problems.push(`pipeline not sealed: ${pipe.trim().split("\n")[0] ?? ""}`);
    const seen = new Set<string>();
    for (const t of p.intro.tables) {
      checkTable(p, t, log, problems);
      for (const a of t.actions) {
        if (seen.has(a.name)) continue;
        seen.add(a.name);
        const ga = jsonLine(block(log, `@@ACT ${a.name}`))?.[0];
        if (!ga) {
          problems.push(`action ${a.name}: the kernel does not report it`);
          continue;
        }
        if (ga.actid !== a.id) problems.push(`action ${a.name}: JSON id ${a.id}, kernel actid ${String(ga.actid)}`);
        const kp = ((ga.params as { name: string; type: string }[] | undefined) ?? []).map((x) => `${x.name}:${TC_TYPE_ALIASES[x.type] ?? x.type}`).join(",");
        const jp = a.params.map((x) => `${x.name}:${x.type}`).join(",");
        if (kp !== jp) problems.push(`action ${a.name}: JSON params ${jp}, kernel ${kp}`);
      }
    }
    if (!log.includes("@@DONE")) problems.push("the guest script did not finish");
  }
  const loaded = !log.includes("@@LOAD-FAIL");
  const b = log.indexOf("@@STF-BEGIN\n");
  const e = log.indexOf("@@STF-END", b);
  const stf = p.ops && loaded ? parseResults(b < 0 ? "" : log.slice(b, e < 0 ? undefined : e), p.ops) : null;
  return { name: p.name, ok: problems.length === 0, problems, log, stf };
}
