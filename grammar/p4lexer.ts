/**
 * P4-16 tokens and the lexer: a hand-written scanner over char codes, with no
 * set-up cost at start-up (it replaced a chevrotain lexer whose construction
 * was a tenth of the CLI's start; test/unit/grammar/lexer.test.ts checks it
 * token for token against that chevrotain definition).
 *
 * At each offset the first rule that matches wins, in this order: white space,
 * `//` and `/* *\/` comments, `#` lines (what the preprocessor passes through),
 * string literals, integers, `_`, keywords and identifiers (a keyword is an
 * identifier whose whole text is a keyword), punctuation (longest first), and
 * the characters that are only legal inside annotation bodies (`Unexpected`).
 * A run of characters where nothing matches is one lexical error.
 *
 * `>>` is never one token: a shift is two adjacent `>` tokens, so that nested
 * type arguments such as `T<bit<8>>` close correctly (the parser checks
 * adjacency). Identifiers are all `Identifier` here; the parser decides which
 * ones are type names from the declarations it has seen (P4 needs that).
 */

export interface TokenType {
  readonly name: string;
}

export interface Token {
  readonly image: string;
  readonly startOffset: number;
  /** Offset of the last character (inclusive). */
  readonly endOffset: number;
  /** 1-based line in the lexed text. */
  readonly startLine: number;
  readonly tokenType: TokenType;
}

export interface LexError {
  readonly offset: number;
  readonly length: number;
}

export interface Lexed {
  readonly tokens: Token[];
  readonly errors: LexError[];
}

const tokenType = (name: string): TokenType => ({ name });

export const Identifier = tokenType("Identifier");
export const Integer = tokenType("Integer");
export const StringLiteral = tokenType("StringLiteral");
export const DontCare = tokenType("DontCare");
/** Any other character: an error outside annotation bodies, which may hold arbitrary tokens. */
export const Unexpected = tokenType("Unexpected");

export const keywordNames = [
  "abstract", "action", "actions", "apply", "bool", "bit", "break", "const", "continue", "control",
  "default", "else", "entries", "enum", "error", "exit", "extern", "false", "for", "header",
  "header_union", "if", "in", "inout", "int", "key", "list", "match_kind", "out", "package", "parser",
  "priority", "return", "select", "state", "string", "struct", "switch", "table", "this", "transition",
  "true", "tuple", "type", "typedef", "value_set", "varbit", "void",
] as const;
export type Keyword = (typeof keywordNames)[number];

export const keywords = new Map<string, TokenType>(keywordNames.map((k) => [k, tokenType(`KW_${k}`)]));

/** Punctuation, longest first. The token name is its spelling. */
export const punctSpellings = [
  "{#}", "...", "|+|=", "|-|=", "<<=", ">>=", "&&&",
  "|+|", "|-|", "&&", "||", "==", "!=", "<=", ">=", "<<", "++", "..",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "<", ">", "=", "!", "~", "+", "-", "*", "/", "%", "&", "|", "^",
  "?", ":", ";", ",", ".", "@", "(", ")", "[", "]", "{", "}",
];
export const punct = new Map<string, TokenType>(punctSpellings.map((p) => [p, tokenType(p)]));
/** The punctuation by first character, longest first. */
const punctByFirst = new Map<number, [string, TokenType][]>();
for (const [p, t] of punct) {
  const c = p.charCodeAt(0);
  if (!punctByFirst.has(c)) punctByFirst.set(c, []);
  punctByFirst.get(c)!.push([p, t]);
}

/** [0-9]ws? followed by a based or decimal literal, not followed by a word character. */
const integerPattern = /(?:[0-9][0-9_]*[ws])?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[dD][0-9_]+|[0-9][0-9_]*)(?![A-Za-z0-9_])/y;

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

type Kind = "skip" | TokenType;
interface Match {
  kind: Kind;
  end: number;
}

/** The rule that matches at `i`, or undefined. */
function matchAt(text: string, i: number): Match | undefined {
  const n = text.length;
  const c = text.charCodeAt(i);
  if (isSpace(c)) {
    let j = i + 1;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    return { kind: "skip", end: j };
  }
  if (c === 47 /* / */) {
    const d = text.charCodeAt(i + 1);
    if (d === 47) {
      const nl = text.indexOf("\n", i + 2);
      return { kind: "skip", end: nl < 0 ? n : nl };
    }
    if (d === 42 /* * */) {
      const close = text.indexOf("*/", i + 2);
      if (close >= 0) return { kind: "skip", end: close + 2 };
    }
  } else if (c === 35 /* # */) {
    const nl = text.indexOf("\n", i + 1);
    return { kind: "skip", end: nl < 0 ? n : nl };
  } else if (c === 34 /* " */) {
    for (let j = i + 1; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === 34) return { kind: StringLiteral, end: j + 1 };
      if (d === 92 /* \ */) j++;
    }
    return undefined;
  } else if (c >= 48 && c <= 57) {
    integerPattern.lastIndex = i;
    return integerPattern.test(text) ? { kind: Integer, end: integerPattern.lastIndex } : undefined;
  }
  if (isWordChar(c)) {
    let j = i + 1;
    while (j < n && isWordChar(text.charCodeAt(j))) j++;
    if (c === 95 && j === i + 1) return { kind: DontCare, end: j };
    return { kind: keywords.get(text.slice(i, j)) ?? Identifier, end: j };
  }
  for (const [p, t] of punctByFirst.get(c) ?? []) if (text.startsWith(p, i)) return { kind: t, end: i + p.length };
  if (c === 39 || c === 96 || c === 36 || c === 92 || c >= 0x80) return { kind: Unexpected, end: i + 1 };
  return undefined;
}

/** Line terminators in text[from, to): \n, \r\n and a lone \r each count once. */
function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c === 10) lines++;
    else if (c === 13) {
      lines++;
      if (text.charCodeAt(j + 1) === 10 && j + 1 < to) j++;
    }
  }
  return lines;
}

function tokenize(text: string): Lexed {
  const tokens: Token[] = [];
  const errors: LexError[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const m = matchAt(text, i);
    if (!m) {
      const start = i;
      do i++;
      while (i < text.length && !matchAt(text, i));
      errors.push({ offset: start, length: i - start });
      continue;
    }
    if (m.kind !== "skip") tokens.push({ image: text.slice(i, m.end), startOffset: i, endOffset: m.end - 1, startLine: line, tokenType: m.kind });
    // Only white space, block comments and strings can span lines.
    const c = text.charCodeAt(i);
    if (m.kind === StringLiteral || (m.kind === "skip" && c !== 35 && !(c === 47 && text.charCodeAt(i + 1) === 47))) line += countLines(text, i, m.end);
    i = m.end;
  }
  return { tokens, errors };
}

export const p4Lexer = { tokenize };
