/**
 * Preprocessing tokens. A source file becomes a flat list of pp-tokens with
 * their original line and column; comments become whitespace, backslash-newline
 * splices lines. Newlines are kept as tokens because directives are line-based.
 */

export type PPKind = "id" | "num" | "str" | "char" | "punct" | "nl" | "other";

export interface PPToken {
  readonly kind: PPKind;
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Whitespace (or a comment) came before this token on its line. */
  readonly ws: boolean;
  /** Macro names that must not be expanded again in this token (the hide set). */
  readonly hide?: ReadonlySet<string>;
}

export interface TokenizeProblem {
  readonly message: "unterminated comment" | "unterminated string";
  readonly line: number;
  readonly col: number;
}

const isIdStart = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === "$";
const isIdChar = (c: string) => isIdStart(c) || (c >= "0" && c <= "9");
const isDigit = (c: string) => c >= "0" && c <= "9";

/** Multi-character punctuators the preprocessor itself must see as one token. */
const PUNCT2 = new Set(["##", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>"]);

const cache = new Map<string, { text: string; tokens: PPToken[]; problems: TokenizeProblem[] }>();

export function tokenize(file: string, text: string): { tokens: PPToken[]; problems: TokenizeProblem[] } {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit;
  const r = tokenizeUncached(file, text);
  cache.set(file, { text, ...r });
  return r;
}

function tokenizeUncached(file: string, src: string): { tokens: PPToken[]; problems: TokenizeProblem[] } {
  const tokens: PPToken[] = [];
  const problems: TokenizeProblem[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let ws = false;
  const n = src.length;
  const push = (kind: PPKind, start: number, end: number, l: number, c: number) => {
    tokens.push({ kind, text: src.slice(start, end), file, line: l, col: c, ws });
    ws = false;
  };
  while (i < n) {
    const c = src[i];
    // Backslash-newline: a line splice, not a line end.
    if (c === "\\" && (src[i + 1] === "\n" || (src[i + 1] === "\r" && src[i + 2] === "\n"))) {
      i += src[i + 1] === "\n" ? 2 : 3;
      line++;
      lineStart = i;
      continue;
    }
    if (c === "\n") {
      tokens.push({ kind: "nl", text: "\n", file, line, col: i - lineStart + 1, ws });
      ws = false;
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      ws = true;
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") {
        if (src[i] === "\\" && src[i + 1] === "\n") {
          line++;
          i += 2;
          lineStart = i;
          continue;
        }
        i++;
      }
      ws = true;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const sl = line, sc = i - lineStart + 1;
      i += 2;
      let closed = false;
      while (i < n) {
        if (src[i] === "*" && src[i + 1] === "/") {
          i += 2;
          closed = true;
          break;
        }
        if (src[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (!closed) problems.push({ message: "unterminated comment", line: sl, col: sc });
      ws = true;
      continue;
    }
    const col = i - lineStart + 1;
    const start = i;
    if (isIdStart(c)) {
      i++;
      while (i < n && isIdChar(src[i])) i++;
      push("id", start, i, line, col);
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(src[i + 1] ?? ""))) {
      // pp-number: digits, letters, '_', '.', and sign after e/E/p/P.
      i++;
      while (i < n) {
        const d = src[i];
        if (isIdChar(d) || d === ".") {
          // Stop before ".." (a P4 range operator) so `1..5` stays three tokens.
          if (d === "." && src[i + 1] === ".") break;
          i++;
        } else if ((d === "+" || d === "-") && /[eEpP]/.test(src[i - 1]) && !/^0[xX]/.test(src.slice(start, i))) i++;
        else break;
      }
      push("num", start, i, line, col);
      continue;
    }
    if (c === '"' || c === "'") {
      const strLine = line;
      // P4 has no char literals; a lone ' is passed through as punctuation.
      if (c === "'") {
        const m = /^'(\\.|[^'\\\n])'/.exec(src.slice(i, i + 8));
        if (!m) {
          i++;
          push("punct", start, i, line, col);
          continue;
        }
        i += m[0].length;
        push("char", start, i, line, col);
        continue;
      }
      // Strings may span lines (P4 allows it); backslash-newline inside one is a splice.
      i++;
      let closed = false;
      let text = '"';
      let from = i;
      while (i < n) {
        if (src[i] === "\\" && src[i + 1] === "\n") {
          text += src.slice(from, i);
          i += 2;
          line++;
          lineStart = i;
          from = i;
          continue;
        }
        if (src[i] === "\\" && i + 1 < n) {
          i += 2;
          continue;
        }
        if (src[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        if (src[i] === '"') {
          i++;
          closed = true;
          break;
        }
        i++;
      }
      text += src.slice(from, i);
      if (!closed) problems.push({ message: "unterminated string", line: strLine, col });
      tokens.push({ kind: "str", text, file, line: strLine, col, ws });
      ws = false;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      push("punct", start, i, line, col);
      continue;
    }
    i++;
    push(c.charCodeAt(0) < 128 ? "punct" : "other", start, i, line, col);
  }
  tokens.push({ kind: "nl", text: "\n", file, line, col: i - lineStart + 1, ws: false });
  return { tokens, problems };
}
