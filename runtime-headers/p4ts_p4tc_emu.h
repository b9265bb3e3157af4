/* SPDX-License-Identifier: Apache-2.0 */
/*
 * p4ts_p4tc_emu.h - the kernel side of P4TC, emulated in BPF on BPF maps.
 *
 * Written for the p4ts project. Generated code never includes this file
 * itself: p4ts_pna.h includes it instead of declaring the P4TC kfuncs as
 * `extern ... __ksym` when the build defines P4TS_EMULATE_P4TC:
 *
 *     clang -O2 -g --target=bpf -DP4TS_EMULATE_P4TC -I runtime-headers -c x.c
 *
 * Every kfunc then becomes a static inline function with the same name and
 * signature, so the same generated C runs on a stock kernel (no P4TC) and
 * under BPF_PROG_TEST_RUN. Tables and extern state live in the maps below;
 * a loader fills them with `bpftool map update`. runtime-headers/README.md
 * documents every map, its key and value bytes, and the semantics and limits.
 *
 * Maps are pinned by name (like hdr_md_cpumap), so the parser and the main
 * object share them; build with -DP4TS_EMU_PINNING=LIBBPF_PIN_NONE to leave
 * pinning to the loader (e.g. `bpftool prog load ... pinmaps DIR`).
 *
 * Every loop is bounded by a compile-time constant.
 */
#ifndef P4TS_P4TC_EMU_H
#define P4TS_P4TC_EMU_H

#ifndef P4TS_PNA_H
#error "include p4ts_pna.h (with -DP4TS_EMULATE_P4TC), not p4ts_p4tc_emu.h"
#endif

/* ------------------------------------------------------------------------
 * Tunables (override with -D)
 * ---------------------------------------------------------------------- */

/* Distinct masks an lpm or ternary table can hold. */
#ifndef P4TS_EMU_MAX_MASKS
#define P4TS_EMU_MAX_MASKS 32
#endif
/* Entries of all tables together. */
#ifndef P4TS_EMU_MAX_ENTRIES
#define P4TS_EMU_MAX_ENTRIES 65536
#endif
/* Tables (all pipelines together). */
#ifndef P4TS_EMU_MAX_TABLES
#define P4TS_EMU_MAX_TABLES 256
#endif
/* Indirect counter, meter and register elements (each map). */
#ifndef P4TS_EMU_MAX_EXT_ELEMS
#define P4TS_EMU_MAX_EXT_ELEMS 65536
#endif
/* Digests queued and not yet read. */
#ifndef P4TS_EMU_MAX_DIGESTS
#define P4TS_EMU_MAX_DIGESTS 1024
#endif
/* Most bytes one checksum/hash call covers (longer data: the rest is ignored). */
#ifndef P4TS_EMU_MAX_CSUM_BYTES
#define P4TS_EMU_MAX_CSUM_BYTES 512
#endif
#ifndef P4TS_EMU_PINNING
#define P4TS_EMU_PINNING LIBBPF_PIN_BY_NAME
#endif

/* Key bytes after the 8-byte {keysz, maskid} header: P4TC_MAX_KEYSZ bits. */
#define P4TS_EMU_KEY_BYTES (P4TC_MAX_KEYSZ / 8)
#define P4TS_EMU_KEY_WORDS (P4TS_EMU_KEY_BYTES / 8)

/* errno values the kfuncs return (negated) */
#define P4TS_EMU_ENOENT 2
#define P4TS_EMU_ESRCH 3
#define P4TS_EMU_ENOMEM 12
#define P4TS_EMU_EEXIST 17
#define P4TS_EMU_EINVAL 22

#define P4TS_EMU_NSEC_PER_SEC 1000000000ULL

/* Helpers this file needs beyond p4ts_bpf.h (UAPI numbers). */
static long (* const p4ts_emu_map_push_elem)(void *map, const void *value, __u64 flags) = (void *)87;

/* ------------------------------------------------------------------------
 * Map layouts (the loader's ABI; README.md shows them byte by byte)
 * ---------------------------------------------------------------------- */

/* p4ts_emu_table.type */
#define P4TS_EMU_TABLE_EXACT 0
#define P4TS_EMU_TABLE_LPM 1
#define P4TS_EMU_TABLE_TERNARY 2

/* p4ts_emu_table.flags */
#define P4TS_EMU_TABLE_F_DEFAULT_MISS 0x1U  /* default_miss is valid */
#define P4TS_EMU_TABLE_F_DEFAULT_HIT 0x2U   /* default_hit is valid */
#define P4TS_EMU_TABLE_F_DIRECT_COUNT 0x4U  /* tbl_read ticks the entry's counter on a hit */

/* The flag byte (offset 4) of struct p4tc_table_entry_act_bpf. */
#define P4TS_EMU_ACT_HIT 0x1U
#define P4TS_EMU_ACT_DEFAULT_MISS 0x2U
#define P4TS_EMU_ACT_DEFAULT_HIT 0x4U

/* Map p4tc_emu_tables, key __u32 tblid: one per table. 276 bytes. */
struct p4ts_emu_table {
	__u32 type;                                   /* 0: P4TS_EMU_TABLE_* */
	__u32 keysz;                                  /* 4: key size in bits, as the program sets key.keysz */
	__u32 flags;                                  /* 8: P4TS_EMU_TABLE_F_* */
	__u32 reserved;                               /* 12 */
	struct p4tc_table_entry_act_bpf default_miss; /* 16 */
	struct p4tc_table_entry_act_bpf default_hit;  /* 145 */
	__u8 pad[2];                                  /* 274 */
};

_Static_assert(sizeof(struct p4ts_emu_table) == 276, "p4ts_emu_table size");
_Static_assert(offsetof(struct p4ts_emu_table, default_miss) == 16, "p4ts_emu_table.default_miss");
_Static_assert(offsetof(struct p4ts_emu_table, default_hit) == 145, "p4ts_emu_table.default_hit");

/* Key of map p4tc_emu_entry: the table, the mask, the (masked) key bytes. 72 bytes. */
struct p4ts_emu_key {
	__u32 tblid;  /* 0 */
	__u32 maskid; /* 4: 0 for exact tables */
	union {
		__u8 bytes[P4TS_EMU_KEY_BYTES]; /* 8: key bytes as the program lays them out, zero-padded */
		__u64 words[P4TS_EMU_KEY_WORDS];
	};
};

_Static_assert(sizeof(struct p4ts_emu_key) == 72, "p4ts_emu_key size");

/* RFC 2698 two-rate three-color meter: configuration and state. 56 bytes. */
struct p4ts_emu_meter {
	__u64 cir;     /* 0: committed rate, units (packets or bytes) per second */
	__u64 pir;     /* 8: peak rate, units per second */
	__u64 cbs;     /* 16: committed burst, units */
	__u64 pbs;     /* 24: peak burst, units */
	__u64 tc;      /* 32: state: committed bucket, units x 10^9 */
	__u64 tp;      /* 40: state: peak bucket, units x 10^9 */
	__u64 last_ns; /* 48: state: time of the last update; 0 = buckets full */
};

_Static_assert(sizeof(struct p4ts_emu_meter) == 56, "p4ts_emu_meter size");

/* p4ts_emu_entry.flags */
#define P4TS_EMU_ENTRY_F_NOACTION 0x1U /* the entry has no action: a hit runs the default hit action */

/* Value of map p4tc_emu_entry: one table entry. 216 bytes. */
struct p4ts_emu_entry {
	__u32 prio;                          /* 0: ternary: the lowest value wins */
	__u32 flags;                         /* 4: P4TS_EMU_ENTRY_F_* */
	struct p4tc_table_entry_act_bpf act; /* 8: what tbl_read returns on a hit */
	__u8 pad[7];                         /* 137 */
	__u64 pkts;                          /* 144: DirectCounter */
	__u64 bytes;                         /* 152: DirectCounter */
	struct p4ts_emu_meter meter;         /* 160: DirectMeter */
};

_Static_assert(sizeof(struct p4ts_emu_entry) == 216, "p4ts_emu_entry size");
_Static_assert(offsetof(struct p4ts_emu_entry, act) == 8, "p4ts_emu_entry.act");
_Static_assert(offsetof(struct p4ts_emu_entry, pkts) == 144, "p4ts_emu_entry.pkts");
_Static_assert(offsetof(struct p4ts_emu_entry, meter) == 160, "p4ts_emu_entry.meter");

/* One mask of an lpm/ternary table. 72 bytes. */
struct p4ts_emu_mask {
	__u32 maskid;   /* 0: the maskid of the entries using this mask (not 0) */
	__u32 reserved; /* 4 */
	union {
		__u8 bytes[P4TS_EMU_KEY_BYTES]; /* 8 */
		__u64 words[P4TS_EMU_KEY_WORDS];
	};
};

/* Value of map p4tc_emu_masks, key __u32 tblid: the masks in lookup order. */
struct p4ts_emu_masks {
	__u32 count;    /* 0: masks in use, <= P4TS_EMU_MAX_MASKS */
	__u32 reserved; /* 4 */
	struct p4ts_emu_mask m[P4TS_EMU_MAX_MASKS]; /* 8 */
};

_Static_assert(sizeof(struct p4ts_emu_mask) == 72, "p4ts_emu_mask size");

/* Key of maps p4tc_emu_cnt, p4tc_emu_meter, p4tc_emu_reg. 12 bytes. */
struct p4ts_emu_ext_key {
	__u32 ext_id;
	__u32 inst_id;
	__u32 index;
};

/* Value of map p4tc_emu_cnt. 16 bytes. */
struct p4ts_emu_counter {
	__u64 pkts;
	__u64 bytes;
};

/* Per-CPU scratch space, so the emulation needs little stack. */
struct p4ts_emu_scratch {
	struct p4ts_emu_key key;  /* the program's key, unmasked */
	struct p4ts_emu_key mkey; /* the same, masked */
	__s32 best_slot;          /* mask scan state, kept in memory so the */
	__u32 best_prio;          /* verifier's loop states stay few */
	struct p4ts_emu_entry ent;
	struct p4tc_ext_bpf_val val;
	struct p4tc_table_entry_act_bpf noaction;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_TABLES);
	__type(key, __u32);
	__type(value, struct p4ts_emu_table);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_tables SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_TABLES);
	__type(key, __u32);
	__type(value, struct p4ts_emu_masks);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_masks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_ENTRIES);
	__type(key, struct p4ts_emu_key);
	__type(value, struct p4ts_emu_entry);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_entry SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_EXT_ELEMS);
	__type(key, struct p4ts_emu_ext_key);
	__type(value, struct p4ts_emu_counter);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_EXT_ELEMS);
	__type(key, struct p4ts_emu_ext_key);
	__type(value, struct p4ts_emu_meter);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_meter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, P4TS_EMU_MAX_EXT_ELEMS);
	__type(key, struct p4ts_emu_ext_key);
	__type(value, struct p4tc_ext_bpf_val);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_reg SEC(".maps");

/* Digests: each record is the struct p4tc_ext_bpf_params the program passed. */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, P4TS_EMU_MAX_DIGESTS);
	__uint(key_size, 0);
	__uint(value_size, sizeof(struct p4tc_ext_bpf_params));
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_digest SEC(".maps");

/* Port kinds for is_host_port / is_net_port, key __u32 ifindex. */
#define P4TS_EMU_PORT_NET 0
#define P4TS_EMU_PORT_HOST 1

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct p4ts_emu_scratch);
} p4tc_emu_scr SEC(".maps");

#ifdef P4TS_EMU_SEEDED_RANDOM
/*
 * Random made reproducible, for differential testing against the
 * interpreter (sim/, which uses the same generator): xorshift32 over the
 * state in p4tc_emu_random (a state of 0 reads as 1), which the harness sets
 * before each packet. Without -DP4TS_EMU_SEEDED_RANDOM, Random reads
 * bpf_get_prandom_u32() as on P4TC.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, P4TS_EMU_PINNING);
} p4tc_emu_random SEC(".maps");

static __always_inline __u32 p4ts_emu_random_u32(void)
{
	__u32 zero = 0;
	__u32 *st = bpf_map_lookup_elem(&p4tc_emu_random, &zero);
	__u32 x;

	if (!st)
		return 0;
	x = *st ? *st : 1;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*st = x;
	return x;
}
#endif /* P4TS_EMU_SEEDED_RANDOM */

/* ------------------------------------------------------------------------
 * Table machinery
 * ---------------------------------------------------------------------- */

static __always_inline struct p4ts_emu_scratch *p4ts_emu_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&p4tc_emu_scr, &zero);
}

/* The flag byte of an act_bpf; rewritten only when it differs, so a loader
 * may leave it 0 in the maps and reads stay read-only afterwards. */
static __always_inline void p4ts_emu_act_flags(struct p4tc_table_entry_act_bpf *act, __u8 flags)
{
	__u8 *b = (__u8 *)act + 4;

	if (*b != flags)
		*b = flags;
}

/* The kernel's key checks: key__sz == 8 + round_up(ceil(keysz/8), 8) and
 * key->keysz == the table's keysz, at most P4TC_MAX_KEYSZ bits. */
static __always_inline bool p4ts_emu_key_ok(const struct p4ts_emu_table *t, const void *key, __u32 key__sz)
{
	__u32 keysz = t->keysz;

	if (!key || keysz == 0 || keysz > P4TC_MAX_KEYSZ)
		return false;
	if (*(const __u32 *)key != keysz)
		return false;
	return key__sz == P4TC_ENTRY_KEY_SZ_BYTES(keysz);
}

/* Fill a scratch key: table, mask id, the program's key bytes, zero-padded. */
static __always_inline void p4ts_emu_make_key(struct p4ts_emu_key *k, __u32 tblid, __u32 maskid, const void *key,
					      __u32 key__sz)
{
	const __u64 *src = (const __u64 *)((const __u8 *)key + 8);
	__u32 words = (key__sz - 8) / 8;
	int w;

	k->tblid = tblid;
	k->maskid = maskid;
#pragma clang loop unroll(full)
	for (w = 0; w < P4TS_EMU_KEY_WORDS; w++) {
		if (w < words)
			k->words[w] = src[w];
		else
			k->words[w] = 0;
	}
}

/* The masked key of mask slot i: in's key words ANDed with the mask. */
static __always_inline void p4ts_emu_mask_key(struct p4ts_emu_key *out, const struct p4ts_emu_key *in,
					      const struct p4ts_emu_mask *m)
{
	int w;

	out->tblid = in->tblid;
	out->maskid = m->maskid;
#pragma clang loop unroll(full)
	for (w = 0; w < P4TS_EMU_KEY_WORDS; w++)
		out->words[w] = in->words[w] & m->words[w];
}

/*
 * The mask scan of lpm and ternary tables. A global function, so the
 * verifier checks it once however many tables a program applies; it returns
 * the slot of the mask under which the winning entry sits, or -1: lpm takes
 * the first slot that hits (the loader orders masks longest first), ternary
 * the entry with the lowest prio over all slots (the first one on a tie).
 * `in` is the unmasked key (scratch.key); scratch.mkey is clobbered.
 */
__attribute__((noinline)) int p4ts_emu_mask_scan(const struct p4ts_emu_key *in, __u32 type)
{
	struct p4ts_emu_scratch *scr;
	struct p4ts_emu_masks *masks;
	struct p4ts_emu_entry *e;
	__u32 tblid, n, i;

	if (!in)
		return -1;
	tblid = in->tblid;
	scr = p4ts_emu_scratch();
	masks = bpf_map_lookup_elem(&p4tc_emu_masks, &tblid);
	if (!scr || !masks)
		return -1;
	n = masks->count;
	scr->best_slot = -1;
	scr->best_prio = 0;
#pragma clang loop unroll(disable)
	for (i = 0; i < P4TS_EMU_MAX_MASKS; i++) {
		if (i >= n)
			break;
		p4ts_emu_mask_key(&scr->mkey, in, &masks->m[i]);
		e = bpf_map_lookup_elem(&p4tc_emu_entry, &scr->mkey);
		if (!e)
			continue;
		if (type == P4TS_EMU_TABLE_LPM)
			return (int)i;
		if (scr->best_slot < 0 || e->prio < scr->best_prio) {
			scr->best_slot = (__s32)i;
			scr->best_prio = e->prio;
		}
	}
	return scr->best_slot;
}

/* The entry a key matches (exact: one lookup; lpm/ternary: the mask scan,
 * then one lookup under the winning mask). NULL on a miss. */
static __always_inline struct p4ts_emu_entry *p4ts_emu_match(struct p4ts_emu_scratch *scr, const struct p4ts_emu_table *t,
							     __u32 tblid, const void *key, __u32 key__sz)
{
	struct p4ts_emu_masks *masks;
	int slot;

	p4ts_emu_make_key(&scr->key, tblid, 0, key, key__sz);
	if (t->type == P4TS_EMU_TABLE_EXACT)
		return bpf_map_lookup_elem(&p4tc_emu_entry, &scr->key);
	slot = p4ts_emu_mask_scan(&scr->key, t->type);
	if (slot < 0 || slot >= P4TS_EMU_MAX_MASKS)
		return NULL;
	masks = bpf_map_lookup_elem(&p4tc_emu_masks, &tblid);
	if (!masks)
		return NULL;
	p4ts_emu_mask_key(&scr->mkey, &scr->key, &masks->m[slot]);
	return bpf_map_lookup_elem(&p4tc_emu_entry, &scr->mkey);
}

static __always_inline struct p4tc_table_entry_act_bpf *
p4ts_emu_tbl_read(__u32 pkt_len, struct p4tc_table_entry_act_bpf_params *params, const __u32 params__sz, void *key,
		  const __u32 key__sz)
{
	struct p4ts_emu_scratch *scr;
	struct p4ts_emu_table *t;
	struct p4ts_emu_entry *e;
	__u32 tblid;

	if (!params || params__sz != P4TC_ENTRY_ACT_BPF_PARAMS_SZ)
		return NULL;
	tblid = params->tblid;
	t = bpf_map_lookup_elem(&p4tc_emu_tables, &tblid);
	if (!t || !p4ts_emu_key_ok(t, key, key__sz))
		return NULL;
	scr = p4ts_emu_scratch();
	if (!scr)
		return NULL;
	e = p4ts_emu_match(scr, t, tblid, key, key__sz);
	if (!e) {
		if (!(t->flags & P4TS_EMU_TABLE_F_DEFAULT_MISS))
			return NULL;
		p4ts_emu_act_flags(&t->default_miss, P4TS_EMU_ACT_DEFAULT_MISS);
		return &t->default_miss;
	}
	if (t->flags & P4TS_EMU_TABLE_F_DIRECT_COUNT) {
		__sync_fetch_and_add(&e->pkts, 1);
		__sync_fetch_and_add(&e->bytes, pkt_len);
	}
	if (!(e->flags & P4TS_EMU_ENTRY_F_NOACTION)) {
		p4ts_emu_act_flags(&e->act, P4TS_EMU_ACT_HIT);
		return &e->act;
	}
	if (t->flags & P4TS_EMU_TABLE_F_DEFAULT_HIT) {
		p4ts_emu_act_flags(&t->default_hit, P4TS_EMU_ACT_HIT | P4TS_EMU_ACT_DEFAULT_HIT);
		return &t->default_hit;
	}
	/* A hit with no action and no default hit action: NoAction, hit=1. */
	scr->noaction.act_id = P4TC_NOACTION_ID;
	p4ts_emu_act_flags(&scr->noaction, P4TS_EMU_ACT_HIT);
	return &scr->noaction;
}

/* Copy the 129-byte act_bpf (plus the 3 bytes of padding after it, which
 * land in p4ts_emu_entry.pad) as 33 aligned words. */
static __always_inline void p4ts_emu_copy_act(struct p4ts_emu_entry *dst,
					      const struct p4tc_table_entry_create_bpf_params *src)
{
	const __u32 *s = (const __u32 *)src;
	__u32 *d = (__u32 *)&dst->act;
	int i;

#pragma clang loop unroll(full)
	for (i = 0; i < 33; i++)
		d[i] = s[i];
	p4ts_emu_act_flags(&dst->act, P4TS_EMU_ACT_HIT);
}

#define P4TS_EMU_OP_CREATE 0
#define P4TS_EMU_OP_UPDATE 1
#define P4TS_EMU_OP_DELETE 2

static __always_inline int p4ts_emu_entry_op(int op, struct p4tc_table_entry_create_bpf_params *params,
					     const __u32 params__sz, void *key, const __u32 key__sz)
{
	struct p4ts_emu_scratch *scr;
	struct p4ts_emu_table *t;
	struct p4ts_emu_entry *e;
	__u32 tblid;
	int i;

	if (!params || params__sz != P4TC_ENTRY_CREATE_BPF_PARAMS_SZ)
		return -P4TS_EMU_EINVAL;
	tblid = params->tblid;
	t = bpf_map_lookup_elem(&p4tc_emu_tables, &tblid);
	if (!t)
		return -P4TS_EMU_ENOENT;
	if (!p4ts_emu_key_ok(t, key, key__sz) || t->type != P4TS_EMU_TABLE_EXACT)
		return -P4TS_EMU_EINVAL;
	scr = p4ts_emu_scratch();
	if (!scr)
		return -P4TS_EMU_ENOMEM;
	p4ts_emu_make_key(&scr->key, tblid, 0, key, key__sz);
	if (op == P4TS_EMU_OP_DELETE)
		return (int)bpf_map_delete_elem(&p4tc_emu_entry, &scr->key);
	if (op == P4TS_EMU_OP_UPDATE) {
		e = bpf_map_lookup_elem(&p4tc_emu_entry, &scr->key);
		if (!e)
			return -P4TS_EMU_ENOENT;
		p4ts_emu_copy_act(e, params);
		e->flags &= ~P4TS_EMU_ENTRY_F_NOACTION;
		return 0;
	}
	{
		__u64 *w = (__u64 *)&scr->ent;

#pragma clang loop unroll(full)
		for (i = 0; i < (int)(sizeof(scr->ent) / 8); i++)
			w[i] = 0;
	}
	p4ts_emu_copy_act(&scr->ent, params);
	return (int)bpf_map_update_elem(&p4tc_emu_entry, &scr->key, &scr->ent, BPF_NOEXIST);
}

/* ------------------------------------------------------------------------
 * Table kfuncs
 * ---------------------------------------------------------------------- */

static __always_inline struct p4tc_table_entry_act_bpf *
bpf_p4tc_tbl_read(struct __sk_buff *skb, struct p4tc_table_entry_act_bpf_params *params, const __u32 params__sz,
		  void *key, const __u32 key__sz)
{
	return p4ts_emu_tbl_read(skb->len, params, params__sz, key, key__sz);
}

static __always_inline struct p4tc_table_entry_act_bpf *
xdp_p4tc_tbl_read(struct xdp_md *ctx, struct p4tc_table_entry_act_bpf_params *params, const __u32 params__sz,
		  void *key, const __u32 key__sz)
{
	return p4ts_emu_tbl_read(ctx->data_end - ctx->data, params, params__sz, key, key__sz);
}

static __always_inline int bpf_p4tc_entry_create(struct __sk_buff *skb,
						 struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_CREATE, params, params__sz, key, key__sz);
}

static __always_inline int xdp_p4tc_entry_create(struct xdp_md *ctx, struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_CREATE, params, params__sz, key, key__sz);
}

static __always_inline int bpf_p4tc_entry_create_on_miss(struct __sk_buff *skb,
							 struct p4tc_table_entry_create_bpf_params *params,
							 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_CREATE, params, params__sz, key, key__sz);
}

static __always_inline int xdp_p4tc_entry_create_on_miss(struct xdp_md *ctx,
							 struct p4tc_table_entry_create_bpf_params *params,
							 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_CREATE, params, params__sz, key, key__sz);
}

static __always_inline int bpf_p4tc_entry_update(struct __sk_buff *skb,
						 struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_UPDATE, params, params__sz, key, key__sz);
}

static __always_inline int xdp_p4tc_entry_update(struct xdp_md *ctx, struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_UPDATE, params, params__sz, key, key__sz);
}

static __always_inline int bpf_p4tc_entry_delete(struct __sk_buff *skb,
						 struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_DELETE, params, params__sz, key, key__sz);
}

static __always_inline int xdp_p4tc_entry_delete(struct xdp_md *ctx, struct p4tc_table_entry_create_bpf_params *params,
						 const __u32 params__sz, void *key, const __u32 key__sz)
{
	return p4ts_emu_entry_op(P4TS_EMU_OP_DELETE, params, params__sz, key, key__sz);
}

/* ------------------------------------------------------------------------
 * Counters and meters
 * ---------------------------------------------------------------------- */

/* Which table a direct counter/meter call names. The reference layout has
 * tbl_id; the v13 layout has none, so the emulation reads param_id there. */
#ifdef P4TS_EXT_ABI_REFERENCE
#define P4TS_EMU_EXT_TBLID(p) ((p)->tbl_id)
#else
#define P4TS_EMU_EXT_TBLID(p) ((p)->param_id)
#endif

/* The entry a direct extern call refers to: the table named by the params,
 * matched with the table key passed again. */
static __always_inline struct p4ts_emu_entry *p4ts_emu_direct_entry(struct p4tc_ext_bpf_params *params, void *key,
								    __u32 key__sz)
{
	struct p4ts_emu_scratch *scr;
	struct p4ts_emu_table *t;
	__u32 tblid = P4TS_EMU_EXT_TBLID(params);

	t = bpf_map_lookup_elem(&p4tc_emu_tables, &tblid);
	if (!t || !p4ts_emu_key_ok(t, key, key__sz))
		return NULL;
	scr = p4ts_emu_scratch();
	if (!scr)
		return NULL;
	return p4ts_emu_match(scr, t, tblid, key, key__sz);
}

static __always_inline void p4ts_emu_ext_key(struct p4ts_emu_ext_key *k, const struct p4tc_ext_bpf_params *params)
{
	k->ext_id = params->ext_id;
	k->inst_id = params->inst_id;
	k->index = params->index;
}

#define P4TS_EMU_COUNT_PKTS 0x1
#define P4TS_EMU_COUNT_BYTES 0x2

/* Counter.count(): indirect elements are created (zeroed) on first use. */
static __always_inline int p4ts_emu_count(int what, __u32 pkt_len, struct p4tc_ext_bpf_params *params,
					  const __u32 params__sz, void *key, const __u32 key__sz)
{
	__u64 *pkts, *bytes;

	if (!params || params__sz != P4TC_EXT_BPF_PARAMS_SZ)
		return -P4TS_EMU_EINVAL;
	if (params->flags & P4TC_EXT_CNT_DIRECT) {
		struct p4ts_emu_entry *e = p4ts_emu_direct_entry(params, key, key__sz);

		if (!e)
			return -P4TS_EMU_ENOENT;
		P4TS_PKT_OPAQUE(e);
		pkts = &e->pkts;
		bytes = &e->bytes;
	} else {
		struct p4ts_emu_counter *c, zero = {};
		struct p4ts_emu_ext_key k;

		p4ts_emu_ext_key(&k, params);
		c = bpf_map_lookup_elem(&p4tc_emu_cnt, &k);
		if (!c) {
			bpf_map_update_elem(&p4tc_emu_cnt, &k, &zero, BPF_NOEXIST);
			c = bpf_map_lookup_elem(&p4tc_emu_cnt, &k);
			if (!c)
				return -P4TS_EMU_ENOMEM;
		}
		P4TS_PKT_OPAQUE(c);
		pkts = &c->pkts;
		bytes = &c->bytes;
	}
	if (what & P4TS_EMU_COUNT_PKTS)
		__sync_fetch_and_add(pkts, 1);
	if (what & P4TS_EMU_COUNT_BYTES)
		__sync_fetch_and_add(bytes, pkt_len);
	return 0;
}

/* Largest burst whose bucket (units x 10^9) fits in 64 bits. */
#define P4TS_EMU_METER_MAX_BURST 18000000000ULL

/* A bucket refilled at rate units/s for dt ns, capped at cap (all x 10^9). */
static __always_inline __u64 p4ts_emu_refill(__u64 bucket, __u64 rate, __u64 dt, __u64 cap)
{
	__u64 room;

	if (bucket >= cap)
		return cap;
	room = cap - bucket;
	if (rate == 0)
		return bucket;
	if (dt > room / rate)
		return cap;
	return bucket + dt * rate;
}

/*
 * RFC 2698 trTCM. Buckets are kept in units x 10^9 so no fraction of a token
 * is lost between packets. Color-blind unless in_color says otherwise
 * (color-aware: a RED packet stays RED, a YELLOW one is at best YELLOW).
 * An unconfigured meter (all four parameters 0) passes the input color
 * through (GREEN when color-blind). A global function: verified once.
 */
__attribute__((noinline)) int p4ts_emu_trtcm(struct p4ts_emu_meter *m, __u64 units, __u32 in_color)
{
	__u64 cbs, pbs, now, cap_c, cap_p, tc, tp, cost;
	int color;

	if (!m)
		return -P4TS_EMU_EINVAL;
	cbs = m->cbs;
	pbs = m->pbs;
	if (!m->cir && !m->pir && !cbs && !pbs)
		return (int)in_color;
	if (cbs > P4TS_EMU_METER_MAX_BURST)
		cbs = P4TS_EMU_METER_MAX_BURST;
	if (pbs > P4TS_EMU_METER_MAX_BURST)
		pbs = P4TS_EMU_METER_MAX_BURST;
	cap_c = cbs * P4TS_EMU_NSEC_PER_SEC;
	cap_p = pbs * P4TS_EMU_NSEC_PER_SEC;
	now = bpf_ktime_get_ns();
	if (m->last_ns == 0) {
		tc = cap_c;
		tp = cap_p;
	} else {
		__u64 dt = now > m->last_ns ? now - m->last_ns : 0;

		tc = p4ts_emu_refill(m->tc, m->cir, dt, cap_c);
		tp = p4ts_emu_refill(m->tp, m->pir, dt, cap_p);
	}
	cost = units * P4TS_EMU_NSEC_PER_SEC;
	if (in_color == PNA_METER_COLOR_RED || tp < cost) {
		color = PNA_METER_COLOR_RED;
	} else if (in_color == PNA_METER_COLOR_YELLOW || tc < cost) {
		color = PNA_METER_COLOR_YELLOW;
		tp -= cost;
	} else {
		color = PNA_METER_COLOR_GREEN;
		tp -= cost;
		tc -= cost;
	}
	m->tc = tc;
	m->tp = tp;
	m->last_ns = now ? now : 1;
	return color;
}

/* Meter.execute(): returns the color. A missing indirect element is an
 * unconfigured meter. */
static __always_inline int p4ts_emu_meter(__u64 units, bool color_aware, struct p4tc_ext_bpf_params *params,
					  const __u32 params__sz, void *key, const __u32 key__sz)
{
	struct p4ts_emu_meter *m;
	__u32 in_color = PNA_METER_COLOR_GREEN;

	if (!params || params__sz != P4TC_EXT_BPF_PARAMS_SZ)
		return -P4TS_EMU_EINVAL;
	if (color_aware)
		in_color = *(__u32 *)params->in_params;
	if (params->flags & P4TC_EXT_METER_DIRECT) {
		struct p4ts_emu_entry *e = p4ts_emu_direct_entry(params, key, key__sz);

		if (!e)
			return -P4TS_EMU_ENOENT;
		P4TS_PKT_OPAQUE(e);
		m = &e->meter;
	} else {
		struct p4ts_emu_ext_key k;

		p4ts_emu_ext_key(&k, params);
		m = bpf_map_lookup_elem(&p4tc_emu_meter, &k);
		if (!m)
			return (int)in_color;
		P4TS_PKT_OPAQUE(m);
	}
	return p4ts_emu_trtcm(m, units, in_color);
}

/* The bytes a tc Counter counts: the kernel's qdisc_pkt_len(skb), set at tc
 * ingress before the Ethernet header is pushed back, so the frame length
 * less 14 (v13 net/sched/p4tc/externs/ext_Counter.c `counters.bytes =
 * qdisc_pkt_len(skb)`; seen on the VM: an 18-byte frame counts 4 bytes). */
#define P4TS_EMU_TC_COUNT_LEN(skb) ((skb)->len > 14 ? (skb)->len - 14 : 0)

#define P4TS_EMU_COUNT_FUNCS(name, what)                                                                       \
	static __always_inline int bpf_p4tc_extern_##name(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params, \
							  const __u32 params__sz, void *key, const __u32 key__sz) \
	{                                                                                                      \
		return p4ts_emu_count(what, P4TS_EMU_TC_COUNT_LEN(skb), params, params__sz, key, key__sz);      \
	}                                                                                                      \
	static __always_inline int xdp_p4tc_extern_##name(struct xdp_md *ctx, struct p4tc_ext_bpf_params *params,   \
							  const __u32 params__sz, void *key, const __u32 key__sz) \
	{                                                                                                      \
		return p4ts_emu_count(what, ctx->data_end - ctx->data, params, params__sz, key, key__sz);        \
	}

P4TS_EMU_COUNT_FUNCS(count_pkts, P4TS_EMU_COUNT_PKTS)
P4TS_EMU_COUNT_FUNCS(count_bytes, P4TS_EMU_COUNT_BYTES)
P4TS_EMU_COUNT_FUNCS(count_pktsnbytes, P4TS_EMU_COUNT_PKTS | P4TS_EMU_COUNT_BYTES)

#define P4TS_EMU_METER_FUNCS(name, bytes, aware)                                                               \
	static __always_inline int bpf_p4tc_extern_##name(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params, \
							  const __u32 params__sz, void *key, const __u32 key__sz) \
	{                                                                                                      \
		return p4ts_emu_meter((bytes) ? skb->len : 1, aware, params, params__sz, key, key__sz);         \
	}                                                                                                      \
	static __always_inline int xdp_p4tc_extern_##name(struct xdp_md *ctx, struct p4tc_ext_bpf_params *params,   \
							  const __u32 params__sz, void *key, const __u32 key__sz) \
	{                                                                                                      \
		return p4ts_emu_meter((bytes) ? ctx->data_end - ctx->data : 1, aware, params, params__sz, key,  \
				      key__sz);                                                                \
	}

P4TS_EMU_METER_FUNCS(meter_pkts, false, false)
P4TS_EMU_METER_FUNCS(meter_pkts_color, false, true)
P4TS_EMU_METER_FUNCS(meter_bytes, true, false)
P4TS_EMU_METER_FUNCS(meter_bytes_color, true, true)

/* ------------------------------------------------------------------------
 * Registers (extern md read/write) and digests
 * ---------------------------------------------------------------------- */

/* The element {ext_id, inst_id, index}, copied to per-CPU scratch (so the
 * caller may change it without writing it back, as with the kernel). A
 * missing element reads as zeros. The copy is valid until the next read. */
static __always_inline struct p4tc_ext_bpf_val *p4ts_emu_md_read(struct p4tc_ext_bpf_params *params,
								 const __u32 params__sz)
{
	struct p4ts_emu_scratch *scr;
	struct p4tc_ext_bpf_val *v;
	struct p4ts_emu_ext_key k;
	__u32 *d;
	int i;

	if (!params || params__sz != P4TC_EXT_BPF_PARAMS_SZ)
		return NULL;
	scr = p4ts_emu_scratch();
	if (!scr)
		return NULL;
	p4ts_emu_ext_key(&k, params);
	v = bpf_map_lookup_elem(&p4tc_emu_reg, &k);
	d = (__u32 *)&scr->val;
	if (v) {
		const __u32 *s = (const __u32 *)v;

#pragma clang loop unroll(full)
		for (i = 0; i < (int)(sizeof(*v) / 4); i++)
			d[i] = s[i];
	} else {
#pragma clang loop unroll(full)
		for (i = 0; i < (int)(sizeof(*v) / 4); i++)
			d[i] = 0;
		scr->val.ext_id = params->ext_id;
		scr->val.index = params->index;
	}
	return &scr->val;
}

static __always_inline int p4ts_emu_md_write(struct p4tc_ext_bpf_params *params, const __u32 params__sz,
					     struct p4tc_ext_bpf_val *val, const __u32 val__sz)
{
	struct p4ts_emu_ext_key k;

	if (!params || params__sz != P4TC_EXT_BPF_PARAMS_SZ || !val || val__sz != P4TC_EXT_BPF_VAL_SZ)
		return -P4TS_EMU_EINVAL;
	p4ts_emu_ext_key(&k, params);
	return (int)bpf_map_update_elem(&p4tc_emu_reg, &k, val, BPF_ANY);
}

static __always_inline struct p4tc_ext_bpf_val *bpf_p4tc_extern_md_read(struct __sk_buff *skb,
									struct p4tc_ext_bpf_params *params,
									const __u32 params__sz)
{
	return p4ts_emu_md_read(params, params__sz);
}

static __always_inline int bpf_p4tc_extern_md_write(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params,
						    const __u32 params__sz, struct p4tc_ext_bpf_val *val,
						    const __u32 val__sz)
{
	return p4ts_emu_md_write(params, params__sz, val, val__sz);
}

static __always_inline struct p4tc_ext_bpf_val *xdp_p4tc_extern_md_read(struct xdp_md *ctx,
									struct p4tc_ext_bpf_params *params,
									const __u32 params__sz)
{
	return p4ts_emu_md_read(params, params__sz);
}

static __always_inline int xdp_p4tc_extern_md_write(struct xdp_md *ctx, struct p4tc_ext_bpf_params *params,
						    const __u32 params__sz, struct p4tc_ext_bpf_val *val,
						    const __u32 val__sz)
{
	return p4ts_emu_md_write(params, params__sz, val, val__sz);
}

/* Digest.pack(): the whole params struct is queued; -ESRCH when the queue is
 * full (nobody is reading, as the kernel says when no one listens). */
static __always_inline int p4ts_emu_digest_pack(struct p4tc_ext_bpf_params *params, const __u32 params__sz)
{
	if (!params || params__sz != P4TC_EXT_BPF_PARAMS_SZ)
		return -P4TS_EMU_EINVAL;
	if (p4ts_emu_map_push_elem(&p4tc_emu_digest, params, 0))
		return -P4TS_EMU_ESRCH;
	return 0;
}

static __always_inline int bpf_p4tc_extern_digest_pack(struct __sk_buff *skb, struct p4tc_ext_bpf_params *params,
						       const __u32 params__sz)
{
	return p4ts_emu_digest_pack(params, params__sz);
}

static __always_inline int xdp_p4tc_extern_digest_pack(struct xdp_md *ctx, struct p4tc_ext_bpf_params *params,
						       const __u32 params__sz)
{
	return p4ts_emu_digest_pack(params, params__sz);
}

/* ------------------------------------------------------------------------
 * Checksums and hashes (ext_csum). Data is read byte by byte, at most
 * P4TS_CSUM_MAX_BYTES (InternetChecksum, p4ts_pna.h) or
 * P4TS_EMU_MAX_CSUM_BYTES (CRCs) per call.
 * ---------------------------------------------------------------------- */

/* The kernel's csum_partial on a little-endian host: 16-bit words of the
 * data read in host order (byte 0 is the low byte), plus seed, as a 32-bit
 * sum with end-around carries (p4ts_csum_partial in p4ts_pna.h). */
#define p4ts_emu_csum_partial(data, len, seed) p4ts_csum_partial(data, len, seed)
#define p4ts_emu_fold16(sum) p4ts_csum_fold16(sum)

static __always_inline __wsum bpf_p4tc_ext_csum_16bit_complement_add(struct p4tc_ext_csum_params *params,
								     const __u32 params__sz, const void *data,
								     const __u32 data__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	params->csum = p4ts_emu_fold16(p4ts_emu_csum_partial(data, data__sz, params->csum));
	return params->csum;
}

/* Subtract 16-bit host-order words (data__sz even, >= 2). */
static __always_inline int bpf_p4tc_ext_csum_16bit_complement_sub(struct p4tc_ext_csum_params *params,
								  const __u32 params__sz, const void *data,
								  const __u32 data__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return -P4TS_EMU_EINVAL;
	if (data__sz < 2 || (data__sz & 1))
		return -P4TS_EMU_EINVAL;
	params->csum = p4ts_csum_sub16(p4ts_emu_fold16(params->csum), data, data__sz);
	return (int)params->csum;
}

/* The value for a checksum field: the folded sum, inverted. Stored in host
 * order it gives the checksum bytes in network order. */
static __always_inline __u16 bpf_p4tc_ext_csum_16bit_complement_get(struct p4tc_ext_csum_params *params,
								    const __u32 params__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	return (__u16)~p4ts_emu_fold16(params->csum);
}

static __always_inline void bpf_p4tc_ext_csum_16bit_complement_clear(struct p4tc_ext_csum_params *params,
								     const __u32 params__sz)
{
	if (params__sz == P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		params->csum = 0;
}

static __always_inline void bpf_p4tc_ext_csum_16bit_complement_set_state(struct p4tc_ext_csum_params *params,
									 const __u32 params__sz, __u16 csum)
{
	if (params__sz == P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		params->csum = csum;
}

/*
 * CRC tables. A CRC without final xor is linear over GF(2), so the entry
 * for byte n is the xor of the entries for n's set bits; the eight one-bit
 * entries below are checked against eight plain shift steps at compile time.
 * Table-driven CRCs also keep the verifier from forking on every bit.
 */
#define P4TS_EMU_CRC16_STEP(c) (((c) >> 1) ^ (0xA001U & (0U - ((c) & 1U))))
#define P4TS_EMU_CRC16_8STEPS(n)                                                                           \
	P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP(                   \
		P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP(P4TS_EMU_CRC16_STEP((__u32)(n)))))))))
#define P4TS_EMU_CRC32_STEP(c) ((((c) << 1) & 0xffffffffU) ^ (0x04C11DB7U & (0U - (((c) >> 31) & 1U))))
#define P4TS_EMU_CRC32_8STEPS(n)                                                                           \
	P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP(                   \
		P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP(P4TS_EMU_CRC32_STEP((__u32)(n) << 24))))))))

#define P4TS_EMU_CRC16_B0 0xC0C1U
#define P4TS_EMU_CRC16_B1 0xC181U
#define P4TS_EMU_CRC16_B2 0xC301U
#define P4TS_EMU_CRC16_B3 0xC601U
#define P4TS_EMU_CRC16_B4 0xCC01U
#define P4TS_EMU_CRC16_B5 0xD801U
#define P4TS_EMU_CRC16_B6 0xF001U
#define P4TS_EMU_CRC16_B7 0xA001U
#define P4TS_EMU_CRC32_B0 0x04C11DB7U
#define P4TS_EMU_CRC32_B1 0x09823B6EU
#define P4TS_EMU_CRC32_B2 0x130476DCU
#define P4TS_EMU_CRC32_B3 0x2608EDB8U
#define P4TS_EMU_CRC32_B4 0x4C11DB70U
#define P4TS_EMU_CRC32_B5 0x9823B6E0U
#define P4TS_EMU_CRC32_B6 0x34867077U
#define P4TS_EMU_CRC32_B7 0x690CE0EEU

/* The slice-by-4 tables of the CRC-32: entry n of table k is byte n followed
 * by k zero bytes, so four bytes take four independent loads instead of a
 * chain of four (the kernel's crc32_be is sliced too). Each one-bit entry is
 * checked below against one more zero byte through the table before it. */
#define P4TS_EMU_CRC32S1_B0 0xD219C1DCU
#define P4TS_EMU_CRC32S1_B1 0xA0F29E0FU
#define P4TS_EMU_CRC32S1_B2 0x452421A9U
#define P4TS_EMU_CRC32S1_B3 0x8A484352U
#define P4TS_EMU_CRC32S1_B4 0x10519B13U
#define P4TS_EMU_CRC32S1_B5 0x20A33626U
#define P4TS_EMU_CRC32S1_B6 0x41466C4CU
#define P4TS_EMU_CRC32S1_B7 0x828CD898U
#define P4TS_EMU_CRC32S2_B0 0x01D8AC87U
#define P4TS_EMU_CRC32S2_B1 0x03B1590EU
#define P4TS_EMU_CRC32S2_B2 0x0762B21CU
#define P4TS_EMU_CRC32S2_B3 0x0EC56438U
#define P4TS_EMU_CRC32S2_B4 0x1D8AC870U
#define P4TS_EMU_CRC32S2_B5 0x3B1590E0U
#define P4TS_EMU_CRC32S2_B6 0x762B21C0U
#define P4TS_EMU_CRC32S2_B7 0xEC564380U
#define P4TS_EMU_CRC32S3_B0 0xDC6D9AB7U
#define P4TS_EMU_CRC32S3_B1 0xBC1A28D9U
#define P4TS_EMU_CRC32S3_B2 0x7CF54C05U
#define P4TS_EMU_CRC32S3_B3 0xF9EA980AU
#define P4TS_EMU_CRC32S3_B4 0xF7142DA3U
#define P4TS_EMU_CRC32S3_B5 0xEAE946F1U
#define P4TS_EMU_CRC32S3_B6 0xD1139055U
#define P4TS_EMU_CRC32S3_B7 0xA6E63D1DU

#define P4TS_EMU_CRC_BIT(n, b, v) ((((n) >> (b)) & 1U) ? (v) : 0U)
#define P4TS_EMU_CRC_ENT(K, n)                                                                              \
	(P4TS_EMU_CRC_BIT(n, 0, K##_B0) ^ P4TS_EMU_CRC_BIT(n, 1, K##_B1) ^ P4TS_EMU_CRC_BIT(n, 2, K##_B2) ^ \
	 P4TS_EMU_CRC_BIT(n, 3, K##_B3) ^ P4TS_EMU_CRC_BIT(n, 4, K##_B4) ^ P4TS_EMU_CRC_BIT(n, 5, K##_B5) ^ \
	 P4TS_EMU_CRC_BIT(n, 6, K##_B6) ^ P4TS_EMU_CRC_BIT(n, 7, K##_B7))
#define P4TS_EMU_T4(K, n) P4TS_EMU_CRC_ENT(K, n), P4TS_EMU_CRC_ENT(K, (n) + 1), P4TS_EMU_CRC_ENT(K, (n) + 2), \
	P4TS_EMU_CRC_ENT(K, (n) + 3)
#define P4TS_EMU_T16(K, n) P4TS_EMU_T4(K, n), P4TS_EMU_T4(K, (n) + 4), P4TS_EMU_T4(K, (n) + 8), P4TS_EMU_T4(K, (n) + 12)
#define P4TS_EMU_T64(K, n) \
	P4TS_EMU_T16(K, n), P4TS_EMU_T16(K, (n) + 16), P4TS_EMU_T16(K, (n) + 32), P4TS_EMU_T16(K, (n) + 48)
#define P4TS_EMU_T256(K) P4TS_EMU_T64(K, 0), P4TS_EMU_T64(K, 64), P4TS_EMU_T64(K, 128), P4TS_EMU_T64(K, 192)

_Static_assert(P4TS_EMU_CRC16_8STEPS(1) == P4TS_EMU_CRC16_B0 && P4TS_EMU_CRC16_8STEPS(2) == P4TS_EMU_CRC16_B1 &&
		       P4TS_EMU_CRC16_8STEPS(4) == P4TS_EMU_CRC16_B2 && P4TS_EMU_CRC16_8STEPS(8) == P4TS_EMU_CRC16_B3 &&
		       P4TS_EMU_CRC16_8STEPS(16) == P4TS_EMU_CRC16_B4 && P4TS_EMU_CRC16_8STEPS(32) == P4TS_EMU_CRC16_B5 &&
		       P4TS_EMU_CRC16_8STEPS(64) == P4TS_EMU_CRC16_B6 && P4TS_EMU_CRC16_8STEPS(128) == P4TS_EMU_CRC16_B7,
	       "crc16 table basis");
_Static_assert(P4TS_EMU_CRC32_8STEPS(1) == P4TS_EMU_CRC32_B0 && P4TS_EMU_CRC32_8STEPS(2) == P4TS_EMU_CRC32_B1 &&
		       P4TS_EMU_CRC32_8STEPS(4) == P4TS_EMU_CRC32_B2 && P4TS_EMU_CRC32_8STEPS(8) == P4TS_EMU_CRC32_B3 &&
		       P4TS_EMU_CRC32_8STEPS(16) == P4TS_EMU_CRC32_B4 && P4TS_EMU_CRC32_8STEPS(32) == P4TS_EMU_CRC32_B5 &&
		       P4TS_EMU_CRC32_8STEPS(64) == P4TS_EMU_CRC32_B6 && P4TS_EMU_CRC32_8STEPS(128) == P4TS_EMU_CRC32_B7,
	       "crc32 table basis");

/* Table k's one-bit entries: table k-1's, through one more zero byte of table 0. */
#define P4TS_EMU_CRC32_NEXT(v) ((((v) << 8) & 0xffffffffU) ^ P4TS_EMU_CRC_ENT(P4TS_EMU_CRC32, (v) >> 24))
#define P4TS_EMU_CRC32_SLICE_OK(K, J, b) (K##_B##b == P4TS_EMU_CRC32_NEXT(J##_B##b))
#define P4TS_EMU_CRC32_SLICE_ALL(K, J)                                                                   \
	(P4TS_EMU_CRC32_SLICE_OK(K, J, 0) && P4TS_EMU_CRC32_SLICE_OK(K, J, 1) && P4TS_EMU_CRC32_SLICE_OK(K, J, 2) && \
	 P4TS_EMU_CRC32_SLICE_OK(K, J, 3) && P4TS_EMU_CRC32_SLICE_OK(K, J, 4) && P4TS_EMU_CRC32_SLICE_OK(K, J, 5) && \
	 P4TS_EMU_CRC32_SLICE_OK(K, J, 6) && P4TS_EMU_CRC32_SLICE_OK(K, J, 7))
_Static_assert(P4TS_EMU_CRC32_SLICE_ALL(P4TS_EMU_CRC32S1, P4TS_EMU_CRC32) &&
		       P4TS_EMU_CRC32_SLICE_ALL(P4TS_EMU_CRC32S2, P4TS_EMU_CRC32S1) &&
		       P4TS_EMU_CRC32_SLICE_ALL(P4TS_EMU_CRC32S3, P4TS_EMU_CRC32S2),
	       "crc32 slice table basis");

static const __u16 p4ts_emu_crc16_table[256] = { P4TS_EMU_T256(P4TS_EMU_CRC16) };
static const __u32 p4ts_emu_crc32_table[256] = { P4TS_EMU_T256(P4TS_EMU_CRC32) };
static const __u32 p4ts_emu_crc32_s1[256] = { P4TS_EMU_T256(P4TS_EMU_CRC32S1) };
static const __u32 p4ts_emu_crc32_s2[256] = { P4TS_EMU_T256(P4TS_EMU_CRC32S2) };
static const __u32 p4ts_emu_crc32_s3[256] = { P4TS_EMU_T256(P4TS_EMU_CRC32S3) };

/* CRC-16 (poly 0x8005 bit-reflected = 0xA001, LSB first, no final xor),
 * continuing from crc: the kernel's crc16(). */
static __always_inline __u16 p4ts_emu_crc16(__u16 crc, const void *data, __u32 len)
{
	const __u8 *p = data;
	__u32 c = crc, i;

	for (i = 0; i < P4TS_EMU_MAX_CSUM_BYTES; i++) {
		if (i >= len)
			break;
		c = (c >> 8) ^ p4ts_emu_crc16_table[(c ^ p[i]) & 0xff];
	}
	return (__u16)c;
}

/* CRC-32 (poly 0x04C11DB7, MSB first, no reflection, no final xor),
 * continuing from crc: the kernel's crc32_be(). */
static __always_inline __u32 p4ts_emu_crc32_be(__u32 crc, const void *data, __u32 len)
{
	const __u8 *p = data;
	__u32 c = crc, i;

	/* Four bytes at a time, then the rest one at a time. */
	for (i = 0; i + 4 <= P4TS_EMU_MAX_CSUM_BYTES; i += 4) {
		if (i + 4 > len)
			break;
		c ^= ((__u32)p[i] << 24) | ((__u32)p[i + 1] << 16) | ((__u32)p[i + 2] << 8) | p[i + 3];
		c = p4ts_emu_crc32_s3[c >> 24] ^ p4ts_emu_crc32_s2[(c >> 16) & 0xff] ^ p4ts_emu_crc32_s1[(c >> 8) & 0xff] ^
		    p4ts_emu_crc32_table[c & 0xff];
	}
	for (; i < P4TS_EMU_MAX_CSUM_BYTES; i++) {
		if (i >= len)
			break;
		c = (c << 8) ^ p4ts_emu_crc32_table[((c >> 24) ^ p[i]) & 0xff];
	}
	return c;
}

static __always_inline __u16 bpf_p4tc_ext_csum_crc16_add(struct p4tc_ext_csum_params *params, const __u32 params__sz,
							 const void *data, const __u32 data__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	params->csum = p4ts_emu_crc16((__u16)params->csum, data, data__sz);
	return (__u16)params->csum;
}

static __always_inline __u16 bpf_p4tc_ext_csum_crc16_get(struct p4tc_ext_csum_params *params, const __u32 params__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	return (__u16)params->csum;
}

static __always_inline void bpf_p4tc_ext_csum_crc16_clear(struct p4tc_ext_csum_params *params, const __u32 params__sz)
{
	if (params__sz == P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		params->csum = 0;
}

/* The state holds the raw CRC register; add and get return it inverted. */
static __always_inline __u32 bpf_p4tc_ext_csum_crc32_add(struct p4tc_ext_csum_params *params, const __u32 params__sz,
							 const void *data, const __u32 data__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	params->csum = p4ts_emu_crc32_be(params->csum, data, data__sz);
	return params->csum ^ 0xffffffffU;
}

static __always_inline __u32 bpf_p4tc_ext_csum_crc32_get(struct p4tc_ext_csum_params *params, const __u32 params__sz)
{
	if (params__sz != P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		return 0;
	return params->csum ^ 0xffffffffU;
}

static __always_inline void bpf_p4tc_ext_csum_crc32_clear(struct p4tc_ext_csum_params *params, const __u32 params__sz)
{
	if (params__sz == P4TC_EXT_BPF_CSUM_PARAMS_SZ)
		params->csum = 0;
}

static __always_inline __u16 bpf_p4tc_ext_hash_16bit_complement(const void *data, const __u32 data__sz, __u16 seed)
{
	return (__u16)~p4ts_emu_fold16(p4ts_emu_csum_partial(data, data__sz, seed));
}

static __always_inline __u16 bpf_p4tc_ext_hash_crc16(const void *data, const __u32 data__sz, __u16 seed)
{
	return p4ts_emu_crc16(seed, data, data__sz);
}

static __always_inline __u32 bpf_p4tc_ext_hash_crc32(const void *data, const __u32 data__sz, __u32 seed)
{
	return p4ts_emu_crc32_be(seed, data, data__sz);
}

/* ------------------------------------------------------------------------
 * Ports and skb metadata
 * ---------------------------------------------------------------------- */

static __always_inline bool p4ts_emu_is_host_port(__u32 ifindex)
{
	__u32 *kind = bpf_map_lookup_elem(&p4tc_emu_ports, &ifindex);

	return kind && *kind == P4TS_EMU_PORT_HOST;
}

static __always_inline bool bpf_p4tc_is_net_port(struct __sk_buff *skb, const __u32 ifindex)
{
	return !p4ts_emu_is_host_port(ifindex);
}

static __always_inline bool bpf_p4tc_is_host_port(struct __sk_buff *skb, const __u32 ifindex)
{
	return p4ts_emu_is_host_port(ifindex);
}

static __always_inline bool xdp_p4tc_is_net_port(struct xdp_md *ctx, const __u32 ifindex)
{
	return !p4ts_emu_is_host_port(ifindex);
}

static __always_inline bool xdp_p4tc_is_host_port(struct xdp_md *ctx, const __u32 ifindex)
{
	return p4ts_emu_is_host_port(ifindex);
}

/* The fields tc programs may write through __sk_buff are written directly;
 * the protocol cannot be (PROTO is ignored; see README.md). */
static __always_inline int bpf_p4tc_skb_meta_set(struct __sk_buff *skb, struct p4tc_skb_meta_set *skb_meta_set,
						 __u32 skb_meta_set__sz)
{
	__u32 m;

	if (!skb_meta_set || skb_meta_set__sz != P4TC_SKB_META_SET_SZ)
		return -P4TS_EMU_EINVAL;
	m = skb_meta_set->bitmask;
	if (m & P4TC_SKB_META_SET_TSTAMP)
		skb->tstamp = (__u64)skb_meta_set->tstamp;
	if (m & P4TC_SKB_META_SET_MARK)
		skb->mark = skb_meta_set->mark;
	if (m & P4TC_SKB_META_SET_CLASSID)
		skb->tc_classid = skb_meta_set->tc_classid;
	if (m & P4TC_SKB_META_SET_TC_INDEX)
		skb->tc_index = skb_meta_set->tc_index;
	if (m & P4TC_SKB_META_SET_QMAP)
		skb->queue_mapping = skb_meta_set->queue_mapping;
	return 0;
}

/* Nothing is known about the direction: bitmask 0 (the getters say -1). */
static __always_inline int bpf_p4tc_skb_meta_get(struct __sk_buff *skb, struct p4tc_skb_meta_get *skb_meta_get,
						 __u32 skb_meta_get__sz)
{
	if (!skb_meta_get || skb_meta_get__sz != P4TC_SKB_META_SZ)
		return -P4TS_EMU_EINVAL;
	skb_meta_get->tc_at_ingress = 0;
	skb_meta_get->from_ingress = 0;
	skb_meta_get->bitmask = 0;
	return 0;
}

#endif /* P4TS_P4TC_EMU_H */
