/** Extern calls: P4TC extern kfuncs (counters, meters, registers, digests), checksums, hashes, table entries from the datapath, skb fields. */
import type { DExpr, ExternCall, ScalarType } from "../../compiler/ir/datapath.js";
import { exprC, fit, isWide, lit128, mask, wideBytes, wideC, type ExprCtx } from "./cexpr.js";
import type { Emitter } from "./emitter.js";
import { byteOf } from "./packet.js";
import { CWriter } from "./writer.js";

function extParams(w: CWriter, v: string, extId: string, instId: number, flags: string | null, table: number | null = null): void {
  w.line(`struct p4tc_ext_bpf_params ${v};`);
  w.line(`__builtin_memset(&${v}, 0, sizeof(${v}));`);
  w.line(`${v}.pipe_id = p4tc_filter_fields.pipeid;`);
  w.line(`${v}.ext_id = ${extId};`);
  w.line(`${v}.inst_id = ${instId};`);
  if (flags) w.line(`${v}.flags = ${flags};`);
  // A direct counter/meter names its table (the kernel finds the entry from it and the key).
  if (table !== null) w.line(`P4TS_EXT_TBL_ID(${v}) = ${table};`);
}

/** Packs values (each `width` bits, host order, little-endian per value) into a byte buffer. */
function packLE(w: CWriter, buf: string, values: readonly DExpr[], x: ExprCtx): number {
  let off = 0;
  for (const v of values) {
    const n = Math.max(1, Math.ceil(v.type.width / 8));
    if (isWide(v.type)) {
      const c = wideC(v, x);
      for (let i = 0; i < n; i++) w.line(`${buf}[${off + i}] = (__u8)(${c} >> ${8 * i});`);
      off += n;
      continue;
    }
    const c = exprC(v, x);
    const tmp = `(__u64)(${c})`;
    for (let i = 0; i < n && i < 8; i++) w.line(`${buf}[${off + i}] = (__u8)(${tmp} >> ${8 * i});`);
    off += n;
  }
  return off;
}

/** Packs values as one bit string (MSB first, network order), for checksums and hashes. */
function packedFields(values: readonly DExpr[], x: ExprCtx): { fields: { c: string; width: number; bitOffset: number }[]; bits: number } {
  let bit = 0;
  const fields = values.map((v) => {
    const wide = isWide(v.type);
    const f = { c: `(${wide ? wideC(v, x) : exprC(v, x)})`, width: v.type.width, bitOffset: bit, wide };
    bit += v.type.width;
    return f;
  });
  return { fields, bits: bit };
}

function packBits(w: CWriter, buf: string, values: readonly DExpr[], x: ExprCtx, minBytes: number): number {
  const { fields, bits } = packedFields(values, x);
  const bytes = Math.ceil(bits / 8);
  w.line(`__u8 ${buf}[${Math.max(minBytes, bytes)}]${BUF_ALIGN};`);
  for (let j = 0; j < bytes; j++) w.line(`${buf}[${j}] = ${byteOf(fields, j)};`);
  return bytes;
}

/**
 * The data buffers of checksum and hash kfuncs are 8-byte aligned: clang then
 * stores a byte-aligned field that fills 2, 4 or 8 aligned bytes of it as one
 * swapped store (a 32-bit address: be32 and one store, not four shifts and
 * four byte stores). In a byte array of alignment 1 it may not merge them.
 */
const BUF_ALIGN = " __attribute__((aligned(8)))";

/**
 * The data of a ones'-complement checksum as 16-bit words holding their
 * values in host order (`__u16 buf[]`, the last word zero-padded), as P4TC's
 * csum kfuncs take it: csum_partial then sums the words' values, so get()
 * returns the checksum as a value (written to the packet in network order
 * like any header field), and set_state/get_state/subtract agree with it.
 * Returns the size in bytes.
 */
function packWords(w: CWriter, buf: string, values: readonly DExpr[], x: ExprCtx): number {
  const { fields, bits } = packedFields(values, x);
  const words = Math.max(1, Math.ceil(bits / 16));
  w.line(`__u16 ${buf}[${words}]${BUF_ALIGN};`);
  for (let k = 0; k < words; k++) w.line(`${buf}[${k}] = (__u16)(((__u16)${byteOf(fields, 2 * k)} << 8) | ${byteOf(fields, 2 * k + 1)});`);
  return 2 * words;
}

export function externStmt(e: Emitter, c: ExternCall): void {
  const { w } = e;
  switch (c.k) {
    case "send_to_port":
      w.line(`compiler_meta__->egress_port = ${exprC(c.port, e)};`);
      w.line("compiler_meta__->drop = false;");
      return;
    case "drop_packet":
      w.line("compiler_meta__->drop = true;");
      return;
    case "csum_clear":
      w.line(`${c.inst}.csum = 0;`);
      return;
    case "csum_set_state":
      w.line(`bpf_p4tc_ext_csum_16bit_complement_set_state(&${c.inst}, sizeof(${c.inst}), ${exprC(c.value, e)});`);
      return;
    case "csum_add":
    case "csum_sub":
      w.block("", () => {
        const buf = w.fresh("csum_buf");
        const algo = e.dp.checksums.find((x) => x.name === c.inst)?.algo ?? "csum16";
        if (algo === "csum16") {
          const n = packWords(w, buf, c.fields, e);
          w.line(`bpf_p4tc_ext_csum_16bit_complement_${c.k === "csum_add" ? "add" : "sub"}(&${c.inst}, sizeof(${c.inst}), ${buf}, ${n});`);
          return;
        }
        const n = packBits(w, buf, c.fields, e, 2);
        w.line(`bpf_p4tc_ext_csum_${algo}_add(&${c.inst}, sizeof(${c.inst}), ${buf}, ${n});`);
      });
      return;
    case "counter":
      w.block("", () => {
        extParams(w, "ep__", c.extId, c.instId, c.table === null ? "P4TC_EXT_CNT_INDIRECT" : "P4TC_EXT_CNT_DIRECT", c.table);
        if (c.index) w.line(`ep__.index = ${exprC(c.index, e)};`);
        const key = c.table === null ? "NULL, 0" : "&key, sizeof(key)";
        w.line(`bpf_p4tc_extern_count_${c.mode}(skb, &ep__, sizeof(ep__), ${key});`);
      });
      return;
    case "meter":
      w.line(`(void)${meterValue(e, c)};`);
      return;
    case "register_write":
      w.block("", () => {
        extParams(w, "ep__", c.extId, c.instId, null);
        w.line(`ep__.index = ${exprC(c.index, e)};`);
        w.line("struct p4tc_ext_bpf_val val__;");
        w.line("__builtin_memset(&val__, 0, sizeof(val__));");
        packLE(w, "val__.out_params", c.value, e);
        w.line("bpf_p4tc_extern_md_write(skb, &ep__, sizeof(ep__), &val__, sizeof(val__));");
      });
      return;
    case "digest":
      w.block("", () => {
        extParams(w, "ep__", c.extId, c.instId, null);
        packLE(w, "ep__.in_params", c.fields, e);
        w.line("bpf_p4tc_extern_digest_pack(skb, &ep__, sizeof(ep__));");
      });
      return;
    case "add_entry":
      w.block("", () => {
        w.line("struct p4tc_table_entry_create_bpf_params cp__;");
        w.line("__builtin_memset(&cp__, 0, sizeof(cp__));");
        w.line(`cp__.act_bpf.act_id = ${c.actionId};`);
        for (const p of c.params) {
          const v = `(__u64)(${exprC(p.value, e)})`;
          for (let i = 0; i < p.size && i < 8; i++) {
            const shift = p.network ? 8 * (p.size - 1 - i) : 8 * i;
            w.line(`cp__.act_bpf.params[${p.offset + i}] = (__u8)(${v} >> ${shift});`);
          }
        }
        w.line(`cp__.profile_id = ${exprC(c.profile, e)};`);
        w.line("cp__.pipeid = p4tc_filter_fields.pipeid;");
        w.line(`cp__.tblid = ${c.table};`);
        w.line("cp__.handle = p4tc_filter_fields.handle;");
        w.line("cp__.chain = p4tc_filter_fields.chain;");
        w.line("cp__.classid = p4tc_filter_fields.classid;");
        w.line("cp__.proto = p4tc_filter_fields.proto;");
        w.line("cp__.prio = p4tc_filter_fields.prio;");
        w.line("bpf_p4tc_entry_create_on_miss(skb, &cp__, sizeof(cp__), &key, sizeof(key));");
      });
      return;
    case "set_entry_expire_time":
      w.block("", () => {
        w.line("struct p4tc_table_entry_create_bpf_params cp__;");
        w.line("__builtin_memset(&cp__, 0, sizeof(cp__));");
        w.line("cp__.act_bpf.act_id = p4ts_act_id(act_bpf);");
        // Only the bytes the table's actions have parameters in (the rest stays zero).
        const bytes = e.dp.tables.find((t) => t.id === c.table)?.paramBytes ?? "sizeof(cp__.act_bpf.params)";
        if (bytes !== 0) w.line(`__builtin_memcpy(cp__.act_bpf.params, act_bpf->params, ${bytes});`);
        w.line(`cp__.profile_id = ${exprC(c.profile, e)};`);
        w.line("cp__.pipeid = p4tc_filter_fields.pipeid;");
        w.line(`cp__.tblid = ${c.table};`);
        w.line("bpf_p4tc_entry_update(skb, &cp__, sizeof(cp__), &key, sizeof(key));");
      });
      return;
    case "skb_set": {
      const v = exprC(c.value, e);
      const direct: Record<string, string> = { mark: "mark", tstamp: "tstamp", tc_index: "tc_index", tc_classid: "tc_classid", queue_mapping: "queue_mapping" };
      if (direct[c.field]) w.line(`skb->${direct[c.field]} = ${v};`);
      else w.line(`skb_meta__.set.protocol = bpf_htons(${v}); skb_meta__.set.bitmask |= P4TC_SKB_META_SET_PROTO; bpf_p4tc_skb_meta_set(skb, &skb_meta__.set, sizeof(skb_meta__.set));`);
      return;
    }
    default:
      // Calls whose value is discarded.
      w.line(`(void)${e.externValue(c, { width: 32, signed: false })};`);
  }
}

function meterValue(e: Emitter, c: Extract<ExternCall, { k: "meter" }>): string {
  const parts: string[] = [];
  const w = new CWriter();
  extParams(w, "ep__", c.extId, c.instId, c.table === null ? "P4TC_EXT_METER_INDIRECT" : "P4TC_EXT_METER_DIRECT", c.table);
  if (c.index) w.line(`ep__.index = ${exprC(c.index, e)};`);
  if (c.color) w.line(`*(__u32 *)ep__.in_params = ${exprC(c.color, e)};`);
  parts.push(w.text().trim().split("\n").map((l) => l.trim()).join(" "));
  const fn = `bpf_p4tc_extern_meter_${c.bytes ? "bytes" : "pkts"}${c.color ? "_color" : ""}`;
  const key = c.table === null ? "NULL, 0" : "&key, sizeof(key)";
  return `({ ${parts.join(" ")} (__u32)${fn}(skb, &ep__, sizeof(ep__), ${key}); })`;
}

export function externValueC(e: Emitter, c: ExternCall, t: ScalarType): string {
  const one = (f: (w: CWriter) => string): string => {
    const w = new CWriter();
    const v = f(w);
    return `({ ${w.text().trim().split("\n").map((l) => l.trim()).join(" ")} ${v}; })`;
  };
  switch (c.k) {
    case "meter":
      return meterValue(e, c);
    case "register_read":
      return one((w) => {
        extParams(w, "ep__", c.extId, c.instId, null);
        w.line(`ep__.index = ${exprC(c.index, e)};`);
        w.line("struct p4tc_ext_bpf_val *rv__ = bpf_p4tc_extern_md_read(skb, &ep__, sizeof(ep__));");
        if (isWide(t)) {
          // Wide values travel little-endian in the blob, as register writes pack them.
          const v = `p4ts_load_le(rv__->out_params, ${wideBytes(t.width)})`;
          return `rv__ ? ${t.width >= 128 ? v : `(${v} & ${lit128(mask(t.width))})`} : ${lit128(0n)}`;
        }
        const n = Math.min(8, Math.ceil(t.width / 8));
        const bytes = Array.from({ length: n }, (_, i) => (i === 0 ? "(__u64)rv__->out_params[0]" : `((__u64)rv__->out_params[${i}] << ${8 * i})`)).join(" | ");
        return `rv__ ? ${fit(bytes, t)} : 0`;
      });
    case "csum_get":
    case "csum_get_state": {
      const algo = e.dp.checksums.find((x) => x.name === c.inst)?.algo ?? "csum16";
      if (algo === "csum16") return c.k === "csum_get" ? `bpf_p4tc_ext_csum_16bit_complement_get(&${c.inst}, sizeof(${c.inst}))` : `(__u16)${c.inst}.csum`;
      return `bpf_p4tc_ext_csum_${algo}_get(&${c.inst}, sizeof(${c.inst}))`;
    }
    case "hash":
      return one((w) => {
        let n: number;
        if (c.algo === "ones_complement16") {
          // As InternetChecksum: 16-bit words holding their values, so the result is the checksum as a number.
          n = packWords(w, "hb__", c.fields, e);
        } else {
          n = packBits(w, "hb__", c.fields, e, 1);
        }
        const fn = c.algo === "crc16" ? "crc16" : c.algo === "crc32" ? "crc32" : "16bit_complement";
        if (c.base && c.max) return fit(`p4ts_hash_base_${fn}(hb__, ${n}, ${exprC(c.base, e)}, ${exprC(c.max, e)}, 0)`, t);
        return fit(`bpf_p4tc_ext_hash_${fn}(hb__, ${n}, 0)`, t);
      });
    case "random":
      return fit(`p4ts_random(${exprC(c.min, e)}, ${exprC(c.max, e)})`, t);
    case "is_port":
      return `bpf_p4tc_is_${c.which}_port(skb, ${exprC(c.port, e)})`;
    case "skb_get": {
      // Context reads through P4TS_SKB_U32/U64 (see p4ts_pna.h): one load at a constant offset from the context.
      const direct: Record<string, string> = {
        mark: "P4TS_SKB_U32(skb, mark)",
        tstamp: "P4TS_SKB_U64(skb, tstamp)",
        tc_index: "P4TS_SKB_U32(skb, tc_index)",
        tc_classid: "P4TS_SKB_U32(skb, tc_classid)",
        queue_mapping: "P4TS_SKB_U32(skb, queue_mapping)",
        protocol: "bpf_ntohs(P4TS_SKB_U32(skb, protocol))",
      };
      return fit(direct[c.field] ?? "0", t);
    }
    default:
      return "0";
  }
}
