/** Packet bytes: headers read from and written to the packet, bit strings cut into bytes. */
import type { HeaderLayout } from "../../compiler/ir/datapath.js";
import { container, fit, lit, mask } from "./cexpr.js";
import type { CWriter } from "./writer.js";

/** Byte-aligned 16-, 32- and 64-bit fields are loaded and stored whole (one access and a byte swap). */
const WHOLE: Readonly<Record<number, { t: string; swap: string }>> = {
  16: { t: "__u16", swap: "bpf_htons" },
  32: { t: "__u32", swap: "bpf_htonl" },
  64: { t: "__u64", swap: "bpf_htonll" },
};

function whole(f: { width: number; bitOffset: number }): { t: string; swap: string } | undefined {
  return f.bitOffset % 8 === 0 ? WHOLE[f.width] : undefined;
}

/** Other byte-aligned fields of whole bytes (24, 40, 48, 56 bits): loaded and stored in 4-, 2- and 1-byte pieces, most significant first. */
function pieces(f: { width: number; bitOffset: number }): number[] | undefined {
  if (f.bitOffset % 8 !== 0 || f.width % 8 !== 0 || f.width > 64 || WHOLE[f.width] || f.width === 8) return undefined;
  const out: number[] = [];
  for (let left = f.width / 8; left > 0; ) {
    const n = left >= 4 ? 4 : left >= 2 ? 2 : 1;
    out.push(n);
    left -= n;
  }
  return out;
}

const PIECE: Readonly<Record<number, { t: string; swap: string }>> = { 4: WHOLE[32]!, 2: WHOLE[16]!, 1: { t: "__u8", swap: "" } };

/** C statements reading header `h` at packet address `at` (bounds already checked) into `dst`, but for the fields in `skip` (nobody reads them). */
export function extractFields(w: CWriter, h: HeaderLayout, dst: string, at: string, skip: ReadonlySet<string> = new Set()): void {
  for (const f of h.fields) {
    if (skip.has(f.name)) continue;
    const first = Math.floor(f.bitOffset / 8);
    const wf = whole(f);
    if (wf) {
      w.line(`${dst}.${f.name} = ${wf.swap}(*(${wf.t} *)(${at} + ${first}));`);
      continue;
    }
    const ps = pieces(f);
    // A 24-, 40-, 48- or 56-bit field: one wider load (32 or 64 bits) that stays inside the header (whose bytes are
    // bounds-checked before), starting at the field and shifted down, or ending with it and shifted up and down.
    const wider = ps ? (f.width < 32 ? WHOLE[32]! : WHOLE[64]!) : undefined;
    const wBytes = wider === WHOLE[32] ? 4 : 8;
    if (wider && first + wBytes <= h.bits / 8) {
      w.line(`${dst}.${f.name} = (${container(f.width)})(${wider.swap}(*(${wider.t} *)(${at} + ${first})) >> ${8 * wBytes - f.width});`);
      continue;
    }
    if (wider && first + f.width / 8 - wBytes >= 0) {
      const up = 8 * wBytes - f.width;
      w.line(`${dst}.${f.name} = (${container(f.width)})((${wider.t})(${wider.swap}(*(${wider.t} *)(${at} + ${first + f.width / 8 - wBytes})) << ${up}) >> ${up});`);
      continue;
    }
    if (ps) {
      let k = first;
      let rest = f.width;
      const parts = ps.map((n) => {
        rest -= 8 * n;
        const load = `(__u64)${PIECE[n]!.swap}(*(${PIECE[n]!.t} *)(${at} + ${k}))`;
        k += n;
        return rest === 0 ? load : `(${load} << ${rest})`;
      });
      w.line(`${dst}.${f.name} = (${container(f.width)})(${parts.join(" | ")});`);
      continue;
    }
    if (f.width > 64) {
      if (f.bitOffset % 8 === 0 && f.width % 8 === 0) copyChunks(w, `${dst}.${f.name}`, 0, at, first, f.width / 8);
      else w.line(`__builtin_memcpy(${dst}.${f.name}, ${at} + ${first}, ${Math.ceil(f.width / 8)});`);
      continue;
    }
    const last = Math.floor((f.bitOffset + f.width - 1) / 8);
    const n = last - first + 1;
    if (n > 8) {
      // Nine bytes: the first byte's bits go on top of the next eight's (a 64-bit shift would overflow).
      const lowBits = f.width - (8 - (f.bitOffset % 8));
      const low = Array.from({ length: 8 }, (_, i) => (i === 7 ? `(__u64)${at}[${first + 1 + i}]` : `((__u64)${at}[${first + 1 + i}] << ${8 * (7 - i)})`));
      const high = `(((__u64)${at}[${first}] & ${lit(mask(8 - (f.bitOffset % 8)), 64)}) << ${lowBits})`;
      w.line(`${dst}.${f.name} = ${fit(`(${high} | ((${low.join(" | ")}) >> ${64 - lowBits}))`, { width: f.width, signed: false })};`);
      continue;
    }
    // A field inside 2, 4 or 8 bytes of the header: one load of that width and a byte swap, shifted and masked.
    const span = n === 1 ? undefined : [2, 4, 8].find((b) => b >= n && first + b <= h.bits / 8);
    if (span) {
      const wl = WHOLE[8 * span]!;
      const right = 8 * span - (f.bitOffset % 8) - f.width;
      const v = `(__u64)${wl.swap}(*(${wl.t} *)(${at} + ${first}))`;
      w.line(`${dst}.${f.name} = ${fit(right === 0 ? v : `${v} >> ${right}`, { width: f.width, signed: false })};`);
      continue;
    }
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const shift = 8 * (n - 1 - i);
      parts.push(shift === 0 ? `(__u64)${at}[${first + i}]` : `((__u64)${at}[${first + i}] << ${shift})`);
    }
    const right = 8 * n - (f.bitOffset % 8) - f.width;
    const value = right === 0 ? parts.join(" | ") : `(${parts.join(" | ")}) >> ${right}`;
    w.line(`${dst}.${f.name} = ${fit(value, { width: f.width, signed: false })};`);
  }
  w.line(`${dst}.ebpf_valid = 1;`);
}

/**
 * `n` bytes from `src + s` to `dst + d` in 8-, 4-, 2- and 1-byte moves (a byte array of a wide field, in network
 * order on both sides): a memcpy between byte pointers would move one byte at a time on BPF.
 */
function copyChunks(w: CWriter, dst: string, d: number, src: string, s: number, n: number): void {
  const T: Readonly<Record<number, string>> = { 8: "__u64", 4: "__u32", 2: "__u16", 1: "__u8" };
  for (let k = 0; k < n; ) {
    const m = n - k >= 8 ? 8 : n - k >= 4 ? 4 : n - k >= 2 ? 2 : 1;
    w.line(`*(${T[m]} *)(${dst} + ${d + k}) = *(${T[m]} *)(${src} + ${s + k});`);
    k += m;
  }
}

/** The C expression of byte `j` of a bit string made of `fields` (MSB first), each a C value of the given width. */
export function byteOf(fields: readonly { c: string; width: number; bitOffset: number; bytes?: boolean; wide?: boolean }[], j: number): string {
  const parts: string[] = [];
  for (const f of fields) {
    const start = Math.max(f.bitOffset, 8 * j);
    const end = Math.min(f.bitOffset + f.width, 8 * j + 8);
    if (start >= end) continue;
    if (f.bytes) {
      parts.push(`${f.c}[${j - f.bitOffset / 8}]`);
      continue;
    }
    const len = end - start;
    const f0 = start - f.bitOffset;
    const down = f.width - f0 - len;
    const up = 8 - (start - 8 * j) - len;
    let v = down === 0 ? `(__u64)${f.c}` : f.wide ? `(__u64)(${f.c} >> ${down})` : `((__u64)${f.c} >> ${down})`;
    if (len < 8 || f.width - f0 > len) v = `(${v} & ${lit(mask(len), 64)})`;
    parts.push(up === 0 ? v : `(${v} << ${up})`);
  }
  return parts.length === 0 ? "0" : `(__u8)(${parts.join(" | ")})`;
}

/** C statements writing header `src` (layout `h`) to the packet at `at` (bounds already checked). */
export function writeHeader(w: CWriter, h: HeaderLayout, src: string, at: string): void {
  const fields = h.fields.map((f) => ({ c: `${src}.${f.name}`, width: f.width, bitOffset: f.bitOffset, bytes: f.width > 64 }));
  const covered = new Set<number>();
  for (const f of h.fields) {
    const wf = whole(f);
    const ps = pieces(f);
    if (wf) w.line(`*(${wf.t} *)(${at} + ${f.bitOffset / 8}) = ${wf.swap}(${src}.${f.name});`);
    else if (ps) {
      let k = f.bitOffset / 8;
      let rest = f.width;
      for (const n of ps) {
        rest -= 8 * n;
        w.line(`*(${PIECE[n]!.t} *)(${at} + ${k}) = ${PIECE[n]!.swap}((${PIECE[n]!.t})(${src}.${f.name} >> ${rest}));`);
        k += n;
      }
    } else if (f.width > 64 && f.bitOffset % 8 === 0 && f.width % 8 === 0) copyChunks(w, at, f.bitOffset / 8, `${src}.${f.name}`, 0, f.width / 8);
    else continue;
    for (let j = 0; j < f.width / 8; j++) covered.add(f.bitOffset / 8 + j);
  }
  for (let j = 0; j < h.bits / 8; j++) if (!covered.has(j)) w.line(`${at}[${j}] = ${byteOf(fields, j)};`);
}
