/** The fuzzer's seedable random numbers (the generator, the mutator and difftest use it). */

/** mulberry32: a small, fast, seedable PRNG. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** A random value of `width` bits, as a decimal BigInt string. */
  bits(width: number): bigint {
    let v = 0n;
    for (let i = 0; i < width; i += 16) v = (v << 16n) | BigInt(this.int(0, 0xffff));
    const interesting = [0n, 1n, (1n << BigInt(width)) - 1n, 1n << BigInt(width - 1)];
    if (this.chance(0.3)) v = this.pick(interesting);
    return v & ((1n << BigInt(width)) - 1n);
  }
}
