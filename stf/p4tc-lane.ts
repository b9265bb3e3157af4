/**
 * The programs of the kernel lane: every corpus program that is not an
 * error test, the reference STF programs, the samples and the STF fixtures,
 * compiled with `--p4tc-abi v13 --build`. A program v13 cannot express is
 * rejected by the compiler with a located error naming the ABI; the lane
 * lists it with that error instead of loading it.
 */
import fs from "node:fs";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { buildObjects, findClang, isClangFound } from "../build/index.js";
import type { LaneProgram } from "../targets/p4tc-vm/lane.js";

export interface LaneSource {
  readonly p4: string;
  readonly stf: string | null;
}

export interface Prepared {
  readonly programs: LaneProgram[];
  /** Programs the v13 ABI cannot express: the compiler's first error, per program. */
  readonly rejected: { readonly name: string; readonly reason: string }[];
}

/** The lane's sources, from the checkout root. */
export function laneSources(root: string): LaneSource[] {
  const shared = path.resolve(root, "..", "shared", "corpus");
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
  const programs: LaneProgram[] = [];
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
    programs.push({ name: r.name, dir, stf: s.stf });
  }
  return { programs, rejected };
}
