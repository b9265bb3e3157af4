/**
 * Mutations of P4 programs for the robustness fuzzer: token and line edits,
 * semantic edits (widths, numbers, names), deep nesting, long chains, huge
 * widths, hostile names, macro bombs and include cycles. Each mutant is
 * meant to stress the compiler, not to be valid: the fuzzer checks that
 * every mutant either compiles or gets located diagnostics, without a crash
 * or a hang.
 */
import type { Rng } from "./rng.js";

export interface Mutant {
  /** what was done, for the log */
  op: string;
  source: string;
  /** extra files (a virtual file system for includes), path -> text */
  files?: Record<string, string>;
}

const TOKEN_RE = /[A-Za-z_][A-Za-z0-9_]*|0[xXbBoO][0-9a-fA-F_]+|\d+[wsWS]?[0-9a-fA-Fx_]*|"(?:[^"\\\n]|\\.)*"|&&&|\.\.|<<|>>|[-+|]:|\|\+\||\|-\||[=!<>]=|&&|\|\||\+\+|\S/g;

const INSERTABLE = ["(", ")", "{", "}", "[", "]", "<", ">", ";", ",", ".", "=", "+", "&&&", "..", "++", "?", ":", "#", "@", "_", "0", "1", "bit", "int", "varbit", "header", "struct", "state", "transition", "select", "apply", "table", "key", "actions", "default_action", "if", "else", "switch", "return", "exit", "extern", "typedef", "type", "tuple", "void", "const", "in", "out", "inout", "true", "false", "this", "error", "packet_in", "main", "NoAction"];

const HOSTILE_NAMES = [
  "a".repeat(300),
  "x$y",
  "__builtin_memset",
  "int",
  "struct",
  "static",
  "hdr",
  "main",
  "errno",
  "_",
  "accept",
  "reject",
  "NoAction",
  "p4tc",
  "bpf_map",
  "tc",
  "__attribute__",
  "ƒøø",
  "x\u200by",
];

const HUGE_WIDTHS = ["0", "1", "63", "64", "65", "127", "128", "129", "512", "513", "2048", "8192", "65536", "4294967296", "99999999999999999999"];
const NUMBERS = ["0", "1", "-1", "0xffffffffffffffffffffffffffffffff", "8w256", "1w2", "0w0", "4294967296", "18446744073709551616", "99999999999999999999999999999", "65536"];

function tokens(source: string): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  for (const m of source.matchAll(TOKEN_RE)) out.push({ text: m[0], index: m.index! });
  return out;
}

function replaceToken(source: string, t: { text: string; index: number }, by: string): string {
  return source.slice(0, t.index) + by + source.slice(t.index + t.text.length);
}

/** The line index of the first `apply {` body (where statements may go), or -1. */
function applyLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (/\bapply\s*\{\s*$/.test(lines[i])) return i;
  return -1;
}

/** Some field access or name on an assignment's right side, as a nesting seed. */
function someExpression(source: string, r: Rng): string {
  const xs = [...source.matchAll(/\b(hdr\.[A-Za-z_][\w.]*)\s*[;)=]/g)].map((m) => m[1]);
  return xs.length > 0 ? r.pick(xs) : "1";
}

type Op = (source: string, r: Rng) => Mutant;

const ops: Record<string, Op> = {
  deleteToken(s, r) {
    const ts = tokens(s);
    if (ts.length === 0) return { op: "deleteToken", source: s };
    return { op: "deleteToken", source: replaceToken(s, r.pick(ts), "") };
  },
  duplicateToken(s, r) {
    const ts = tokens(s);
    if (ts.length === 0) return { op: "duplicateToken", source: s };
    const t = r.pick(ts);
    return { op: "duplicateToken", source: replaceToken(s, t, `${t.text} ${t.text}`) };
  },
  insertToken(s, r) {
    const ts = tokens(s);
    if (ts.length === 0) return { op: "insertToken", source: s };
    const t = r.pick(ts);
    return { op: "insertToken", source: replaceToken(s, t, `${r.pick(INSERTABLE)} ${t.text}`) };
  },
  swapTokens(s, r) {
    const ts = tokens(s);
    if (ts.length < 2) return { op: "swapTokens", source: s };
    const i = r.int(0, ts.length - 2);
    const a = ts[i], b = ts[i + 1];
    return { op: "swapTokens", source: s.slice(0, a.index) + b.text + s.slice(a.index + a.text.length, b.index) + a.text + s.slice(b.index + b.text.length) };
  },
  deleteLine(s, r) {
    const lines = s.split("\n");
    lines.splice(r.int(0, lines.length - 1), 1);
    return { op: "deleteLine", source: lines.join("\n") };
  },
  duplicateLine(s, r) {
    const lines = s.split("\n");
    const i = r.int(0, lines.length - 1);
    lines.splice(i, 0, lines[i]);
    return { op: "duplicateLine", source: lines.join("\n") };
  },
  swapLines(s, r) {
    const lines = s.split("\n");
    const i = r.int(0, lines.length - 1), j = r.int(0, lines.length - 1);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return { op: "swapLines", source: lines.join("\n") };
  },
  truncate(s, r) {
    return { op: "truncate", source: s.slice(0, r.int(0, s.length)) };
  },
  width(s, r) {
    const ms = [...s.matchAll(/\b(bit|int|varbit)<(\d+)>/g)];
    if (ms.length === 0) return { op: "width", source: s };
    const m = r.pick(ms);
    const w = r.pick(HUGE_WIDTHS);
    return { op: `width ${m[1]}<${w}>`, source: s.slice(0, m.index!) + `${m[1]}<${w}>` + s.slice(m.index! + m[0].length) };
  },
  number(s, r) {
    const ts = tokens(s).filter((t) => /^\d/.test(t.text));
    if (ts.length === 0) return { op: "number", source: s };
    const n = r.pick(NUMBERS);
    return { op: `number ${n}`, source: replaceToken(s, r.pick(ts), n) };
  },
  rename(s, r) {
    const ids = [...new Set(tokens(s).filter((t) => /^[A-Za-z_]/.test(t.text)).map((t) => t.text))];
    if (ids.length === 0) return { op: "rename", source: s };
    const from = r.pick(ids);
    const to = r.pick(HOSTILE_NAMES);
    return { op: `rename ${from} -> ${to.slice(0, 20)}`, source: s.replace(new RegExp(`\\b${from}\\b`, "g"), to) };
  },
  renameOne(s, r) {
    const ts = tokens(s).filter((t) => /^[A-Za-z_]/.test(t.text));
    if (ts.length === 0) return { op: "renameOne", source: s };
    return { op: "renameOne", source: replaceToken(s, r.pick(ts), r.pick(HOSTILE_NAMES)) };
  },
  deepParens(s, r) {
    const lines = s.split("\n");
    const at = applyLine(lines);
    const n = r.pick([50, 99, 100, 101, 150, 300, 2000]);
    const e = someExpression(s, r);
    if (at < 0) return { op: "deepParens", source: s };
    lines.splice(at + 1, 0, `${e} = ${"(".repeat(n)}${e}${")".repeat(n)};`);
    return { op: `deepParens ${n}`, source: lines.join("\n") };
  },
  deepIfs(s, r) {
    const lines = s.split("\n");
    const at = applyLine(lines);
    const n = r.pick([50, 98, 99, 100, 101, 130, 300, 2000]);
    if (at < 0) return { op: "deepIfs", source: s };
    const e = someExpression(s, r);
    const braces = r.chance(0.5);
    const open = braces ? `if (${e} == ${e}) {` : `if (${e} == ${e}) `;
    lines.splice(at + 1, 0, `${open.repeat(n)} ${e} = ${e}; ${braces ? "}".repeat(n) : ""}`);
    return { op: `deepIfs ${n}${braces ? " braced" : ""}`, source: lines.join("\n") };
  },
  longChain(s, r) {
    const lines = s.split("\n");
    const at = applyLine(lines);
    const n = r.pick([150, 195, 199, 200, 201, 700, 1000, 30000]);
    if (at < 0) return { op: "longChain", source: s };
    const e = someExpression(s, r);
    lines.splice(at + 1, 0, `${e} = ${Array(n).fill(r.chance(0.5) ? e : "1").join(` ${r.pick(["+", "&", "==", "&&", "++"])} `)};`);
    return { op: `longChain ${n}`, source: lines.join("\n") };
  },
  macroBomb(s, r) {
    const levels = r.int(10, 40);
    const fn = r.chance(0.5);
    const defs = fn
      ? ["#define B0(x) x", ...Array.from({ length: levels }, (_, k) => `#define B${k + 1}(x) B${k}(x) B${k}(x)`)]
      : ["#define B0 1", ...Array.from({ length: levels }, (_, k) => `#define B${k + 1} B${k}+B${k}`)];
    return { op: `macroBomb ${levels}${fn ? " function-like" : ""}`, source: `${defs.join("\n")}\nconst bit<8> BOMB = ${fn ? `B${levels}(1)` : `B${levels}`};\n${s}` };
  },
  selfMacro(s) {
    return { op: "selfMacro", source: `#define hdr hdr.hdr\n#define X(a) X(a) a\nX(1)\n${s}` };
  },
  includeCycle(s, r): Mutant {
    const self = r.chance(0.5);
    return self
      ? { op: "includeCycle self", source: `#include "mutant.p4"\n${s}`, files: {} }
      : { op: "includeCycle pair", source: `#include "a.p4"\n${s}`, files: { "a.p4": '#include "b.p4"\n', "b.p4": '#include "a.p4"\n' } };
  },
  directive(s, r) {
    const lines = s.split("\n");
    const d = r.pick(["#if", "#endif", "#else", "#elif 1", "#define", "#define X(", "#undef", "#error boom", "#line 99999999999", "#include", "#include <", "#ifdef", "#if 1/0", "#if (", "#pragma once", "#warning w"]);
    lines.splice(r.int(0, lines.length), 0, d);
    return { op: `directive ${d}`, source: lines.join("\n") };
  },
  longLine(s, r) {
    const n = r.pick([10000, 120000]);
    return { op: `longLine ${n}`, source: `const bit<8> LONG = 1${" + 0".repeat(n)};\n${s}` };
  },
  binaryNoise(s, r) {
    const at = r.int(0, s.length);
    const junk = Array.from({ length: r.int(1, 8) }, () => String.fromCharCode(r.int(0, 0x2ff))).join("");
    return { op: "binaryNoise", source: s.slice(0, at) + junk + s.slice(at) };
  },
};

export const MUTATION_OPS: readonly string[] = Object.keys(ops);

/**
 * How often each operation is picked, relative to 1: the inputs of a few
 * cost 10-50 times an ordinary compile (a 120,000-token line, a 30,000-term
 * chain, a 200,000-token macro expansion), so they come less often and the
 * rest of the run tries more inputs.
 */
const WEIGHTS: Readonly<Record<string, number>> = { longLine: 0.2, longChain: 0.4, macroBomb: 0.4 };
const TOTAL_WEIGHT = MUTATION_OPS.reduce((s, o) => s + (WEIGHTS[o] ?? 1), 0);

function pickOp(r: Rng): string {
  let x = r.next() * TOTAL_WEIGHT;
  for (const o of MUTATION_OPS) {
    x -= WEIGHTS[o] ?? 1;
    if (x < 0) return o;
  }
  return MUTATION_OPS[MUTATION_OPS.length - 1]!;
}

/** One mutant of `source` (1-3 stacked edits), chosen by `r`. */
export function mutate(source: string, r: Rng): Mutant {
  const n = r.chance(0.7) ? 1 : r.int(2, 3);
  let cur: Mutant = { op: "", source };
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = pickOp(r);
    const m = ops[name](cur.source, r);
    names.push(m.op);
    cur = { op: names.join(" + "), source: m.source, files: { ...(cur.files ?? {}), ...(m.files ?? {}) } };
  }
  return cur;
}
