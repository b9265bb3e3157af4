/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps, written for p4ts: the counting build. Force-included
 * (clang -include) in a second build of each program, it counts the
 * emulated table reads a packet makes, in the array map
 * p4ts_bench_reads, and logs the first P4TS_BENCH_LOG of them (table id,
 * key) in p4ts_bench_log, so the bench can time each read alone (its
 * floor). The timed builds never include it.
 */
#ifndef P4TS_BENCH_COUNT_H
#define P4TS_BENCH_COUNT_H

#include "p4ts_pna.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} p4ts_bench_reads SEC(".maps");

/* A logged table read: the table id and the key as the program passed it. */
#define P4TS_BENCH_LOG 16
struct p4ts_bench_read {
	__u32 tblid;
	__u32 key_sz;
	__u8 key[P4TC_ENTRY_KEY_SZ_BYTES(P4TC_MAX_KEYSZ)];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, P4TS_BENCH_LOG);
	__type(key, __u32);
	__type(value, struct p4ts_bench_read);
} p4ts_bench_log SEC(".maps");

/* Element 0 counts table reads, element 1 the reads that hit. */
static __always_inline void p4ts_bench_tick(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&p4ts_bench_reads, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline struct p4tc_table_entry_act_bpf *p4ts_bench_counted(struct p4tc_table_entry_act_bpf *act, __u32 tblid,
								       const void *key, __u32 key_sz)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&p4ts_bench_reads, &zero);

	if (n && *n < P4TS_BENCH_LOG && key_sz <= sizeof(((struct p4ts_bench_read *)0)->key)) {
		__u32 i = (__u32)*n;
		struct p4ts_bench_read *r = bpf_map_lookup_elem(&p4ts_bench_log, &i);

		if (r) {
			r->tblid = tblid;
			r->key_sz = key_sz;
			__builtin_memcpy(r->key, key, key_sz);
		}
	}
	p4ts_bench_tick(0);
	if (act && act->hit)
		p4ts_bench_tick(1);
	return act;
}

/* pps-kfunc.h (included next, and again by the bench's -include: a no-op) reads tables through it. */
#define P4TS_BENCH_READ(act, params, key, key__sz) p4ts_bench_counted(act, (params)->tblid, key, key__sz)
#include "pps-kfunc.h"

#endif /* P4TS_BENCH_COUNT_H */
