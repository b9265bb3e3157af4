/**
 * checkPipelineName: the kernel names the pipeline after the P4 file, so its
 * stem must be a name tc accepts (letters, digits, `_` and `-`, under 32
 * bytes). Located at `main` (the name comes from the file, not from a line of
 * it), or at the file's first line when there is no `main`.
 *
 * Runs last, and also after a pass stopped the list, so the program's own
 * errors are reported first. Before: nothing. After: an error, or nothing.
 */
import { Msg } from "../../diagnostics/index.js";
import { isShellSafePipelineName } from "../../ir/pipeline.js";
import type { MidendContext } from "../context.js";

export function checkPipelineName(ctx: MidendContext): void {
  const name = ctx.options.pipelineName;
  if (isShellSafePipelineName(name) && Buffer.byteLength(name) <= 31) return;
  const main = ctx.program.declarations.find((d) => d.kind === "Instantiation" && d.name.text === "main");
  ctx.diags.report(Msg.Mid_PipelineName, main?.span ?? { file: ctx.options.file, line: 1, col: 1, endLine: 1, endCol: 2 }, name);
}
