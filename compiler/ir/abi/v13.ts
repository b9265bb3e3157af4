/**
 * The `v13` ABI: the P4TC kernel series linux-p4tc-pub `master-v13`
 * (b91ff1ac) with iproute2-p4tc-pub `master-v13` (4eab9e26), as run in the
 * P4TC VM. Every entry is backed by kernel / iproute2 source lines and by a
 * run in the VM: see `docs/p4tc-abi.md`.
 */
import type { AbiConstruct, P4tcAbi, ParamSlot } from "./types.js";

/**
 * The kernel copies each parameter into `act_bpf->params` as
 * `BITS_TO_BYTES(type->container_bitsz)` bytes (p4tc_action.c): `bitW` is a
 * u8/u16/u32/u64/u128 (host order), `mac` a 48-bit value in a 64-bit
 * container (the 6 address bytes first, wire order), `ipv4`/`be32` 4 bytes
 * and `be16` 2 bytes in network order, `dev` a 4-byte ifindex.
 */
function v13ParamSlot(type: string, width: number): ParamSlot {
  switch (type) {
    case "dev":
      return { slot: 4, size: 4, network: false };
    case "ipv4":
    case "be32":
      return { slot: 4, size: 4, network: true };
    case "be16":
      return { slot: 2, size: 2, network: true };
    case "macaddr":
      return { slot: 8, size: 6, network: true };
    default: {
      const slot = width <= 8 ? 1 : width <= 16 ? 2 : width <= 32 ? 4 : width <= 64 ? 8 : 16;
      return { slot, size: slot, network: width > 64 };
    }
  }
}

const LACKS: Readonly<Partial<Record<AbiConstruct, string>>> = {
  Meter: "the v13 kernel has no Meter extern",
  DirectMeter: "the v13 kernel has no DirectMeter extern",
  Register:
    "the v13 kernel has no Register extern (it builds only Counter and csum), and p4ts does not build one over v13's generic bpf_p4tc_extern_md_read/md_write kfuncs",
  Digest: "the v13 kernel has no Digest extern",
  DirectCounter: "the v13 kernel has no DirectCounter extern",
  skb_meta: "the v13 kernel has no bpf_p4tc_skb_meta_set/get kfuncs",
  is_port: "the v13 kernel has no is_net_port/is_host_port kfuncs",
  type_ipv6: "the v13 kernel has no ipv6 type",
  type_be64: "the v13 kernel has no be64 type",
  masked_const_entries:
    "the v13 kernel allocates a ternary or LPM table's mask array only when the pipeline is sealed (p4tc_table.c __p4tc_table_try_set_state_ready), so a template entry on such a table dereferences NULL in p4tc_table_ternary_mask_insert (kernel oops), and v13 tc cannot parse a masked bitN key ('Failed to parse 0x2/0xfe') to add them after sealing",
  runtime_params:
    "iproute2 v13 fills exactly the 24 bytes of struct p4tc_filter_fields in the object's .bss and refuses a larger one, so a default action's parameters cannot be set when the filter is added",
};

/** `CRUD-PS-R--X--`: one letter per bit from 13 down to 0, `-` for a clear bit (iproute2 v13 `perm_str_to_u16`). */
function permissionString(hex: string): string {
  const n = parseInt(hex, 16);
  const letters = "CRUDXPSCRUDXPS";
  let s = "";
  for (let b = 13; b >= 0; b--) s += (n >> b) & 1 ? letters[13 - b] : "-";
  return s;
}

/** v13's Counter wants its type as bit8 1 (pkts), 2 (bytes), 3 (pkts and bytes). */
const V13_COUNTER_TYPE: Readonly<Record<string, string>> = { PACKETS: "1", BYTES: "2", PACKETS_AND_BYTES: "3" };

export const V13_ABI: P4tcAbi = {
  name: "v13",
  paramSlot: v13ParamSlot,
  lacks: (c) => LACKS[c] ?? null,
  maxNameBytes: 31,
  shortensLongActionNames: true,
  jsonTablePermissions: permissionString,
  jsonExternId: (id) => parseInt(id, 16),
  template: {
    externId: "ext_id",
    externIdValue: (id) => id,
    externAcl: true,
    paramType: "type",
    entryActionByKernelName: true,
    maxNumel: 1024,
  },
  counterConstructor: (instType, params) =>
    params.map((p) => (p.name === "type" ? { name: p.name, type: "bit8", value: V13_COUNTER_TYPE[instType ?? "PACKETS"] ?? p.value } : p)),
  cDefines: ["#define P4TS_P4TC_ABI_V13 1"],
};
