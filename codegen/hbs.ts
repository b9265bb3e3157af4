/**
 * The one Handlebars environment of the code generators.
 *
 * Every template is compiled here with `noEscape` (the outputs are shell
 * scripts and C, not HTML) and `strict` (a printed view field that is missing
 * is a bug: it throws instead of printing nothing; arguments of block helpers
 * such as `{{#if x}}` are still looked up leniently, so view types are complete
 * TypeScript types with `null` for absent facts). Templates only loop and branch
 * on precomputed view fields; anything computed belongs in a TypeScript view
 * builder next to the renderer.
 */
import Handlebars from "handlebars";

/** The shared, isolated Handlebars environment (helpers are registered here only). */
export const hbs: typeof Handlebars = Handlebars.create();

/** Options every template is compiled with. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/*
 * Helpers are registered on `hbs` here, and only here. The template script
 * needs none: `#each`, `#if`/`#unless`/`else` and `@first` cover it, because
 * its view (codegen/template/view.ts) precomputes every string and flag.
 */

/** A compiled template: view in, text out. */
export type RenderFn<V> = (view: V) => string;

const cache = new Map<string, RenderFn<unknown>>();

/** Compiles `source` once in the shared environment (cached by source text). */
export function compileTemplate<V>(source: string): RenderFn<V> {
  let fn = cache.get(source);
  if (!fn) {
    const compiled = hbs.compile(source, COMPILE_OPTIONS);
    fn = (view: unknown) => compiled(view);
    cache.set(source, fn);
  }
  return fn as RenderFn<V>;
}
