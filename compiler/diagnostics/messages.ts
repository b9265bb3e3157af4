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

  // --- mid-end 5000-5999 (PNA -> P4TC pipeline model)
  Mid_NoMain: m(5000, "error", "not-found", "no 'main' package instance: a P4TC program ends with 'PNA_NIC(parser, control, deparser) main;'"),
  Mid_MainNotPnaNic: m(5001, "error", "unsupported", "main is an instance of {0}: the P4TC target only supports the PNA_NIC package"),
  Mid_MainArgument: m(5002, "error", "unsupported", "{0}: argument '{1}' of PNA_NIC must instantiate a {2} declared in the program"),
  Mid_UnsafeName: m(5003, "error", "invalid", "@name(\"{0}\") cannot be used by P4TC: names must be P4 identifiers joined with '.' or '/'"),
  Mid_TcTypeInvalid: m(5004, "error", "invalid", "tc_type annotation cannot have '{0}' as value"),
  Mid_TcTypeWidth: m(5005, "error", "invalid", "tc_type '{0}' describes a {1}-bit value, but {2} has {3} bits"),
  Mid_ActionParamType: m(5006, "error", "unsupported", "action parameter '{0}' has type {1}: P4TC control-plane parameters must be bit<W> (or a type over one)"),
  Mid_KeyUnsupported: m(5007, "error", "unsupported", "table key '{0}' is not supported by P4TC: {1}"),
  Mid_KeylessTable: m(5008, "error", "unsupported", "table '{0}' has no key: P4TC tables need at least one key field"),
  Mid_TableOnlyDefaultOnly: m(5009, "error", "invalid", "Table '{0}' has an action reference '{1}' which is annotated with both '@tableonly' and '@defaultonly'"),
  Mid_DefaultHitRepeated: m(5010, "error", "invalid", "Table '{0}' can have only one '@{1}' action"),
  Mid_DefaultHitAndConst: m(5011, "error", "invalid", "Table '{0}' cannot have both '@default_hit' action and '@default_hit_const' action"),
  Mid_ActionRefAnnotations: m(5012, "error", "invalid", "Table '{0}' has an action reference '{1}' which is annotated with {2}"),
  Mid_MayOverrideWithoutParams: m(5013, "warning", "invalid", "@tc_may_override annotation cannot be used with default_action without parameters"),
  Mid_MayOverrideWithoutDefaultHit: m(5014, "warning", "invalid", "Table '{0}' has an action reference '{1}' which is annotated with '@tc_may_override' without '@default_hit' or '@default_hit_const'"),
  Mid_NumMaskInvalid: m(5015, "error", "invalid", "nummask annotation cannot have '{0}' as value. Only integer constants are allowed"),
  Mid_NumMaskRange: m(5016, "error", "invalid", "nummask annotation value {0} is out of range: P4TC tables hold 1 to 1024 masks"),
  Mid_AclInvalid: m(5017, "error", "invalid", "tc_acl annotation '{0}' is invalid: permissions are written 'CONTROL:DATA' with the letters CRUDXPS"),
  Mid_AddOnMissNoCreate: m(5018, "warning", "invalid", "Add on miss table '{0}' should have 'create' access permissons for data path."),
  Mid_AddEntryWithoutAddOnMiss: m(5019, "warning", "missing", "add_entry extern can only be used in an action of a table with property add_on_miss equals to true."),
  Mid_AddEntryNotInDefault: m(5020, "error", "unexpected", "add_entry extern can only be applied in default action of the table."),
  Mid_AddEntryNotHitAction: m(5021, "error", "unexpected", "add_entry extern can only be applied for one of the hit action of table {0}. {1} is not hit action of table."),
  Mid_AddEntryParamCount: m(5022, "error", "unexpected", "Action params in add_entry should be same as no of action parameters. {0}"),
  Mid_AddEntryActionName: m(5023, "error", "unexpected", "add_entry: action_name must be a string literal naming an action of the table"),
  Mid_DirectCounterNotOwned: m(5024, "error", "not-found", "{0}: Table {1} does not own {2} named {3}"),
  Mid_DirectExternWrongType: m(5025, "error", "unexpected", "{0}: not a {1}, see declaration of {2}"),
  Mid_DirectExternNotInstance: m(5026, "error", "unexpected", "{0}: the {1} property must name a {2} instance declared in the same control"),
  Mid_MeterResultUnused: m(5027, "warning", "unused", "This Meter ({0}) return value is not used!"),
  Mid_ExternNestedInControl: m(5028, "error", "unexpected", "Unexpected block {0} nested within control"),
  Mid_TableSizeInvalid: m(5029, "error", "invalid", "table '{0}': size must be a positive integer constant (at most 33554432)"),
  Mid_NotConstant: m(5030, "error", "unsupported", "{0} must be a compile-time constant for the P4TC control plane"),
  Mid_Unsupported: m(5031, "error", "unsupported", "{0} is not supported by the P4TC target"),
  Mid_NameTooLong: m(5032, "error", "overlimit", "P4TC name '{0}' is {1} bytes long: the kernel allows at most 31"),
  Mid_PipelineName: m(5033, "error", "invalid", "pipeline name '{0}' (the file name's stem) must be letters, digits, '_' and '-', under 32 bytes"),
  Mid_DirectExternShared: m(5034, "error", "unexpected", "{0} {1} is bound to more than one table ({2} and {3})"),
  Mid_DirectExternUnbound: m(5035, "error", "unexpected", "{0}: {1} {2} is not bound to any table (add 'pna_{3} = {2};' to the table that uses it)"),
  Mid_TooManyTables: m(5036, "error", "overlimit", "the program has {0} tables: a P4TC pipeline holds at most 32"),
  Mid_ActionParamLimit: m(5037, "error", "overlimit", "action '{0}' has {1} control-plane parameters: P4TC allows at most 16"),
  Mid_KeyTooWide: m(5038, "error", "overlimit", "table '{0}' has a {1}-bit key: P4TC keys are at most 512 bits"),
  Mid_EntryUnsupported: m(5039, "error", "unsupported", "entry key '{0}' of table '{1}' is not supported: {2}"),
  Mid_DefaultActionUnknown: m(5040, "error", "not-found", "default action of table '{0}' is not one of its actions"),
  Mid_UnknownAction: m(5041, "error", "not-found", "{0}: no such action"),

  // --- driver 9000+
  NoOutputYet: m(9000, "info", "unknown", "{0}"),
  FileNotFound: m(9001, "error", "not-found", "{0}: file not found"),
} as const satisfies Record<string, MessageDef>;

export type MsgName = keyof typeof Msg;
