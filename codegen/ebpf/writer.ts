/** A small C code builder: lines with indentation, and unique names. */
export class CWriter {
  private readonly lines: string[] = [];
  private depth = 0;
  private counter = 0;

  /** A comment for the end of the next non-empty line. */
  private pendingNote: string | null = null;

  line(s = ""): this {
    // An opening brace carries no code: the note waits for the block's first line.
    if (s !== "" && s !== "{" && this.pendingNote !== null) {
      s = `${s} /* ${this.pendingNote} */`;
      this.pendingNote = null;
    }
    this.lines.push(s === "" ? "" : "\t".repeat(this.depth) + s);
    return this;
  }

  /**
   * Ends the next line written with `/* text *\/`: on the same line as the
   * code, the comment is in the object's BTF line info, so the verifier log
   * and `bpftool prog dump` show it.
   */
  note(text: string): this {
    this.pendingNote = text.replace(/\*\//g, "*_/");
    return this;
  }

  /** `head {`, the body at one more level, `}` (+ `tail`). */
  block(head: string, body: () => void, tail = ""): this {
    this.line(head === "" ? "{" : `${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line(`}${tail}`);
    return this;
  }

  /** A label at the current level (labels sit one level out, as kernel style has them). */
  label(name: string): this {
    this.lines.push(`${"\t".repeat(Math.max(0, this.depth - 1))}${name}: __attribute__((unused));`);
    return this;
  }

  fresh(base: string): string {
    return `${base}_${this.counter++}`;
  }

  text(): string {
    return this.lines.join("\n") + "\n";
  }
}
