/**
 * P4TC types of control-plane values (action parameters, key fields, extern
 * control-path fields): `bitW` from the P4 width, or the `@tc_type` value.
 */
import type * as A from "../ast/nodes.js";
import { Msg, type DiagnosticBag } from "../diagnostics/index.js";
import { bitType, isP4tcNamedType, P4TC_NAMED_TYPE_WIDTH, type P4tcType } from "../ir/pipeline.js";
import { findAnnotation, annotationString, annotationArgSpan, annotationArgText } from "./annotations.js";
import type { Type } from "../frontend/index.js";

/**
 * The `@tc_type` of a declaration, checked: a named P4TC type, or null when
 * absent. Reports an invalid value (and returns undefined).
 */
export function tcTypeAnnotation(diags: DiagnosticBag, annotations: readonly A.Annotation[]): P4tcType | null | undefined {
  const a = findAnnotation(annotations, "tc_type");
  if (!a) return null;
  const v = annotationString(a);
  if (v === null || !isP4tcNamedType(v)) {
    diags.report(Msg.Mid_TcTypeInvalid, annotationArgSpan(a), v === null ? annotationArgText(a) : `"${v}"`);
    return undefined;
  }
  return v;
}

/** Follows new types (`type bit<32> PortId_t`) down to the type they are made of. */
export function underlyingType(t: Type): Type {
  let u = t;
  while (u.k === "newtype") u = u.base;
  return u;
}

/** The P4 width of a scalar type (`bit<W>`, `int<W>`, bool, serializable enum, new type), or null. */
export function scalarWidth(t: Type): number | null {
  const u = underlyingType(t);
  return u.k === "bits" ? u.width : u.k === "bool" ? 1 : u.k === "enum" && u.underlying ? scalarWidth(u.underlying) : null;
}

/** A type as the mid-end's messages name it: declared types by their name, bit strings and stacks as written. */
export function typeText(t: Type): string {
  switch (t.k) {
    case "bits":
      return `${t.signed ? "int" : "bit"}<${t.width}>`;
    case "varbit":
      return `varbit<${t.width}>`;
    case "struct":
    case "header":
    case "union":
    case "enum":
    case "newtype":
    case "extern":
    case "control":
    case "parser":
    case "package":
      return t.decl.name.text;
    case "typevar":
      return t.name;
    case "stack":
      return `${typeText(t.elem)}[${t.size ?? 0}]`;
    case "tuple":
      return `tuple<${t.elems.map(typeText).join(", ")}>`;
    case "bool":
    case "int":
    case "string":
    case "error":
    case "match_kind":
    case "void":
      return t.k;
    default:
      return "unknown";
  }
}

/**
 * The P4TC type and width of a control-plane value of P4 type `t` (the front
 * end's), named `what` for messages. Only bit<W> (possibly behind typedefs
 * and new types) is accepted; `bool` counts as bit<1> only where `allowBool`.
 */
export function p4tcTypeOf(
  diags: DiagnosticBag,
  annotations: readonly A.Annotation[],
  t: Type,
  what: string,
  span: A.Node["span"],
  opts: { allowBool?: boolean; reportType?: (t: Type) => void } = {},
): { type: P4tcType; bitwidth: number } | null {
  const tc = tcTypeAnnotation(diags, annotations);
  if (tc === undefined) return null;
  const u = underlyingType(t);
  let width: number | null = null;
  if (u.k === "bits" && !u.signed) width = u.width;
  else if (u.k === "bool" && opts.allowBool) width = 1;
  else if (u.k === "enum" && u.underlying) width = scalarWidth(u.underlying);
  if (width === null) {
    if (opts.reportType) opts.reportType(t);
    else diags.report(Msg.Mid_ActionParamType, span, what, typeText(t));
    return null;
  }
  if (tc === null) return { type: bitType(width), bitwidth: width };
  const need = P4TC_NAMED_TYPE_WIDTH[tc as keyof typeof P4TC_NAMED_TYPE_WIDTH];
  if (need !== width) {
    diags.report(Msg.Mid_TcTypeWidth, span, tc, need, what, width);
    return null;
  }
  return { type: tc, bitwidth: width };
}
