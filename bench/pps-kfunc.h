/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps, written for p4ts: force-included (clang -include) in every
 * build of main the bench times or counts, p4ts's and the reference's
 * alike. In P4TC a kfunc is a call into the kernel: the program makes it
 * whether or not it uses the result. The emulation's kfuncs are inline C,
 * and clang deletes a call whose result is unused when the function has no
 * side effect (the reference's Hash.get_hash discards its result: its four
 * CRC calls vanished from its main, and p4ts's one call was timed against
 * nothing). Each kfunc call here hands its result to an empty asm, so the
 * emulated call always runs, as the kernel's would.
 */
#ifndef P4TS_BENCH_KFUNC_H
#define P4TS_BENCH_KFUNC_H

#include "p4ts_pna.h"

#define P4TS_BENCH_KFUNC(call)                                \
	({                                                    \
		__auto_type r__ = (call);                     \
		__asm__ __volatile__("" : : "r"(r__));        \
		r__;                                          \
	})

/* The counting build (pps-count.h) counts and logs table reads through this. */
#ifndef P4TS_BENCH_READ
#define P4TS_BENCH_READ(act, params, key, key__sz) (act)
#endif

/* A macro does not expand inside its own expansion: each call reaches the emulated kfunc. */
#define bpf_p4tc_tbl_read(skb, params, params__sz, key, key__sz) \
	P4TS_BENCH_READ(P4TS_BENCH_KFUNC(bpf_p4tc_tbl_read(skb, params, params__sz, key, key__sz)), params, key, key__sz)
#define bpf_p4tc_extern_md_read(...) P4TS_BENCH_KFUNC(bpf_p4tc_extern_md_read(__VA_ARGS__))
#define bpf_p4tc_ext_hash_crc16(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_hash_crc16(__VA_ARGS__))
#define bpf_p4tc_ext_hash_crc32(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_hash_crc32(__VA_ARGS__))
#define bpf_p4tc_ext_hash_16bit_complement(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_hash_16bit_complement(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc16_get(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_csum_crc16_get(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc32_get(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_csum_crc32_get(__VA_ARGS__))
#define bpf_p4tc_ext_csum_16bit_complement_get(...) P4TS_BENCH_KFUNC(bpf_p4tc_ext_csum_16bit_complement_get(__VA_ARGS__))
#define bpf_p4tc_is_net_port(...) P4TS_BENCH_KFUNC(bpf_p4tc_is_net_port(__VA_ARGS__))
#define bpf_p4tc_is_host_port(...) P4TS_BENCH_KFUNC(bpf_p4tc_is_host_port(__VA_ARGS__))
#define bpf_p4tc_skb_meta_get(...) P4TS_BENCH_KFUNC(bpf_p4tc_skb_meta_get(__VA_ARGS__))

#endif /* P4TS_BENCH_KFUNC_H */
