/**
 * P4-16 tokens and the lexer (chevrotain), built once at module scope.
 *
 * `>>` is never one token: a shift is two adjacent `>` tokens, so that nested
 * type arguments such as `T<bit<8>>` close correctly (the parser checks
 * adjacency). Identifiers are all `Identifier` here; the parser decides which
 * ones are type names from the declarations it has seen (P4 needs that).
 */
import type { TokenType, IToken } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { createToken, Lexer } = chevrotain;

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

const keywordNames = [
  "abstract", "action", "actions", "apply", "bool", "bit", "break", "const", "continue", "control",
  "default", "else", "entries", "enum", "error", "exit", "extern", "false", "for", "header",
  "header_union", "if", "in", "inout", "int", "key", "list", "match_kind", "out", "package", "parser",
  "priority", "return", "select", "state", "string", "struct", "switch", "table", "this", "transition",
  "true", "tuple", "type", "typedef", "value_set", "varbit", "void",
] as const;
export type Keyword = (typeof keywordNames)[number];

export const keywords = new Map<string, TokenType>();
for (const k of keywordNames) {
  keywords.set(k, createToken({ name: `KW_${k}`, pattern: new RegExp(`${k}\\b`), longer_alt: Identifier }));
}
export const DontCare = createToken({ name: "DontCare", pattern: /_(?![A-Za-z0-9_])/ });

export const Integer = createToken({
  name: "Integer",
  pattern:
    /(?:[0-9][0-9_]*[ws])?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[dD][0-9_]+|[0-9][0-9_]*)(?![A-Za-z0-9_])/,
});
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /"(?:[^"\\]|\\[\s\S])*"/, line_breaks: true });

const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });
const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
/** `#pragma ...` and other lines the preprocessor passes through. */
const HashLine = createToken({ name: "HashLine", pattern: /#[^\n]*/, group: Lexer.SKIPPED });

/** Punctuation, longest first. The token name is its spelling. */
const punctSpellings = [
  "{#}", "...", "|+|=", "|-|=", "<<=", ">>=", "&&&",
  "|+|", "|-|", "&&", "||", "==", "!=", "<=", ">=", "<<", "++", "..",
  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
  "<", ">", "=", "!", "~", "+", "-", "*", "/", "%", "&", "|", "^",
  "?", ":", ";", ",", ".", "@", "(", ")", "[", "]", "{", "}",
];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const punct = new Map<string, TokenType>();
for (const p of punctSpellings) punct.set(p, createToken({ name: p, pattern: new RegExp(escape(p)) }));

/** Any other character: an error outside annotation bodies, which may hold arbitrary tokens. */
export const Unexpected = createToken({ name: "Unexpected", pattern: /['`$\\\u0080-\uffff]/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  HashLine,
  StringLiteral,
  Integer,
  DontCare,
  ...keywords.values(),
  Identifier,
  ...punct.values(),
  Unexpected,
];

export const p4Lexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
  skipValidations: process.env.P4TS_VALIDATE_GRAMMAR !== "1",
});

export type Token = IToken;
