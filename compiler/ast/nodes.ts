/**
 * The P4-16 abstract syntax tree: one node kind per construct, each a plain
 * object `{ kind, span, ... }` in a discriminated union. The tree holds syntax
 * only; resolved names, types and constant values live in side tables keyed by
 * node (see compiler/frontend).
 *
 * Conventions:
 * - `span` always points into an original source file (after preprocessing).
 * - Identifiers are `Name` nodes so every use of a name has its own span.
 * - Lists are readonly arrays, never undefined (empty when absent).
 * - Optional parts are `null` when absent (never undefined), so printers and
 *   passes cannot forget them silently.
 */
import type { Span } from "../source.js";

export interface NodeBase<K extends string> {
  readonly kind: K;
  readonly span: Span;
}

// ---------------------------------------------------------------------------
// Names and annotations

/** An identifier occurrence. */
export interface Name extends NodeBase<"Name"> {
  readonly text: string;
}

/** A raw token inside an unstructured annotation body `@a(tokens)`. */
export interface AnnotationToken {
  readonly text: string;
  readonly span: Span;
  /** Token class: "string" literals keep their quotes in `text`. */
  readonly tokenKind: "string" | "integer" | "identifier" | "punct" | "keyword";
}

export interface KeyValue extends NodeBase<"KeyValue"> {
  readonly key: Name;
  readonly value: Expression;
}

/**
 * `@name`, `@name(token...)` (unstructured) or `@name[expr, ...]` / `@name[k=v, ...]` (structured).
 * For unstructured bodies, `tokens` holds the raw tokens (nested parentheses included),
 * and `exprs` holds the body parsed as an expression list when that parse succeeds
 * (e.g. `@name("x")`, `@tc_type("macaddr")`, `@priority(3)`), else null.
 */
export interface Annotation extends NodeBase<"Annotation"> {
  readonly name: Name;
  readonly body:
    | { readonly form: "empty" }
    | { readonly form: "unstructured"; readonly tokens: readonly AnnotationToken[]; readonly exprs: readonly Expression[] | null }
    | { readonly form: "expressions"; readonly exprs: readonly Expression[] }
    | { readonly form: "kv"; readonly pairs: readonly KeyValue[] };
}

// ---------------------------------------------------------------------------
// Types (as written in the source)

export interface TypeBool extends NodeBase<"TypeBool"> {}
export interface TypeError extends NodeBase<"TypeError"> {}
export interface TypeMatchKind extends NodeBase<"TypeMatchKind"> {}
export interface TypeString extends NodeBase<"TypeString"> {}
export interface TypeVoid extends NodeBase<"TypeVoid"> {}
/** `_` as a type argument. */
export interface TypeDontCare extends NodeBase<"TypeDontCare"> {}
/**
 * `bit`, `bit<W>`, `int<W>` and `int` (arbitrary precision: `signed` with `width` null
 * and `infinite` true). `bit` without a width is `bit<1>` (width null, infinite false).
 * `widthParenthesized` records `bit<(expr)>` for printing.
 */
export interface TypeBits extends NodeBase<"TypeBits"> {
  readonly signed: boolean;
  readonly width: Expression | null;
  readonly infinite: boolean;
  readonly widthParenthesized: boolean;
}
export interface TypeVarbit extends NodeBase<"TypeVarbit"> {
  readonly width: Expression;
  readonly widthParenthesized: boolean;
}
/** A named type: `T` or `.T` (top-level). */
export interface TypeName extends NodeBase<"TypeName"> {
  readonly name: Name;
  readonly topLevel: boolean;
}
/** `T<A, B>` */
export interface TypeSpecialized extends NodeBase<"TypeSpecialized"> {
  readonly base: TypeName;
  readonly args: readonly TypeRef[];
}
/** `T[size]` (header stack or array) */
export interface TypeStack extends NodeBase<"TypeStack"> {
  readonly element: TypeRef;
  readonly size: Expression;
}
export interface TypeTuple extends NodeBase<"TypeTuple"> {
  readonly elements: readonly TypeRef[];
}
/** `list<T>` */
export interface TypeList extends NodeBase<"TypeList"> {
  readonly element: TypeRef;
}

export type TypeRef =
  | TypeBool
  | TypeError
  | TypeMatchKind
  | TypeString
  | TypeVoid
  | TypeDontCare
  | TypeBits
  | TypeVarbit
  | TypeName
  | TypeSpecialized
  | TypeStack
  | TypeTuple
  | TypeList;

// ---------------------------------------------------------------------------
// Expressions

/**
 * An integer literal. `value` is the exact value (negative only via unary minus,
 * except signed literals like `4s-1`... which the lexer does not produce: `4s1`
 * preceded by `-` is a Negation). `width` is set for `8w5`/`8s5`, `signed` for `s`.
 * `text` is the source spelling, kept for printing.
 */
export interface IntLiteral extends NodeBase<"IntLiteral"> {
  readonly value: bigint;
  readonly width: number | null;
  readonly signed: boolean;
  readonly base: 2 | 8 | 10 | 16;
  readonly text: string;
}
export interface BoolLiteral extends NodeBase<"BoolLiteral"> {
  readonly value: boolean;
}
export interface StringLiteral extends NodeBase<"StringLiteral"> {
  /** The value with escapes resolved. */
  readonly value: string;
  /** The spelling between the quotes, for printing. */
  readonly raw: string;
}
/** A name used as an expression: `x` or `.x` (top-level). */
export interface PathExpression extends NodeBase<"PathExpression"> {
  readonly name: Name;
  readonly topLevel: boolean;
}
/** `this` */
export interface ThisExpression extends NodeBase<"ThisExpression"> {}
/** `...` in a list expression or argument */
export interface DotsExpression extends NodeBase<"DotsExpression"> {}
/** `_` as an argument or keyset */
export interface DontCareExpression extends NodeBase<"DontCareExpression"> {}
/** `default` in a keyset */
export interface DefaultExpression extends NodeBase<"DefaultExpression"> {}

/** `e.member`; also `T.member` where `T` is a type (enum member, `error.x`), see `TypeMemberExpression`. */
export interface MemberExpression extends NodeBase<"MemberExpression"> {
  readonly expr: Expression;
  readonly member: Name;
}
/** `T.member` with a type on the left (`E.A`, `error.NoError`, `.T.x`). */
export interface TypeMemberExpression extends NodeBase<"TypeMemberExpression"> {
  readonly type: TypeName | TypeError;
  readonly member: Name;
}
export interface IndexExpression extends NodeBase<"IndexExpression"> {
  readonly expr: Expression;
  readonly index: Expression;
}
/** `e[hi:lo]` */
export interface SliceExpression extends NodeBase<"SliceExpression"> {
  readonly expr: Expression;
  readonly hi: Expression;
  readonly lo: Expression;
}
/** `e[base +: width]` */
export interface PlusSliceExpression extends NodeBase<"PlusSliceExpression"> {
  readonly expr: Expression;
  readonly base: Expression;
  readonly width: Expression;
}

export type UnaryOp = "!" | "~" | "-" | "+";
export interface UnaryExpression extends NodeBase<"UnaryExpression"> {
  readonly op: UnaryOp;
  readonly operand: Expression;
}

export type BinaryOp =
  | "*" | "/" | "%"
  | "+" | "-" | "|+|" | "|-|" | "++"
  | "<<" | ">>"
  | "<=" | ">=" | "<" | ">"
  | "==" | "!="
  | "&" | "^" | "|"
  | "&&" | "||"
  // keyset operators, only valid in select cases and table entries:
  | "&&&" | "..";
export interface BinaryExpression extends NodeBase<"BinaryExpression"> {
  readonly op: BinaryOp;
  readonly left: Expression;
  readonly right: Expression;
}
export interface ConditionalExpression extends NodeBase<"ConditionalExpression"> {
  readonly cond: Expression;
  readonly then: Expression;
  readonly else: Expression;
}
/** `(T) e` */
export interface CastExpression extends NodeBase<"CastExpression"> {
  readonly type: TypeRef;
  readonly expr: Expression;
}

/** A call argument: positional (`name` null) or named `name = value`; value may be `_`. */
export interface Argument extends NodeBase<"Argument"> {
  readonly name: Name | null;
  readonly value: Expression;
}
/** `f(args)` or `f<T>(args)`; `callee` is any expression (`t.apply`, `pkt.extract`, ...). */
export interface CallExpression extends NodeBase<"CallExpression"> {
  readonly callee: Expression;
  readonly typeArgs: readonly TypeRef[];
  readonly args: readonly Argument[];
}
/** `T(args)` where T is a type: constructor call, e.g. `Counter<bit<32>>(1024)` as an argument. */
export interface ConstructorCallExpression extends NodeBase<"ConstructorCallExpression"> {
  readonly type: TypeName | TypeSpecialized;
  readonly args: readonly Argument[];
}
/** `{ a, b }` (also a tuple keyset `(a, b)` in select cases: see SelectCase) */
export interface ListExpression extends NodeBase<"ListExpression"> {
  readonly elements: readonly Expression[];
}
/** `{ a = 1, b = 2 }`, optionally with a trailing `...` */
export interface StructExpression extends NodeBase<"StructExpression"> {
  readonly fields: readonly KeyValue[];
  readonly dots: boolean;
}
/** `{#}`: the invalid header / header union. */
export interface InvalidExpression extends NodeBase<"InvalidExpression"> {}
/** `select (e1, e2) { cases }` */
export interface SelectExpression extends NodeBase<"SelectExpression"> {
  readonly selectors: readonly Expression[];
  readonly cases: readonly SelectCase[];
}
/** A `(a, b)` keyset tuple inside a select case or table entry. */
export interface TupleKeysetExpression extends NodeBase<"TupleKeysetExpression"> {
  readonly elements: readonly Expression[];
}

export type Expression =
  | IntLiteral
  | BoolLiteral
  | StringLiteral
  | PathExpression
  | ThisExpression
  | DotsExpression
  | DontCareExpression
  | DefaultExpression
  | MemberExpression
  | TypeMemberExpression
  | IndexExpression
  | SliceExpression
  | PlusSliceExpression
  | UnaryExpression
  | BinaryExpression
  | ConditionalExpression
  | CastExpression
  | CallExpression
  | ConstructorCallExpression
  | ListExpression
  | StructExpression
  | InvalidExpression
  | SelectExpression
  | TupleKeysetExpression;

// ---------------------------------------------------------------------------
// Parser states and select

export interface SelectCase extends NodeBase<"SelectCase"> {
  /** A keyset: an expression, `default`, `_`, `a &&& m`, `a .. b`, a value-set name, or a TupleKeysetExpression. */
  readonly keyset: Expression;
  readonly state: Name;
}

/** `transition s;` or `transition select(...) {...};` */
export interface TransitionStatement extends NodeBase<"TransitionStatement"> {
  readonly target: PathExpression | SelectExpression;
}

export interface ParserState extends NodeBase<"ParserState"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly body: readonly StatementOrDeclaration[];
  /** Null for a state without a transition (implicit `transition reject`). */
  readonly transition: TransitionStatement | null;
}

// ---------------------------------------------------------------------------
// Statements

export type AssignOp = "=" | "*=" | "/=" | "%=" | "+=" | "-=" | "|+|=" | "|-|=" | "<<=" | ">>=" | "&=" | "|=" | "^=";

export interface AssignmentStatement extends NodeBase<"AssignmentStatement"> {
  readonly op: AssignOp;
  readonly left: Expression;
  readonly right: Expression;
}
/** A call used as a statement (method, function, action, extern, `t.apply()`, `C.apply()` direct application). */
export interface MethodCallStatement extends NodeBase<"MethodCallStatement"> {
  readonly call: CallExpression;
}
/** `T.apply(args);` or `T<A>.apply(args);` on a parser/control type. */
export interface DirectApplicationStatement extends NodeBase<"DirectApplicationStatement"> {
  readonly type: TypeName | TypeSpecialized;
  readonly args: readonly Argument[];
}
export interface EmptyStatement extends NodeBase<"EmptyStatement"> {}
export interface BlockStatement extends NodeBase<"BlockStatement"> {
  readonly annotations: readonly Annotation[];
  readonly body: readonly StatementOrDeclaration[];
}
export interface ReturnStatement extends NodeBase<"ReturnStatement"> {
  readonly value: Expression | null;
}
export interface ExitStatement extends NodeBase<"ExitStatement"> {}
export interface BreakStatement extends NodeBase<"BreakStatement"> {}
export interface ContinueStatement extends NodeBase<"ContinueStatement"> {}
export interface IfStatement extends NodeBase<"IfStatement"> {
  readonly cond: Expression;
  readonly then: Statement;
  readonly else: Statement | null;
}
export interface SwitchCase extends NodeBase<"SwitchCase"> {
  /** A label expression, or DefaultExpression for `default`. */
  readonly label: Expression;
  /** Null for a fall-through label `a:`. */
  readonly body: BlockStatement | null;
}
export interface SwitchStatement extends NodeBase<"SwitchStatement"> {
  readonly expr: Expression;
  readonly cases: readonly SwitchCase[];
}
/** `for (init; cond; update) body` */
export interface ForStatement extends NodeBase<"ForStatement"> {
  readonly annotations: readonly Annotation[];
  readonly init: readonly (VariableDeclaration | AssignmentStatement | MethodCallStatement)[];
  readonly cond: Expression;
  readonly update: readonly (AssignmentStatement | MethodCallStatement)[];
  readonly body: Statement;
}
/** `for (T x in collection) body`; a range `a .. b` is a BinaryExpression with op "..". */
export interface ForInStatement extends NodeBase<"ForInStatement"> {
  readonly annotations: readonly Annotation[];
  readonly varAnnotations: readonly Annotation[];
  readonly varType: TypeRef;
  readonly varName: Name;
  readonly collection: Expression;
  readonly body: Statement;
}

export type Statement =
  | AssignmentStatement
  | MethodCallStatement
  | DirectApplicationStatement
  | EmptyStatement
  | BlockStatement
  | ReturnStatement
  | ExitStatement
  | BreakStatement
  | ContinueStatement
  | IfStatement
  | SwitchStatement
  | ForStatement
  | ForInStatement
  | TransitionStatement;

export type StatementOrDeclaration = Statement | VariableDeclaration | ConstantDeclaration | Instantiation;

// ---------------------------------------------------------------------------
// Parameters and declarations

export type Direction = "in" | "out" | "inout" | null;

export interface Parameter extends NodeBase<"Parameter"> {
  readonly annotations: readonly Annotation[];
  readonly direction: Direction;
  readonly type: TypeRef;
  readonly name: Name;
  readonly defaultValue: Expression | null;
}

export interface StructField extends NodeBase<"StructField"> {
  readonly annotations: readonly Annotation[];
  readonly type: TypeRef;
  readonly name: Name;
}

export interface ConstantDeclaration extends NodeBase<"ConstantDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly type: TypeRef;
  readonly name: Name;
  readonly value: Expression;
}
export interface VariableDeclaration extends NodeBase<"VariableDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly type: TypeRef;
  readonly name: Name;
  readonly init: Expression | null;
}
/** `T(args) name;` or `T(args) name = { objDeclarations };` */
export interface Instantiation extends NodeBase<"Instantiation"> {
  readonly annotations: readonly Annotation[];
  readonly type: TypeRef;
  readonly args: readonly Argument[];
  readonly name: Name;
  /** Present for `= { ... }` abstract-method initializers. */
  readonly initializer: readonly (FunctionDeclaration | Instantiation)[] | null;
}

export interface HeaderDeclaration extends NodeBase<"HeaderDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly fields: readonly StructField[];
}
export interface HeaderUnionDeclaration extends NodeBase<"HeaderUnionDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly fields: readonly StructField[];
}
export interface StructDeclaration extends NodeBase<"StructDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly fields: readonly StructField[];
}
export interface EnumMember extends NodeBase<"EnumMember"> {
  readonly name: Name;
  /** Set for serializable enums (`enum bit<8> E { A = 1 }`). */
  readonly value: Expression | null;
}
export interface EnumDeclaration extends NodeBase<"EnumDeclaration"> {
  readonly annotations: readonly Annotation[];
  /** The representation type for serializable enums, else null. */
  readonly underlying: TypeRef | null;
  readonly name: Name;
  readonly members: readonly EnumMember[];
}
/** `error { A, B }` (adds members to the error type) */
export interface ErrorDeclaration extends NodeBase<"ErrorDeclaration"> {
  readonly members: readonly Name[];
}
export interface MatchKindDeclaration extends NodeBase<"MatchKindDeclaration"> {
  readonly members: readonly Name[];
}
/** `typedef T N;` (an alias) or `type T N;` (a new type, `isNewType`). `target` may be an inline derived type declaration. */
export interface TypedefDeclaration extends NodeBase<"TypedefDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly isNewType: boolean;
  readonly target: TypeRef | HeaderDeclaration | HeaderUnionDeclaration | StructDeclaration | EnumDeclaration;
  readonly name: Name;
}

/** `parser P<T>(params)` type (declaration without body, ends with `;`). */
export interface ParserTypeDeclaration extends NodeBase<"ParserTypeDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
}
export interface ControlTypeDeclaration extends NodeBase<"ControlTypeDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
}
export interface PackageTypeDeclaration extends NodeBase<"PackageTypeDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
}

export interface ValueSetDeclaration extends NodeBase<"ValueSetDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly elementType: TypeRef;
  readonly size: Expression;
  readonly name: Name;
}

export type ParserLocalElement = ConstantDeclaration | VariableDeclaration | Instantiation | ValueSetDeclaration;

export interface ParserDeclaration extends NodeBase<"ParserDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
  readonly constructorParams: readonly Parameter[] | null;
  readonly locals: readonly ParserLocalElement[];
  readonly states: readonly ParserState[];
}

/** A key element `expr : match_kind @annotations;` */
export interface KeyElement extends NodeBase<"KeyElement"> {
  readonly expr: Expression;
  readonly matchKind: Name;
  readonly annotations: readonly Annotation[];
}
/** An entry of `actions = { ... }`: `@ann a;` or `a(args);` */
export interface ActionRef extends NodeBase<"ActionRef"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly topLevel: boolean;
  /** Null when written without parentheses. */
  readonly args: readonly Argument[] | null;
}
export interface TableEntry extends NodeBase<"TableEntry"> {
  readonly isConst: boolean;
  readonly priority: Expression | null;
  readonly keyset: Expression;
  readonly action: ActionRef;
  readonly annotations: readonly Annotation[];
}

export interface KeyProperty extends NodeBase<"KeyProperty"> {
  readonly elements: readonly KeyElement[];
}
export interface ActionsProperty extends NodeBase<"ActionsProperty"> {
  readonly actions: readonly ActionRef[];
}
export interface EntriesProperty extends NodeBase<"EntriesProperty"> {
  readonly annotations: readonly Annotation[];
  readonly isConst: boolean;
  readonly entries: readonly TableEntry[];
}
/** Any other property: `size = 1024;`, `default_action = a(1);`, `pna_direct_counter = c;` ... */
export interface ValueProperty extends NodeBase<"ValueProperty"> {
  readonly annotations: readonly Annotation[];
  readonly isConst: boolean;
  readonly name: Name;
  readonly value: Expression;
}
export type TableProperty = KeyProperty | ActionsProperty | EntriesProperty | ValueProperty;

export interface TableDeclaration extends NodeBase<"TableDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly properties: readonly TableProperty[];
}

export interface ActionDeclaration extends NodeBase<"ActionDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly params: readonly Parameter[];
  readonly body: BlockStatement;
}

export type ControlLocalDeclaration =
  | ConstantDeclaration
  | VariableDeclaration
  | Instantiation
  | ActionDeclaration
  | TableDeclaration;

export interface ControlDeclaration extends NodeBase<"ControlDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
  readonly constructorParams: readonly Parameter[] | null;
  readonly locals: readonly ControlLocalDeclaration[];
  readonly body: BlockStatement;
}

/** A method of an extern: `R m<T>(params);`, `abstract R m(...)`, or a constructor `E(params);` (returnType null). */
export interface MethodPrototype extends NodeBase<"MethodPrototype"> {
  readonly annotations: readonly Annotation[];
  readonly isAbstract: boolean;
  readonly isConstructor: boolean;
  readonly returnType: TypeRef | null;
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
}
export interface ExternDeclaration extends NodeBase<"ExternDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly methods: readonly MethodPrototype[];
}
/** `extern R f<T>(params);` */
export interface ExternFunctionDeclaration extends NodeBase<"ExternFunctionDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly returnType: TypeRef;
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
}
export interface FunctionDeclaration extends NodeBase<"FunctionDeclaration"> {
  readonly annotations: readonly Annotation[];
  readonly returnType: TypeRef;
  readonly name: Name;
  readonly typeParams: readonly Name[];
  readonly params: readonly Parameter[];
  readonly body: BlockStatement;
}

export type TypeDeclaration =
  | HeaderDeclaration
  | HeaderUnionDeclaration
  | StructDeclaration
  | EnumDeclaration
  | TypedefDeclaration
  | ParserTypeDeclaration
  | ControlTypeDeclaration
  | PackageTypeDeclaration
  | ExternDeclaration;

export type Declaration =
  | ConstantDeclaration
  | ExternDeclaration
  | ExternFunctionDeclaration
  | ActionDeclaration
  | ParserDeclaration
  | ControlDeclaration
  | HeaderDeclaration
  | HeaderUnionDeclaration
  | StructDeclaration
  | EnumDeclaration
  | TypedefDeclaration
  | ParserTypeDeclaration
  | ControlTypeDeclaration
  | PackageTypeDeclaration
  | Instantiation
  | ErrorDeclaration
  | MatchKindDeclaration
  | FunctionDeclaration
  | ValueSetDeclaration;

export interface Program extends NodeBase<"Program"> {
  readonly declarations: readonly Declaration[];
}

/** Every node kind. */
export type Node =
  | Program
  | Declaration
  | Statement
  | Expression
  | TypeRef
  | Name
  | Annotation
  | KeyValue
  | Argument
  | Parameter
  | StructField
  | EnumMember
  | ParserState
  | SelectCase
  | SwitchCase
  | KeyElement
  | ActionRef
  | TableEntry
  | TableProperty
  | TableDeclaration
  | MethodPrototype
  | VariableDeclaration;

export type NodeKind = Node["kind"];
export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;

export function assertNever(x: never, what = "node"): never {
  throw new Error(`internal: unexpected ${what}: ${JSON.stringify((x as { kind?: string })?.kind ?? x)}`);
}
