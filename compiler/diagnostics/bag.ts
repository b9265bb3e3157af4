/**
 * DiagnosticBag: where every stage reports problems. Nothing throws for a bad
 * program; stages report here and the driver stops between stages when
 * `hasErrors()`.
 */
import type { Span } from "../source.js";
import type { MessageDef, Category } from "./messages.js";

export interface RelatedLocation {
  readonly span: Span;
  readonly message?: string;
}

export interface Diagnostic {
  readonly code: number;
  readonly category: Category;
  readonly kind: string;
  readonly message: string;
  /** Undefined for whole-compilation problems (e.g. a missing input file). */
  readonly span?: Span;
  readonly related: readonly RelatedLocation[];
}

export function formatMessage(text: string, args: readonly unknown[]): string {
  return text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ""));
}

export interface DiagnosticOptions {
  /** Kinds whose warnings are suppressed (--Wdisable=kind); "all" disables every warning. */
  readonly disabledWarnings?: ReadonlySet<string>;
  /** Kinds whose warnings become errors (--Werror=kind); "all" for every warning. */
  readonly warningsAsErrors?: ReadonlySet<string>;
  /** Kinds whose warnings are reported as informational messages (--Winfo=kind); "all" for every warning. */
  readonly warningsAsInfo?: ReadonlySet<string>;
}

export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private errorCount = 0;
  private muted = 0;

  constructor(private readonly options: DiagnosticOptions = {}) {}

  report(def: MessageDef, span: Span | undefined, ...args: unknown[]): Diagnostic | undefined {
    return this.reportWith(def, span, [], ...args);
  }

  /** Report with related locations ("declared here"). */
  reportWith(def: MessageDef, span: Span | undefined, related: RelatedLocation[], ...args: unknown[]): Diagnostic | undefined {
    if (this.muted > 0) return undefined;
    let category = def.category;
    if (category === "warning") {
      const dis = this.options.disabledWarnings;
      if (dis && (dis.has("all") || dis.has(def.kind))) return undefined;
      const err = this.options.warningsAsErrors;
      if (err && (err.has("all") || err.has(def.kind))) category = "error";
      else {
        const info = this.options.warningsAsInfo;
        if (info && (info.has("all") || info.has(def.kind))) category = "info";
      }
    }
    const message = formatMessage(def.text, args);
    const key = `${def.code}|${message}|${span ? `${span.file}:${span.line}:${span.col}` : ""}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const d: Diagnostic = { code: def.code, category, kind: def.kind, message, span, related };
    this.items.push(d);
    if (category === "error") this.errorCount++;
    return d;
  }

  /**
   * Runs `f` with reports dropped: for work that is repeated elsewhere where its
   * problems are reported once (e.g. a type resolved again lazily).
   */
  muteDuring<R>(f: () => R): R {
    this.muted++;
    try {
      return f();
    } finally {
      this.muted--;
    }
  }

  /** How many diagnostics have been reported: a mark for `moveToEnd`. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Moves the diagnostics reported between the marks `from` and `to` after the
   * later ones: for checks whose problems p4c reports after those of the code
   * that follows (an action's parameters after its body).
   */
  moveToEnd(from: number, to: number): void {
    this.items.push(...this.items.splice(from, to - from));
  }

  /**
   * Moves the diagnostics reported since the mark `from` that `first` selects
   * ahead of the others reported since then, keeping the order within each
   * group: for problems p4c finds in an earlier pass than the rest.
   */
  moveFirst(from: number, first: (d: Diagnostic) => boolean): void {
    const later = this.items.splice(from);
    this.items.push(...later.filter(first), ...later.filter((d) => !first(d)));
  }

  hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get errors(): number {
    return this.errorCount;
  }

  all(): readonly Diagnostic[] {
    return this.items;
  }
}
