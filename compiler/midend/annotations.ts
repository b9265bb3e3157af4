/**
 * Reading annotations: find by name, and take the single string or integer
 * argument that the P4TC annotations (`@name("x")`, `@tc_type("dev")`,
 * `@nummask(8)`, `@tc_acl("CRUD:RX")`) carry.
 */
import type * as A from "../ast/nodes.js";
import type { Span } from "../source.js";

export function findAnnotation(list: readonly A.Annotation[], name: string): A.Annotation | undefined {
  return list.find((a) => a.name.text === name);
}

export function findAnnotations(list: readonly A.Annotation[], name: string): A.Annotation[] {
  return list.filter((a) => a.name.text === name);
}

export function hasAnnotation(list: readonly A.Annotation[], name: string): boolean {
  return list.some((a) => a.name.text === name);
}

/** The expressions of an annotation body (structured, or unstructured that parsed as expressions). */
export function annotationExprs(a: A.Annotation): readonly A.Expression[] | null {
  switch (a.body.form) {
    case "empty":
      return [];
    case "unstructured":
      return a.body.exprs;
    case "expressions":
      return a.body.exprs;
    default:
      return null;
  }
}

/** Where to point at an annotation's argument (its first token), else at the annotation. */
export function annotationArgSpan(a: A.Annotation): Span {
  if (a.body.form === "unstructured" && a.body.tokens.length > 0) return a.body.tokens[0]!.span;
  const ex = annotationExprs(a);
  if (ex && ex.length > 0) return ex[0]!.span;
  return a.span;
}

/** The argument as the user wrote it (for messages): the raw tokens joined. */
export function annotationArgText(a: A.Annotation): string {
  if (a.body.form === "unstructured") return a.body.tokens.map((t) => t.text).join("");
  const ex = annotationExprs(a);
  if (ex && ex.length === 1) {
    const e = ex[0]!;
    if (e.kind === "StringLiteral") return `"${e.raw}"`;
    if (e.kind === "IntLiteral") return e.text;
  }
  return "";
}

/** The single string-literal argument of an annotation, or null. */
export function annotationString(a: A.Annotation): string | null {
  const ex = annotationExprs(a);
  if (ex && ex.length === 1 && ex[0]!.kind === "StringLiteral") return ex[0]!.value;
  if (a.body.form === "unstructured" && a.body.tokens.length === 1 && a.body.tokens[0]!.tokenKind === "string") {
    const t = a.body.tokens[0]!.text;
    return t.slice(1, -1);
  }
  return null;
}

/** The single integer-literal argument of an annotation, or null. */
export function annotationInt(a: A.Annotation): bigint | null {
  const ex = annotationExprs(a);
  if (ex && ex.length === 1 && ex[0]!.kind === "IntLiteral") return ex[0]!.value;
  return null;
}
