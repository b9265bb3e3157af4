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
import { P4C_ABI } from "./p4c.js";
import { V13_ABI } from "./v13.js";
import { DEFAULT_P4TC_ABI, type P4tcAbi, type P4tcAbiName } from "./types.js";

export * from "./types.js";

export const ABIS: Readonly<Record<P4tcAbiName, P4tcAbi>> = { p4c: P4C_ABI, v13: V13_ABI };

export function abiByName(name: P4tcAbiName | undefined): P4tcAbi {
  return ABIS[name ?? DEFAULT_P4TC_ABI];
}

/** The ABI a pipeline model was built for. */
export function abiOf(m: { readonly abi?: P4tcAbiName }): P4tcAbi {
  return abiByName(m.abi);
}
