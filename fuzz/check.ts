/**
 * Checks one generated program end to end: it must compile, build with clang
 * (-Wall -Werror, with the P4TC emulation) and load into the running kernel
 * (the verifier), the way `npm run verify` loads the corpus.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { buildObjects, findClang, isClangFound, type ClangFound } from "../build/index.js";
import { EmulatedPipeline, bpfUnavailableReason } from "../targets/emulation/loader.js";

export type Verdict = "ok" | "rejected" | "crash" | "unbuildable" | "verifier";

export interface CheckResult {
  verdict: Verdict;
  /** compiler diagnostics, clang output or the verifier log tail */
  detail: string;
  /** the stage that was reached: "compile" when tools are missing */
  stage: "compile" | "build" | "load";
}

export const EMULATION_FLAGS: readonly string[] = [
  "-DP4TS_EMULATE_P4TC",
  "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE",
  "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE",
];

export interface Tools {
  clang?: ClangFound;
  /** loading needs root and bpftool */
  load: boolean;
  /** why a stage is skipped */
  missing: string[];
}

/** The tools available here for the build and load stages. */
export function findTools(env: NodeJS.ProcessEnv = process.env): Tools {
  const missing: string[] = [];
  const c = findClang({ env });
  const clang = isClangFound(c) ? c : undefined;
  if (!clang) missing.push(`build: ${(c as { error?: string }).error ?? "no clang"}`);
  const why = bpfUnavailableReason();
  if (why) missing.push(`load: ${why}`);
  return { clang, load: clang !== undefined && why === null, missing };
}

/** Compiles `source` as `name`.p4; then builds and loads it as far as `tools` allow. */
export function checkProgram(name: string, source: string, tools: Tools): CheckResult {
  let r;
  try {
    r = compile({ input: { source, fileName: `${name}.p4` } });
  } catch (e) {
    return { verdict: "crash", detail: String((e as Error)?.stack ?? e), stage: "compile" };
  }
  if (!r.ok) return { verdict: "rejected", detail: r.format(), stage: "compile" };
  if (!tools.clang) return { verdict: "ok", detail: "", stage: "compile" };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-gen-"));
  try {
    for (const [f, text] of Object.entries(r.outputs ?? {})) fs.writeFileSync(path.join(dir, f), text);
    const b = buildObjects(dir, name, tools.clang, { extraFlags: EMULATION_FLAGS });
    if (!b.ok) return { verdict: "unbuildable", detail: b.diagnostics, stage: "build" };
    if (!tools.load) return { verdict: "ok", detail: "", stage: "build" };
    try {
      const p = EmulatedPipeline.load(path.join(dir, `${name}_parser.o`), path.join(dir, `${name}_control_blocks.o`));
      p.close();
    } catch (e) {
      return { verdict: "verifier", detail: String((e as Error).message).split("\n").slice(-25).join("\n"), stage: "load" };
    }
    return { verdict: "ok", detail: "", stage: "load" };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
