/**
 * Prints diagnostics in the reference compiler's shape:
 *
 *   file.p4(12): [--Werror=type-error] error: message
 *       source line
 *           ^^^^
 *
 * followed by each related location as `file.p4(LINE)` + source + caret.
 * The file is printed as the path the compilation was given (an included file
 * as the path it was found under), as p4c does, so that an editor started in
 * the same directory finds it.
 *
 * `formatDiagnosticsJson` prints the same diagnostics for tools: one JSON
 * object per line.
 */
import type { SourceFiles, Span } from "../source.js";
import type { Diagnostic } from "./bag.js";

function location(span: Span): string {
  // p4c prints the line only; the caret line below shows the columns.
  return `${span.file}(${span.line})`;
}

function snippet(span: Span, files: SourceFiles): string[] {
  const text = files.line(span.file, span.line);
  if (text === undefined) return [];
  const start = Math.max(1, span.col);
  const end = span.endLine === span.line ? Math.max(span.endCol, start + 1) : text.length + 1;
  const width = Math.max(1, Math.min(end, text.length + 1) - start);
  // Keep tabs in the caret line so it lines up under the source line.
  const pad = text.slice(0, start - 1).replace(/[^\t]/g, " ");
  return [text, pad + "^".repeat(width)];
}

export function formatDiagnostic(d: Diagnostic, files: SourceFiles): string {
  const flag = d.category === "warning" ? `[--Wwarn=${d.kind}] warning` : d.category === "error" ? `[--Werror=${d.kind}] error` : "info";
  const lines: string[] = [];
  lines.push(d.span ? `${location(d.span)}: ${flag}: ${d.message}` : `${flag}: ${d.message}`);
  if (d.span) lines.push(...snippet(d.span, files));
  for (const r of d.related) {
    lines.push(`${location(r.span)}${r.message ? `: ${r.message}` : ""}`);
    lines.push(...snippet(r.span, files));
  }
  return lines.join("\n");
}

export function formatDiagnostics(ds: readonly Diagnostic[], files: SourceFiles): string {
  return ds.map((d) => formatDiagnostic(d, files) + "\n").join("");
}

/** A location in the JSON format: 1-based line and column, `end` exclusive. */
export interface JsonLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly end: { readonly line: number; readonly column: number };
}

/** One diagnostic in the `--diagnostics-format json` shape. */
export interface JsonDiagnostic extends Partial<JsonLocation> {
  readonly code: number;
  readonly kind: string;
  readonly severity: "error" | "warning" | "info";
  readonly message: string;
  readonly related: readonly (JsonLocation & { readonly message?: string })[];
}

function jsonLocation(span: Span): JsonLocation {
  return { file: span.file, line: span.line, column: span.col, end: { line: span.endLine, column: span.endCol } };
}

export function diagnosticToJson(d: Diagnostic): JsonDiagnostic {
  return {
    code: d.code,
    kind: d.kind,
    severity: d.category,
    ...(d.span ? jsonLocation(d.span) : {}),
    message: d.message,
    related: d.related.map((r) => ({ ...jsonLocation(r.span), ...(r.message ? { message: r.message } : {}) })),
  };
}

/** JSON Lines: one object per diagnostic (see JsonDiagnostic), each on its own line. */
export function formatDiagnosticsJson(ds: readonly Diagnostic[]): string {
  return ds.map((d) => JSON.stringify(diagnosticToJson(d)) + "\n").join("");
}
