/**
 * Generated programs for differential testing: the robustness issue's
 * generator (`fuzz/generate.ts`, `generateProgram(seed)`) when this tree
 * has it, else none.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProgramInput } from "./run.js";

type Generate = (seed: number) => { name: string; source: string };
let generator: Generate | null | undefined;

async function load(): Promise<Generate | null> {
  if (generator !== undefined) return generator;
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fuzz/generate.js");
  generator = null;
  if (fs.existsSync(file)) {
    const m = (await import(file)) as { generateProgram?: Generate };
    generator = m.generateProgram ?? null;
  }
  return generator;
}

/** `n` generated programs from consecutive seeds starting at `seed` (none without the generator). */
export async function generatedPrograms(seed: number, n: number): Promise<ProgramInput[]> {
  const g = await load();
  if (!g) return [];
  const out: ProgramInput[] = [];
  for (let i = 0; i < n; i++) {
    const p = g(seed + i);
    out.push({ name: `generated/${seed + i}`, source: p.source });
  }
  return out;
}
