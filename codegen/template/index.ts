/**
 * The template back end: `NAME.template`, the bash script of
 * `$TC p4template create|update …` commands that builds the pipeline in the
 * kernel (contract §2). Input: the pipeline model only.
 */
import { precompiledTemplate, type RenderFn } from "../hbs.js";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import { TEMPLATE_SPEC } from "./compiled.js";
import { buildTemplateView, type TemplateView } from "./view.js";

export { isShellSafeName, isShellSafePipelineName, CodegenError } from "../../compiler/ir/pipeline.js";
export { buildTemplateView, type TemplateView } from "./view.js";
export { MAX_ENTRY_EXPANSION } from "../../compiler/ir/values.js";
export { TEMPLATE_SOURCE } from "./source.js";

/**
 * Renders `NAME.template` (no trailing newline, like the reference). Throws
 * `CodegenError` when a name or value that is not shell-safe would reach the
 * script, or when the model breaks a rule the view relies on.
 */
export function renderTemplate(model: PipelineModel): string {
  render ??= precompiledTemplate<TemplateView>(TEMPLATE_SPEC);
  return render(buildTemplateView(model));
}

/** TEMPLATE_SOURCE, precompiled (compiled.ts). */
let render: RenderFn<TemplateView> | undefined;

/** The file name the template is written to. */
export function templateFileName(model: PipelineModel): string {
  return `${model.pipelineName}.template`;
}
