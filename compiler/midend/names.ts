/**
 * Kernel names: how P4 declarations are named in the template and the JSON,
 * and the checks that keep them safe to print unquoted in a shell script.
 */
import type * as A from "../ast/nodes.js";
import { isShellSafeName } from "../ir/pipeline.js";
import { findAnnotation, annotationString, annotationArgSpan } from "./annotations.js";

/** The `@name("...")` of a declaration, or null. */
export function nameAnnotation(annotations: readonly A.Annotation[]): { value: string; annotation: A.Annotation } | null {
  const a = findAnnotation(annotations, "name");
  if (!a) return null;
  const value = annotationString(a);
  return value === null ? null : { value, annotation: a };
}

/** True when a `@name` value may reach the shell: P4 identifiers joined with `.` or `/`, optionally with a leading `.`. */
export function isSafeNameAnnotation(value: string): boolean {
  return isShellSafeName(value.startsWith(".") ? value.slice(1) : value);
}

export { annotationArgSpan };

/** Byte length of a kernel name (the kernel's name fields are 32 bytes with the terminating NUL). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s);
}
