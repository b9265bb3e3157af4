// The hand-written lexer (grammar/p4lexer.ts) against an oracle: the chevrotain
// lexer definition it replaced (chevrotain is a dev dependency for this test
// only). Same tokens (type, image, offset, line) and same lexical errors
// (offset, length) on every corpus program, on the bundled include files and
// on hand-written and random edge cases.
import fs from "node:fs";
import path from "node:path";
import { createToken, Lexer, type TokenType as CTokenType } from "chevrotain";
import { p4Lexer, Identifier, keywordNames, punctSpellings } from "../../../grammar/p4lexer.js";
import { corpus, repoRoot } from "../../helpers/corpus.js";

const C = (name: string, pattern: RegExp, more: object = {}) => createToken({ name, pattern, ...more });
const cIdentifier = C("Identifier", /[A-Za-z_][A-Za-z0-9_]*/);
// The token lists are shared; the oracle checks how the text is cut into them.
const oracle = new Lexer(
  [
    C("WhiteSpace", /[ \t\r\n\f\v]+/, { group: Lexer.SKIPPED, line_breaks: true }),
    C("LineComment", /\/\/[^\n]*/, { group: Lexer.SKIPPED }),
    C("BlockComment", /\/\*[\s\S]*?\*\//, { group: Lexer.SKIPPED, line_breaks: true }),
    C("HashLine", /#[^\n]*/, { group: Lexer.SKIPPED }),
    C("StringLiteral", /"(?:[^"\\]|\\[\s\S])*"/, { line_breaks: true }),
    C("Integer", /(?:[0-9][0-9_]*[ws])?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|0[dD][0-9_]+|[0-9][0-9_]*)(?![A-Za-z0-9_])/),
    C("DontCare", /_(?![A-Za-z0-9_])/),
    ...keywordNames.map((k) => C(`KW_${k}`, new RegExp(`${k}\\b`), { longer_alt: cIdentifier })),
    cIdentifier,
    ...punctSpellings.map((p) => C(p, new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))),
    C("Unexpected", /['`$\\\u0080-\uffff]/),
  ] as CTokenType[],
  { positionTracking: "full", ensureOptimizations: false },
);

function both(text: string) {
  const ours = p4Lexer.tokenize(text);
  const theirs = oracle.tokenize(text);
  return {
    ours: {
      tokens: ours.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine]),
      errors: ours.errors.map((e) => [e.offset, e.length]),
    },
    theirs: {
      tokens: theirs.tokens.map((t) => [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine]),
      errors: theirs.errors.map((e) => [e.offset, e.length]),
    },
  };
}

const p4Files = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? p4Files(path.join(dir, e.name)) : e.name.endsWith(".p4") ? [path.join(dir, e.name)] : []))
    : [];

describe("the lexer equals the chevrotain oracle", () => {
  const files = [...p4Files(corpus), ...p4Files(path.join(repoRoot, "compiler/p4include")), ...p4Files(path.join(repoRoot, "samples"))];

  test("on every corpus, include and sample file", () => {
    expect(files.length).toBeGreaterThan(100);
    let tokens = 0;
    for (const f of files) {
      const { ours, theirs } = both(fs.readFileSync(f, "utf8"));
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) expect({ file: f, ...ours }).toEqual({ file: f, ...theirs });
      tokens += ours.tokens.length;
    }
    expect(tokens).toBeGreaterThan(100000);
  });

  test.each([
    ["keywords and identifiers", "bit bits _ _x x_ action actions header_union int8 inout in"],
    ["integers", "8w5 0x1F 0b1_0 0o7 0d9 16s0xff 123abc 1.5 0x 8w 0xg"],
    ["strings", '"a\\"b" "multi\nline" "unterminated\n x'],
    ["comments", "a /* b\n c */ d // e\r\n f /* unterminated"],
    ["line ends", "a\r\nb\rc\n\rd\r\r\ne"],
    ["punctuation", "{#} ... |+|= |-|= <<= >>= &&& >> ++ .. a.b"],
    ["odd characters", "a ' ` $ \\ é \u2028 \u0000\u0001 b \u007f"],
    ["hash lines", "#pragma x\r\n# 1 \"f\"\nx"],
  ])("%s", (_, text) => {
    const { ours, theirs } = both(text);
    expect(ours).toEqual(theirs);
  });

  test("on random text over the lexer's alphabet", () => {
    const alphabet = ["a", "b", "_", "0", "8", "w", "x", " ", "\n", "\r", "/", "*", "#", '"', "\\", "<", ">", "=", "|", "+", "-", "&", "{", "}", ".", "é", "\u0001", "'", "bit", "action"];
    let seed = 13;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let k = 0; k < 2000; k++) {
      let text = "";
      for (let i = rand(40); i > 0; i--) text += alphabet[rand(alphabet.length)];
      const { ours, theirs } = both(text);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) expect({ text, ...ours }).toEqual({ text, ...theirs });
    }
    expect(Identifier.name).toBe("Identifier");
  });
});
