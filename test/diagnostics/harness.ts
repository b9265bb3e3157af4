// The harness of the catalog trigger tables (catalog.test.ts and the tables it
// imports): whole PNA programs built around a snippet, and the check that a
// catalog entry is reported at the line marked `/*@*/`, through compile().
import * as path from "node:path";
import { compile, type CompileOptions } from "../../compiler/compile.js";
import { Msg, type MsgName } from "../../compiler/diagnostics/index.js";

export const PNA = `#include <core.p4>
#include <tc/pna.p4>
`;
export const TYPES = `header h_t { bit<8> a; bit<16> b; bit<32> c; }
struct headers_t { h_t h; }
struct meta_t { }
`;
const PARSER = (states = "state start { pkt.extract(hdr.h); transition accept; }"): string =>
  `parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, in pna_main_parser_input_metadata_t istd) {\n${states}\n}\n`;
const DEPARSER = `control D(packet_out pkt, inout headers_t hdr, in meta_t meta, in pna_main_output_metadata_t ostd) {
    apply { pkt.emit(hdr.h); }
}
`;
export const MAIN = "PNA_NIC(P(), C(), D()) main;\n";

/** A whole PNA program: `top` declarations, the main control with `locals` and `apply { body }`. */
export function prog(locals: string, body = "", top = "", states?: string): string {
  return `${PNA}${TYPES}${top}
${PARSER(states)}control C(inout headers_t hdr, inout meta_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {
    action drop() { drop_packet(); }
${locals}
    apply {
${body}
    }
}
${DEPARSER}${MAIN}`;
}

/** A keyed table `name` with `props` (actions default to drop). */
export const table = (name: string, props = "", key = "hdr.h.c : exact;"): string =>
  `    table ${name} { key = { ${key} } actions = { drop; } ${props} }\n`;

export interface Case {
  /** The program; its line holding the marker (MARK) is where the diagnostic must point. */
  readonly src: string;
  /** Extra compile options (includes, defines, a virtual file system). */
  readonly opts?: Partial<CompileOptions>;
  /** File the diagnostic must be in (default: the main file); null: a diagnostic without location. */
  readonly file?: string | null;
}

export const FILE = "cat_prog.p4";

/** A table of catalog entries and the inputs that trigger them. */
export type Cases = Partial<Record<MsgName, Case>>;

const MARK = "/*@*/";

function markedLine(src: string): number {
  return src.split("\n").findIndex((l) => l.includes(MARK)) + 1;
}

/** Compiles the case and expects the entry `name` reported at the marked line of its file (or unlocated). */
export function expectTriggered(name: MsgName, c: Case): void {
  const code = Msg[name].code;
  const r = compile({ input: { source: c.src, fileName: FILE }, ...c.opts });
  const hits = r.diagnostics.filter((d) => d.code === code);
  if (hits.length === 0) throw new Error(`${name} (${code}) not reported; got ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join(" | ")}`);
  if (c.file === null) {
    expect(hits.some((d) => d.span === undefined)).toBe(true);
    return;
  }
  const want = { file: c.file ?? FILE, line: c.file ? 1 : markedLine(c.src) };
  expect(hits.map((d) => ({ file: path.basename(d.span?.file ?? ""), line: d.span?.line }))).toContainEqual(want);
}
