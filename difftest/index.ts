/**
 * `npm run difftest`: differential testing rounds until a time budget is
 * spent, over the corpus programs and generated ones (see run.ts). With
 * `jobs` > 1 the work is split into that many shards, each run by a child
 * process (`scripts/difftest.mjs --shard K/N`), and their counts are added up.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { corpusPrograms, diffProgram, difftestUnavailable, type Disagreement, type ProgramInput } from "./run.js";
import { generatedPrograms } from "./generate.js";

export { diffProgram, corpusPrograms, difftestUnavailable, generateTests, Rng } from "./run.js";
export type { Disagreement, ProgramReport, ProgramInput } from "./run.js";

export interface DifftestOptions {
  readonly root: string;
  readonly seconds: number;
  readonly seed: number;
  readonly packets: number;
  readonly only?: string;
  readonly verbose?: boolean;
  /** Processes to split the work over (each runs one shard); 1: this process runs it all. */
  readonly jobs?: number;
  /** Run only shard `index` of `count` (corpus programs index, index+count, ...; generated seeds likewise). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly log: (s: string) => void;
}

export interface DifftestSummary {
  /** Names of the programs compared. */
  readonly programs: readonly string[];
  /** How many of them were generated. */
  readonly generated: number;
  /** Programs not compared, with why. */
  readonly notCompared: readonly (readonly [string, string])[];
  readonly packets: number;
  /** Packets the emulation could not run (not counted in `packets`). */
  readonly packetsSkipped: number;
  readonly disagreements: number;
  readonly rounds: number;
  readonly exitCode: number;
}

/** The line a shard's process ends with: its summary as JSON. */
const SUMMARY = "difftest-shard-summary ";

export async function runDifftest(o: DifftestOptions): Promise<DifftestSummary> {
  const why = difftestUnavailable();
  if (why) {
    o.log(`difftest: cannot run here: ${why}\n`);
    return { programs: [], generated: 0, notCompared: [], packets: 0, packetsSkipped: 0, disagreements: 0, rounds: 0, exitCode: 2 };
  }
  const started = Date.now();
  const s = o.shard === undefined && (o.jobs ?? 1) > 1 ? await runShards(o) : runShard(o);
  if (o.shard) {
    o.log(`${SUMMARY}${JSON.stringify(s)}\n`);
    return s;
  }
  for (const [n, w] of s.notCompared) o.log(`not compared: ${n}: ${w}\n`);
  o.log(
    `difftest: ${s.programs.length} programs compared (${s.programs.length - s.generated} corpus, samples and fixtures; ${s.generated} generated), ` +
      `${s.notCompared.length} not compared, ${s.packets} packets compared (${s.packetsSkipped} more the emulation cannot run), ` +
      `${s.disagreements} disagreements, ${s.rounds} rounds, ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  return s;
}

/** The rounds of one process (all the work, or one shard of it). */
function runShard(o: DifftestOptions): DifftestSummary {
  const deadline = Date.now() + o.seconds * 1000;
  const { index, count } = o.shard ?? { index: 0, count: 1 };
  const programs = new Set<string>();
  const skippedPrograms = new Map<string, string>();
  let disagreements = 0;
  let packets = 0;
  let packetsSkipped = 0;
  let round = 0;
  let generated = 0;
  const corpus = corpusPrograms(o.root).filter((_p, i) => i % count === index);
  while (Date.now() < deadline) {
    // Round 0: the corpus; later rounds: 8 new generated programs each (every program compared is a distinct one).
    const list: ProgramInput[] = round === 0 ? corpus : generatedPrograms(o.seed * 100000 + ((round - 1) * count + index + 1) * 8, 8);
    for (const p of list) {
      if (Date.now() >= deadline) break;
      if (o.only && !p.name.includes(o.only)) continue;
      const r = diffProgram(p, { seed: o.seed * 7919 + round, packets: o.packets });
      if (r.skipped) {
        if (!programs.has(p.name)) skippedPrograms.set(p.name, r.skipped);
        if (o.verbose) o.log(`skip ${p.name}: ${r.skipped}\n`);
        continue;
      }
      programs.add(p.name);
      if (round > 0) generated++;
      skippedPrograms.delete(p.name);
      packets += r.packets;
      packetsSkipped += r.packetsSkipped;
      for (const d of r.disagreements.slice(0, 3)) {
        o.log(`DISAGREE ${d.program} (${d.what}) packet on port ${d.port}: ${d.packet}\n  sim:  ${d.sim}\n  ebpf: ${d.ebpf}\n`);
      }
      disagreements += r.disagreements.length;
      if (o.verbose) o.log(`${p.name}: ${r.packets} packets, ${r.disagreements.length} disagreements\n`);
    }
    round++;
  }
  return { programs: [...programs], generated, notCompared: [...skippedPrograms], packets, packetsSkipped, disagreements, rounds: round, exitCode: disagreements ? 1 : 0 };
}

/** Runs `jobs` shards in child processes at once, passing their output through, and adds up their summaries. */
async function runShards(o: DifftestOptions): Promise<DifftestSummary> {
  const jobs = o.jobs ?? 1;
  const script = path.join(o.root, "scripts", "difftest.mjs");
  const runs = Array.from({ length: jobs }, (_x, k) => {
    const args = [script, "--seconds", String(o.seconds), "--seed", String(o.seed), "--packets", String(o.packets), "--shard", `${k}/${jobs}`];
    if (o.only) args.push("--only", o.only);
    if (o.verbose) args.push("--verbose");
    return new Promise<DifftestSummary | null>((resolve) => {
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
      let summary: DifftestSummary | null = null;
      let rest = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        rest += chunk;
        let nl: number;
        while ((nl = rest.indexOf("\n")) >= 0) {
          const line = rest.slice(0, nl + 1);
          rest = rest.slice(nl + 1);
          if (line.startsWith(SUMMARY)) summary = JSON.parse(line.slice(SUMMARY.length)) as DifftestSummary;
          else o.log(line);
        }
      });
      child.on("close", () => resolve(summary));
      child.on("error", () => resolve(null));
    });
  });
  const done = await Promise.all(runs);
  const failed = done.filter((x) => x === null).length;
  if (failed) o.log(`difftest: ${failed} of ${jobs} shard processes ended without a summary\n`);
  const ok = done.filter((x): x is DifftestSummary => x !== null);
  const programs = new Set(ok.flatMap((x) => x.programs));
  const notCompared = new Map(ok.flatMap((x) => x.notCompared).filter(([n]) => !programs.has(n)));
  const sum = (f: (x: DifftestSummary) => number): number => ok.reduce((n, x) => n + f(x), 0);
  const disagreements = sum((x) => x.disagreements);
  return {
    programs: [...programs],
    generated: sum((x) => x.generated),
    notCompared: [...notCompared],
    packets: sum((x) => x.packets),
    packetsSkipped: sum((x) => x.packetsSkipped),
    disagreements,
    rounds: Math.max(0, ...ok.map((x) => x.rounds)),
    exitCode: failed ? 2 : disagreements ? 1 : 0,
  };
}
