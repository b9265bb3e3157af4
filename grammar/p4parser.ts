/**
 * The P4-16 parser: recursive descent over the token vector of p4lexer.ts,
 * building the AST of compiler/ast/nodes.ts directly.
 *
 * P4 is not context-free at the token level: whether `T` starts a declaration
 * or an expression depends on whether T names a type. Like the reference
 * compiler, the parser keeps a scoped set of type names (declared types,
 * generic parameters, types from included files — all in the same
 * preprocessed text) and consults it at each decision.
 *
 * Errors: a syntax error is reported at the offending token (p4c's wording:
 * `syntax error, unexpected IDENTIFIER "x"`), then the parser skips to the
 * next `;` or `}` at the current nesting level and goes on, so one run reports
 * several independent errors.
 */
import type * as A from "../compiler/ast/nodes.js";
import type { Span } from "../compiler/source.js";
import { Msg, type DiagnosticBag } from "../compiler/diagnostics/index.js";
import { Identifier, Integer, StringLiteral, DontCare, keywords, punct, p4Lexer, type Token } from "./p4lexer.js";

export interface OriginalPos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Where the tokens of a text start and end (the Program's span). */
export interface TokenBounds {
  readonly first: OriginalPos & { readonly length: number };
  readonly last: OriginalPos;
}

/** Text parsed before, for P4Parser.parse. */
export interface ParsePrefix {
  /** Where the rest of the text starts. */
  readonly offset: number;
  readonly declarations: readonly A.Declaration[];
  /** The top-level type names after it. */
  readonly typeNames: readonly (readonly [string, boolean])[];
  readonly bounds: TokenBounds | undefined;
}

class SyntaxFailure extends Error {}
/** Nesting beyond MAX_NESTING: reported once, then the parse stops. */
class TooDeep extends Error {}

/**
 * The deepest nesting of statements, expressions and types the parser
 * accepts (each `(`, `{`, `if`, unary operator or type argument is a level).
 * Far beyond real programs; it keeps the recursive descent (and every later
 * recursive pass, and clang's bracket depth of 256 on the generated C) safe.
 */
export const MAX_NESTING = 200;

const KW = (k: string) => keywords.get(k)!;
const P = (p: string) => punct.get(p)!;

/** Keywords that are also valid names (p4c's nonTypeName / name). */
const contextualNames = new Set(["apply", "key", "actions", "state", "entries", "type", "priority", "list"]);
const baseTypeKeywords = new Set(["bool", "error", "match_kind", "string", "bit", "int", "varbit", "tuple", "list"]);
const builtinTypeNames = ["packet_in", "packet_out"];
/** The top-level type names a parse starts with. */
export const initialTypeNames: readonly (readonly [string, boolean])[] = builtinTypeNames.map((n) => [n, true]);

type Prec = number;
const binaryPrec: Record<string, Prec> = {
  "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
  "|": 5, "^": 6, "&": 7, "<<": 8, ">>": 8,
  "++": 9, "+": 9, "-": 9, "|+|": 9, "|-|": 9, "*": 10, "/": 10, "%": 10,
};
const assignOps = new Set(["=", "*=", "/=", "%=", "+=", "-=", "|+|=", "|-|=", "<<=", ">>=", "&=", "|=", "^="]);

export class P4Parser {
  private toks: Token[] = [];
  private pos = 0;
  private scopes: Map<string, boolean>[] = [];
  private text = "";
  private locate: (offset: number) => OriginalPos = () => ({ file: "", line: 1, col: 1 });
  private diags!: DiagnosticBag;
  /** Errors are reported once per recovery region. */
  private lastErrorPos = -1;
  private speculating = 0;
  private inTypeWidth = 0;
  /** Inside a parser state: return, exit and switch are not parser statements. */
  private inParserState = 0;
  /** Current nesting of statements, expressions and types (see MAX_NESTING). */
  private depth = 0;

  /**
   * Parses `text`. With `prefix`, the text before `prefix.offset` was parsed
   * before (the declarations of prebuilt includes, grammar/prebuilt.ts): its
   * declarations come first, the top-level type names start as they left
   * them, and only the rest of the text is lexed and parsed.
   */
  parse(text: string, locate: (offset: number) => OriginalPos, diags: DiagnosticBag, prefix?: ParsePrefix): A.Program {
    const from = prefix?.offset ?? 0;
    if (from > 0) {
      const whole = locate;
      text = text.slice(from);
      locate = (offset) => whole(offset + from);
    }
    const lexed = p4Lexer.tokenize(text);
    this.text = text;
    this.locate = locate;
    this.diags = diags;
    this.pos = 0;
    this.lastErrorPos = -1;
    this.speculating = 0;
    this.depth = 0;
    this.scopes = [new Map(prefix?.typeNames ?? initialTypeNames)];
    for (const e of lexed.errors) {
      const at = this.spanOfOffset(e.offset, e.length);
      diags.report(Msg.LexError, at, JSON.stringify(text.substr(e.offset, Math.min(e.length, 10))));
    }
    this.toks = lexed.tokens;
    const start = this.here();
    const decls: A.Declaration[] = [...(prefix?.declarations ?? [])];
    while (!this.atEnd()) {
      const before = this.pos;
      try {
        if (this.tryEat(";")) continue;
        decls.push(this.declaration());
      } catch (e) {
        if (e instanceof TooDeep) break;
        if (!(e instanceof SyntaxFailure)) throw e;
        this.recover(before, true);
      }
    }
    const own = this.tokenBounds();
    const first = prefix?.bounds?.first ?? own?.first;
    const last = own?.last ?? prefix?.bounds?.last;
    // As spanFrom(start) over the whole text: the first token to the last, or the first alone across files.
    const span = !prefix || !first || !last ? this.spanFrom(start)
      : last.file !== first.file ? { file: first.file, line: first.line, col: first.col, endLine: first.line, endCol: first.col + first.length }
      : { file: first.file, line: first.line, col: first.col, endLine: last.line, endCol: last.col + 1 };
    return { kind: "Program", span, declarations: decls };
  }

  /** After parse(): the top-level type names (name -> names a type), or undefined when not at the top level. */
  topLevelTypeNames(): [string, boolean][] | undefined {
    return this.scopes.length === 1 ? [...this.scopes[0]] : undefined;
  }

  /** After parse(): where its first token starts (and its length) and where its last token ends. */
  tokenBounds(): TokenBounds | undefined {
    const first = this.toks[0], last = this.toks[Math.min(this.pos, this.toks.length) - 1];
    if (!first || !last) return undefined;
    return {
      first: { ...this.locate(first.startOffset), length: first.image.length },
      last: this.locate(last.startOffset + Math.max(0, last.image.length - 1)),
    };
  }

  // -------------------------------------------------------------------------
  // Token helpers

  private atEnd(): boolean {
    return this.pos >= this.toks.length;
  }
  private la(k = 0): Token | undefined {
    return this.toks[this.pos + k];
  }
  private is(spelling: string, k = 0): boolean {
    const t = this.toks[this.pos + k];
    if (!t) return false;
    const tt = punct.get(spelling) ?? keywords.get(spelling);
    return tt !== undefined && t.tokenType === tt;
  }
  private isIdent(k = 0): boolean {
    return this.toks[this.pos + k]?.tokenType === Identifier;
  }
  /** An identifier or contextual keyword usable as a name. */
  private isName(k = 0): boolean {
    const t = this.toks[this.pos + k];
    if (!t) return false;
    return t.tokenType === Identifier || (contextualNames.has(t.image) && t.tokenType === keywords.get(t.image));
  }
  private isTypeName(name: string): boolean {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v !== undefined) return v;
    }
    return false;
  }
  /** The token at k is an identifier currently naming a type. */
  private isTypeIdent(k = 0): boolean {
    const t = this.toks[this.pos + k];
    return !!t && t.tokenType === Identifier && this.isTypeName(t.image);
  }
  private declareType(name: string) {
    this.scopes[this.scopes.length - 1].set(name, true);
  }
  private declareGlobalType(name: string) {
    this.scopes[0].set(name, true);
  }
  /** A variable, parameter, constant or instance: hides a type of the same name in this scope. */
  private declareValue(n: A.Name) {
    const scope = this.scopes[this.scopes.length - 1];
    if (this.scopes.length > 1 || !scope.get(n.text)) scope.set(n.text, false);
  }
  private next(): Token {
    const t = this.toks[this.pos];
    if (!t) this.fail();
    this.pos++;
    return t;
  }
  private tryEat(spelling: string): Token | undefined {
    if (this.is(spelling)) return this.next();
    return undefined;
  }
  private expect(spelling: string): Token {
    if (this.is(spelling)) return this.next();
    return this.fail(`"${spelling}"`);
  }
  /** `>` that closes a type argument list. */
  private expectClose(): Token {
    if (this.is(">")) return this.next();
    if (this.is(">=") || this.is(">>=")) return this.fail(`">"`);
    return this.fail(`">"`);
  }

  private describe(t: Token | undefined): string {
    if (!t) return "end of file";
    const tt = t.tokenType;
    if (tt === Identifier) return this.isTypeName(t.image) ? `TYPE_IDENTIFIER "${t.image}"` : `IDENTIFIER "${t.image}"`;
    if (tt === Integer) return `INTEGER "${t.image}"`;
    if (tt === StringLiteral) return `STRING_LITERAL ${t.image}`;
    if (tt.name.startsWith("KW_")) return `${t.image.toUpperCase()}`;
    if (tt === DontCare) return `"_"`;
    return `'${t.image}'`;
  }

  private fail(expected?: string): never {
    if (this.speculating === 0 && this.lastErrorPos !== this.pos) {
      this.lastErrorPos = this.pos;
      const t = this.la();
      const span = t ? this.tokenSpan(t) : this.endSpan();
      if (expected) this.diags.report(Msg.SyntaxErrorExpected, span, this.describe(t), expected);
      else this.diags.report(Msg.SyntaxError, span, this.describe(t));
    }
    throw new SyntaxFailure();
  }

  /** Skips to just after the next `;` or the `}` closing the current block (not consuming it when `stopAtClose`). */
  private recover(startPos: number, topLevel = false) {
    if (this.pos === startPos && !this.atEnd()) this.pos++;
    let depth = 0;
    while (!this.atEnd()) {
      if (this.is("{") || this.is("(") || this.is("[")) depth++;
      else if (this.is(")") || this.is("]")) depth = Math.max(0, depth - 1);
      else if (this.is("}")) {
        if (depth === 0) {
          if (topLevel) this.pos++;
          return;
        }
        depth--;
        if (depth === 0 && topLevel) {
          this.pos++;
          if (this.is(";")) this.pos++;
          return;
        }
      } else if (this.is(";") && depth === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
  }

  /** Runs `f` one nesting level deeper; past MAX_NESTING reports it at the current token and stops the parse. */
  private nested<T>(what: string, f: () => T): T {
    if (this.depth >= MAX_NESTING) {
      const t = this.la();
      this.diags.report(Msg.NestingTooDeep, t ? this.tokenSpan(t) : this.endSpan(), what, MAX_NESTING);
      throw new TooDeep();
    }
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  /** Runs `f` speculatively: no diagnostics, position restored on failure. Returns undefined on failure. */
  private attempt<T>(f: () => T): T | undefined {
    const save = this.pos;
    this.speculating++;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof SyntaxFailure)) throw e;
      this.pos = save;
      return undefined;
    } finally {
      this.speculating--;
    }
  }

  // -------------------------------------------------------------------------
  // Spans

  private spanOfOffset(offset: number, length: number): Span {
    const s = this.locate(offset);
    const e = this.locate(offset + Math.max(0, length - 1));
    return { file: s.file, line: s.line, col: s.col, endLine: e.line, endCol: e.col + 1 };
  }
  private tokenSpan(t: Token): Span {
    return this.spanOfOffset(t.startOffset, t.image.length);
  }
  private endSpan(): Span {
    const last = this.toks[this.toks.length - 1];
    if (last) return this.tokenSpan(last);
    const p = this.locate(Math.max(0, this.text.length - 1));
    return { file: p.file, line: p.line, col: p.col, endLine: p.line, endCol: p.col + 1 };
  }
  /** A mark for the start of a node: the current token. */
  private here(): number {
    return this.pos;
  }
  private spanFrom(startPos: number): Span {
    const first = this.toks[startPos];
    const last = this.toks[this.pos - 1];
    if (!first || !last || this.pos <= startPos) {
      const t = first ?? last;
      return t ? this.tokenSpan(t) : this.endSpan();
    }
    const s = this.locate(first.startOffset);
    const e = this.locate(last.startOffset + Math.max(0, last.image.length - 1));
    if (e.file !== s.file) return { file: s.file, line: s.line, col: s.col, endLine: s.line, endCol: s.col + first.image.length };
    return { file: s.file, line: s.line, col: s.col, endLine: e.line, endCol: e.col + 1 };
  }

  // -------------------------------------------------------------------------
  // Names

  private name(): A.Name {
    const t = this.la();
    if (t && (t.tokenType === Identifier || (contextualNames.has(t.image) && t.tokenType === keywords.get(t.image)))) {
      this.pos++;
      return { kind: "Name", span: this.tokenSpan(t), text: t.image };
    }
    return this.fail("a name");
  }
  /** A member name after `.`: any identifier or keyword-like name. */
  private memberName(): A.Name {
    const t = this.la();
    if (t && (t.tokenType === Identifier || t.tokenType.name.startsWith("KW_"))) {
      this.pos++;
      return { kind: "Name", span: this.tokenSpan(t), text: t.image };
    }
    return this.fail("a name");
  }

  // -------------------------------------------------------------------------
  // Annotations

  private annotations(): A.Annotation[] {
    const out: A.Annotation[] = [];
    while (this.is("@")) out.push(this.annotation());
    return out;
  }

  private annotation(): A.Annotation {
    const start = this.here();
    const at = this.expect("@");
    const nameTok = this.la();
    const name = this.memberName();
    if (name.text === "pragma") {
      // `@pragma name tokens...` extends to the end of the line.
      const line = this.lineOf(at);
      const tokens: A.AnnotationToken[] = [];
      while (!this.atEnd() && this.lineOf(this.la()!) === line) tokens.push(this.annotationToken(this.next()));
      return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "unstructured", tokens, exprs: null } };
    }
    void nameTok;
    if (this.is("(") ) {
      this.next();
      const bodyStart = this.pos;
      let depth = 0;
      const tokens: A.AnnotationToken[] = [];
      while (!this.atEnd()) {
        if (this.is(")") && depth === 0) break;
        if (this.is("(")) depth++;
        if (this.is(")")) depth--;
        tokens.push(this.annotationToken(this.next()));
      }
      const bodyEnd = this.pos;
      this.expect(")");
      const exprs = this.parseTokenRange(bodyStart, bodyEnd);
      return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "unstructured", tokens, exprs } };
    }
    if (this.is("[")) {
      this.next();
      if (this.is("]")) {
        this.next();
        return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "expressions", exprs: [] } };
      }
      if (this.isName() && this.is("=", 1)) {
        const pairs: A.KeyValue[] = [];
        do {
          if (this.is("]")) break;
          pairs.push(this.keyValue());
        } while (this.tryEat(","));
        this.expect("]");
        return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "kv", pairs } };
      }
      const exprs: A.Expression[] = [];
      do {
        if (this.is("]")) break;
        exprs.push(this.expression());
      } while (this.tryEat(","));
      this.expect("]");
      return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "expressions", exprs } };
    }
    return { kind: "Annotation", span: this.spanFrom(start), name, body: { form: "empty" } };
  }

  private lineOf(t: Token): number {
    return t.startLine ?? 0;
  }

  private annotationToken(t: Token): A.AnnotationToken {
    const tt = t.tokenType;
    const tokenKind: A.AnnotationToken["tokenKind"] =
      tt === StringLiteral ? "string" : tt === Integer ? "integer" : tt === Identifier || tt === DontCare ? "identifier" : tt.name.startsWith("KW_") ? "keyword" : "punct";
    return { text: t.image, span: this.tokenSpan(t), tokenKind };
  }

  /** Parses tokens [from, to) as an expression list; null if they are not one. */
  private parseTokenRange(from: number, to: number): A.Expression[] | null {
    if (from === to) return [];
    const saveToks = this.toks, savePos = this.pos;
    this.toks = saveToks.slice(from, to);
    this.pos = 0;
    try {
      const r = this.attempt(() => {
        const xs: A.Expression[] = [];
        do xs.push(this.expression());
        while (this.tryEat(","));
        if (!this.atEnd()) this.fail();
        return xs;
      });
      return r ?? null;
    } finally {
      this.toks = saveToks;
      this.pos = savePos;
    }
  }

  private keyValue(): A.KeyValue {
    const start = this.here();
    const key = this.memberName();
    this.expect("=");
    const value = this.expression();
    return { kind: "KeyValue", span: this.spanFrom(start), key, value };
  }

  // -------------------------------------------------------------------------
  // Declarations

  private declaration(): A.Declaration {
    const start = this.here();
    const annos = this.annotations();
    const t = this.la();
    if (!t) return this.fail("a declaration");
    switch (t.tokenType) {
      case KW("const"):
        return this.constantDeclaration(start, annos);
      case KW("extern"):
        return this.externDeclaration(start, annos);
      case KW("action"):
        return this.actionDeclaration(start, annos);
      case KW("parser"):
        return this.parserDeclaration(start, annos);
      case KW("control"):
        return this.controlDeclaration(start, annos);
      case KW("header"):
      case KW("struct"):
      case KW("header_union"):
        return this.structLikeDeclaration(start, annos);
      case KW("enum"):
        return this.enumDeclaration(start, annos);
      case KW("typedef"):
      case KW("type"):
        return this.typedefDeclaration(start, annos);
      case KW("package"):
        return this.packageDeclaration(start, annos);
      case KW("error"):
        if (this.is("{", 1)) return this.errorDeclaration(start);
        break;
      case KW("match_kind"):
        return this.matchKindDeclaration(start);
      case KW("value_set"):
        // The grammar's valueSetDeclaration is a parserLocalElement only.
        return this.fail();
    }
    // Instantiation `T(args) name;` or function `R name<...>(params) { }`.
    if (this.isIdent() && !this.isTypeIdent()) {
      // A return type that is a type variable declared by the function itself.
      return this.functionDeclaration(start, annos, this.typeVarRef());
    }
    const type = this.typeRefOrVoid();
    if (this.is("(")) return this.instantiationRest(start, annos, type);
    return this.functionDeclaration(start, annos, type);
  }

  /** An undeclared identifier used as a type (a type variable about to be declared). */
  private typeVarRef(): A.TypeName {
    const start = this.here();
    const name = this.name();
    return { kind: "TypeName", span: this.spanFrom(start), name, topLevel: false };
  }

  private constantDeclaration(start: number, annotations: A.Annotation[]): A.ConstantDeclaration {
    this.expect("const");
    const type = this.typeRef();
    const name = this.name();
    this.declareValue(name);
    this.expect("=");
    const value = this.expression();
    this.expect(";");
    return { kind: "ConstantDeclaration", span: this.spanFrom(start), annotations, type, name, value };
  }

  private typeParams(): A.Name[] {
    const out: A.Name[] = [];
    if (!this.tryEat("<")) return out;
    do {
      const n = this.name();
      out.push(n);
      this.declareType(n.text);
    } while (this.tryEat(","));
    this.expectClose();
    return out;
  }

  private parameters(): A.Parameter[] {
    const out: A.Parameter[] = [];
    this.expect("(");
    if (this.tryEat(")")) return out;
    do out.push(this.parameter());
    while (this.tryEat(","));
    this.expect(")");
    return out;
  }

  private parameter(): A.Parameter {
    const start = this.here();
    const annotations = this.annotations();
    let direction: A.Direction = null;
    if (this.is("in")) direction = (this.next(), "in");
    else if (this.is("out")) direction = (this.next(), "out");
    else if (this.is("inout")) direction = (this.next(), "inout");
    const type = this.isIdent() && !this.isTypeIdent() ? this.typeVarRef() : this.typeRef();
    const name = this.name();
    this.declareValue(name);
    const defaultValue = this.tryEat("=") ? this.expression() : null;
    return { kind: "Parameter", span: this.spanFrom(start), annotations, direction, type, name, defaultValue };
  }

  private externDeclaration(start: number, annotations: A.Annotation[]): A.ExternDeclaration | A.ExternFunctionDeclaration {
    this.expect("extern");
    // Object: `extern Name [<T,...>] {`; else a function prototype.
    const isObject = this.isName() && (this.is("{", 1) || (this.is("<", 1) && this.closesThenBrace(1)));
    if (isObject) {
      const name = this.name();
      this.declareGlobalType(name.text);
      this.scopes.push(new Map());
      try {
        const typeParams = this.typeParams();
        this.expect("{");
        const methods: A.MethodPrototype[] = [];
        while (!this.is("}")) {
          const before = this.pos;
          try {
            methods.push(this.methodPrototype(name.text));
          } catch (e) {
            if (!(e instanceof SyntaxFailure)) throw e;
            this.recover(before);
            if (this.atEnd()) break;
          }
        }
        this.expect("}");
        return { kind: "ExternDeclaration", span: this.spanFrom(start), annotations, name, typeParams, methods };
      } finally {
        this.scopes.pop();
      }
    }
    const annos2 = this.annotations();
    this.scopes.push(new Map());
    try {
      const returnType = this.isIdent() && !this.isTypeIdent() ? this.typeVarRef() : this.typeRefOrVoid();
      const name = this.name();
      const typeParams = this.typeParams();
      const params = this.parameters();
      this.expect(";");
      return {
        kind: "ExternFunctionDeclaration",
        span: this.spanFrom(start),
        annotations: [...annotations, ...annos2],
        returnType,
        name,
        typeParams,
        params,
      };
    } finally {
      this.scopes.pop();
    }
  }

  /** From a `<` at offset k, true if the matching `>` is followed by `{`. */
  private closesThenBrace(k: number): boolean {
    let depth = 0;
    for (let i = this.pos + k; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (t.tokenType === P("<")) depth++;
      else if (t.tokenType === P(">")) {
        depth--;
        if (depth === 0) return this.toks[i + 1]?.tokenType === P("{");
      } else if (t.tokenType === P(";") || t.tokenType === P("{") || t.tokenType === P("(")) return false;
    }
    return false;
  }

  private methodPrototype(externName: string): A.MethodPrototype {
    const start = this.here();
    const annotations = this.annotations();
    const isAbstract = !!this.tryEat("abstract");
    // Constructor: `ExternName(params);`
    if (this.la()?.image === externName && this.is("(", 1)) {
      // methodPrototype: a constructor is never abstract (`abstract E(` reads E as a return type, then wants a name).
      if (isAbstract) {
        this.next();
        this.fail();
      }
      const name = this.name();
      const params = this.parameters();
      this.expect(";");
      return { kind: "MethodPrototype", span: this.spanFrom(start), annotations, isAbstract, isConstructor: true, returnType: null, name, typeParams: [], params };
    }
    this.scopes.push(new Map());
    try {
      const returnType = this.isIdent() && !this.isTypeIdent() ? this.typeVarRef() : this.typeRefOrVoid();
      const name = this.name();
      const typeParams = this.typeParams();
      const params = this.parameters();
      this.expect(";");
      return { kind: "MethodPrototype", span: this.spanFrom(start), annotations, isAbstract, isConstructor: false, returnType, name, typeParams, params };
    } finally {
      this.scopes.pop();
    }
  }

  private actionDeclaration(start: number, annotations: A.Annotation[]): A.ActionDeclaration {
    this.expect("action");
    const name = this.name();
    this.declareValue(name);
    const params = this.parameters();
    const body = this.blockStatement(this.here(), []);
    return { kind: "ActionDeclaration", span: this.spanFrom(start), annotations, name, params, body };
  }

  private functionDeclaration(start: number, annotations: A.Annotation[], returnType: A.TypeRef): A.FunctionDeclaration {
    const name = this.name();
    this.scopes.push(new Map());
    try {
      const typeParams = this.typeParams();
      const params = this.parameters();
      const body = this.blockStatement(this.here(), []);
      return { kind: "FunctionDeclaration", span: this.spanFrom(start), annotations, returnType, name, typeParams, params, body };
    } finally {
      this.scopes.pop();
    }
  }

  private parserDeclaration(start: number, annotations: A.Annotation[]): A.ParserDeclaration | A.ParserTypeDeclaration {
    this.expect("parser");
    const name = this.name();
    this.declareGlobalType(name.text);
    this.scopes.push(new Map());
    try {
      const typeParams = this.typeParams();
      const params = this.parameters();
      if (this.tryEat(";")) return { kind: "ParserTypeDeclaration", span: this.spanFrom(start), annotations, name, typeParams, params };
      const constructorParams = this.is("(") ? this.parameters() : null;
      this.expect("{");
      const locals: A.ParserLocalElement[] = [];
      const states: A.ParserState[] = [];
      while (!this.is("}") && !this.atEnd()) {
        const before = this.pos;
        try {
          const s = this.here();
          const annos = this.annotations();
          if (this.is("state")) states.push(this.parserState(s, annos));
          else if (this.is("const")) locals.push(this.constantDeclaration(s, annos));
          else if (this.is("value_set")) locals.push(this.valueSetDeclaration(s, annos));
          else locals.push(this.localDeclaration(s, annos));
        } catch (e) {
          if (!(e instanceof SyntaxFailure)) throw e;
          this.recover(before);
        }
      }
      this.expect("}");
      return { kind: "ParserDeclaration", span: this.spanFrom(start), annotations, name, typeParams, params, constructorParams, locals, states };
    } finally {
      this.scopes.pop();
    }
  }

  /** A variable declaration or an instantiation (in parser/control locals). */
  /** C-style array declarators `T name[N]` (p4c accepts them): the type becomes `T[N]`. */
  private arraySuffix(type: A.TypeRef, typeStart: number): A.TypeRef {
    while (this.is("[")) {
      this.next();
      const size = this.expression();
      this.expect("]");
      type = { kind: "TypeStack", span: { ...this.spanFrom(typeStart) }, element: type, size };
    }
    return type;
  }

  private localDeclaration(start: number, annotations: A.Annotation[]): A.VariableDeclaration | A.Instantiation {
    const ts = this.here();
    let type = this.typeRef();
    if (this.is("(")) return this.instantiationRest(start, annotations, type);
    const name = this.name();
    this.declareValue(name);
    type = this.arraySuffix(type, ts);
    const init = this.tryEat("=") ? this.expression() : null;
    this.expect(";");
    return { kind: "VariableDeclaration", span: this.spanFrom(start), annotations, type, name, init };
  }

  private instantiationRest(start: number, annotations: A.Annotation[], type: A.TypeRef): A.Instantiation {
    const args = this.argumentList();
    const name = this.name();
    this.declareValue(name);
    type = this.arraySuffix(type, start);
    let initializer: (A.FunctionDeclaration | A.Instantiation)[] | null = null;
    if (this.tryEat("=")) {
      this.expect("{");
      initializer = [];
      while (!this.is("}")) {
        const s = this.here();
        const annos = this.annotations();
        if (this.isIdent() && !this.isTypeIdent()) {
          initializer.push(this.functionDeclaration(s, annos, this.typeVarRef()));
          continue;
        }
        const t = this.typeRefOrVoid();
        if (this.is("(")) initializer.push(this.instantiationRest(s, annos, t));
        else initializer.push(this.functionDeclaration(s, annos, t));
      }
      this.expect("}");
    }
    this.expect(";");
    return { kind: "Instantiation", span: this.spanFrom(start), annotations, type, args, name, initializer };
  }

  private valueSetDeclaration(start: number, annotations: A.Annotation[]): A.ValueSetDeclaration {
    this.expect("value_set");
    this.expect("<");
    // valueSetDeclaration: `value_set<` baseType, tupleType or a type name `>` (no stack, no specialization).
    if (this.isTypeIdent() && !this.is(">", 1) && !this.is(">>", 1)) {
      this.next();
      this.fail();
    }
    const elementType = this.typeArgAsType();
    this.expectClose();
    this.expect("(");
    const size = this.expression();
    this.expect(")");
    const name = this.name();
    this.expect(";");
    return { kind: "ValueSetDeclaration", span: this.spanFrom(start), annotations, elementType, size, name };
  }

  private parserState(start: number, annotations: A.Annotation[]): A.ParserState {
    this.inParserState++;
    try {
      return this.parserStateBody(start, annotations);
    } finally {
      this.inParserState--;
    }
  }

  private parserStateBody(start: number, annotations: A.Annotation[]): A.ParserState {
    this.expect("state");
    const name = this.name();
    this.expect("{");
    const body: A.StatementOrDeclaration[] = [];
    let transition: A.TransitionStatement | null = null;
    while (!this.is("}") && !this.atEnd()) {
      const before = this.pos;
      try {
        if (this.is("transition")) {
          // The grammar's parserState: the transition, if any, is the state's last statement.
          transition = this.transitionStatement();
          break;
        }
        body.push(this.statementOrDeclaration());
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.recover(before);
      }
    }
    this.expect("}");
    return { kind: "ParserState", span: this.spanFrom(start), annotations, name, body, transition };
  }

  private transitionStatement(): A.TransitionStatement {
    const start = this.here();
    this.expect("transition");
    let target: A.PathExpression | A.SelectExpression;
    if (this.is("select")) {
      target = this.selectExpression();
      this.tryEat(";");
    } else {
      const s = this.here();
      const topLevel = !!this.tryEat(".");
      const name = this.name();
      target = { kind: "PathExpression", span: this.spanFrom(s), name, topLevel };
      this.expect(";");
    }
    return { kind: "TransitionStatement", span: this.spanFrom(start), target };
  }

  private selectExpression(): A.SelectExpression {
    const start = this.here();
    this.expect("select");
    this.expect("(");
    const selectors: A.Expression[] = [];
    if (!this.is(")")) {
      do selectors.push(this.expression());
      while (this.tryEat(","));
    }
    this.expect(")");
    this.expect("{");
    const cases: A.SelectCase[] = [];
    while (!this.is("}") && !this.atEnd()) {
      const before = this.pos;
      try {
        const s = this.here();
        const keyset = this.keysetExpression();
        this.expect(":");
        const state = this.name();
        this.expect(";");
        cases.push({ kind: "SelectCase", span: this.spanFrom(s), keyset, state });
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.recover(before);
      }
    }
    this.expect("}");
    return { kind: "SelectExpression", span: this.spanFrom(start), selectors, cases };
  }

  /** A keyset: `(k1, k2)` tuple, or a simple keyset (`default`, `_`, `e`, `e &&& m`, `e .. e`). */
  private keysetExpression(): A.Expression {
    if (this.is("(")) {
      const tuple = this.attempt(() => {
        const start = this.here();
        this.expect("(");
        const elements: A.Expression[] = [];
        do elements.push(this.simpleKeyset());
        while (this.tryEat(","));
        this.expect(")");
        if (this.is(":")) {
          const single = elements.length === 1 ? elements[0] : undefined;
          const plain = single && !(single.kind === "BinaryExpression" && (single.op === "&&&" || single.op === "..")) && single.kind !== "DefaultExpression" && single.kind !== "DontCareExpression";
          if (!plain) return { kind: "TupleKeysetExpression", span: this.spanFrom(start), elements } as A.TupleKeysetExpression;
        }
        return this.fail();
      });
      if (tuple) return tuple;
    }
    return this.simpleKeyset();
  }

  private simpleKeyset(): A.Expression {
    const start = this.here();
    if (this.tryEat("default")) return { kind: "DefaultExpression", span: this.spanFrom(start) };
    if (this.is("_") || this.la()?.tokenType === DontCare) {
      this.next();
      return { kind: "DontCareExpression", span: this.spanFrom(start) };
    }
    const e = this.expression();
    if (this.tryEat("&&&")) {
      const right = this.expression();
      return { kind: "BinaryExpression", span: this.spanFrom(start), op: "&&&", left: e, right };
    }
    if (this.tryEat("..")) {
      const right = this.expression();
      return { kind: "BinaryExpression", span: this.spanFrom(start), op: "..", left: e, right };
    }
    return e;
  }

  private controlDeclaration(start: number, annotations: A.Annotation[]): A.ControlDeclaration | A.ControlTypeDeclaration {
    this.expect("control");
    const name = this.name();
    this.declareGlobalType(name.text);
    this.scopes.push(new Map());
    try {
      const typeParams = this.typeParams();
      const params = this.parameters();
      if (this.tryEat(";")) return { kind: "ControlTypeDeclaration", span: this.spanFrom(start), annotations, name, typeParams, params };
      const constructorParams = this.is("(") ? this.parameters() : null;
      this.expect("{");
      const locals: A.ControlLocalDeclaration[] = [];
      while (!this.is("apply") && !this.is("}") && !this.atEnd()) {
        const before = this.pos;
        try {
          const s = this.here();
          const annos = this.annotations();
          if (this.is("const")) locals.push(this.constantDeclaration(s, annos));
          else if (this.is("action")) locals.push(this.actionDeclaration(s, annos));
          else if (this.is("table")) locals.push(this.tableDeclaration(s, annos));
          else locals.push(this.localDeclaration(s, annos));
        } catch (e) {
          if (!(e instanceof SyntaxFailure)) throw e;
          this.recover(before);
        }
      }
      this.expect("apply");
      const applyStart = this.here();
      const body = this.blockStatement(applyStart, this.annotations());
      this.expect("}");
      return { kind: "ControlDeclaration", span: this.spanFrom(start), annotations, name, typeParams, params, constructorParams, locals, body };
    } finally {
      this.scopes.pop();
    }
  }

  private tableDeclaration(start: number, annotations: A.Annotation[]): A.TableDeclaration {
    this.expect("table");
    const name = this.name();
    this.declareValue(name);
    this.expect("{");
    const properties: A.TableProperty[] = [];
    while (!this.is("}") && !this.atEnd()) {
      const before = this.pos;
      try {
        properties.push(this.tableProperty());
      } catch (e) {
        if (!(e instanceof SyntaxFailure)) throw e;
        this.recover(before);
      }
    }
    this.expect("}");
    return { kind: "TableDeclaration", span: this.spanFrom(start), annotations, name, properties };
  }

  private tableProperty(): A.TableProperty {
    const start = this.here();
    const annotations = this.annotations();
    if (this.is("key") && this.is("=", 1) && this.is("{", 2)) {
      this.pos += 3;
      const elements: A.KeyElement[] = [];
      while (!this.is("}")) {
        const s = this.here();
        const expr = this.expression();
        this.expect(":");
        const matchKind = this.name();
        const annos = this.annotations();
        this.expect(";");
        elements.push({ kind: "KeyElement", span: this.spanFrom(s), expr, matchKind, annotations: annos });
      }
      this.expect("}");
      this.tryEat(";");
      return { kind: "KeyProperty", span: this.spanFrom(start), elements };
    }
    if (this.is("actions") && this.is("=", 1) && this.is("{", 2)) {
      this.pos += 3;
      const actions: A.ActionRef[] = [];
      while (!this.is("}")) {
        actions.push(this.actionRef());
        this.expect(";");
      }
      this.expect("}");
      this.tryEat(";");
      return { kind: "ActionsProperty", span: this.spanFrom(start), actions };
    }
    const isConst = !!this.tryEat("const");
    if (this.is("entries") && this.is("=", 1)) {
      this.pos += 2;
      this.expect("{");
      const entries: A.TableEntry[] = [];
      while (!this.is("}")) entries.push(this.tableEntry());
      this.expect("}");
      this.tryEat(";");
      return { kind: "EntriesProperty", span: this.spanFrom(start), annotations, isConst, entries };
    }
    const name = this.memberName();
    this.expect("=");
    const value = this.expression();
    this.expect(";");
    return { kind: "ValueProperty", span: this.spanFrom(start), annotations, isConst, name, value };
  }

  private actionRef(): A.ActionRef {
    const start = this.here();
    const annotations = this.annotations();
    const topLevel = !!this.tryEat(".");
    const name = this.name();
    const args = this.is("(") ? this.argumentList() : null;
    return { kind: "ActionRef", span: this.spanFrom(start), annotations, name, topLevel, args };
  }

  private tableEntry(): A.TableEntry {
    const start = this.here();
    const isConst = !!this.tryEat("const");
    let priority: A.Expression | null = null;
    if (this.is("priority") && this.is("=", 1)) {
      this.pos += 2;
      if (this.tryEat("(")) {
        priority = this.expression();
        this.expect(")");
      } else priority = this.primary();
      this.expect(":");
    }
    const keyset = this.keysetExpression();
    this.expect(":");
    const action = this.actionRef();
    const annotations = this.annotations();
    this.expect(";");
    return { kind: "TableEntry", span: this.spanFrom(start), isConst, priority, keyset, action, annotations };
  }

  private structLikeDeclaration(start: number, annotations: A.Annotation[]): A.HeaderDeclaration | A.StructDeclaration | A.HeaderUnionDeclaration {
    const kw = this.next().image;
    const name = this.name();
    this.declareGlobalType(name.text);
    this.scopes.push(new Map());
    try {
      const typeParams = this.typeParams();
      this.expect("{");
      const fields: A.StructField[] = [];
      while (!this.is("}") && !this.atEnd()) {
        const before = this.pos;
        try {
          const s = this.here();
          const annos = this.annotations();
          const ts = this.here();
          let type = this.typeRef();
          const fname = this.name();
          type = this.arraySuffix(type, ts);
          this.expect(";");
          fields.push({ kind: "StructField", span: this.spanFrom(s), annotations: annos, type, name: fname });
        } catch (e) {
          if (!(e instanceof SyntaxFailure)) throw e;
          this.recover(before);
        }
      }
      this.expect("}");
      const kind = kw === "header" ? "HeaderDeclaration" : kw === "struct" ? "StructDeclaration" : "HeaderUnionDeclaration";
      return { kind, span: this.spanFrom(start), annotations, name, typeParams, fields };
    } finally {
      this.scopes.pop();
    }
  }

  private enumDeclaration(start: number, annotations: A.Annotation[]): A.EnumDeclaration {
    this.expect("enum");
    let underlying: A.TypeRef | null = null;
    if (!(this.isName() && this.is("{", 1))) underlying = this.typeRef();
    const name = this.name();
    this.declareGlobalType(name.text);
    this.expect("{");
    const members: A.EnumMember[] = [];
    // The grammar's identifierList / specifiedIdentifierList: at least one member.
    do {
      const s = this.here();
      const mname = this.name();
      // specifiedIdentifier: every member of an enum with an underlying type has `= initializer`.
      if (underlying) this.expect("=");
      const value = underlying ? this.expression() : null;
      members.push({ kind: "EnumMember", span: this.spanFrom(s), name: mname, value });
    } while (this.tryEat(",") && !this.is("}"));
    this.expect("}");
    return { kind: "EnumDeclaration", span: this.spanFrom(start), annotations, underlying, name, members };
  }

  private typedefDeclaration(start: number, annotations: A.Annotation[]): A.TypedefDeclaration {
    const isNewType = this.next().image === "type";
    let target: A.TypedefDeclaration["target"];
    const s = this.here();
    if (this.is("header") || this.is("struct") || this.is("header_union")) target = this.structLikeDeclaration(s, []);
    else if (this.is("enum")) target = this.enumDeclaration(s, []);
    else target = this.typeRef();
    const name = this.name();
    this.declareGlobalType(name.text);
    this.expect(";");
    return { kind: "TypedefDeclaration", span: this.spanFrom(start), annotations, isNewType, target, name };
  }

  private packageDeclaration(start: number, annotations: A.Annotation[]): A.PackageTypeDeclaration {
    this.expect("package");
    const name = this.name();
    this.declareGlobalType(name.text);
    this.scopes.push(new Map());
    try {
      const typeParams = this.typeParams();
      const params = this.parameters();
      this.expect(";");
      return { kind: "PackageTypeDeclaration", span: this.spanFrom(start), annotations, name, typeParams, params };
    } finally {
      this.scopes.pop();
    }
  }

  private errorDeclaration(start: number): A.ErrorDeclaration {
    this.expect("error");
    return { kind: "ErrorDeclaration", members: this.nameListInBraces(false), span: this.spanFrom(start) };
  }
  private matchKindDeclaration(start: number): A.MatchKindDeclaration {
    this.expect("match_kind");
    return { kind: "MatchKindDeclaration", members: this.nameListInBraces(true), span: this.spanFrom(start) };
  }
  /** `{ a, b }`; the grammar allows a trailing comma after match_kind members but not after error members. */
  private nameListInBraces(trailingComma: boolean): A.Name[] {
    this.expect("{");
    const names: A.Name[] = [];
    for (;;) {
      names.push(this.name());
      if (!this.tryEat(",")) break;
      if (trailingComma && this.is("}")) break;
    }
    this.expect("}");
    return names;
  }

  // -------------------------------------------------------------------------
  // Types

  private startsType(k = 0): boolean {
    const t = this.la(k);
    if (!t) return false;
    if (t.tokenType === Identifier) return this.isTypeName(t.image);
    if (baseTypeKeywords.has(t.image) && t.tokenType === keywords.get(t.image)) return true;
    // `.T` names a top-level declaration, whatever inner scopes declare.
    const u = this.la(k + 1);
    return t.tokenType === P(".") && u?.tokenType === Identifier && this.scopes[0].get(u.image) === true;
  }

  private typeRefOrVoid(): A.TypeRef {
    if (this.is("void")) {
      const start = this.here();
      this.next();
      return { kind: "TypeVoid", span: this.spanFrom(start) };
    }
    return this.typeRef();
  }

  typeRef(): A.TypeRef {
    return this.nested("type", () => this.typeRefInner());
  }
  typeRefInner(): A.TypeRef {
    const start = this.here();
    let t = this.typeRefNoStack();
    while (this.is("[")) {
      this.next();
      const size = this.expression();
      this.expect("]");
      t = { kind: "TypeStack", span: this.spanFrom(start), element: t, size };
    }
    return t;
  }

  private typeRefNoStack(): A.TypeRef {
    const start = this.here();
    const t = this.la();
    if (!t) return this.fail("a type");
    switch (t.tokenType) {
      case KW("bool"):
        this.next();
        return { kind: "TypeBool", span: this.spanFrom(start) };
      case KW("error"):
        this.next();
        return { kind: "TypeError", span: this.spanFrom(start) };
      case KW("match_kind"):
        this.next();
        return { kind: "TypeMatchKind", span: this.spanFrom(start) };
      case KW("string"):
        this.next();
        return { kind: "TypeString", span: this.spanFrom(start) };
      case KW("bit"):
      case KW("int"): {
        this.next();
        const signed = t.image === "int";
        if (!this.is("<")) return { kind: "TypeBits", span: this.spanFrom(start), signed, width: null, infinite: signed, widthParenthesized: false };
        this.next();
        const [width, widthParenthesized] = this.typeWidth();
        this.expectClose();
        return { kind: "TypeBits", span: this.spanFrom(start), signed, width, infinite: false, widthParenthesized };
      }
      case KW("varbit"): {
        this.next();
        this.expect("<");
        const [width, widthParenthesized] = this.typeWidth();
        this.expectClose();
        return { kind: "TypeVarbit", span: this.spanFrom(start), width, widthParenthesized };
      }
      case KW("tuple"): {
        this.next();
        this.expect("<");
        const elements: A.TypeRef[] = [];
        if (!this.is(">")) {
          do elements.push(this.typeArgAsType());
          while (this.tryEat(","));
        }
        this.expectClose();
        return { kind: "TypeTuple", span: this.spanFrom(start), elements };
      }
      case KW("list"): {
        this.next();
        this.expect("<");
        const element = this.typeArgAsType();
        this.expectClose();
        return { kind: "TypeList", span: this.spanFrom(start), element };
      }
    }
    const topLevel = !!this.tryEat(".");
    if (!this.isIdent()) return this.fail("a type");
    const name = this.name();
    const base: A.TypeName = { kind: "TypeName", span: this.spanFrom(start), name, topLevel };
    if (this.is("<") && this.isTypeName(name.text)) {
      const args = this.attempt(() => this.typeArgs());
      if (args) return { kind: "TypeSpecialized", span: this.spanFrom(start), base, args };
    }
    return base;
  }

  private typeWidth(): [A.Expression, boolean] {
    if (this.is("(")) {
      this.next();
      const e = this.expression();
      this.expect(")");
      return [e, true];
    }
    // p4c also accepts an unparenthesised expression that binds tighter than `>`;
    // there a `>>` closes two type argument lists rather than shifting.
    this.inTypeWidth++;
    try {
      return [this.expression(), false];
    } finally {
      this.inTypeWidth--;
    }
  }

  /** `<T1, T2>` type arguments; used after a generic name. */
  private typeArgs(): A.TypeRef[] {
    this.expect("<");
    const out: A.TypeRef[] = [];
    if (!this.is(">")) {
      do out.push(this.typeArgAsType());
      while (this.tryEat(","));
    }
    this.expectClose();
    return out;
  }

  private typeArgAsType(): A.TypeRef {
    const start = this.here();
    if (this.la()?.tokenType === DontCare) {
      this.next();
      return { kind: "TypeDontCare", span: this.spanFrom(start) };
    }
    if (this.is("void")) {
      this.next();
      return { kind: "TypeVoid", span: this.spanFrom(start) };
    }
    if (this.isIdent() && !this.isTypeIdent()) return this.typeVarRef();
    return this.typeRef();
  }

  // -------------------------------------------------------------------------
  // Statements

  private blockStatement(start: number, annotations: A.Annotation[]): A.BlockStatement {
    this.expect("{");
    this.scopes.push(new Map());
    try {
      const body: A.StatementOrDeclaration[] = [];
      while (!this.is("}") && !this.atEnd()) {
        const before = this.pos;
        try {
          body.push(this.statementOrDeclaration());
        } catch (e) {
          if (!(e instanceof SyntaxFailure)) throw e;
          this.recover(before);
        }
      }
      this.expect("}");
      return { kind: "BlockStatement", span: this.spanFrom(start), annotations, body };
    } finally {
      this.scopes.pop();
    }
  }

  private statementOrDeclaration(): A.StatementOrDeclaration {
    return this.nested("statement", () => this.statementOrDeclarationInner());
  }
  private statementOrDeclarationInner(): A.StatementOrDeclaration {
    const start = this.here();
    const annotations = this.annotations();
    if (this.is("const")) return this.constantDeclaration(start, annotations);
    if (this.is("{")) return this.blockStatement(start, annotations);
    // The grammar's parserStatement has no `for` (loops are control-only).
    if (this.is("for")) return this.inParserState > 0 ? this.fail() : this.forStatement(start, annotations);
    if (annotations.length === 0) {
      const s = this.statementKeyword(start);
      if (s) return s;
    }
    if (this.startsType() && !this.typeMemberAhead() && !this.assignmentAhead()) {
      const type = this.typeRef();
      if (this.is("(")) return this.instantiationRest(start, annotations, type);
      if (this.is(".") && this.is("apply", 1)) {
        if (type.kind !== "TypeName" && type.kind !== "TypeSpecialized") return this.fail();
        this.pos += 2;
        const args = this.argumentList();
        this.expect(";");
        return { kind: "DirectApplicationStatement", span: this.spanFrom(start), type, args };
      }
      const name = this.name();
      this.declareValue(name);
      const fullType = this.arraySuffix(type, start);
      const init = this.tryEat("=") ? this.expression() : null;
      this.expect(";");
      return { kind: "VariableDeclaration", span: this.spanFrom(start), annotations, type: fullType, name, init };
    }
    return this.expressionStatement(start);
  }

  /** `x = ...` / `x[..] = ...` where x is a type name used as a variable (p4c's lexer would see an identifier there). */
  private assignmentAhead(): boolean {
    const t = this.la(1);
    return !!t && this.isTypeIdent() && (assignOps.has(t.image) && t.tokenType === P(t.image));
  }

  /** `T.member ...` where T is a type but the statement is an expression (e.g. `E.f(x);` on an extern type is not P4, but `T.apply` is handled by the caller). */
  private typeMemberAhead(): boolean {
    return this.isTypeIdent() && this.is(".", 1) && !this.is("apply", 2);
  }

  private statementKeyword(start: number): A.Statement | undefined {
    const t = this.la();
    if (!t) return undefined;
    if (this.inParserState > 0 && (t.tokenType === KW("return") || t.tokenType === KW("exit") || t.tokenType === KW("switch"))) return this.fail();
    switch (t.tokenType) {
      case P(";"):
        this.next();
        return { kind: "EmptyStatement", span: this.spanFrom(start) };
      case KW("if"): {
        this.next();
        this.expect("(");
        const cond = this.expression();
        this.expect(")");
        const then = this.statement();
        const els = this.tryEat("else") ? this.statement() : null;
        return { kind: "IfStatement", span: this.spanFrom(start), cond, then, else: els };
      }
      case KW("return"): {
        this.next();
        const value = this.is(";") ? null : this.expression();
        this.expect(";");
        return { kind: "ReturnStatement", span: this.spanFrom(start), value };
      }
      case KW("exit"):
        this.next();
        this.expect(";");
        return { kind: "ExitStatement", span: this.spanFrom(start) };
      case KW("break"):
        this.next();
        this.expect(";");
        return { kind: "BreakStatement", span: this.spanFrom(start) };
      case KW("continue"):
        this.next();
        this.expect(";");
        return { kind: "ContinueStatement", span: this.spanFrom(start) };
      case KW("switch"):
        return this.switchStatement(start);
      case KW("transition"):
        // Only a state's own last statement is a transition (grammar: parserState), never a nested one.
        return this.fail();
    }
    return undefined;
  }

  private statement(): A.Statement {
    const s = this.statementOrDeclaration();
    if (s.kind === "VariableDeclaration" || s.kind === "ConstantDeclaration" || s.kind === "Instantiation") {
      // A declaration where a statement is required (e.g. the branch of an if): p4c's grammar rejects it.
      this.diags.report(Msg.SyntaxError, s.span, "declaration");
      return { kind: "EmptyStatement", span: s.span };
    }
    return s;
  }

  private switchStatement(start: number): A.SwitchStatement {
    this.expect("switch");
    this.expect("(");
    const expr = this.expression();
    this.expect(")");
    this.expect("{");
    const cases: A.SwitchCase[] = [];
    while (!this.is("}") && !this.atEnd()) {
      const s = this.here();
      let label: A.Expression;
      if (this.is("default")) {
        this.next();
        label = { kind: "DefaultExpression", span: this.spanFrom(s) };
      } else label = this.expression();
      this.expect(":");
      const body = this.is("{") ? this.blockStatement(this.here(), []) : null;
      cases.push({ kind: "SwitchCase", span: this.spanFrom(s), label, body });
    }
    this.expect("}");
    return { kind: "SwitchStatement", span: this.spanFrom(start), expr, cases };
  }

  private forStatement(start: number, annotations: A.Annotation[]): A.ForStatement | A.ForInStatement {
    this.expect("for");
    this.expect("(");
    const forIn = this.attempt(() => {
      const varAnnotations = this.annotations();
      const varType = this.typeRef();
      const varName = this.name();
      this.expect("in");
      return { varAnnotations, varType, varName };
    });
    if (forIn) {
      const cs = this.here();
      const e = this.expression();
      const collection: A.Expression = this.tryEat("..") ? { kind: "BinaryExpression", op: "..", left: e, right: this.expression(), span: this.spanFrom(cs) } : e;
      this.expect(")");
      const body = this.statement();
      return { kind: "ForInStatement", span: this.spanFrom(start), annotations, ...forIn, collection, body };
    }
    const init: (A.VariableDeclaration | A.AssignmentStatement | A.MethodCallStatement)[] = [];
    if (!this.is(";")) {
      do {
        const s = this.here();
        if (this.startsType()) {
          const type = this.typeRef();
          const name = this.name();
          const initv = this.tryEat("=") ? this.expression() : null;
          init.push({ kind: "VariableDeclaration", span: this.spanFrom(s), annotations: [], type, name, init: initv });
        } else init.push(this.simpleStatement(s));
      } while (this.tryEat(","));
    }
    this.expect(";");
    const cond = this.expression();
    this.expect(";");
    const update: (A.AssignmentStatement | A.MethodCallStatement)[] = [];
    if (!this.is(")")) {
      do update.push(this.simpleStatement(this.here()));
      while (this.tryEat(","));
    }
    this.expect(")");
    const body = this.statement();
    return { kind: "ForStatement", span: this.spanFrom(start), annotations, init, cond, update, body };
  }

  /** An assignment or a call, without the `;`. The target (or callee) must be an l-value path. */
  private simpleStatement(start: number): A.AssignmentStatement | A.MethodCallStatement {
    let left = this.lvalue();
    if (this.is("(") || (this.is("<") && this.canBeGenericCall())) {
      const typeArgs = this.is("<") ? this.typeArgs() : [];
      const args = this.argumentList();
      left = { kind: "CallExpression", span: this.spanFrom(start), callee: left, typeArgs, args };
      return { kind: "MethodCallStatement", span: this.spanFrom(start), call: left };
    }
    const t = this.la();
    if (t && assignOps.has(t.image) && t.tokenType === P(t.image)) {
      this.next();
      const right = this.expression();
      return { kind: "AssignmentStatement", span: this.spanFrom(start), op: t.image as A.AssignOp, left, right };
    }
    if (left.kind === "CallExpression") return { kind: "MethodCallStatement", span: this.spanFrom(start), call: left };
    return this.fail(`"="`);
  }

  /** p4c's lvalue: a name, `this`, then `.member`, `[index]` and slices; `(lvalue)`. */
  private lvalue(): A.Expression {
    const start = this.here();
    let e: A.Expression;
    if (this.is("(")) {
      this.next();
      e = this.lvalue();
      this.expect(")");
    } else if (this.is("this")) {
      this.next();
      e = { kind: "ThisExpression", span: this.spanFrom(start) };
    } else {
      const topLevel = !!this.tryEat(".");
      const name = this.memberName();
      e = { kind: "PathExpression", span: this.spanFrom(start), name, topLevel };
    }
    for (;;) {
      const sel = this.selector(e, start);
      if (!sel) return e;
      e = sel;
    }
  }

  /** One `.member`, `[index]`, `[hi:lo]` or `[base +: width]` after `e` (which starts at token `start`), or undefined. */
  private selector(e: A.Expression, start: number): A.Expression | undefined {
    if (this.is(".")) {
      this.next();
      const member = this.memberName();
      return { kind: "MemberExpression", span: this.spanFrom(start), expr: e, member };
    }
    if (!this.is("[")) return undefined;
    this.next();
    const a = this.expression();
    if (this.tryEat(":")) {
      const lo = this.expression();
      this.expect("]");
      return { kind: "SliceExpression", span: this.spanFrom(start), expr: e, hi: a, lo };
    }
    if (this.is("+") && this.is(":", 1)) {
      this.pos += 2;
      const width = this.expression();
      this.expect("]");
      return { kind: "PlusSliceExpression", span: this.spanFrom(start), expr: e, base: a, width };
    }
    this.expect("]");
    return { kind: "IndexExpression", span: this.spanFrom(start), expr: e, index: a };
  }

  private expressionStatement(start: number): A.AssignmentStatement | A.MethodCallStatement {
    const s = this.simpleStatement(start);
    this.expect(";");
    return { ...s, span: this.spanFrom(start) };
  }

  // -------------------------------------------------------------------------
  // Expressions

  private argumentList(): A.Argument[] {
    this.expect("(");
    const args: A.Argument[] = [];
    if (this.tryEat(")")) return args;
    do {
      const start = this.here();
      let name: A.Name | null = null;
      if (this.isName() && this.is("=", 1)) {
        name = this.name();
        this.next();
      }
      let value: A.Expression;
      if (this.la()?.tokenType === DontCare) {
        const s = this.here();
        this.next();
        value = { kind: "DontCareExpression", span: this.spanFrom(s) };
      } else value = this.expression();
      args.push({ kind: "Argument", span: this.spanFrom(start), name, value });
    } while (this.tryEat(","));
    this.expect(")");
    return args;
  }

  /** An expression; `noAssign` is a hint that the caller checks for assignment operators next. */
  expression(noAssign = false): A.Expression {
    return this.nested("expression", () => this.expressionInner(noAssign));
  }
  expressionInner(noAssign = false): A.Expression {
    void noAssign;
    const start = this.here();
    const cond = this.binary(1);
    if (this.is("?")) {
      this.next();
      const then = this.expression();
      this.expect(":");
      const els = this.expression();
      return { kind: "ConditionalExpression", span: this.spanFrom(start), cond, then, else: els };
    }
    return cond;
  }

  /** The binary operator at the current position, with `>>` as two adjacent `>`. */
  private binaryOp(): [string, number] | undefined {
    const t = this.la();
    if (!t) return undefined;
    if (t.tokenType === P(">")) {
      if (this.inTypeWidth > 0) return undefined;
      const u = this.la(1);
      if (u && u.tokenType === P(">") && u.startOffset === t.endOffset + 1) {
        // `>>=` split as `>` `>=` is not produced: `>>=` is its own token.
        return [">>", 2];
      }
      return [">", 1];
    }
    const tt = t.tokenType;
    if (tt === P("+") && this.is(":", 1)) return undefined; // `[base +: width]`
    if (tt.name in binaryPrec && tt === P(tt.name)) return [tt.name, 1];
    return undefined;
  }

  private binary(minPrec: number): A.Expression {
    const start = this.here();
    let left = this.unary();
    for (;;) {
      const op = this.binaryOp();
      if (!op) return left;
      const prec = binaryPrec[op[0]];
      if (prec < minPrec) return left;
      this.pos += op[1];
      const right = this.binary(prec + 1);
      left = { kind: "BinaryExpression", span: this.spanFrom(start), op: op[0] as A.BinaryOp, left, right };
    }
  }

  private unary(): A.Expression {
    return this.nested("expression", () => this.unaryInner());
  }
  private unaryInner(): A.Expression {
    const start = this.here();
    const t = this.la();
    if (t && (t.tokenType === P("!") || t.tokenType === P("~") || t.tokenType === P("-") || t.tokenType === P("+"))) {
      this.next();
      const operand = this.unary();
      return { kind: "UnaryExpression", span: this.spanFrom(start), op: t.image as A.UnaryOp, operand };
    }
    // Cast `(T) e`.
    if (this.is("(") && this.startsType(1)) {
      const cast = this.attempt(() => {
        this.next();
        const type = this.typeRef();
        this.expect(")");
        return type;
      });
      if (cast) {
        const expr = this.unary();
        return { kind: "CastExpression", span: this.spanFrom(start), type: cast, expr };
      }
    }
    return this.postfix(this.primary());
  }

  private postfix(e: A.Expression): A.Expression {
    const s = this.startOf(e);
    for (;;) {
      const sel = this.selector(e, s);
      if (sel) {
        e = sel;
        continue;
      }
      if (this.is("(")) {
        const args = this.argumentList();
        e = { kind: "CallExpression", span: this.spanFrom(s), callee: e, typeArgs: [], args };
        continue;
      }
      if (this.is("<") && this.canBeGenericCall()) {
        const typeArgs = this.attempt(() => {
          const ta = this.typeArgs();
          if (!this.is("(")) this.fail();
          return ta;
        });
        if (typeArgs) {
          const args = this.argumentList();
          e = { kind: "CallExpression", span: this.spanFrom(s), callee: e, typeArgs, args };
          continue;
        }
      }
      return e;
    }
  }

  /** `<` after an expression starts type arguments only if a type (or `_`/void) follows. */
  private canBeGenericCall(): boolean {
    const t = this.la(1);
    if (!t) return false;
    if (t.tokenType === DontCare || t.tokenType === KW("void")) return true;
    return this.startsType(1);
  }

  /** Token index where expression `e` starts (spans are source positions; find by offset). */
  private startOf(e: A.Expression): number {
    const start = this.exprStart.get(e);
    return start ?? this.pos;
  }
  private readonly exprStart = new WeakMap<A.Expression, number>();

  private primary(): A.Expression {
    const start = this.here();
    const e = this.primaryInner(start);
    this.exprStart.set(e, start);
    return e;
  }

  private primaryInner(start: number): A.Expression {
    const t = this.la();
    if (!t) return this.fail("an expression");
    switch (t.tokenType) {
      case Integer:
        this.next();
        return this.intLiteral(t, start);
      case StringLiteral:
        this.next();
        return { kind: "StringLiteral", span: this.spanFrom(start), raw: t.image.slice(1, -1), value: unescape(t.image.slice(1, -1)) };
      case KW("true"):
      case KW("false"):
        this.next();
        return { kind: "BoolLiteral", span: this.spanFrom(start), value: t.image === "true" };
      case KW("this"):
        this.next();
        return { kind: "ThisExpression", span: this.spanFrom(start) };
      case P("..."):
        this.next();
        return { kind: "DotsExpression", span: this.spanFrom(start) };
      case DontCare:
        this.next();
        return { kind: "DontCareExpression", span: this.spanFrom(start) };
      case P("{#}"):
        this.next();
        return { kind: "InvalidExpression", span: this.spanFrom(start) };
      case P("{"):
        return this.braceExpression(start);
      case P("("): {
        this.next();
        const e = this.expression();
        this.expect(")");
        // Keep the parenthesised expression's own node; record the outer start for postfix spans.
        return e;
      }
      case KW("error"): {
        this.next();
        const type: A.TypeError = { kind: "TypeError", span: this.spanFrom(start) };
        this.expect(".");
        const member = this.memberName();
        return { kind: "TypeMemberExpression", span: this.spanFrom(start), type, member };
      }
      case KW("select"):
        return this.selectExpression();
    }
    // Types in expression position: `T.member`, `T(args)` (constructor), `T<A>(args)`, base-type constructor-like casts are not P4.
    if (this.startsType()) {
      const type = this.typeRef();
      if (type.kind === "TypeName" && this.is(".")) {
        this.next();
        const member = this.memberName();
        return { kind: "TypeMemberExpression", span: this.spanFrom(start), type, member };
      }
      if ((type.kind === "TypeName" || type.kind === "TypeSpecialized") && this.is("(")) {
        const args = this.argumentList();
        return { kind: "ConstructorCallExpression", span: this.spanFrom(start), type, args };
      }
      // A type name alone is not an expression: p4c expects a constructor call.
      return this.fail(`"("`);
    }
    if (t.tokenType === P(".")) {
      this.next();
      const name = this.name();
      return { kind: "PathExpression", span: this.spanFrom(start), name, topLevel: true };
    }
    if (this.isName() || t.tokenType === KW("apply") || t.tokenType === KW("key")) {
      const name = this.memberName();
      return { kind: "PathExpression", span: this.spanFrom(start), name, topLevel: false };
    }
    return this.fail();
  }

  private braceExpression(start: number): A.Expression {
    this.expect("{");
    if (this.tryEat("}")) return { kind: "ListExpression", span: this.spanFrom(start), elements: [] };
    if (this.isName() && this.is("=", 1)) {
      const fields: A.KeyValue[] = [];
      let dots = false;
      do {
        if (this.is("}")) break;
        if (this.tryEat("...")) {
          dots = true;
          break;
        }
        fields.push(this.keyValue());
      } while (this.tryEat(","));
      this.expect("}");
      return { kind: "StructExpression", span: this.spanFrom(start), fields, dots };
    }
    const elements: A.Expression[] = [];
    do {
      if (this.is("}")) break;
      elements.push(this.expression());
    } while (this.tryEat(","));
    this.expect("}");
    return { kind: "ListExpression", span: this.spanFrom(start), elements };
  }

  private intLiteral(t: Token, start: number): A.IntLiteral {
    const text = t.image;
    const m = /^(?:([0-9][0-9_]*)([ws]))?(.*)$/.exec(text)!;
    const width = m[1] !== undefined ? Number(m[1].replace(/_/g, "")) : null;
    const signed = m[2] === "s";
    let digits = m[3].replace(/_/g, "");
    let base: A.IntLiteral["base"] = 10;
    if (/^0[xX]/.test(digits)) base = 16;
    else if (/^0[bB]/.test(digits)) base = 2;
    else if (/^0[oO]/.test(digits)) base = 8;
    else if (/^0[dD]/.test(digits)) digits = digits.slice(2);
    let value = 0n;
    try {
      value = BigInt(base === 8 ? "0o" + digits.slice(2) : digits);
    } catch {
      this.diags.report(Msg.BadIntLiteral, this.tokenSpan(t), text, "bad digits");
    }
    return { kind: "IntLiteral", span: this.spanFrom(start), value, width, signed, base, text };
  }
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", "\\": "\\", '"': '"', "0": "\0" })[c] ?? c);
}
