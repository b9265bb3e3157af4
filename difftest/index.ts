/**
 * `npm run difftest`: differential testing rounds until a time budget is
 * spent, over the corpus programs and generated ones (see run.ts).
 */
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
  readonly log: (s: string) => void;
}

export interface DifftestSummary {
  readonly programs: number;
  readonly packets: number;
  readonly disagreements: readonly Disagreement[];
  readonly exitCode: number;
}

export async function runDifftest(o: DifftestOptions): Promise<DifftestSummary> {
  const why = difftestUnavailable();
  if (why) {
    o.log(`difftest: cannot run here: ${why}\n`);
    return { programs: 0, packets: 0, disagreements: [], exitCode: 2 };
  }
  const deadline = Date.now() + o.seconds * 1000;
  const programs = new Set<string>();
  const skippedPrograms = new Map<string, string>();
  const disagreements: Disagreement[] = [];
  let packets = 0;
  let packetsSkipped = 0;
  let round = 0;
  const corpus = corpusPrograms(o.root);
  while (Date.now() < deadline) {
    // Round 0: the corpus; later rounds: generated programs, and the corpus again with new seeds every 4th round.
    const generated = round === 0 || round % 4 === 0 ? [] : generatedPrograms(o.seed * 100000 + round * 8, 8);
    const list: ProgramInput[] = generated.length === 0 ? corpus : generated;
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
      skippedPrograms.delete(p.name);
      packets += r.packets;
      packetsSkipped += r.packetsSkipped;
      for (const d of r.disagreements.slice(0, 3)) {
        o.log(`DISAGREE ${d.program} (${d.what}) packet on port ${d.port}: ${d.packet}\n  sim:  ${d.sim}\n  ebpf: ${d.ebpf}\n`);
      }
      disagreements.push(...r.disagreements);
      if (o.verbose) o.log(`${p.name}: ${r.packets} packets, ${r.disagreements.length} disagreements\n`);
    }
    round++;
  }
  for (const [n, why] of skippedPrograms) o.log(`not compared: ${n}: ${why}\n`);
  o.log(`difftest: ${programs.size} programs, ${packets} packets compared (${packetsSkipped} the emulation cannot run), ${disagreements.length} disagreements, ${round} rounds\n`);
  return { programs: programs.size, packets, disagreements, exitCode: disagreements.length ? 1 : 0 };
}
