/**
 * Prints diagnostics in the reference compiler's shape:
 *
 *   file.p4(12): [--Werror=type-error] error: message
 *       source line
 *           ^^^^
 *
 * followed by each related location as `file.p4(LINE)` + source + caret.
 * The file is printed as its base name, as p4c does for the corpus outputs.
 */
import path from "node:path";
import type { SourceFiles, Span } from "../source.js";
import type { Diagnostic } from "./bag.js";

function location(span: Span): string {
  // p4c prints the line only; the caret line below shows the columns.
  return `${path.basename(span.file)}(${span.line})`;
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
