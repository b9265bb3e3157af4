/**
 * Annotations with rules the front end enforces: `@name` and `@deprecated`
 * take one string,
 * a structured annotation's name is not repeated on the same element, and
 * `@match(kind)` on a value-set struct field names a match_kind; `@hidden`,
 * `@tableonly`, `@defaultonly`, `@optional`, `@atomic`, `@pure`,
 * `@noSideEffects`, `@likely`, `@unlikely`, `@persistent`, `@unroll`,
 * `@nounroll` and `@disable_optimization` take no arguments.
 * Before: match_kind members are known (bindTopLevel). After: nothing changes
 * but the diagnostic bag. Walks every node that carries annotations.
 */
import type * as A from "../ast/nodes.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker } from "./checker.js";
import * as T from "./types.js";

/** Spec "Predefined annotations": these take no body (`@hidden`, not `@hidden(...)`). */
const NO_ARGS: ReadonlySet<string> = new Set(["optional", "tableonly", "defaultonly", "hidden", "atomic", "pure", "noSideEffects",
  // ... and, in the reference's annotation parser, these too
  "likely", "unlikely", "persistent", "disable_optimization", "unroll", "nounroll"]);

export function checkAnnotations(ck: Checker, program: A.Program): void {
  walk(ck, program);
}

function walk(ck: Checker, node: unknown): void {
  if (Array.isArray(node)) {
    for (const x of node) walk(ck, x);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as { kind?: string; annotations?: readonly A.Annotation[] };
  if (n.kind === "Annotation") return;
  if (Array.isArray(n.annotations)) check(ck, n.annotations, n.kind === "StructField");
  for (const k in node) {
    if (k === "span" || k === "annotations" || k === "varAnnotations") continue;
    const v = (node as Record<string, unknown>)[k];
    if (v && typeof v === "object") walk(ck, v);
  }
  const va = (node as { varAnnotations?: readonly A.Annotation[] }).varAnnotations;
  if (Array.isArray(va)) check(ck, va, false);
}

function check(ck: Checker, as: readonly A.Annotation[], field: boolean): void {
  const seen = new Set<string>();
  for (const a of as) {
    const name = a.name.text;
    const structured = a.body.form === "expressions" || a.body.form === "kv";
    if (structured && seen.has(name)) ck.diags.report(Msg.Fe_StructuredAnnotationDup, a.span, name);
    if (structured) seen.add(name);
    else if (as.some((b) => b !== a && b.name.text === name && (b.body.form === "expressions" || b.body.form === "kv") && as.indexOf(b) < as.indexOf(a))) {
      ck.diags.report(Msg.Fe_StructuredAnnotationDup, a.span, name);
    }
    seen.add(name);
    if (name === "name" || name === "deprecated") {
      const b = a.body;
      const ok = b.form === "unstructured" && b.exprs !== null && b.exprs.length === 1 && (b.exprs[0].kind === "StringLiteral" || b.exprs[0].kind === "BinaryExpression" && b.exprs[0].op === "++");
      // spec "Deprecated annotation": a required string argument
      if (!ok) {
        if (name === "name") ck.diags.report(Msg.Fe_NameAnnotation, a.span);
        else ck.diags.report(Msg.Fe_StringAnnotation, a.span, name);
      }
    }
    if (NO_ARGS.has(name) && hasBody(a)) {
      ck.diags.report(Msg.Fe_AnnotationNoArgs, a.span, name);
    }
    if (name === "match" && field) {
      const b = a.body;
      const e = b.form === "unstructured" && b.exprs && b.exprs.length === 1 ? b.exprs[0] : null;
      if (!e || e.kind !== "PathExpression" || !ck.matchKinds.has(e.name.text)) {
        ck.diags.report(Msg.Fe_NotMatchKind, e?.span ?? a.span, e ? ck.show(e) : "@match");
      }
    }
  }
}

function hasBody(a: A.Annotation): boolean {
  const b = a.body;
  return b.form === "unstructured" ? b.tokens.length > 0 : b.form === "expressions" ? b.exprs.length > 0 : b.form === "kv" ? b.pairs.length > 0 : false;
}

/**
 * "Bodies of Structured Annotations": keys of a key-value list are distinct;
 * every value is a compile-time known `int`, `string` or `bool` (not a
 * structured expression, not a `bit<W>`). Values are typed in the top-level
 * scope: names of locals there are not found and are left alone. Runs after
 * the declarations are checked, so constants have their values.
 */
export function checkStructuredAnnotations(ck: Checker, program: A.Program): void {
  const ctx = ck.topCtx();
  const value = (e: A.Expression): void => {
    if (e.kind === "ListExpression" || e.kind === "StructExpression") {
      ck.diags.report(Msg.Fe_StructuredAnnotationType, e.span, ck.show(e));
      return;
    }
    const t = ck.types.get(e) ?? ck.runQuietly(() => ck.fns.typeOf(ck, e, ctx));
    if (!T.isVague(t) && t.k !== "int" && t.k !== "string" && t.k !== "bool") {
      ck.diags.report(Msg.Fe_StructuredAnnotationType, e.span, ck.show(e));
    } else if (!T.isVague(t) && ck.runQuietly(() => ck.readsRuntimeValue(e, ck.global))) {
      ck.diags.report(Msg.Fe_StructuredAnnotationConst, e.span, ck.show(e));
    }
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if (!node || typeof node !== "object") return;
    const n = node as { kind?: string; body?: A.Annotation["body"] };
    if (n.kind === "Annotation") {
      const b = n.body!;
      if (b.form === "expressions") for (const e of b.exprs) value(e);
      if (b.form === "kv") {
        const keys = new Set<string>();
        for (const kv of b.pairs) {
          if (keys.has(kv.key.text)) ck.diags.report(Msg.Fe_Duplicate, kv.key.span, kv.key.text);
          keys.add(kv.key.text);
          value(kv.value);
        }
      }
      return;
    }
    for (const [k, v] of Object.entries(node)) if (k !== "span" && v && typeof v === "object") visit(v);
  };
  visit(program);
}
