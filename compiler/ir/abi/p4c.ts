/**
 * The `p4c` ABI: what p4c-pna-p4tc emits, for the P4TC release its runtime
 * headers (`pna.h`) describe. p4ts's default; outputs are byte-compatible
 * with the reference's.
 */
import type { P4tcAbi, ParamSlot } from "./types.js";
import { isNetworkType } from "../datapath.js";

/** The reference packs parameters: named types by their wire size, `bitW` in the fewest bytes (5..7 for 33..56 bits). */
function p4cParamSlot(type: string, width: number): ParamSlot {
  const bytes = ((): number => {
    switch (type) {
      case "dev":
      case "ipv4":
      case "be32":
        return 4;
      case "macaddr":
        return 6;
      case "ipv6":
        return 16;
      case "be16":
        return 2;
      case "be64":
        return 8;
      default:
        return width <= 8 ? 1 : width <= 16 ? 2 : width <= 24 ? 3 : width <= 32 ? 4 : width <= 56 ? Math.ceil(width / 8) : width <= 64 ? 8 : Math.ceil(width / 8);
    }
  })();
  return { slot: bytes, size: bytes, network: isNetworkType(type) || width > 64 };
}


export const P4C_ABI: P4tcAbi = {
  name: "p4c",
  paramSlot: p4cParamSlot,
  lacks: () => null,
  maxNameBytes: 31,
  shortensLongActionNames: false,
  jsonTablePermissions: (hex) => hex,
  jsonExternId: (id) => id,
  template: {
    externId: "extid",
    externIdValue: (id) => id,
    externAcl: true,
    paramType: "ptype",
    entryActionByKernelName: false,
    maxNumel: null,
  },
  counterConstructor: (_instType, params) => [...params],
  cDefines: [],
};
