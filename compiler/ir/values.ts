/**
 * Key values as the kernel matches them, shared by the back ends (how a
 * const entry is spelled for iproute2) and the targets (how an entry is
 * loaded): all-ones masks and P4 ranges split into value/mask pairs.
 */

/** Upper bound on the kernel entries one const entry may expand to (its ranges' value/mask pairs multiplied). */
export const MAX_ENTRY_EXPANSION = 4096;

/** All-ones mask of `width` bits. */
export function fullMask(width: number): bigint {
  return (1n << BigInt(width)) - 1n;
}

/**
 * Splits the inclusive range `[low, high]` of `width`-bit values into the
 * smallest list of value/mask pairs that match exactly that range (the
 * classic prefix cover), in ascending order.
 */
export function rangeToMasks(low: bigint, high: bigint, width: number): { value: bigint; mask: bigint }[] {
  const full = fullMask(width);
  const out: { value: bigint; mask: bigint }[] = [];
  let lo = low < 0n ? 0n : low;
  const hi = high > full ? full : high;
  while (lo <= hi) {
    let size = 1n;
    while (size <= full && lo % (size * 2n) === 0n && lo + size * 2n - 1n <= hi) size *= 2n;
    out.push({ value: lo, mask: full & ~(size - 1n) });
    lo += size;
  }
  return out;
}
