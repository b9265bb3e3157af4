/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/ref-include/ebpf_kernel.h - written for p4ts (npm run bench:pps).
 *
 * The reference compiler's (p4c-pna-p4tc) generated C includes
 * "ebpf_kernel.h" and "pna.h". bench:pps builds that C with this directory
 * first on the include path, so both names resolve to the declarations
 * below instead of the reference's runtime headers: the reference's kfunc
 * calls then land on the p4ts P4TC emulation (runtime-headers/
 * p4ts_p4tc_emu.h), the same code, maps and table entries p4ts's own build
 * runs on. Nothing here is taken from the reference headers; the names and
 * signatures are the ones its generated C calls.
 *
 * Build flags: -DP4TS_EMULATE_P4TC -DP4TS_EXT_ABI_REFERENCE (the reference
 * lays out struct p4tc_ext_bpf_params with tbl_id and 64-byte in_params),
 * -I bench/ref-include -I runtime-headers.
 */
#ifndef P4TS_REF_SHIM_H
#define P4TS_REF_SHIM_H

#ifndef P4TS_EMULATE_P4TC
#error "bench/ref-include is for the P4TC emulation: build with -DP4TS_EMULATE_P4TC"
#endif
#ifndef P4TS_EXT_ABI_REFERENCE
#error "the reference's extern params are the reference layout: build with -DP4TS_EXT_ABI_REFERENCE"
#endif

#include "p4ts_pna.h"

/* ------------------------------------------------------------------------
 * Layouts the reference's generated C relies on, checked against ours
 * (the table entries bench:pps loads are encoded once, for both builds).
 * ---------------------------------------------------------------------- */
_Static_assert(sizeof(struct p4tc_table_entry_act_bpf) == 129, "act_bpf: 4-byte act_id, 1 flag byte, 124 param bytes");
_Static_assert(offsetof(struct p4tc_table_entry_act_bpf, params) == 5, "act_bpf params at 5");
_Static_assert(sizeof(struct p4tc_table_entry_act_bpf_params) == 8, "tbl_read params {pipeid, tblid}");
_Static_assert(sizeof(struct p4tc_table_entry_create_bpf_params) == 160, "create params");
_Static_assert(offsetof(struct p4tc_table_entry_create_bpf_params, tblid) == 140, "create params tblid");
_Static_assert(sizeof(struct p4tc_ext_bpf_params) == 88, "extern params, reference layout");
_Static_assert(offsetof(struct p4tc_ext_bpf_params, index) == 16, "extern params index");
_Static_assert(offsetof(struct p4tc_ext_bpf_params, in_params) == 24, "extern params in_params");
_Static_assert(sizeof(struct p4tc_ext_bpf_val) == 76, "extern value, reference layout");
_Static_assert(sizeof(struct p4tc_skb_meta_set) == 24, "skb meta set");
_Static_assert(sizeof(struct p4tc_skb_meta_get) == 2, "skb meta get");
_Static_assert(sizeof(struct pna_global_metadata) == 20, "global metadata in skb->cb");
_Static_assert(offsetof(struct pna_global_metadata, egress_port) == 4, "egress_port");
_Static_assert(offsetof(struct pna_global_metadata, parser_error) == 13, "parser_error");
_Static_assert(offsetof(struct pna_global_metadata, mark) == 16, "mark");

/* The reference's struct tags for the table kfunc params are ours. */
#define p4tc_table_entry_act_bpf_params__local p4tc_table_entry_act_bpf_params
#define p4tc_table_entry_create_bpf_params__local p4tc_table_entry_create_bpf_params

/* ------------------------------------------------------------------------
 * ebpf_kernel.h / ebpf_common.h names
 * ---------------------------------------------------------------------- */
#define htons(d) bpf_htons(d)
#define htonl(d) bpf_htonl(d)
#define htonll(d) bpf_cpu_to_be64(d)
#define ntohll(x) bpf_be64_to_cpu(x)

#define load_byte(data, b) (*(((u8 *)(data)) + (b)))
#define load_half(data, b) bpf_ntohs(*(u16 *)((u8 *)(data) + (b)))
#define load_word(data, b) bpf_ntohl(*(u32 *)((u8 *)(data) + (b)))
#define load_dword(data, b) bpf_be64_to_cpu(*(u64 *)((u8 *)(data) + (b)))

#define SK_BUFF struct __sk_buff
#define MAPS_ELF_SEC ".maps"

/* Parser and main share hdr_md_cpumap; the loader reuses it by name. */
#ifndef P4TS_HDR_MD_PINNING
#define P4TS_HDR_MD_PINNING LIBBPF_PIN_BY_NAME
#endif

#define REGISTER_START()
#define REGISTER_END()
#define REGISTER_TABLE(NAME, TYPE, KEY_TYPE, VALUE_TYPE, MAX_ENTRIES) \
	struct {                                                      \
		__uint(type, TYPE);                                   \
		KEY_TYPE *key;                                        \
		VALUE_TYPE *value;                                    \
		__uint(max_entries, MAX_ENTRIES);                     \
		__uint(pinning, P4TS_HDR_MD_PINNING);                 \
	} NAME SEC(".maps");
/* iproute2's BTF annotation: libbpf reads the map's BTF from the definition. */
#define BPF_ANNOTATE_KV_PAIR(name, type_key, type_val)

#define BPF_MAP_LOOKUP_ELEM(table, key) bpf_map_lookup_elem(&table, key)
#define BPF_MAP_UPDATE_ELEM(table, key, value, flags) bpf_map_update_elem(&table, key, value, flags)
#define BPF_MAP_DELETE_ELEM(table, key) bpf_map_delete_elem(&table, key)

/* ------------------------------------------------------------------------
 * pna.h names
 * ---------------------------------------------------------------------- */
static const ParserError_t NoError = P4TS_ERROR_NoError;
static const ParserError_t PacketTooShort = P4TS_ERROR_PacketTooShort;
static const ParserError_t NoMatch = P4TS_ERROR_NoMatch;
static const ParserError_t StackOutOfBounds = P4TS_ERROR_StackOutOfBounds;
static const ParserError_t HeaderTooShort = P4TS_ERROR_HeaderTooShort;
static const ParserError_t ParserTimeout = P4TS_ERROR_ParserTimeout;
static const ParserError_t ParserInvalidArgument = P4TS_ERROR_ParserInvalidArgument;

enum PNA_Source_t { FROM_HOST = PNA_SOURCE_FROM_HOST, FROM_NET = PNA_SOURCE_FROM_NET };
enum PNA_MeterColor_t { RED = PNA_METER_COLOR_RED, GREEN = PNA_METER_COLOR_GREEN, YELLOW = PNA_METER_COLOR_YELLOW };
enum MirrorType { NO_MIRROR = PNA_MIRROR_NONE, PRE_MODIFY = PNA_MIRROR_PRE_MODIFY, POST_MODIFY = PNA_MIRROR_POST_MODIFY };

struct clone_session_entry {
	__u32 egress_port;
	__u16 instance;
	__u8 class_of_service;
	__u8 truncate;
	__u16 packet_length_bytes;
} __attribute__((aligned(4)));

#define send_to_port(x) (compiler_meta__->egress_port = x)
#define drop_packet() (compiler_meta__->drop = true)

#define EXTERN_IS_NET_PORT 1234
#define EXTERN_IS_HOST_PORT 4567
#define BIT(x) (1 << x)

static __always_inline u16 bpf_p4tc_ext_hash_base_crc16(const void *data, const u32 data__sz, u32 base, u32 max,
							u16 seed)
{
	return (u16)(base + (bpf_p4tc_ext_hash_crc16(data, data__sz, seed) % max));
}

static __always_inline u32 bpf_p4tc_ext_hash_base_crc32(const void *data, const u32 data__sz, u32 base, u32 max,
							u32 seed)
{
	return base + (bpf_p4tc_ext_hash_crc32(data, data__sz, seed) % max);
}

static __always_inline u16 bpf_p4tc_ext_hash_base_16bit_complement(const void *data, const u32 data__sz, u32 base,
								   u32 max, u16 seed)
{
	return (u16)(base + (bpf_p4tc_ext_hash_16bit_complement(data, data__sz, seed) % max));
}

static __always_inline u64 bpf_p4tc_extern_timestamp(void)
{
	return bpf_ktime_get_ns();
}

/* skb metadata: the reference passes the skb first; writes are collected. */
#define P4TS_REF_SKB_SET(name, field, type)                                                              \
	static __always_inline void bpf_p4tc_skb_set_##name(struct __sk_buff *skb, struct p4tc_skb_meta_set *s, \
							    type v)                                               \
	{                                                                                                \
		p4ts_skb_set_##field(s, v);                                                              \
	}
P4TS_REF_SKB_SET(tstamp, tstamp, __u64)
P4TS_REF_SKB_SET(mark, mark, __u32)
P4TS_REF_SKB_SET(tc_classid, tc_classid, __u32)
P4TS_REF_SKB_SET(tc_index, tc_index, __u16)
P4TS_REF_SKB_SET(queue_mapping, queue_mapping, __u16)
P4TS_REF_SKB_SET(protocol, protocol, __be16)

/* Reads go to the context; the direction bits to the meta_get the caller filled. */
#define P4TS_REF_SKB_GET(name, type, expr)                                                                   \
	static __always_inline type bpf_p4tc_skb_get_##name(struct __sk_buff *skb, struct p4tc_skb_meta_get *g) \
	{                                                                                                    \
		return expr;                                                                                 \
	}
P4TS_REF_SKB_GET(tstamp, __u64, skb->tstamp)
P4TS_REF_SKB_GET(tc_classid, __u16, skb->tc_classid)
P4TS_REF_SKB_GET(tc_index, __u16, skb->tc_index)
P4TS_REF_SKB_GET(queue_mapping, __u16, skb->queue_mapping)
P4TS_REF_SKB_GET(protocol, __be16, skb->protocol)
P4TS_REF_SKB_GET(mark, __u32, skb->mark)
P4TS_REF_SKB_GET(tc_at_ingress, int, p4ts_skb_get_tc_at_ingress(g))
P4TS_REF_SKB_GET(from_ingress, int, p4ts_skb_get_from_ingress(g))

#endif /* P4TS_REF_SHIM_H */
