/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps harness floors, written for p4ts. Built twice against the P4TC
 * emulation (-DP4TS_EMULATE_P4TC):
 *   default:          an empty tc program (what BPF_PROG_TEST_RUN and the
 *                     timer cost with no program work at all);
 *   -DP4TS_FLOOR_HIT: one exact-table hit and nothing else (a 32-bit key,
 *                     table id 1, the entry installed by the bench), i.e.
 *                     the emulated kfunc's own cost plus the empty floor.
 */
#include "p4ts_pna.h"

struct __attribute__((__packed__)) p4ts_floor_key {
	P4TC_KEY_HEADER;
	__u32 field0;
} __attribute__((aligned(8)));

#ifndef P4TS_FLOOR_HIT
SEC("p4tc/parse") int p4ts_floor_empty(struct __sk_buff *skb)
{
	return TC_ACT_PIPE;
}
#else
SEC("p4tc/main") int p4ts_floor_hit(struct __sk_buff *skb)
{
	struct p4ts_floor_key key;
	struct p4tc_table_entry_act_bpf_params params = { .pipeid = 0, .tblid = 1 };
	struct p4tc_table_entry_act_bpf *act;

	__builtin_memset(&key, 0, sizeof(key));
	key.keysz = 32;
	key.field0 = skb->mark;
	act = bpf_p4tc_tbl_read(skb, &params, sizeof(params), &key, sizeof(key));
	return act ? (int)act->act_id : TC_ACT_SHOT;
}
#endif

P4TS_LICENSE_GPL;
