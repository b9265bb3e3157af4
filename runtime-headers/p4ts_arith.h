/* SPDX-License-Identifier: Apache-2.0 */
/*
 * p4ts_arith.h - exact P4 arithmetic on values wider than 64 bits.
 *
 * Written for the p4ts project. Generated C holds a bit<W>/int<W> value with
 * 64 < W <= 128 as a byte array of (W + 7) / 8 bytes in network order, the
 * value right-aligned and its unused top bits zero. Expressions on such
 * values compute in unsigned __int128 (p4ts_u128): loaded from the array,
 * computed, masked to W bits and stored back.
 *
 * clang lowers 128-bit add, subtract, bitwise operations, comparisons and
 * shifts by a constant to plain 64-bit BPF instructions, but 128-bit
 * multiply, divide, modulo and shifts by a variable amount to calls of
 * __multi3/__udivti3/__umodti3/__ashlti3/__lshrti3/__ashrti3, which BPF
 * does not have. The helpers below do them with 64-bit halves and 64-bit
 * multiplies and divisions instead, with no data-dependent loop and
 * constant shift amounts only (outside 64-bit halves), so the header builds
 * both for BPF (clang --target=bpf) and natively (gcc or clang, for the
 * unit tests). Division and variable shifts are, for BPF, global functions
 * that the verifier checks once (see p4ts_divrem128, p4ts_shift128). It
 * needs only the __u8..__u64 types; it declares them itself when
 * p4ts_bpf.h has not been included.
 */
#ifndef P4TS_ARITH_H
#define P4TS_ARITH_H

#ifndef P4TS_BPF_H
typedef unsigned char __u8;
typedef unsigned long long __u64;
typedef signed long long __s64;
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

typedef unsigned __int128 p4ts_u128;
typedef __int128 p4ts_s128;

/* A 128-bit constant from its two 64-bit halves. */
#define P4TS_U128(hi, lo) (((p4ts_u128)(hi) << 64) | (p4ts_u128)(lo))

/* The value of the n (1..16) network-order bytes at p. */
static __always_inline p4ts_u128 p4ts_load_be(const __u8 *p, unsigned n)
{
	p4ts_u128 v = 0;
	for (unsigned i = 0; i < n && i < 16; i++)
		v = (v << 8) | p[i];
	return v;
}

/* The value of the n (1..16) little-endian bytes at p. */
static __always_inline p4ts_u128 p4ts_load_le(const __u8 *p, unsigned n)
{
	p4ts_u128 v = 0;
	for (unsigned i = 0; i < n && i < 16; i++)
		v = (v << 8) | p[n - 1 - i];
	return v;
}

/* Stores the low 8n bits of v at p as n (1..16) network-order bytes. */
static __always_inline void p4ts_store_be(__u8 *p, unsigned n, p4ts_u128 v)
{
	for (unsigned i = 0; i < n && i < 16; i++) {
		p[n - 1 - i] = (__u8)v;
		v >>= 8;
	}
}

/*
 * -v modulo 2^128, on 64-bit halves: clang folds a plain 128-bit negation of
 * a shifted value into a multiply, which BPF cannot do.
 */
static __always_inline p4ts_u128 p4ts_neg128(p4ts_u128 v)
{
	__u64 lo = (__u64)v, hi = (__u64)(v >> 64);
	return ((p4ts_u128)(~hi + (lo == 0)) << 64) | (__u64)(-lo);
}

/*
 * a - b modulo 2^128, on 64-bit halves: clang folds a 128-bit subtraction
 * of a shifted value (a - (b << k)) into a multiply by -2^k, as it does a
 * negation (above).
 */
static __always_inline p4ts_u128 p4ts_sub128(p4ts_u128 a, p4ts_u128 b)
{
	__u64 al = (__u64)a, ah = (__u64)(a >> 64), bl = (__u64)b, bh = (__u64)(b >> 64);
	return ((p4ts_u128)(ah - bh - (al < bl)) << 64) | (__u64)(al - bl);
}

/* a * b modulo 2^128, from six 64-bit multiplies. */
static __always_inline p4ts_u128 p4ts_mul128(p4ts_u128 a, p4ts_u128 b)
{
	__u64 al = (__u64)a, ah = (__u64)(a >> 64);
	__u64 bl = (__u64)b, bh = (__u64)(b >> 64);
	/* al * bl in full, from 32-bit halves. */
	__u64 a0 = al & 0xffffffffULL, a1 = al >> 32;
	__u64 b0 = bl & 0xffffffffULL, b1 = bl >> 32;
	__u64 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	__u64 mid = (p00 >> 32) + (p01 & 0xffffffffULL) + (p10 & 0xffffffffULL);
	__u64 lo = (mid << 32) | (p00 & 0xffffffffULL);
	__u64 hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	hi += ah * bl + al * bh;
	return ((p4ts_u128)hi << 64) | lo;
}

/* The number of leading zero bits of v != 0 (BPF has no clz instruction). */
static __always_inline unsigned p4ts_clz64(__u64 v)
{
	unsigned n = 0;
	if (!(v >> 32)) {
		n += 32;
		v <<= 32;
	}
	if (!(v >> 48)) {
		n += 16;
		v <<= 16;
	}
	if (!(v >> 56)) {
		n += 8;
		v <<= 8;
	}
	if (!(v >> 60)) {
		n += 4;
		v <<= 4;
	}
	if (!(v >> 62)) {
		n += 2;
		v <<= 2;
	}
	if (!(v >> 63))
		n += 1;
	return n;
}

/*
 * (u1:u0) / v and the remainder, for u1 < v (so that the quotient fits 64
 * bits): long division in base 2^32 with a normalised divisor, each
 * quotient digit estimated by one 64-bit division and corrected at most
 * twice (Knuth's algorithm D, as in Hacker's Delight, divlu). No loop: the
 * verifier walks it in a few hundred instructions, where a bit-by-bit loop
 * of 128 rounds exceeds its budget.
 */
static __always_inline __u64 p4ts_divlu(__u64 u1, __u64 u0, __u64 v, __u64 *rem)
{
	const __u64 B = 1ULL << 32;
	unsigned s = p4ts_clz64(v);
	v <<= s;
	__u64 vn1 = v >> 32, vn0 = v & 0xffffffffULL;
	__u64 un32 = s ? (u1 << s) | (u0 >> (64 - s)) : u1;
	__u64 un10 = u0 << s;
	__u64 un1 = un10 >> 32, un0 = un10 & 0xffffffffULL;
	__u64 q1 = un32 / vn1, rhat = un32 - q1 * vn1;
	if (q1 >= B || q1 * vn0 > B * rhat + un1) {
		q1--;
		rhat += vn1;
		if (rhat < B && (q1 >= B || q1 * vn0 > B * rhat + un1))
			q1--;
	}
	__u64 un21 = un32 * B + un1 - q1 * v;
	__u64 q0 = un21 / vn1;
	rhat = un21 - q0 * vn1;
	if (q0 >= B || q0 * vn0 > B * rhat + un0) {
		q0--;
		rhat += vn1;
		if (rhat < B && (q0 >= B || q0 * vn0 > B * rhat + un0))
			q0--;
	}
	*rem = (un21 * B + un0 - q0 * v) >> s;
	return q1 * B + q0;
}

/*
 * 128-bit division. In a BPF object the routine below is a global function,
 * which clang keeps even where nothing calls it: it is compiled only when
 * P4TS_ARITH_DIV128 is defined (generated code that divides values wider
 * than 64 bits defines it before including the headers).
 */
#if !defined(__bpf__) || defined(P4TS_ARITH_DIV128)

/* Operands in, results out of p4ts_divrem128: a / b to (ah, al), a % b to (bh, bl). */
struct p4ts_divrem {
	__u64 ah, al, bh, bl;
};

/*
 * Unsigned 128-bit division with remainder. Division by zero yields 0 for
 * both, as at the narrower widths (p4ts defines it; P4 leaves it to the
 * target).
 *
 * For BPF this is a global function: the verifier checks it once, on its
 * own, instead of at every call site, where the paths through each
 * division would multiply with those of the next one. It is weak, so that
 * objects that all include this header can still be linked together, and
 * the caller passes the operands in memory (a global function takes and
 * returns 64-bit scalars only). Natively it is an ordinary inline function.
 */
#ifdef __bpf__
__attribute__((weak, noinline)) int p4ts_divrem128(struct p4ts_divrem *d)
#else
static inline int p4ts_divrem128(struct p4ts_divrem *d)
#endif
{
	if (!d)
		return 0;
	__u64 ah = d->ah, al = d->al, bh = d->bh, bl = d->bl;
	__u64 r;
	if (bh == 0) {
		if (bl == 0) {
			d->ah = d->al = d->bh = d->bl = 0;
			return 0;
		}
		__u64 qh = 0;
		if (ah >= bl) {
			qh = ah / bl;
			ah -= qh * bl;
		}
		d->al = p4ts_divlu(ah, al, bl, &r);
		d->ah = qh;
		d->bh = 0;
		d->bl = r;
		return 0;
	}
	/*
	 * b >= 2^64, so the quotient fits 64 bits: estimate it from the top 64
	 * bits of b normalised and a / 2, which is exact or one too large
	 * after the decrement, then correct once.
	 */
	p4ts_u128 a = ((p4ts_u128)ah << 64) | al, b = ((p4ts_u128)bh << 64) | bl;
	unsigned n = p4ts_clz64(bh);
	__u64 v1 = n ? (bh << n) | (bl >> (64 - n)) : bh;
	__u64 q1 = p4ts_divlu(ah >> 1, (al >> 1) | (ah << 63), v1, &r);
	__u64 q0 = q1 >> (63 - n); /* (q1 * 2^n) >> 63 */
	if (q0 != 0)
		q0--;
	p4ts_u128 rem = a - p4ts_mul128(q0, b);
	if (rem >= b) {
		q0++;
		rem -= b;
	}
	d->ah = 0;
	d->al = q0;
	d->bh = (__u64)(rem >> 64);
	d->bl = (__u64)rem;
	return 0;
}

/* a / b (want_rem 0) or a % b (want_rem 1), unsigned, 0 when b is 0. */
static __always_inline p4ts_u128 p4ts_divmod128(p4ts_u128 a, p4ts_u128 b, int want_rem)
{
	struct p4ts_divrem d = { (__u64)(a >> 64), (__u64)a, (__u64)(b >> 64), (__u64)b };
	p4ts_divrem128(&d);
	return want_rem ? (((p4ts_u128)d.bh << 64) | d.bl) : (((p4ts_u128)d.ah << 64) | d.al);
}

static __always_inline p4ts_u128 p4ts_div128(p4ts_u128 a, p4ts_u128 b)
{
	return p4ts_divmod128(a, b, 0);
}

static __always_inline p4ts_u128 p4ts_mod128(p4ts_u128 a, p4ts_u128 b)
{
	return p4ts_divmod128(a, b, 1);
}

/*
 * Signed a / b and a % b of w-bit two's complement values (bit patterns,
 * 64 < w <= 128): truncating toward zero, the remainder taking the sign of
 * a, the result reduced modulo 2^w (so MIN / -1 is MIN). Division by zero
 * yields 0. P4 defines / and % on int<W> only for non-negative operands,
 * where this is plain unsigned division.
 */
static __always_inline p4ts_u128 p4ts_sdivmod128(p4ts_u128 a, p4ts_u128 b, unsigned w, int want_rem)
{
	p4ts_u128 sign = (p4ts_u128)1 << (w - 1);
	p4ts_u128 m = w == 128 ? ~(p4ts_u128)0 : (((p4ts_u128)1 << w) - 1);
	int na = (a & sign) != 0, nb = (b & sign) != 0;
	p4ts_u128 ua = na ? (p4ts_neg128(a) & m) : a, ub = nb ? (p4ts_neg128(b) & m) : b;
	p4ts_u128 r = p4ts_divmod128(ua, ub, want_rem);
	int neg = want_rem ? na : (na != nb);
	return (neg ? p4ts_neg128(r) : r) & m;
}

#endif /* P4TS_ARITH_DIV128 */

/* v << n, v >> n (logical) and v >> n (arithmetic) for n < 128. */
static __always_inline p4ts_u128 p4ts_shl128(p4ts_u128 v, unsigned n)
{
	__u64 lo = (__u64)v, hi = (__u64)(v >> 64);
	if (n == 0)
		return v;
	if (n >= 64)
		return (p4ts_u128)(lo << (n - 64)) << 64;
	return ((p4ts_u128)((hi << n) | (lo >> (64 - n))) << 64) | (lo << n);
}

static __always_inline p4ts_u128 p4ts_lshr128(p4ts_u128 v, unsigned n)
{
	__u64 lo = (__u64)v, hi = (__u64)(v >> 64);
	if (n == 0)
		return v;
	if (n >= 64)
		return hi >> (n - 64);
	return ((p4ts_u128)(hi >> n) << 64) | ((lo >> n) | (hi << (64 - n)));
}

static __always_inline p4ts_u128 p4ts_ashr128(p4ts_u128 v, unsigned n)
{
	__u64 lo = (__u64)v, hi = (__u64)(v >> 64);
	__u64 fill = (__u64)((__s64)hi >> 63);
	if (n == 0)
		return v;
	if (n >= 64)
		return ((p4ts_u128)fill << 64) | (__u64)((__s64)hi >> (n - 64));
	return ((p4ts_u128)(__u64)((__s64)hi >> n) << 64) | ((lo >> n) | (hi << (64 - n)));
}

static __always_inline p4ts_u128 p4ts_mask128(p4ts_u128 v, unsigned w)
{
	return w >= 128 ? v : v & (((p4ts_u128)1 << w) - 1);
}

/*
 * P4 shifts of a w-bit value (64 < w <= 128) by an unsigned amount n of any
 * width: by n >= w, << and logical >> give 0 and arithmetic >> gives 0 or
 * -1 by the sign.
 *
 * The work is done by p4ts_shift128, for BPF a global function like
 * p4ts_divrem128 and for the same reason: inlined, the branches of each
 * shift by a variable amount multiplied the verifier's paths with those of
 * the next (48 mixed operations exceeded its budget). In BPF objects it is
 * compiled only when P4TS_ARITH_SHIFT128 is defined, which generated code
 * does when it shifts a wide value by a variable amount.
 */

/* Operands of p4ts_shift128: v = (vh, vl) shifted by n = (nh, nl) as a w-bit value; kind 0: <<, 1: logical >>, 2: arithmetic >>. The result replaces v. */
struct p4ts_shift {
	__u64 vh, vl, nh, nl, w, kind;
};

#if !defined(__bpf__) || defined(P4TS_ARITH_SHIFT128)

#ifdef __bpf__
__attribute__((weak, noinline)) int p4ts_shift128(struct p4ts_shift *s)
#else
static inline int p4ts_shift128(struct p4ts_shift *s)
#endif
{
	if (!s)
		return 0;
	p4ts_u128 v = ((p4ts_u128)s->vh << 64) | s->vl, r;
	unsigned w = s->w > 128 ? 128 : (unsigned)s->w;
	unsigned n = (s->nh || s->nl > 128) ? 128 : (unsigned)s->nl;
	p4ts_u128 m = w >= 128 ? ~(p4ts_u128)0 : p4ts_shl128(1, w) - 1;
	if (s->kind == 2) {
		unsigned up = 128 - w; /* the sign bit to bit 127 */
		r = p4ts_ashr128(p4ts_shl128(v, up), n >= w ? 127 : n + up) & m;
	} else if (n >= w) {
		r = 0;
	} else if (s->kind == 0) {
		r = p4ts_shl128(v, n) & m;
	} else {
		r = p4ts_lshr128(v, n);
	}
	s->vh = (__u64)(r >> 64);
	s->vl = (__u64)r;
	return 0;
}

static __always_inline p4ts_u128 p4ts_shift_w(p4ts_u128 v, p4ts_u128 n, unsigned w, unsigned kind)
{
	struct p4ts_shift s = { (__u64)(v >> 64), (__u64)v, (__u64)(n >> 64), (__u64)n, w, kind };
	p4ts_shift128(&s);
	return ((p4ts_u128)s.vh << 64) | s.vl;
}

static __always_inline p4ts_u128 p4ts_shl_w(p4ts_u128 v, p4ts_u128 n, unsigned w)
{
	return p4ts_shift_w(v, n, w, 0);
}

static __always_inline p4ts_u128 p4ts_lshr_w(p4ts_u128 v, p4ts_u128 n, unsigned w)
{
	return p4ts_shift_w(v, n, w, 1);
}

static __always_inline p4ts_u128 p4ts_ashr_w(p4ts_u128 v, p4ts_u128 n, unsigned w)
{
	return p4ts_shift_w(v, n, w, 2);
}

#endif /* P4TS_ARITH_SHIFT128 */

/* A shift amount wider than 64 bits, clamped to 64 bits (any value >= 2^64 shifts everything out). */
static __always_inline __u64 p4ts_shift_amount(p4ts_u128 n)
{
	return (n >> 64) ? ~0ULL : (__u64)n;
}

/* w-bit (64 < w <= 128) sign extension of the bit pattern v. */
static __always_inline p4ts_s128 p4ts_sext128(p4ts_u128 v, unsigned w)
{
	return (p4ts_s128)(v << (128 - w)) >> (128 - w);
}

/*
 * Saturating a |+| b and a |-| b of w-bit values (bit patterns, masked).
 * Unsigned results clamp to [0, 2^w - 1], signed ones to
 * [-2^(w-1), 2^(w-1) - 1].
 */
static __always_inline p4ts_u128 p4ts_usat_add128(p4ts_u128 a, p4ts_u128 b, unsigned w)
{
	p4ts_u128 m = w == 128 ? ~(p4ts_u128)0 : (((p4ts_u128)1 << w) - 1);
	p4ts_u128 s = a + b;
	return (s < a || s > m) ? m : s;
}

static __always_inline p4ts_u128 p4ts_usat_sub128(p4ts_u128 a, p4ts_u128 b)
{
	return a < b ? 0 : a - b;
}

static __always_inline p4ts_u128 p4ts_ssat_add128(p4ts_u128 a, p4ts_u128 b, unsigned w)
{
	p4ts_u128 m = w == 128 ? ~(p4ts_u128)0 : (((p4ts_u128)1 << w) - 1);
	p4ts_u128 sign = (p4ts_u128)1 << (w - 1);
	p4ts_u128 s = (a + b) & m;
	if ((a ^ s) & (b ^ s) & sign)
		return (a & sign) ? sign : sign - 1;
	return s;
}

static __always_inline p4ts_u128 p4ts_ssat_sub128(p4ts_u128 a, p4ts_u128 b, unsigned w)
{
	p4ts_u128 m = w == 128 ? ~(p4ts_u128)0 : (((p4ts_u128)1 << w) - 1);
	p4ts_u128 sign = (p4ts_u128)1 << (w - 1);
	p4ts_u128 s = (a - b) & m;
	if ((a ^ b) & (a ^ s) & sign)
		return (a & sign) ? sign : sign - 1;
	return s;
}

/*
 * The same for exactly 64-bit values, where the sum of two operands does
 * not fit the container: overflow is read off the wrapped result.
 */
static __always_inline __u64 p4ts_usat_add64(__u64 a, __u64 b)
{
	__u64 s = a + b;
	return s < a ? ~0ULL : s;
}

static __always_inline __u64 p4ts_ssat_add64(__u64 a, __u64 b)
{
	__u64 s = a + b;
	if (((a ^ s) & (b ^ s)) >> 63)
		return (a >> 63) ? 0x8000000000000000ULL : 0x7fffffffffffffffULL;
	return s;
}

static __always_inline __u64 p4ts_ssat_sub64(__u64 a, __u64 b)
{
	__u64 s = a - b;
	if (((a ^ b) & (a ^ s)) >> 63)
		return (a >> 63) ? 0x8000000000000000ULL : 0x7fffffffffffffffULL;
	return s;
}

/*
 * Unsigned a / b and a % b of up to 64 bits, 0 on division by zero (a
 * function, so that compilers do not warn about a divisor they can prove
 * non-zero, as in x / (y | 1)).
 */
static __always_inline __u64 p4ts_udiv64(__u64 a, __u64 b)
{
	return b == 0 ? 0 : a / b;
}

static __always_inline __u64 p4ts_umod64(__u64 a, __u64 b)
{
	return b == 0 ? 0 : a % b;
}

/*
 * Signed a / b and a % b of sign-extended 64-bit values: truncating toward
 * zero, the remainder taking the sign of a, 0 on division by zero, and
 * MIN / -1 = MIN, MIN % -1 = 0 (C leaves both undefined). Done with
 * unsigned division: BPF before ISA v4 has no signed one.
 */
static __always_inline __u64 p4ts_sdivmod64(__u64 a, __u64 b, int want_rem)
{
	int na = (__s64)a < 0, nb = (__s64)b < 0;
	__u64 ua = na ? -a : a, ub = nb ? -b : b;
	if (b == 0)
		return 0;
	__u64 r = want_rem ? ua % ub : ua / ub;
	return (want_rem ? na : na != nb) ? -r : r;
}

static __always_inline __u64 p4ts_sdiv64(__u64 a, __u64 b)
{
	return p4ts_sdivmod64(a, b, 0);
}

static __always_inline __u64 p4ts_smod64(__u64 a, __u64 b)
{
	return p4ts_sdivmod64(a, b, 1);
}

#endif /* P4TS_ARITH_H */
