/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps, written for p4ts: the counting build. Force-included
 * (clang -include) in a second build of each program, it counts the
 * emulated table reads a packet makes, in the array map
 * p4ts_bench_reads, so the bench knows how many lone-table-hit floors to
 * subtract from main. The timed builds never include it.
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

/* Element 0 counts table reads, element 1 the reads that hit. */
static __always_inline void p4ts_bench_tick(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&p4ts_bench_reads, &which);

	if (n)
		__sync_fetch_and_add(n, 1);
}

static __always_inline struct p4tc_table_entry_act_bpf *p4ts_bench_counted(struct p4tc_table_entry_act_bpf *act)
{
	p4ts_bench_tick(0);
	if (act && act->hit)
		p4ts_bench_tick(1);
	return act;
}

/* pps-kfunc.h (included next, and again by the bench's -include: a no-op) reads tables through it. */
#define P4TS_BENCH_READ(act) p4ts_bench_counted(act)
#include "pps-kfunc.h"

#endif /* P4TS_BENCH_COUNT_H */
