/**
 * P4TC types of control-plane values (action parameters, key fields, extern
 * control-path fields): `bitW` from the P4 width, or the `@tc_type` value.
 */
import type * as A from "../ast/nodes.js";
import { Msg, type DiagnosticBag } from "../diagnostics/index.js";
import { bitType, isP4tcNamedType, P4TC_NAMED_TYPE_WIDTH, type P4tcType } from "../ir/pipeline.js";
import { findAnnotation, annotationString, annotationArgSpan, annotationArgText } from "./annotations.js";
import { underlying, widthOf, typeToString, type RType } from "./env.js";

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

/**
 * The P4TC type and width of a control-plane value of P4 type `t`, named
 * `what` for messages. Only bit<W> (possibly behind typedefs and new types)
 * is accepted; `bool` counts as bit<1> only where `allowBool`.
 */
export function p4tcTypeOf(
  diags: DiagnosticBag,
  annotations: readonly A.Annotation[],
  t: RType,
  what: string,
  span: A.Node["span"],
  opts: { allowBool?: boolean; reportType?: (t: RType) => void } = {},
): { type: P4tcType; bitwidth: number } | null {
  const tc = tcTypeAnnotation(diags, annotations);
  if (tc === undefined) return null;
  const u = underlying(t);
  let width: number | null = null;
  if (u.kind === "bits" && !u.signed) width = u.width;
  else if (u.kind === "bool" && opts.allowBool) width = 1;
  else if (u.kind === "enum" && u.underlying) width = widthOf(u.underlying);
  if (width === null) {
    if (opts.reportType) opts.reportType(t);
    else diags.report(Msg.Mid_ActionParamType, span, what, typeToString(t));
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
