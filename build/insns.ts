/**
 * Instruction-slot counts of BPF objects, on the basis the baseline uses:
 * the size of each program section as `llvm-readelf -S` prints it, divided
 * by 8 (an instruction is 8 bytes; a 64-bit immediate load takes two slots).
 *
 * When no llvm-readelf is installed, the section headers are read directly
 * from the ELF file, which gives the same numbers.
 */
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { whichAll } from "./clang.js";

export interface ElfSection {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** Flags in readelf's letters (A alloc, W write, X exec, ...). */
  readonly flags: string;
}

export interface InsnSlotOptions {
  /** Environment for finding and running llvm-readelf; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** A readelf to use, or false to read the ELF file directly. Default: $LLVM_READELF, llvm-readelf-19, llvm-readelf, llvm-readelf-NN. */
  readonly readelf?: string | false;
}

const READELF_NAMES = ["llvm-readelf-19", "llvm-readelf", ...Array.from({ length: 11 }, (_, i) => `llvm-readelf-${24 - i}`)];

/** The llvm-readelf to use, or undefined when none is on PATH. */
export function findReadelf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.LLVM_READELF) return env.LLVM_READELF;
  for (const n of READELF_NAMES) {
    const hit = whichAll(n, env)[0];
    if (hit) return hit;
  }
  return undefined;
}

/** Parses `llvm-readelf -S` (GNU style) output into sections. */
export function parseReadelfSections(text: string): ElfSection[] {
  const out: ElfSection[] = [];
  // [Nr] Name Type Address Off Size ES Flg Lk Inf Al
  const re = /^\s*\[\s*\d+\]\s+(\S+)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+\s*$/;
  for (const line of text.split("\n")) {
    const m = re.exec(line);
    if (!m) continue;
    out.push({ name: m[1]!, type: m[2]!, size: parseInt(m[3]!, 16), flags: m[4]! });
  }
  return out;
}

const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;

const SECTION_TYPES: Record<number, string> = { 0: "NULL", 1: "PROGBITS", 2: "SYMTAB", 3: "STRTAB", 4: "RELA", 8: "NOBITS", 9: "REL" };

/** Reads the section headers of a 64-bit ELF object (either byte order). */
export function readElfSections(objPath: string): ElfSection[] {
  const buf = fs.readFileSync(objPath);
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${objPath}: not an ELF file`);
  if (buf[4] !== 2) throw new Error(`${objPath}: not a 64-bit ELF file`);
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  const shoff = u64(0x28);
  const shentsize = u16(0x3a);
  const shnum = u16(0x3c);
  const shstrndx = u16(0x3e);
  if (shoff === 0 || shnum === 0) return [];
  if (shentsize < 64 || shoff + shnum * shentsize > buf.length) throw new Error(`${objPath}: bad section header table`);
  const hdr = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: u32(o), type: u32(o + 4), flags: u64(o + 8), offset: u64(o + 24), size: u64(o + 32) };
  };
  const strtab = hdr(shstrndx);
  const nameAt = (off: number) => {
    const start = strtab.offset + off;
    const end = buf.indexOf(0, start);
    return buf.toString("latin1", start, end < 0 ? buf.length : end);
  };
  const out: ElfSection[] = [];
  for (let i = 1; i < shnum; i++) {
    const h = hdr(i);
    const flags = (h.flags & SHF_WRITE ? "W" : "") + (h.flags & SHF_ALLOC ? "A" : "") + (h.flags & SHF_EXECINSTR ? "X" : "");
    out.push({ name: nameAt(h.name), type: SECTION_TYPES[h.type] ?? `0x${h.type.toString(16)}`, size: h.size, flags });
  }
  return out;
}

/** The sections of `objPath`, through llvm-readelf when available, else read directly. */
export function objectSections(objPath: string, opts: InsnSlotOptions = {}): ElfSection[] {
  const env = opts.env ?? process.env;
  const readelf = opts.readelf === false ? undefined : (opts.readelf ?? findReadelf(env));
  if (readelf === undefined) return readElfSections(objPath);
  const r = spawnSync(readelf, ["-S", "-W", objPath], { env, encoding: "utf8", timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run ${readelf}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${readelf} -S ${objPath} failed: ${(r.stderr ?? "").trim()}`);
  return parseReadelfSections(r.stdout ?? "");
}

/**
 * Instruction slots (section size / 8) of every executable section of a BPF
 * object, e.g. { "p4tc/parse": 131, ".text": 0 } for a parser object.
 */
export function sectionInsnSlots(objPath: string, opts: InsnSlotOptions = {}): Record<string, number> {
  const slots: Record<string, number> = {};
  for (const s of objectSections(objPath, opts)) {
    if (s.flags.includes("X")) slots[s.name] = s.size / 8;
  }
  return slots;
}
