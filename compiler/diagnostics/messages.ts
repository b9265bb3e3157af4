/**
 * The catalog of every user-facing message. Each entry has a stable code, a
 * category, the p4c "kind" printed as [--Werror=KIND], and a text with {0}, {1}
 * placeholders. Code ranges: 1000-1999 preprocessor, 2000-2999 parser,
 * 3000-4999 front end, 5000-5999 mid-end, 6000-6999 back ends, 9000+ driver.
 *
 * Add a message here and report it with `diags.report(Msg.X, span, args...)`.
 */
export type Category = "error" | "warning" | "info";

export interface MessageDef {
  readonly code: number;
  readonly category: Category;
  /** p4c's error kind, shown as [--Werror=kind] (errors) or [--Wwarn=kind] (warnings). */
  readonly kind: string;
  readonly text: string;
}

function m(code: number, category: Category, kind: string, text: string): MessageDef {
  return { code, category, kind, text };
}

export const Msg = {
  // --- preprocessor 1000-1999
  PP_IncludeNotFound: m(1000, "error", "not-found", "#include file {0} not found"),
  PP_Error: m(1001, "error", "unknown", "#error {0}"),
  PP_Warning: m(1002, "warning", "unknown", "#warning {0}"),
  PP_BadDirective: m(1003, "error", "invalid", "invalid preprocessor directive: {0}"),
  PP_UnterminatedIf: m(1004, "error", "invalid", "unterminated conditional directive"),
  PP_UnmatchedEndif: m(1005, "error", "invalid", "{0} without #if"),
  PP_BadExpression: m(1006, "error", "invalid", "invalid #if expression: {0}"),
  PP_MacroArgs: m(1007, "error", "invalid", "macro {0}: {1}"),
  PP_IncludeDepth: m(1008, "error", "overlimit", "#include nested too deeply: {0}"),
  PP_UnterminatedComment: m(1009, "error", "invalid", "unterminated comment"),

  // --- lexer and parser 2000-2999
  SyntaxError: m(2000, "error", "syntax", "syntax error, unexpected {0}"),
  SyntaxErrorExpected: m(2001, "error", "syntax", "syntax error, unexpected {0}, expecting {1}"),
  LexError: m(2002, "error", "syntax", "unexpected character {0}"),
  BadIntLiteral: m(2003, "error", "syntax", "invalid integer literal {0}: {1}"),
  UnterminatedString: m(2004, "error", "syntax", "unterminated string literal"),

  // --- driver 9000+
  NoOutputYet: m(9000, "info", "unknown", "{0}"),
  FileNotFound: m(9001, "error", "not-found", "{0}: file not found"),
} as const satisfies Record<string, MessageDef>;

export type MsgName = keyof typeof Msg;
