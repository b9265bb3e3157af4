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
 *
 * The checksum and hash kfuncs are also real calls here (a BPF-to-BPF call
 * of a function clang may not inline), as each is a call into the kernel in
 * P4TC. Inlined, clang interleaved the reference's four independent one- to
 * four-byte CRCs of one Hash.get_hash (each from seed 0, its bug) into one
 * short chain, and timed that against p4ts's one 9-byte CRC as if four
 * kernel calls cost less than one.
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

/* A kfunc of the checksum or hash externs, run as a call of its own. */
#define P4TS_BENCH_CALL(ret, name, params, args)                                  \
	static __attribute__((noinline)) ret p4ts_bench_##name params             \
	{                                                                         \
		return bpf_p4tc_##name args;                                       \
	}
#define P4TS_CSUM_PARAMS struct p4tc_ext_csum_params *params, const __u32 params__sz
#define P4TS_CSUM_DATA P4TS_CSUM_PARAMS, const void *data, const __u32 data__sz
P4TS_BENCH_CALL(__wsum, ext_csum_16bit_complement_add, (P4TS_CSUM_DATA), (params, params__sz, data, data__sz))
P4TS_BENCH_CALL(int, ext_csum_16bit_complement_sub, (P4TS_CSUM_DATA), (params, params__sz, data, data__sz))
P4TS_BENCH_CALL(__u16, ext_csum_16bit_complement_get, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(void, ext_csum_16bit_complement_clear, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(void, ext_csum_16bit_complement_set_state, (P4TS_CSUM_PARAMS, __u16 csum), (params, params__sz, csum))
P4TS_BENCH_CALL(__u16, ext_csum_crc16_add, (P4TS_CSUM_DATA), (params, params__sz, data, data__sz))
P4TS_BENCH_CALL(__u16, ext_csum_crc16_get, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(void, ext_csum_crc16_clear, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(__u32, ext_csum_crc32_add, (P4TS_CSUM_DATA), (params, params__sz, data, data__sz))
P4TS_BENCH_CALL(__u32, ext_csum_crc32_get, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(void, ext_csum_crc32_clear, (P4TS_CSUM_PARAMS), (params, params__sz))
P4TS_BENCH_CALL(__u16, ext_hash_16bit_complement, (const void *data, const __u32 data__sz, __u16 seed), (data, data__sz, seed))
P4TS_BENCH_CALL(__u16, ext_hash_crc16, (const void *data, const __u32 data__sz, __u16 seed), (data, data__sz, seed))
P4TS_BENCH_CALL(__u32, ext_hash_crc32, (const void *data, const __u32 data__sz, __u32 seed), (data, data__sz, seed))

/* The counting build (pps-count.h) counts and logs table reads through this. */
#ifndef P4TS_BENCH_READ
#define P4TS_BENCH_READ(act, params, key, key__sz) (act)
#endif

/* A macro does not expand inside its own expansion: each call reaches the emulated kfunc. */
#define bpf_p4tc_tbl_read(skb, params, params__sz, key, key__sz) \
	P4TS_BENCH_READ(P4TS_BENCH_KFUNC(bpf_p4tc_tbl_read(skb, params, params__sz, key, key__sz)), params, key, key__sz)
#define bpf_p4tc_extern_md_read(...) P4TS_BENCH_KFUNC(bpf_p4tc_extern_md_read(__VA_ARGS__))
#define bpf_p4tc_ext_csum_16bit_complement_add(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_16bit_complement_add(__VA_ARGS__))
#define bpf_p4tc_ext_csum_16bit_complement_sub(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_16bit_complement_sub(__VA_ARGS__))
#define bpf_p4tc_ext_csum_16bit_complement_get(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_16bit_complement_get(__VA_ARGS__))
#define bpf_p4tc_ext_csum_16bit_complement_clear(...) p4ts_bench_ext_csum_16bit_complement_clear(__VA_ARGS__)
#define bpf_p4tc_ext_csum_16bit_complement_set_state(...) p4ts_bench_ext_csum_16bit_complement_set_state(__VA_ARGS__)
#define bpf_p4tc_ext_csum_crc16_add(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_crc16_add(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc16_get(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_crc16_get(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc16_clear(...) p4ts_bench_ext_csum_crc16_clear(__VA_ARGS__)
#define bpf_p4tc_ext_csum_crc32_add(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_crc32_add(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc32_get(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_csum_crc32_get(__VA_ARGS__))
#define bpf_p4tc_ext_csum_crc32_clear(...) p4ts_bench_ext_csum_crc32_clear(__VA_ARGS__)
#define bpf_p4tc_ext_hash_16bit_complement(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_hash_16bit_complement(__VA_ARGS__))
#define bpf_p4tc_ext_hash_crc16(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_hash_crc16(__VA_ARGS__))
#define bpf_p4tc_ext_hash_crc32(...) P4TS_BENCH_KFUNC(p4ts_bench_ext_hash_crc32(__VA_ARGS__))
#define bpf_p4tc_is_net_port(...) P4TS_BENCH_KFUNC(bpf_p4tc_is_net_port(__VA_ARGS__))
#define bpf_p4tc_is_host_port(...) P4TS_BENCH_KFUNC(bpf_p4tc_is_host_port(__VA_ARGS__))
#define bpf_p4tc_skb_meta_get(...) P4TS_BENCH_KFUNC(bpf_p4tc_skb_meta_get(__VA_ARGS__))

#endif /* P4TS_BENCH_KFUNC_H */
