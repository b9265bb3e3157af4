/**
 * The one Handlebars environment of the code generators.
 *
 * Every template is compiled with `noEscape` (the outputs are shell scripts
 * and C, not HTML) and `strict` (a printed view field that is missing is a
 * bug: it throws instead of printing nothing; arguments of block helpers such
 * as `{{#if x}}` are still looked up leniently, so view types are complete
 * TypeScript types with `null` for absent facts). Templates only loop and
 * branch on precomputed view fields; anything computed belongs in a
 * TypeScript view builder next to the renderer.
 *
 * Templates arrive precompiled (codegen/template/compiled.ts, made by
 * scripts/precompile-template.mjs), so only the Handlebars runtime is loaded
 * here: compiling the template source on every run cost a tenth of a
 * compile's CPU. `compileTemplate` (codegen/hbs-compile.ts) compiles from
 * source in this same environment, for tests and the precompile script.
 */
import HandlebarsRuntime from "handlebars/runtime.js";
import type Handlebars from "handlebars";

/** The shared, isolated Handlebars environment (helpers are registered here only). */
// The runtime is the full Handlebars less the compiler; its own typings declare nothing.
export const hbs: typeof Handlebars = (HandlebarsRuntime as unknown as typeof Handlebars).create();

/** Options every template is compiled with. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/*
 * Helpers are registered on `hbs` here, and only here. The template script
 * needs none: `#each`, `#if`/`#unless`/`else` and `@first` cover it, because
 * its view (codegen/template/view.ts) precomputes every string and flag.
 */

/** A compiled template: view in, text out. */
export type RenderFn<V> = (view: V) => string;

/** A template precompiled with COMPILE_OPTIONS (Handlebars.precompile's output, as code), in the shared environment. */
export function precompiledTemplate<V>(spec: unknown): RenderFn<V> {
  const compiled = hbs.template(spec as Parameters<typeof hbs.template>[0]);
  return (view: V) => compiled(view);
}
