/**
 * The P4TC ABIs p4ts can target, each described in ONE table (`p4c.ts`,
 * `v13.ts`) behind the `P4tcAbi` interface. The mid-end and every back end
 * ask the table of the model's ABI (`abiOf(model)`) instead of testing the
 * ABI's name, so that everything one ABI implies is visible in one file.
 *
 * - `p4c` (default): what p4c-pna-p4tc emits, for the out-of-tree P4TC release
 *   its runtime headers describe. Outputs are byte-compatible with the reference.
 * - `v13`: the P4TC kernel series linux-p4tc-pub `master-v13` with
 *   iproute2-p4tc-pub `master-v13`, verified in the P4TC VM
 *   (`../shared/p4tc-vm`). Evidence for every entry: `docs/p4tc-abi.md`.
 */
import type { PipelineModel } from "../pipeline.js";
import { P4C_ABI } from "./p4c.js";
import { V13_ABI } from "./v13.js";

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
  | "type_be64";

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

export const ABIS: Readonly<Record<P4tcAbiName, P4tcAbi>> = { p4c: P4C_ABI, v13: V13_ABI };

export function isP4tcAbiName(s: string): s is P4tcAbiName {
  return (P4TC_ABI_NAMES as readonly string[]).includes(s);
}

export function abiByName(name: P4tcAbiName | undefined): P4tcAbi {
  return ABIS[name ?? DEFAULT_P4TC_ABI];
}

/** The ABI a pipeline model was built for. */
export function abiOf(m: Pick<PipelineModel, "abi">): P4tcAbi {
  return abiByName(m.abi);
}
