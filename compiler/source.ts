/**
 * Source positions. Every AST node and every diagnostic carries a Span that
 * points into an original file (before preprocessing): the preprocessor keeps
 * a map from its output back to the files it read.
 */

/** A range in one original source file. Lines and columns are 1-based; end is exclusive. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** Text of every file the compilation read, for printing source lines under diagnostics. */
export class SourceFiles {
  private readonly texts = new Map<string, string>();
  private readonly lines = new Map<string, string[]>();

  add(file: string, text: string): void {
    this.texts.set(file, text);
    this.lines.delete(file);
  }

  /** Every file read, in the order first read (the main file first). */
  names(): string[] {
    return [...this.texts.keys()];
  }

  text(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** The 1-based line `line` of `file`, without its terminator. */
  line(file: string, line: number): string | undefined {
    let ls = this.lines.get(file);
    if (!ls) {
      const t = this.texts.get(file);
      if (t === undefined) return undefined;
      ls = t.split(/\r?\n/);
      this.lines.set(file, ls);
    }
    return ls[line - 1];
  }
}

export function spanOf(file: string, line: number, col: number, endLine = line, endCol = col + 1): Span {
  return { file, line, col, endLine, endCol };
}

/** The span from the start of `a` to the end of `b` (same file assumed; falls back to `a`). */
export function joinSpans(a: Span, b: Span): Span {
  if (a.file !== b.file) return a;
  return { file: a.file, line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

export const noSpan: Span = { file: "<builtin>", line: 0, col: 0, endLine: 0, endCol: 0 };
