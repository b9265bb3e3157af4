/**
 * The shape of a P4TC ABI table (`p4c.ts`, `v13.ts`): plain types, importing
 * nothing, so the tables, the pipeline model and `index.ts` can all use them.
 */
export type P4tcAbiName = "p4c" | "v13";

export const P4TC_ABI_NAMES: readonly P4tcAbiName[] = ["p4c", "v13"];

export const DEFAULT_P4TC_ABI: P4tcAbiName = "p4c";

/** Where an action parameter sits in the kernel's action blob (`act_bpf->params`). */
export interface ParamSlot {
  /** Bytes the parameter occupies in the blob (the next one starts after them). */
  readonly slot: number;
  /** Bytes of the value at the start of the slot (≤ slot). */
  readonly size: number;
  /** True when the value is stored in network byte order, else host (little-endian) order. */
  readonly network: boolean;
}

/** A construct one ABI cannot express, as the mid-end reports it. */
export type AbiConstruct =
  | "Meter"
  | "DirectMeter"
  | "Register"
  | "Digest"
  | "DirectCounter"
  | "skb_meta"
  | "is_port"
  | "type_ipv6"
  | "type_be64"
  | "runtime_params"
  | "masked_const_entries";

export interface P4tcAbi {
  readonly name: P4tcAbiName;
  /** Slot of an action parameter of P4TC type `type` and P4 width `width` in `act_bpf->params`. */
  paramSlot(type: string, width: number): ParamSlot;
  /** Why this ABI cannot express `c`, or null when it can. */
  lacks(c: AbiConstruct): string | null;
  /** Longest kernel object name (actions, tables, externs) in bytes, without the NUL. */
  readonly maxNameBytes: number;
  /**
   * True when an action whose `CTRL/act` name is too long is created under
   * its own name instead (iproute2 resolves `act` when `CTRL/act` is absent).
   */
  readonly shortensLongActionNames: boolean;
  /** JSON table `permissions` from the template's hex form (`0x3da4`). */
  jsonTablePermissions(hex: string): string;
  /** JSON extern `id` from the template's form (`0x19000000`). */
  jsonExternId(id: string): string | number;
  /** Template spellings of the extern commands. */
  readonly template: {
    /** Keyword before an extern type's id (`extid` / `ext_id`). */
    readonly externId: string;
    /** Extern id as printed after it. */
    externIdValue(id: string): string;
    /** True when `tc_acl PERMS` follows `numinstances`. */
    readonly externAcl: boolean;
    /** Keyword before a constructor / control-path parameter's type (`ptype` / `type`). */
    readonly paramType: string;
    /**
     * True when a const entry names its action by the kernel name
     * (`PNAME/act` for a shortened name); false for the reference's
     * `PNAME/CTRL/act` spelling of every entry action.
     */
    readonly entryActionByKernelName: boolean;
    /** Largest `tc_numel` the kernel takes, or null. */
    readonly maxNumel: number | null;
  };
  /** Constructor parameters of a Counter instance as this ABI's Counter extern wants them. */
  counterConstructor(instType: "PACKETS" | "BYTES" | "PACKETS_AND_BYTES" | null, params: readonly { name: string; type: string; value: string }[]): { name: string; type: string; value: string }[];
  /**
   * `#define` lines the generated C puts before including `p4ts_pna.h`: they
   * select the header's kfunc prototypes (checksums, counters, crc16), so the
   * generated calls are the same for every ABI.
   */
  readonly cDefines: readonly string[];
}

export function isP4tcAbiName(s: string): s is P4tcAbiName {
  return (P4TC_ABI_NAMES as readonly string[]).includes(s);
}
