/**
 * The PNA → P4TC mid-end. The pass list below is its table of contents: each
 * pass is one file in passes/, named with a verb, and states what holds
 * before and after it. They share a `MidendContext`; the last one turns it
 * into the pipeline model (compiler/ir/pipeline.ts), which is all the back ends see.
 */
import type { DiagnosticBag } from "../diagnostics/index.js";
import type { PipelineModel } from "../ir/pipeline.js";
import { MidendContext, type CheckedProgram, type MidendOptions } from "./context.js";
import { indexDeclarations } from "./passes/indexDeclarations.js";
import { findMainPackage } from "./passes/findMainPackage.js";
import { collectBlocks } from "./passes/collectBlocks.js";
import { checkNameAnnotations } from "./passes/checkNameAnnotations.js";
import { collectActions } from "./passes/collectActions.js";
import { collectTables } from "./passes/collectTables.js";
import { simplifyTableKeys } from "./passes/simplifyTableKeys.js";
import { resolveTableActions } from "./passes/resolveTableActions.js";
import { evaluateTableProperties } from "./passes/evaluateTableProperties.js";
import { collectExternInstances } from "./passes/collectExternInstances.js";
import { bindDirectExterns } from "./passes/bindDirectExterns.js";
import { checkAddEntry } from "./passes/checkAddEntry.js";
import { evaluateConstEntries } from "./passes/evaluateConstEntries.js";
import { checkExternResults } from "./passes/checkExternResults.js";
import { assignIds } from "./passes/assignIds.js";
import { checkAbi, fitActionNames } from "./passes/checkAbi.js";
import { buildPipeline } from "./passes/buildPipeline.js";
import { lowerDatapath } from "./passes/lowerDatapath.js";
import { checkPipelineName } from "./passes/checkPipelineName.js";

export type { CheckedProgram, MidendOptions } from "./context.js";

/**
 * The passes in order; each `stopOnError` pass stops the list when it reports
 * an error the next ones cannot work around. An `always` pass runs even then
 * (it checks the input file rather than the program).
 */
export const MIDEND_PASSES: readonly { readonly name: string; readonly run: (ctx: MidendContext) => void; readonly stopOnError?: boolean; readonly always?: boolean }[] = [
  { name: "indexDeclarations", run: indexDeclarations },
  { name: "findMainPackage", run: findMainPackage, stopOnError: true },
  { name: "collectBlocks", run: collectBlocks },
  { name: "checkNameAnnotations", run: checkNameAnnotations, stopOnError: true },
  { name: "collectActions", run: collectActions },
  { name: "fitActionNames", run: fitActionNames },
  { name: "collectTables", run: collectTables },
  { name: "simplifyTableKeys", run: simplifyTableKeys },
  { name: "resolveTableActions", run: resolveTableActions },
  { name: "evaluateTableProperties", run: evaluateTableProperties },
  { name: "collectExternInstances", run: collectExternInstances },
  { name: "bindDirectExterns", run: bindDirectExterns },
  { name: "checkAddEntry", run: checkAddEntry },
  { name: "evaluateConstEntries", run: evaluateConstEntries },
  { name: "checkExternResults", run: checkExternResults },
  { name: "checkAbi", run: checkAbi },
  { name: "assignIds", run: assignIds, stopOnError: true },
  { name: "lowerDatapath", run: lowerDatapath },
  { name: "checkPipelineName", run: checkPipelineName, always: true },
];

/** Runs the mid-end; returns the pipeline model, or null when an error was reported. */
export function runMidend(program: CheckedProgram, diags: DiagnosticBag, options: MidendOptions): PipelineModel | null {
  const ctx = new MidendContext(program, diags, options);
  let stopped = false;
  for (const pass of MIDEND_PASSES) {
    if (stopped && !pass.always) continue;
    pass.run(ctx);
    if (pass.stopOnError && diags.hasErrors()) stopped = true;
  }
  if (diags.hasErrors()) return null;
  return buildPipeline(ctx);
}
