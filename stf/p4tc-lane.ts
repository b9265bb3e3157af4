/**
 * The programs of the kernel lane: every corpus program that is not an
 * error test, the reference STF programs, the samples and the STF fixtures,
 * compiled with `--p4tc-abi v13 --build`. A program v13 cannot express is
 * rejected by the compiler with a located error naming the ABI; the lane
 * lists it with that error instead of loading it. STF tests are resolved
 * here as `p4ts stf` resolves them, run in the guest with the P4TC VM
 * target's commands (targets/p4tc-vm/script.ts) and judged by the same
 * checks as `p4ts stf` (`checkResults`).
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { buildObjects, findClang, isClangFound } from "../build/index.js";
import { batches, runLaneBatch, type LaneProgram, type LaneResult } from "../targets/p4tc-vm/lane.js";
import { parseStf, StfError } from "./parse.js";
import { planStf, type StfPlan } from "./resolve.js";
import { checkResults } from "./run.js";

export interface LaneSource {
  readonly p4: string;
  readonly stf: string | null;
}

/** A lane program with its STF test, resolved. */
export interface PreparedProgram extends LaneProgram {
  /** The STF file, or null. */
  readonly stf: string | null;
  /** Its resolved plan (null without a test); `stfErrors` when it does not resolve. */
  readonly plan: StfPlan | null;
  readonly stfErrors: string[];
}

export interface Prepared {
  readonly programs: PreparedProgram[];
  /** Programs the v13 ABI cannot express: the compiler's first error, per program. */
  readonly rejected: { readonly name: string; readonly reason: string }[];
}

/** The lane's sources, from the checkout root: the corpus is `$P4TS_CORPUS`, else `../shared/corpus` beside the checkout (as for every other corpus user). */
export function laneSources(root: string): LaneSource[] {
  const shared = process.env.P4TS_CORPUS ?? path.resolve(root, "..", "shared", "corpus");
  const out: LaneSource[] = [];
  const withStf = (p4: string): LaneSource => {
    const stf = p4.replace(/\.p4$/, ".stf");
    return { p4, stf: fs.existsSync(stf) ? stf : null };
  };
  const dir = path.join(shared, "p4tc", "programs");
  for (const f of fs.readdirSync(dir).sort()) if (f.endsWith(".p4") && !f.includes("errors")) out.push({ p4: path.join(dir, f), stf: null });
  const stfDir = path.join(shared, "p4tc-stf");
  for (const f of fs.readdirSync(stfDir).sort()) if (f.endsWith(".p4")) out.push(withStf(path.join(stfDir, f)));
  const samples = path.join(root, "samples");
  for (const d of fs.readdirSync(samples).sort()) {
    const p4 = path.join(samples, d, `${d}.p4`);
    if (fs.existsSync(p4)) out.push(withStf(p4));
  }
  const fixtures = path.join(root, "test", "fixtures", "stf");
  for (const f of fs.readdirSync(fixtures).sort()) if (f.endsWith(".p4")) out.push(withStf(path.join(fixtures, f)));
  return out;
}

/** Compiles and builds every source under `out/NAME` with the v13 ABI. */
export function prepareLane(sources: readonly LaneSource[], out: string, clangPath?: string): Prepared {
  const clang = findClang({ ...(clangPath ? { clangPath } : {}), env: process.env });
  if (!isClangFound(clang)) throw new Error(clang.error);
  const programs: PreparedProgram[] = [];
  const rejected: { name: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    const r = compile({ input: { file: s.p4 }, p4tcAbi: "v13", disabledWarnings: ["all"] });
    if (seen.has(r.name)) throw new Error(`two lane programs are named ${r.name}`);
    seen.add(r.name);
    if (!r.ok || !r.outputs) {
      const first = r.diagnostics.find((d) => d.category === "error");
      rejected.push({ name: r.name, reason: first ? first.message : "rejected" });
      continue;
    }
    const dir = path.join(out, r.name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const [f, text] of Object.entries(r.outputs)) fs.writeFileSync(path.join(dir, f), text);
    const b = buildObjects(dir, r.name, clang);
    if (!b.ok) throw new Error(`${r.name}: clang failed\n${b.diagnostics ?? ""}`);
    let plan: StfPlan | null = null;
    const stfErrors: string[] = [];
    if (s.stf) {
      const stfName = path.basename(s.stf);
      try {
        plan = planStf(r.pipeline!, parseStf(fs.readFileSync(s.stf, "utf8")));
        for (const e of plan.errors) stfErrors.push(`${stfName}(${e.line}): error: ${e.message}`);
      } catch (e) {
        if (!(e instanceof StfError)) throw e;
        stfErrors.push(`${stfName}(${e.line}): error: ${e.message}`);
      }
    }
    programs.push({ name: r.name, dir, model: r.pipeline!, stf: s.stf, plan, stfErrors, ops: plan && stfErrors.length === 0 ? plan.ops.map((p) => p.op) : null });
  }
  return { programs, rejected };
}

/** The STF verdict of one lane result: the problems `p4ts stf` would report, one line each (empty when it passes). */
export function stfProblems(p: PreparedProgram, r: LaneResult): string[] {
  if (!p.stf) return [];
  const name = path.basename(p.stf);
  if (p.stfErrors.length > 0) return p.stfErrors;
  if (!p.plan || !r.stf) return [`STF ${name}: did not run`];
  let text = "";
  const c = checkResults(name, p.model, p.plan, r.stf, (t) => (text += t));
  return c.problems === 0 ? [] : [`STF ${name}: FAIL (${c.problems} problems)`, ...text.trimEnd().split("\n").map((l) => `  ${l}`)];
}

/** Runs the lane: `perBoot` programs per VM boot; every result with its STF verdict folded into `problems`. */
export async function runLane(programs: readonly PreparedProgram[], work: string, opts: { perBoot?: number; onBoot?: (i: number, names: string[], results: LaneResult[] | null) => void } = {}): Promise<LaneResult[]> {
  const out: LaneResult[] = [];
  for (const [i, b] of batches(programs, opts.perBoot ?? 40).entries()) {
    opts.onBoot?.(i + 1, b.map((p) => p.name), null);
    const got = (await runLaneBatch(b, path.join(work, `boot${i + 1}`))).map((r) => {
      const extra = stfProblems(b.find((p) => p.name === r.name) as PreparedProgram, r);
      return extra.length === 0 ? r : { ...r, ok: false, problems: [...r.problems, ...extra] };
    });
    opts.onBoot?.(i + 1, b.map((p) => p.name), got);
    out.push(...got);
  }
  return out;
}
