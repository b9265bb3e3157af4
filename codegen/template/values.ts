/**
 * How constants are spelled for iproute2 (`tc p4template … entry`,
 * `param NAME VALUE`, JSON `default_value`).
 *
 * iproute2 parses a value with the parse function of its P4TC type
 * (`tc/p4_types.c`): `bitN`/`beN` with `strtoul` base 0 (decimal, `0x` hex,
 * leading-0 octal) and an optional `/MASK` in hex; `bitN` wider than 64 only
 * as hex without mask; `ipv4` as a dotted quad with `/LEN` or `/0xMASK`
 * (a plain number is accepted but leaves the key mask at zero); `ipv6` as
 * IPv6 text with `/LEN` or `/0x` + 32 hex digits; `macaddr` as `aa:bb:…`;
 * `dev` as an interface name or an ifindex. P4 ranges (`lo..hi`) and masks
 * written P4-style (`v&&&m`) are not understood at all, and P4 binary
 * (`0b…`) or `0o…` literals are not numbers to `strtoul`.
 *
 * Rule kept from the reference: a plain decimal or `0x` hex literal is printed
 * as written (the P4 source's base). Everything else is printed in the form
 * iproute2 parses.
 */
import { CodegenError, P4TC_NAMED_TYPE_WIDTH, type ConstKeyValue, type KeyFieldModel, type P4tcType } from "../../compiler/ir/pipeline.js";
import { fullMask, rangeToMasks } from "../../compiler/ir/values.js";

const PLAIN_DEC_OR_HEX = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;
const PLAIN_HEX = /^0[xX][0-9a-fA-F]+$/;

/** Width in bits of a P4TC type string. */
export function typeWidth(type: P4tcType): number {
  const m = /^bit([0-9]+)$/.exec(type);
  return m ? Number(m[1]) : P4TC_NAMED_TYPE_WIDTH[type as keyof typeof P4TC_NAMED_TYPE_WIDTH];
}

/** `0x` + lower-case hex. */
export function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/** `0x` + exactly `digits` hex digits (zero-padded). */
function hexPadded(v: bigint, digits: number): string {
  return `0x${v.toString(16).padStart(digits, "0")}`;
}

function bytesOf(v: bigint, n: number): number[] {
  const out: number[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** Dotted-quad IPv4 text of a 32-bit value. */
export function ipv4Text(v: bigint): string {
  return bytesOf(v, 4).join(".");
}

/** IPv6 text of a 128-bit value (eight groups, no `::` compression). */
export function ipv6Text(v: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(16 * i)) & 0xffffn).toString(16));
  return groups.join(":");
}

/** `aa:bb:cc:dd:ee:ff` text of a 48-bit value. */
export function macText(v: bigint): string {
  return bytesOf(v, 6)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join(":");
}

/** Prefix length of `mask` within `width` bits, or `null` if it is not a prefix mask. */
export function prefixLength(mask: bigint, width: number): number | null {
  for (let len = 0; len <= width; len++) {
    if (mask === (fullMask(len) << BigInt(width - len))) return len;
  }
  return null;
}

/**
 * A single value of type `type` as iproute2 parses it (for action params,
 * default values and exact key values). `text` is the reference's spelling
 * (P4 literal in its original base), used when iproute2 reads it the same way.
 */
export function formatValue(type: P4tcType, text: string | null, value: bigint): string {
  switch (type) {
    case "ipv4":
      return ipv4Text(value);
    case "ipv6":
      return ipv6Text(value);
    case "macaddr":
      return macText(value);
    case "dev":
      return text !== null && /^[0-9]+$/.test(text) ? text : value.toString(10);
    default: {
      const width = typeWidth(type);
      if (text !== null && (width > 64 ? PLAIN_HEX : PLAIN_DEC_OR_HEX).test(text)) return text;
      return hex(value);
    }
  }
}

/** `value/mask` of type `type` as iproute2 parses it; `value` is already ANDed with `mask`. */
function formatMasked(key: KeyFieldModel, value: bigint, mask: bigint): string {
  const width = key.bitwidth;
  if (mask === fullMask(width)) return formatValue(key.type, null, value);
  const bad = (why: string): never => {
    throw new CodegenError(`key ${key.name} (${key.type}): ${why} cannot be expressed for iproute2`);
  };
  switch (key.type) {
    case "ipv4": {
      const len = prefixLength(mask, 32);
      return `${ipv4Text(value)}/${len !== null ? len : hexPadded(mask, 8)}`;
    }
    case "ipv6": {
      const len = prefixLength(mask, 128);
      return `${ipv6Text(value)}/${len !== null ? len : hexPadded(mask, 32)}`;
    }
    case "macaddr":
      return `${macText(value)}/${hexPadded(mask, 12)}`;
    case "dev":
      return bad("a masked dev value");
    default:
      if (typeWidth(key.type) > 64) return bad("a masked value wider than 64 bits");
      return `${hex(value)}/${hex(mask)}`;
  }
}

/** One kernel match of a key field: iproute2 spelling plus the value/mask it stands for. */
export interface KeyMatch {
  /** What the template prints. */
  text: string;
  /** Matched value (already ANDed with `mask`). */
  value: bigint;
  /** Mask (all ones for an exact value). */
  mask: bigint;
}

/**
 * The kernel matches of one const-entry key value. Usually one; a range that
 * is not a single prefix gives several (one kernel entry each); an empty range
 * gives none.
 */
export function formatKeyValue(key: KeyFieldModel, v: ConstKeyValue): KeyMatch[] {
  const width = key.bitwidth;
  const full = fullMask(width);
  const masked = (value: bigint, mask: bigint): KeyMatch => ({ text: formatMasked(key, value & mask, mask), value: value & mask, mask });
  switch (v.kind) {
    case "value":
      return [{ text: formatValue(key.type, v.text, v.value), value: v.value, mask: full }];
    case "mask":
      return [masked(v.value, v.mask & full)];
    case "range":
      return rangeToMasks(v.low, v.high, width).map((p) => masked(p.value, p.mask));
    case "dontcare":
      if (key.matchKind === "exact") throw new CodegenError(`key ${key.name}: a don't-care value on an exact key`);
      return [masked(0n, 0n)];
  }
}

const SHELL_SAFE_VALUE = /^[A-Za-z0-9_.:/]+$/;

/** True when a formatted value may be printed unquoted in the script. */
export function isShellSafeValue(s: string): boolean {
  return SHELL_SAFE_VALUE.test(s);
}
