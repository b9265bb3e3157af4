/**
 * Compiling Handlebars source at run time, in the shared environment of
 * codegen/hbs.ts: for tests and scripts/precompile-template.mjs. The code
 * generators themselves use precompiled templates and never load the
 * Handlebars compiler.
 */
import Handlebars from "handlebars";
import { COMPILE_OPTIONS, hbs, type RenderFn } from "./hbs.js";

const cache = new Map<string, RenderFn<unknown>>();

/** Compiles `source` once in the shared environment (cached by source text). */
export function compileTemplate<V>(source: string): RenderFn<V> {
  let fn = cache.get(source);
  if (!fn) {
    const compiled = hbs.template(templateSpec(source));
    fn = (view: unknown) => compiled(view);
    cache.set(source, fn);
  }
  return fn as RenderFn<V>;
}

/** What Handlebars.precompile makes of `source` with COMPILE_OPTIONS, evaluated to the spec object. */
function templateSpec(source: string): Parameters<typeof hbs.template>[0] {
  return new Function(`return ${precompileTemplate(source)};`)() as Parameters<typeof hbs.template>[0];
}

/** The precompiled form of `source` as JavaScript text (what codegen/template/compiled.ts holds). */
export function precompileTemplate(source: string): string {
  return Handlebars.precompile(source, COMPILE_OPTIONS) as unknown as string;
}
