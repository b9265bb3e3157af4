/**
 * The preprocessor's output: the text for the P4 lexer and, for each token
 * in it, the original position it maps back to (PreprocessResult.locate).
 */
import type { PPToken } from "./tokenize.js";

export interface OriginalPos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface PreprocessResult {
  readonly text: string;
  locate(offset: number): OriginalPos;
  /** The includes answered from prebuilt snapshots (prebuilt.ts), in order: their text spans [start, end). */
  readonly prebuilt: readonly PrebuiltUse[];
}

export interface PrebuiltUse {
  /** Index of the snapshot in the set the preprocessor was given. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** Text written by the output since a mark, and the token positions in it (offsets relative to its start). */
export interface OutputSegment {
  readonly text: string;
  readonly offsets: readonly number[];
  readonly files: readonly string[];
  readonly lines: readonly number[];
  readonly cols: readonly number[];
}

export class Output {
  private readonly parts: string[] = [];
  private length = 0;
  private lastChar = "\n";
  /** Parallel arrays: output offset of a token and its original position. */
  readonly offsets: number[] = [];
  readonly files: string[] = [];
  readonly lines: number[] = [];
  readonly cols: number[] = [];

  private write(s: string) {
    if (s.length === 0) return;
    this.parts.push(s);
    this.length += s.length;
    this.lastChar = s[s.length - 1];
  }

  token(t: PPToken, at: { file: string; line: number; col: number }) {
    if (t.kind === "nl") {
      if (this.lastChar !== "\n") this.write("\n");
      return;
    }
    if (t.ws && this.lastChar !== " " && this.lastChar !== "\n") this.write(" ");
    this.offsets.push(this.length);
    this.files.push(at.file);
    this.lines.push(at.line);
    this.cols.push(at.col);
    this.write(t.text);
  }

  newline() {
    if (this.lastChar !== "\n") this.write("\n");
  }

  raw(text: string, at: PPToken) {
    this.newline();
    this.offsets.push(this.length);
    this.files.push(at.file);
    this.lines.push(at.line);
    this.cols.push(at.col);
    this.write(text);
    this.write("\n");
  }

  /** A mark for segment(): the text length and the number of tokens so far. */
  mark(): { readonly length: number; readonly tokens: number; readonly parts: number } {
    return { length: this.length, tokens: this.offsets.length, parts: this.parts.length };
  }

  segment(since: ReturnType<Output["mark"]>): OutputSegment {
    const { length, tokens, parts } = since;
    return {
      text: this.parts.slice(parts).join(""),
      offsets: this.offsets.slice(tokens).map((o) => o - length),
      files: this.files.slice(tokens),
      lines: this.lines.slice(tokens),
      cols: this.cols.slice(tokens),
    };
  }

  /** Writes a recorded segment as if its tokens were written one by one (the last character before it was a newline, as when it was recorded). */
  append(seg: OutputSegment): void {
    const base = this.length;
    for (let k = 0; k < seg.offsets.length; k++) {
      this.offsets.push(base + seg.offsets[k]);
      this.files.push(seg.files[k]);
      this.lines.push(seg.lines[k]);
      this.cols.push(seg.cols[k]);
    }
    this.write(seg.text);
  }

  get size(): number {
    return this.length;
  }

  result(fallback: OriginalPos, prebuilt: readonly PrebuiltUse[]): PreprocessResult {
    const text = this.parts.join("");
    const { offsets, files, lines, cols } = this;
    return {
      text,
      prebuilt,
      locate(offset: number): OriginalPos {
        let lo = 0, hi = offsets.length - 1, k = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (offsets[mid] <= offset) {
            k = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        if (k < 0) return fallback;
        // Offsets past a token's end (in the following whitespace) still map onto its line.
        return { file: files[k], line: lines[k], col: cols[k] + (offset - offsets[k]) };
      },
    };
  }
}

