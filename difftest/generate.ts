/** Generated programs for differential testing: the robustness generator's (`fuzz/generate.ts`). */
import { generateProgram } from "../fuzz/generate.js";
import type { ProgramInput } from "./run.js";

/** `n` generated programs from consecutive seeds starting at `seed`. */
export function generatedPrograms(seed: number, n: number): ProgramInput[] {
  const out: ProgramInput[] = [];
  for (let i = 0; i < n; i++) out.push({ name: `generated/${seed + i}`, source: generateProgram(seed + i).source });
  return out;
}
