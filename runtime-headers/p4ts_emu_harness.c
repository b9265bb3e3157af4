/*
 * The emulation's packet harness (used by `p4ts stf`, targets/emulation):
 * BPF_PROG_TEST_RUN refuses frames a tc program could in principle see.
 * On the running kernel (net/bpf/test_run.c, bpf_prog_test_run_skb) it
 * takes a frame only when it has at least ETH_HLEN (14) bytes, at most
 * PAGE_SIZE - NET_SKB_PAD - NET_IP_ALIGN - SKB_DATA_ALIGN(sizeof(struct
 * skb_shared_info)) bytes (3712 on x86-64 with 4 KiB pages), and, after an
 * IPv4 or IPv6 EtherType, a whole IPv4 (20) or IPv6 (40) header.
 *
 * For any other frame the loader sends one the kernel takes (the packet
 * zero-padded to a whole IP header, or its first 3712 bytes) and runs this
 * program instead of the pipeline program. It gives the frame its real
 * length with bpf_skb_change_tail (copying the bytes past the sent prefix
 * from p4ts_harness_pkt) and tail-calls the pipeline program, which then
 * sees exactly the packet. skb->mark carries the request and is cleared
 * before the tail call: bits 0..23 the real length, bit 31 the program
 * (0 parser, 1 main). bpf_skb_change_tail grows a frame to at most
 * SKB_MAX_ALLOC bytes (16064 with 4 KiB pages), so that is the longest
 * frame the emulation runs.
 *
 * A frame shorter than 14 bytes cannot be made: bpf_skb_change_tail keeps
 * at least the network header offset. No Ethernet device delivers one
 * either, so the loader drops it before the parser.
 */
#include "p4ts_bpf.h"

#define P4TS_HARNESS_MAX 16384
#define P4TS_HARNESS_CHUNK 256

/* Return codes no pipeline program returns: the harness itself failed. */
#define P4TS_HARNESS_E_NOPKT 0x7f000001
#define P4TS_HARNESS_E_RESIZE 0x7f000002
#define P4TS_HARNESS_E_STORE 0x7f000003
#define P4TS_HARNESS_E_CALL 0x7f000004
#define P4TS_HARNESS_E_LEN 0x7f000005

struct p4ts_harness_pkt {
	__u8 data[P4TS_HARNESS_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} p4ts_harness_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct p4ts_harness_pkt);
} p4ts_harness_pkt SEC(".maps");

SEC("action") int p4ts_harness(struct __sk_buff *skb)
{
	__u32 req = skb->mark;
	__u32 len = req & 0xffffff;
	__u32 prog = req >> 31;
	__u32 have = skb->len;
	__u32 zero = 0;

	skb->mark = 0;
	if (len > P4TS_HARNESS_MAX)
		return P4TS_HARNESS_E_LEN;
	if (bpf_skb_change_tail(skb, len, 0))
		return P4TS_HARNESS_E_RESIZE;
	if (len > have) {
		struct p4ts_harness_pkt *p = bpf_map_lookup_elem(&p4ts_harness_pkt, &zero);
		if (!p)
			return P4TS_HARNESS_E_NOPKT;
		if (len < P4TS_HARNESS_CHUNK)
			return P4TS_HARNESS_E_LEN;
		for (__u32 i = 0; i < P4TS_HARNESS_MAX / P4TS_HARNESS_CHUNK; i++) {
			__u32 off = have + i * P4TS_HARNESS_CHUNK;
			if (off >= len)
				break;
			/* The last chunk ends at the packet's end (and may rewrite bytes already there). */
			if (off > len - P4TS_HARNESS_CHUNK)
				off = len - P4TS_HARNESS_CHUNK;
			if (off > P4TS_HARNESS_MAX - P4TS_HARNESS_CHUNK)
				return P4TS_HARNESS_E_LEN;
			if (bpf_skb_store_bytes(skb, off, &p->data[off], P4TS_HARNESS_CHUNK, 0))
				return P4TS_HARNESS_E_STORE;
		}
	}
	bpf_tail_call(skb, &p4ts_harness_progs, prog);
	return P4TS_HARNESS_E_CALL;
}

P4TS_LICENSE_GPL;
