/**
 * The C preprocessor P4 programs go through, written in TypeScript:
 * #include "x" / <x>, object- and function-like macros (# and ##, __VA_ARGS__,
 * hide sets so a macro never expands inside itself), #undef, #if/#ifdef/
 * #ifndef/#elif/#else/#endif with integer expressions and `defined`, #error,
 * #warning, #line, #pragma (passed through), -D/-U, __FILE__/__LINE__.
 *
 * Output: text for the P4 lexer, plus `locate(offset)` mapping any offset of
 * it back to the original file, line and column (tokens produced by a macro
 * map to the macro's invocation).
 */
import path from "node:path";
import type { SourceFiles, Span } from "../source.js";
import { Msg, type DiagnosticBag } from "../diagnostics/index.js";
import { tokenize, type PPToken } from "./tokenize.js";
import { Output, type OriginalPos, type PreprocessResult, type PrebuiltUse } from "./output.js";
import { macroFingerprint, type IncludeSnapshot, type Macro } from "./prebuilt.js";
import { evaluate, ExprError } from "./expr.js";


export interface PreprocessOptions {
  /** The main file's path as the user gave it. */
  readonly file: string;
  /** The main file's text; read with `readFile` when absent. */
  readonly source?: string;
  /** -I directories, in order. */
  readonly includePaths: readonly string[];
  /** The compiler's bundled p4include/, searched last for <x>. */
  readonly builtinIncludeDir: string;
  /** -D NAME=VALUE, in order. */
  readonly defines?: readonly (readonly [string, string])[];
  /** -U NAME */
  readonly undefines?: readonly string[];
  readonly readFile: (path: string) => string | undefined;
  readonly files: SourceFiles;
  readonly diags: DiagnosticBag;
  /** Snapshots of bundled include files to answer #includes from, when one provably applies (prebuilt.ts). */
  readonly prebuilt?: readonly IncludeSnapshot[];
  /** Build time: receives a snapshot of each file the main file includes, as processed. */
  readonly record?: (snapshot: IncludeSnapshot) => void;
}

export type { OriginalPos, PreprocessResult, PrebuiltUse } from "./output.js";

interface Cond {
  /** This branch's lines are being processed. */
  active: boolean;
  /** Some branch of this #if group was taken already. */
  taken: boolean;
  sawElse: boolean;
  /** The enclosing group was active. */
  parentActive: boolean;
  readonly start: PPToken;
}

const MAX_INCLUDE_DEPTH = 64;
/** Source text read, the main file and every inclusion counted (an include cycle re-reads a file up to the depth). */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;
/** Macro expansion limits: tokens produced over the whole run, and nesting of expansions within arguments. */
export const MAX_EXPANDED_TOKENS = 200_000;
export const MAX_EXPANSION_DEPTH = 200;

function spanAt(t: { file: string; line: number; col: number }, length = 1): Span {
  return { file: t.file, line: t.line, col: t.col, endLine: t.line, endCol: t.col + Math.max(1, length) };
}

export function preprocess(opts: PreprocessOptions): PreprocessResult {
  return new Preprocessor(opts).run();
}

class Preprocessor {
  private readonly macros = new Map<string, Macro>();
  private readonly out = new Output();
  private readonly onceFiles = new Set<string>();
  private depth = 0;
  /** Source text processed so far (MAX_SOURCE_BYTES). */
  private sourceBytes = 0;
  /** Nesting of expand() (macro arguments are expanded recursively). */
  private expandDepth = 0;
  /** Tokens produced by macro expansion so far, over the whole run. */
  private expandedTokens = 0;
  /** An expansion limit was hit (and reported): nothing more is expanded. */
  private overLimit = false;
  /** Includes answered from opts.prebuilt. */
  private readonly prebuiltUsed: PrebuiltUse[] = [];
  /** While recording a snapshot (opts.record): what the include reads and sees. */
  private rec: { idents: Set<string>; reads: { file: string; text: string }[]; nested: IncludeSnapshot["nested"][number][]; depth: number } | undefined;
  private readonly unions = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, ReadonlySet<string>>>();

  constructor(private readonly opts: PreprocessOptions) {
    for (const [name, value] of opts.defines ?? []) {
      const body = tokenize("<command line>", value).tokens.filter((t) => t.kind !== "nl");
      this.macros.set(name, { name, params: null, variadic: false, body });
    }
    for (const name of opts.undefines ?? []) this.macros.delete(name);
  }

  run(): PreprocessResult {
    const text = this.opts.source ?? this.opts.readFile(this.opts.file);
    if (text === undefined) {
      this.opts.diags.report(Msg.FileNotFound, undefined, this.opts.file);
    } else {
      this.processFile(this.opts.file, text);
    }
    return this.out.result({ file: this.opts.file, line: 1, col: 1 }, this.prebuiltUsed);
  }

  private error(def: (typeof Msg)[keyof typeof Msg], at: PPToken, ...args: unknown[]) {
    this.opts.diags.report(def, spanAt(at, at.text.length), ...args);
  }

  private processFile(file: string, text: string) {
    this.sourceBytes += text.length;
    this.opts.files.add(file, text);
    const { tokens, problems } = tokenize(file, text);
    if (this.rec) {
      this.rec.reads.push({ file, text });
      for (const t of tokens) if (t.kind === "id") this.rec.idents.add(t.text);
    }
    for (const p of problems) {
      const def = p.message === "unterminated comment" ? Msg.PP_UnterminatedComment : Msg.UnterminatedString;
      this.opts.diags.report(def, spanAt({ file, line: p.line, col: p.col }));
    }
    const conds: Cond[] = [];
    let lineDelta = 0; // from #line
    let fileName = file; // from #line "name"
    const active = () => conds.length === 0 || conds[conds.length - 1].active;
    let pending: PPToken[] = [];
    const flush = () => {
      if (pending.length > 0) {
        this.emit(this.expand(pending, true), lineDelta, fileName);
        pending = [];
      }
    };

    let i = 0;
    while (i < tokens.length && !this.overLimit) {
      // Gather one line.
      let j = i;
      while (tokens[j].kind !== "nl") j++;
      const line = tokens.slice(i, j);
      const nl = tokens[j];
      i = j + 1;
      if (line.length > 0 && line[0].text === "#" && line[0].kind === "punct") {
        flush();
        this.directive(line, conds, active(), (delta, name) => {
          lineDelta = delta;
          if (name !== undefined) fileName = name;
        }, lineDelta, fileName);
        this.out.newline();
        continue;
      }
      if (!active()) continue;
      for (const t of line) pending.push(t);
      pending.push(nl);
      // Keep an unfinished function-like macro call open across lines; else flush per line.
      if (!this.mayContinue(pending)) flush();
    }
    flush();
    if (conds.length > 0) this.error(Msg.PP_UnterminatedIf, conds[conds.length - 1].start);
  }

  /** True while `ts` ends inside the argument list of a function-like macro call. */
  private mayContinue(ts: readonly PPToken[]): boolean {
    let depth = 0;
    let inCall = false;
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      if (!inCall) {
        if (t.kind === "id" && this.macros.get(t.text)?.params) {
          let m = k + 1;
          while (m < ts.length && ts[m].kind === "nl") m++;
          if (m >= ts.length) return true; // the '(' may come on the next line
          if (ts[m].text === "(") {
            inCall = true;
            depth = 0;
            k = m - 1;
          }
        }
        continue;
      }
      if (t.text === "(") depth++;
      else if (t.text === ")") {
        depth--;
        if (depth === 0) inCall = false;
      }
    }
    return inCall;
  }

  private emit(ts: readonly PPToken[], lineDelta: number, fileName: string) {
    for (const t of ts) {
      const at = lineDelta === 0 && fileName === t.file ? t : { file: fileName, line: t.line + lineDelta, col: t.col };
      this.out.token(t, at);
    }
  }

  private directive(
    line: PPToken[],
    conds: Cond[],
    isActive: boolean,
    setLine: (delta: number, name?: string) => void,
    lineDelta: number,
    fileName: string,
  ) {
    const hash = line[0];
    const nameTok = line[1];
    if (!nameTok) return; // null directive
    const name = nameTok.text;
    const rest = line.slice(2);
    const top = conds[conds.length - 1];
    switch (name) {
      case "if":
      case "ifdef":
      case "ifndef": {
        let v = false;
        if (isActive) {
          if (name === "if") v = this.evalCondition(rest, nameTok);
          else {
            if (rest.length === 0 || rest[0].kind !== "id") this.error(Msg.PP_BadDirective, nameTok, `#${name} without a macro name`);
            v = rest.length > 0 && this.macros.has(rest[0].text) === (name === "ifdef");
          }
        }
        conds.push({ active: isActive && v, taken: v, sawElse: false, parentActive: isActive, start: hash });
        return;
      }
      case "elif": {
        if (!top) return void this.error(Msg.PP_UnmatchedEndif, nameTok, "#elif");
        if (top.sawElse) this.error(Msg.PP_BadDirective, nameTok, "#elif after #else");
        if (top.taken || !top.parentActive) {
          top.active = false;
          return;
        }
        const v = this.evalCondition(rest, nameTok);
        top.active = v;
        top.taken = v;
        return;
      }
      case "else":
        if (!top) return void this.error(Msg.PP_UnmatchedEndif, nameTok, "#else");
        if (top.sawElse) this.error(Msg.PP_BadDirective, nameTok, "#else after #else");
        top.sawElse = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return;
      case "endif":
        if (!top) return void this.error(Msg.PP_UnmatchedEndif, nameTok, "#endif");
        conds.pop();
        return;
    }
    if (!isActive) return;
    switch (name) {
      case "define":
        return this.define(rest, nameTok);
      case "undef":
        if (rest.length === 0 || rest[0].kind !== "id") return void this.error(Msg.PP_BadDirective, nameTok, "#undef without a macro name");
        this.macros.delete(rest[0].text);
        return;
      case "include":
        return this.include(rest, nameTok);
      case "error":
      case "warning": {
        const msg = rest.map((t, k) => (k > 0 && t.ws ? " " : "") + t.text).join("");
        this.opts.diags.report(name === "error" ? Msg.PP_Error : Msg.PP_Warning, spanAt(hash, 1 + nameTok.text.length), msg);
        return;
      }
      case "line": {
        const ts = this.expand(rest, false);
        const n = ts[0]?.kind === "num" ? Number(ts[0].text) : NaN;
        if (!Number.isInteger(n)) return void this.error(Msg.PP_BadDirective, nameTok, "#line needs a line number");
        // The line after the directive gets number n.
        const f = ts[1]?.kind === "str" ? ts[1].text.slice(1, -1) : undefined;
        setLine(n - (nameTok.line + 1), f);
        return;
      }
      case "pragma": {
        if (rest[0]?.text === "once") {
          this.onceFiles.add(hash.file);
          return;
        }
        const text = "#pragma" + rest.map((t) => (t.ws ? " " : "") + t.text).join("");
        const at = lineDelta === 0 && fileName === hash.file ? hash : { ...hash, file: fileName, line: hash.line + lineDelta };
        this.out.raw(text, at);
        return;
      }
      default:
        if (nameTok.kind === "num") {
          // GNU line marker `# 12 "file"`.
          const f = rest[0]?.kind === "str" ? rest[0].text.slice(1, -1) : undefined;
          setLine(Number(nameTok.text) - (nameTok.line + 1), f);
          return;
        }
        this.error(Msg.PP_BadDirective, nameTok, `#${name}`);
    }
  }

  private define(rest: PPToken[], at: PPToken) {
    const nameTok = rest[0];
    if (!nameTok || nameTok.kind !== "id") return void this.error(Msg.PP_BadDirective, at, "#define without a macro name");
    let k = 1;
    let params: string[] | null = null;
    let variadic = false;
    if (rest[1] && rest[1].text === "(" && !rest[1].ws) {
      params = [];
      k = 2;
      for (;;) {
        const t = rest[k];
        if (!t) return void this.error(Msg.PP_MacroArgs, nameTok, nameTok.text, "missing ')' in parameter list");
        if (t.text === ")") {
          k++;
          break;
        }
        if (t.text === "." && rest[k + 1]?.text === "." && rest[k + 2]?.text === ".") {
          variadic = true;
          params.push("__VA_ARGS__");
          k += 3;
          continue;
        }
        if (t.kind === "id") params.push(t.text);
        else if (t.text !== ",") return void this.error(Msg.PP_MacroArgs, t, nameTok.text, `unexpected '${t.text}' in parameter list`);
        k++;
      }
    }
    const body = rest.slice(k);
    if (body.length > 0) body[0] = { ...body[0], ws: false };
    this.macros.set(nameTok.text, { name: nameTok.text, params, variadic, body });
  }

  private include(rest: PPToken[], at: PPToken) {
    let ts = rest;
    if (ts.length > 0 && ts[0].kind !== "str" && ts[0].text !== "<") ts = this.expand(rest, false);
    let target: string | undefined;
    let angled = false;
    if (ts[0]?.kind === "str") target = ts[0].text.slice(1, -1);
    else if (ts[0]?.text === "<") {
      angled = true;
      const close = ts.findIndex((t) => t.text === ">");
      if (close > 0) target = ts.slice(1, close).map((t, k) => (k > 0 && t.ws ? " " : "") + t.text).join("");
    }
    if (!target) return void this.error(Msg.PP_BadDirective, at, "#include expects \"FILE\" or <FILE>");
    const found = this.resolve(target, angled, at.file);
    if (found === "once") return;
    if (!found) return void this.opts.diags.report(Msg.PP_IncludeNotFound, spanAt(at, at.text.length), angled ? `<${target}>` : `"${target}"`);
    const { file, text } = found;
    if (this.depth >= MAX_INCLUDE_DEPTH) return void this.error(Msg.PP_IncludeDepth, at, target);
    if (this.sourceBytes + text.length > MAX_SOURCE_BYTES) {
      this.error(Msg.PP_SourceTooLarge, at, target, `${MAX_SOURCE_BYTES / (1024 * 1024)} MiB`);
      this.overLimit = true; // reported: nothing more is processed
      return;
    }
    this.depth++;
    if (this.rec) {
      this.rec.nested.push({ target, angled, from: at.file, file });
      this.rec.depth = Math.max(this.rec.depth, this.depth);
    }
    this.out.newline();
    if (!this.replay(file, text)) {
      if (this.opts.record && this.depth === 1) this.record(file, text);
      else this.processFile(file, text);
    }
    this.out.newline();
    this.depth--;
  }

  /** The file an #include names: the first directory holding it; "once" when that file had #pragma once. */
  private resolve(target: string, angled: boolean, from: string): { file: string; text: string } | "once" | undefined {
    const dirs = angled
      ? [...this.opts.includePaths, this.opts.builtinIncludeDir]
      : [path.dirname(from), ...this.opts.includePaths, this.opts.builtinIncludeDir];
    for (const dir of dirs) {
      const file = path.join(dir, target);
      if (this.onceFiles.has(file)) return "once";
      const text = this.opts.readFile(file);
      if (text !== undefined) return { file, text };
    }
    return undefined;
  }

  /** Answers the inclusion of `file` from a prebuilt snapshot when one provably applies (prebuilt.ts). */
  private replay(file: string, text: string): boolean {
    const set = this.opts.prebuilt;
    if (!set || this.onceFiles.size > 0 || this.overLimit) return false;
    const index = set.findIndex((s) => s.file === file && s.reads[0].text === text && this.applies(s));
    if (index < 0) return false;
    const s = set[index];
    const start = this.out.size;
    for (const r of s.reads) {
      this.sourceBytes += r.text.length;
      this.opts.files.add(r.file, r.text);
    }
    for (const [name, m] of Object.entries(s.changes)) {
      if (m) this.macros.set(name, m);
      else this.macros.delete(name);
    }
    this.expandedTokens += s.expandedTokens;
    this.out.append(s.output());
    this.prebuiltUsed.push({ index, start, end: this.out.size });
    return true;
  }

  private applies(s: IncludeSnapshot): boolean {
    if (this.depth + s.depth >= MAX_INCLUDE_DEPTH || this.expandedTokens + s.expandedTokens > MAX_EXPANDED_TOKENS) return false;
    if (s.reads.reduce((n, r) => n + r.text.length, this.sourceBytes) > MAX_SOURCE_BYTES) return false;
    for (const name in s.requires) {
      const m = this.macros.get(name);
      if ((m ? macroFingerprint(m) : null) !== s.requires[name]) return false;
    }
    return s.nested.every((n) => {
      const r = this.resolve(n.target, n.angled, n.from);
      return typeof r === "object" && r.file === n.file && r.text === s.reads.find((x) => x.file === n.file)?.text;
    });
  }

  /** Build time: processes `file` (included by the main file) and hands what it did to opts.record. */
  private record(file: string, text: string) {
    const before = new Map(this.macros);
    const mark = this.out.mark();
    const expanded = this.expandedTokens;
    const reported = this.opts.diags.all().length;
    const top = this.depth;
    const rec = (this.rec = { idents: new Set<string>(), reads: [], nested: [], depth: top });
    try {
      this.processFile(file, text);
    } finally {
      this.rec = undefined;
    }
    const builtins = ["__LINE__", "__FILE__"];
    if (this.opts.diags.all().length !== reported || this.onceFiles.size > 0 || this.overLimit || builtins.some((b) => rec.idents.has(b))) return;
    const requires = new Map<string, string | null>();
    const todo = [...rec.idents];
    while (todo.length > 0) {
      const name = todo.pop()!;
      if (requires.has(name)) continue;
      const m = before.get(name);
      requires.set(name, m ? macroFingerprint(m) : null);
      for (const t of m?.body ?? []) if (t.kind === "id") todo.push(t.text);
    }
    const output = this.out.segment(mark);
    const changes = new Map<string, Macro | null>();
    for (const name of new Set([...before.keys(), ...this.macros.keys()])) {
      if (before.get(name) !== this.macros.get(name)) changes.set(name, this.macros.get(name) ?? null);
    }
    this.opts.record!({
      file,
      reads: rec.reads,
      nested: rec.nested,
      requires: Object.fromEntries(requires),
      changes: Object.fromEntries(changes),
      output: () => output,
      expandedTokens: this.expandedTokens - expanded,
      depth: rec.depth - top,
    });
  }

  private evalCondition(rest: PPToken[], at: PPToken): boolean {
    // Replace `defined X` / `defined(X)` before expansion.
    const ts: PPToken[] = [];
    for (let k = 0; k < rest.length; k++) {
      const t = rest[k];
      if (t.kind === "id" && t.text === "defined") {
        let name: PPToken | undefined;
        if (rest[k + 1]?.text === "(") {
          name = rest[k + 2];
          if (rest[k + 3]?.text !== ")") {
            this.error(Msg.PP_BadExpression, t, "missing ')' after defined");
            return false;
          }
          k += 3;
        } else {
          name = rest[k + 1];
          k += 1;
        }
        if (!name || name.kind !== "id") {
          this.error(Msg.PP_BadExpression, t, "defined needs a macro name");
          return false;
        }
        ts.push({ ...t, kind: "num", text: this.macros.has(name.text) ? "1" : "0" });
      } else ts.push(t);
    }
    try {
      return evaluate(this.expand(ts, false).filter((t) => t.kind !== "nl")) !== 0n;
    } catch (e) {
      if (e instanceof ExprError) {
        this.error(Msg.PP_BadExpression, at, e.message);
        return false;
      }
      throw e;
    }
  }

  /**
   * Expands macros in `input` (hide-set algorithm). Tokens created by an
   * expansion carry the invocation token's position. `multiline` lets a
   * function-like call's arguments span newline tokens.
   */
  private expand(input: readonly PPToken[], multiline: boolean): PPToken[] {
    if (this.overLimit) return [];
    if (this.expandDepth >= MAX_EXPANSION_DEPTH) {
      const first = input.find((t) => t.kind === "id") ?? input[0];
      if (first) this.error(Msg.PP_ExpansionLimit, first, first.text, `${MAX_EXPANSION_DEPTH} nested levels`);
      this.overLimit = true;
      return [];
    }
    this.expandDepth++;
    try {
      return this.expandTokens(input, multiline);
    } finally {
      this.expandDepth--;
    }
  }

  /** Counts `n` more tokens produced by expanding `m` at `t`; false (reported once) past the limit. */
  private spend(n: number, m: Macro, t: PPToken): boolean {
    this.expandedTokens += n;
    if (this.expandedTokens <= MAX_EXPANDED_TOKENS) return true;
    this.error(Msg.PP_ExpansionLimit, t, m.name, `${MAX_EXPANDED_TOKENS} tokens`);
    this.overLimit = true;
    return false;
  }

  private expandTokens(input: readonly PPToken[], multiline: boolean): PPToken[] {
    // The tokens still to scan, last first: an expansion replaces the tokens
    // on top, so each step costs the size of the replacement, not of the line.
    const rest: PPToken[] = [];
    for (let q = input.length - 1; q >= 0; q--) rest.push(input[q]);
    const ahead = (k: number): PPToken | undefined => rest[rest.length - 1 - k];
    const pushBack = (body: readonly PPToken[]) => {
      for (let q = body.length - 1; q >= 0; q--) rest.push(body[q]);
    };
    const out: PPToken[] = [];
    while (rest.length > 0) {
      if (this.overLimit) return out; // reported: the output is not used
      const t = rest.pop()!;
      if (t.kind !== "id" || (t.hide && t.hide.has(t.text))) {
        out.push(t);
        continue;
      }
      if (t.text === "__LINE__" || t.text === "__FILE__") {
        out.push({ ...t, kind: t.text === "__LINE__" ? "num" : "str", text: t.text === "__LINE__" ? String(t.line) : JSON.stringify(t.file) });
        continue;
      }
      const m = this.macros.get(t.text);
      if (!m) {
        out.push(t);
        continue;
      }
      if (m.params === null) {
        const hide = new Set(t.hide ?? []);
        hide.add(m.name);
        const body = this.substitute(m, null, hide, t);
        if (!this.spend(body.length, m, t)) {
          out.push(t);
          continue;
        }
        pushBack(body);
        continue;
      }
      // Function-like: needs '(' next (newlines allowed in multi-line mode).
      let k = 0;
      while (multiline && k < rest.length && ahead(k)!.kind === "nl") k++;
      if (ahead(k)?.text !== "(") {
        out.push(t);
        continue;
      }
      const args: PPToken[][] = [[]];
      let depth = 0;
      let end = -1;
      for (let p = k + 1; p < rest.length; p++) {
        const a = ahead(p)!;
        if (a.text === "(") depth++;
        else if (a.text === ")") {
          if (depth === 0) {
            end = p;
            break;
          }
          depth--;
        } else if (a.text === "," && depth === 0 && !(m.variadic && args.length === m.params.length)) {
          args.push([]);
          continue;
        }
        if (a.kind === "nl") args[args.length - 1].push({ ...a, kind: "other", text: "", ws: true });
        else args[args.length - 1].push(a);
      }
      if (end < 0) {
        this.error(Msg.PP_MacroArgs, t, m.name, "unterminated argument list");
        out.push(t);
        continue;
      }
      const cleaned = args.map((a) => a.filter((x) => x.text !== "" || x.kind !== "other"));
      if (cleaned.length === 1 && cleaned[0].length === 0 && m.params.length === 0) cleaned.length = 0;
      if (m.variadic && cleaned.length === m.params.length - 1) cleaned.push([]);
      if (cleaned.length !== m.params.length) {
        this.error(Msg.PP_MacroArgs, t, m.name, `expects ${m.params.length} arguments, got ${cleaned.length}`);
        out.push(t);
        continue;
      }
      const hide = new Set<string>();
      const rp = ahead(end)!;
      for (const h of t.hide ?? []) if (!rp.hide || rp.hide.has(h)) hide.add(h);
      hide.add(m.name);
      const body = this.substitute(m, cleaned, hide, t);
      if (!this.spend(body.length, m, t)) {
        out.push(t);
        continue;
      }
      rest.length -= end + 1;
      pushBack(body);
    }
    return out;
  }

  /** a ∪ b, shared between the tokens of one expansion (hide sets are never mutated once made). */
  private union(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> {
    let byB = this.unions.get(a);
    if (!byB) this.unions.set(a, (byB = new WeakMap()));
    let u = byB.get(b);
    if (!u) byB.set(b, (u = new Set([...a, ...b])));
    return u;
  }

  private substitute(m: Macro, args: PPToken[][] | null, hide: ReadonlySet<string>, at: PPToken): PPToken[] {
    const params = m.params ?? [];
    const argIndex = (t: PPToken | undefined) => (t && t.kind === "id" && args ? params.indexOf(t.text) : -1);
    const expandedCache = new Map<number, PPToken[]>();
    const expandedArg = (n: number) => {
      let e = expandedCache.get(n);
      if (!e) {
        e = this.expand(args![n], true);
        expandedCache.set(n, e);
      }
      return e;
    };
    const body = m.body;
    const res: PPToken[] = [];
    const place = (t: PPToken, ws: boolean): PPToken => ({
      kind: t.kind,
      text: t.text,
      file: at.file,
      line: at.line,
      col: at.col,
      ws,
      hide: t.hide ? this.union(t.hide, hide) : hide,
    });
    for (let k = 0; k < body.length; k++) {
      const t = body[k];
      const ws = k === 0 ? at.ws : t.ws;
      // # param: stringify
      if (t.text === "#" && args && argIndex(body[k + 1]) >= 0) {
        const a = args[argIndex(body[k + 1])];
        const s = a.map((x, q) => (q > 0 && x.ws ? " " : "") + x.text).join("");
        res.push(place({ ...t, kind: "str", text: JSON.stringify(s) }, ws));
        k++;
        continue;
      }
      // x ## y: paste
      if (body[k + 1]?.text === "##") {
        let left: PPToken[] = argIndex(t) >= 0 ? args![argIndex(t)].slice() : [t];
        while (body[k + 1]?.text === "##") {
          const r = body[k + 2];
          k += 2;
          if (!r) break;
          const right: PPToken[] = argIndex(r) >= 0 ? args![argIndex(r)].slice() : [r];
          if (left.length === 0) left = right;
          else if (right.length > 0) {
            const a = left[left.length - 1], b = right[0];
            const text = a.text + b.text;
            const kind = /^[A-Za-z_$][\w$]*$/.test(text) ? "id" : /^\d/.test(text) ? "num" : a.kind;
            left = [...left.slice(0, -1), { ...a, kind, text }, ...right.slice(1)];
          }
        }
        left.forEach((x, q) => res.push(place(x, q === 0 ? ws : x.ws)));
        continue;
      }
      const n = argIndex(t);
      if (n >= 0) {
        expandedArg(n).forEach((x, q) =>
          res.push({ ...x, ws: q === 0 ? ws : x.ws, file: at.file, line: at.line, col: at.col, hide: x.hide ? this.union(x.hide, hide) : hide }),
        );
        continue;
      }
      res.push(place(t, ws));
    }
    return res;
  }
}
