/**
 * Prebuilt includes: the bundled architecture files (core.p4, tc/pna.p4,
 * pna.p4) preprocessed and parsed once, at build time, for the include
 * sequences programs start with. compile() replays a snapshot instead of
 * processing the file again only when it provably gives the same result
 * (compiler/preprocessor/prebuilt.ts for the preprocessor's conditions,
 * grammar/parse.ts for the parser's); otherwise the file is processed as
 * usual. `npm run build` records them into dist/p4ts-includes.json (and
 * .blobs) for the bundled CLI (scripts/bundle.mjs), stamped with the bundle's
 * build id: the
 * compiled modules and the TypeScript sources use them only when handed a set
 * (CompileOptions.prebuiltIncludes).
 */
import fs from "node:fs";
import path from "node:path";
import { DiagnosticBag } from "./diagnostics/index.js";
import { SourceFiles } from "./source.js";
import { preprocess } from "./preprocessor/index.js";
import type { IncludeSnapshot } from "./preprocessor/prebuilt.js";
import { parseInclude, parseP4, readDeclarations, writeDeclarations, type ParsedInclude } from "../grammar/parse.js";
import { initialTypeNames } from "../grammar/p4parser.js";
import { builtinIncludeDir, packageRoot } from "./paths.js";

export interface PrebuiltIncludes {
  /** The include directory the snapshots' paths are in. */
  readonly dir: string;
  readonly includes: readonly IncludeSnapshot[];
  /** By index of `includes`. */
  readonly parsed: readonly ParsedInclude[];
}

/** The include sequences recorded: how programs for the P4TC target and for the plain PNA file start. */
const sequences = [["core.p4", "tc/pna.p4"], ["tc/pna.p4"], ["core.p4", "pna.p4"], ["pna.p4"]];

function readFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}

function run(source: string, dir: string, read: (p: string) => string | undefined, opts: { record?: (s: IncludeSnapshot) => void; prebuilt?: readonly IncludeSnapshot[] }) {
  const diags = new DiagnosticBag();
  const files = new SourceFiles();
  const pp = preprocess({ file: "<prebuilt>", source, includePaths: [], builtinIncludeDir: dir, readFile: read, files, diags, ...opts });
  return { pp, diags, files };
}

/**
 * Records the snapshots of the files in `dir` (`read` as compile()'s
 * readFile). A sequence whose snapshots do not give what processing it gives
 * (sameAsProcessing) is left out.
 */
export function recordPrebuiltIncludes(dir = builtinIncludeDir, read = readFile): PrebuiltIncludes {
  const seen = new Set<string>();
  const includes: IncludeSnapshot[] = [];
  const parsed: ParsedInclude[] = [];
  for (const sequence of sequences) {
    const source = sequence.map((f) => `#include <${f}>\n`).join("");
    const snaps: IncludeSnapshot[] = [];
    const { diags } = run(source, dir, read, { record: (s) => void snaps.push(s) });
    if (diags.all().length > 0 || snaps.length !== sequence.length) continue;
    const { pp } = run(source, dir, read, { prebuilt: snaps });
    let typeNames = initialTypeNames;
    const parses: ParsedInclude[] = [];
    for (const u of pp.prebuilt) {
      const p = parseInclude(pp.text, u.start, u.end, pp.locate, diags, typeNames);
      if (!p) break;
      parses.push(p);
      typeNames = p.typeNames;
    }
    const set = { dir, includes: snaps, parsed: parses };
    if (parses.length !== snaps.length || !sameAsProcessing(source, set, read)) continue;
    snaps.forEach((s, k) => {
      const key = JSON.stringify([s, s.output(), parses[k], parses[k].declarations()], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
      if (seen.has(key)) return;
      seen.add(key);
      includes.push(s);
      parsed.push(parses[k]);
    });
  }
  return { dir, includes, parsed };
}

/**
 * True when compiling `source` (up to the parse) with the set gives what
 * processing every include gives: the same text, token positions, files read,
 * diagnostics and program; and the set's snapshots were used for it.
 */
export function sameAsProcessing(source: string, set: PrebuiltIncludes, read = readFile): boolean {
  const a = run(source, set.dir, read, {});
  const b = run(source, set.dir, read, { prebuilt: set.includes });
  if (b.pp.prebuilt.length === 0 || a.pp.text !== b.pp.text || JSON.stringify(a.files.names()) !== JSON.stringify(b.files.names())) return false;
  for (let k = 0; k < a.pp.text.length; k++) if (JSON.stringify(a.pp.locate(k)) !== JSON.stringify(b.pp.locate(k))) return false;
  const whole = parseP4(a.pp.text, a.pp.locate, a.diags);
  const joined = parseP4(b.pp.text, b.pp.locate, b.diags, { uses: b.pp.prebuilt, parsed: set.parsed });
  const show = (d: DiagnosticBag) => JSON.stringify(d.all());
  return show(a.diags) === show(b.diags) && JSON.stringify(whole.span) === JSON.stringify(joined.span) && writeDeclarations(whole.declarations) === writeDeclarations(joined.declarations);
}

/** True when the set gives, for each include sequence it was recorded for, what processing gives (the build's check of what it wrote). */
export function checkPrebuilt(set: PrebuiltIncludes, read = readFile): boolean {
  return sequences.every((sequence) => {
    const source = sequence.map((f) => `#include <${f}>\n`).join("");
    return sameAsProcessing(source, set, read);
  });
}

function readLatin1(p: string): string | undefined {
  try {
    return fs.readFileSync(p, "latin1");
  } catch {
    return undefined;
  }
}

/** Reads a part of a file (a blob of prebuiltFileText()); "" when it cannot (the use then fails to parse). */
function blobReader(file: string): (start: number, length: number) => string {
  return (start, length) => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(file, "r");
      const buf = Buffer.allocUnsafe(length);
      const n = fs.readSync(fd, buf, 0, length, start);
      return buf.toString("latin1", 0, n);
    } catch {
      return "";
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };
}

declare const __P4TS_BUILD_ID: string | undefined;
let bundled: PrebuiltIncludes | null | undefined;

/** The set the build recorded for the bundled CLI (dist/p4ts-includes.json, same build id), or undefined. */
export function bundledPrebuilt(): PrebuiltIncludes | undefined {
  if (bundled === undefined) {
    bundled = null;
    if (typeof __P4TS_BUILD_ID === "string") {
      const header = readLatin1(path.join(packageRoot, "dist", "p4ts-includes.json"));
      if (header !== undefined) bundled = readPrebuiltFile(header, __P4TS_BUILD_ID, builtinIncludeDir, blobReader(path.join(packageRoot, "dist", "p4ts-includes.blobs"))) ?? null;
    }
  }
  return bundled ?? undefined;
}

/*
 * The file: a JSON header line, then the blobs it points to (each include's
 * output and each parse's declarations, read when used). Paths in the header
 * are rewritten when the package is no longer where the set was recorded.
 */
interface FileHeader {
  readonly id: string;
  readonly dir: string;
  /** The texts of the files read, each once. */
  readonly texts: readonly string[];
  readonly includes: (Omit<IncludeSnapshot, "output" | "reads"> & { readonly reads: readonly (readonly [string, number])[]; readonly output: BlobRef })[];
  readonly parsed: (Omit<ParsedInclude, "declarations"> & { readonly declarations: BlobRef })[];
}
/** A blob's offset and length in the blob file, and the file table of its positions. */
type BlobRef = readonly [number, number, readonly string[]];

/** JSON text in ASCII (read as latin1, the cheapest decoding): other characters as \\u escapes. */
const ascii = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * The files bundledPrebuilt() reads: `set` stamped with the bundle's build
 * id, as a header (JSON) and the blobs it points to, read when used (each
 * include's output and each parse's declarations).
 */
export function prebuiltFileText(set: PrebuiltIncludes, id: string): { header: string; blobs: string } {
  const blobs: string[] = [];
  let at = 0;
  const blob = (json: string, files: readonly string[]): BlobRef => {
    const text = ascii(json);
    blobs.push(text);
    at += text.length;
    return [at - text.length, text.length, files];
  };
  const texts: string[] = [];
  const textIndex = (t: string) => (texts.includes(t) ? texts.indexOf(t) : texts.push(t) - 1);
  const header: FileHeader = {
    id,
    dir: set.dir,
    texts,
    includes: set.includes.map((s) => {
      const { text, offsets, files, lines, cols } = s.output();
      const table = [...new Set(files)];
      const reads = s.reads.map((r) => [r.file, textIndex(r.text)] as const);
      return { ...s, reads, output: blob(JSON.stringify({ text, offsets, files: files.map((f) => table.indexOf(f)), lines, cols }), table) };
    }),
    parsed: set.parsed.map((p) => {
      const table: string[] = [];
      return { ...p, declarations: blob(writeDeclarations(p.declarations(), table), table) };
    }),
  };
  return { header: ascii(JSON.stringify(header)), blobs: blobs.join("") };
}

/** The set in the files prebuiltFileText() wrote (`blob` reads the blobs' text), with the paths moved to `dir`; undefined when its id is not `id`. */
export function readPrebuiltFile(headerText: string, id: string, dir: string, blob: (start: number, length: number) => string): PrebuiltIncludes | undefined {
  const header = JSON.parse(headerText) as FileHeader;
  if (header.id !== id) return undefined;
  const from = header.dir;
  const move = <T>(v: T): T => {
    if (from === dir) return v;
    if (typeof v === "string") return (v === from || v.startsWith(from + path.sep) ? dir + v.slice(from.length) : v) as T;
    if (Array.isArray(v)) return v.map(move) as T;
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, move(x)])) as T;
    return v;
  };
  const includes = header.includes.map((h): IncludeSnapshot => {
    const s = move(h);
    return {
      ...s,
      reads: s.reads.map(([file, t]) => ({ file, text: header.texts[t] })),
      output: () => {
        const o = JSON.parse(blob(s.output[0], s.output[1])) as { text: string; offsets: number[]; files: number[]; lines: number[]; cols: number[] };
        return { ...o, files: o.files.map((f) => s.output[2][f]) };
      },
    };
  });
  const parsed = header.parsed.map((h): ParsedInclude => {
    const p = move(h);
    return { ...p, declarations: () => readDeclarations(blob(p.declarations[0], p.declarations[1]), p.declarations[2]) };
  });
  return { dir, includes, parsed };
}
