/** Externs: method calls on extern instances and checksums, and entries added from the datapath (add_entry). */
import type * as A from "../../ast/nodes.js";
import { BOOL_T, bitsT, type DExpr, type DStmt, type ExternCall, type ScalarType } from "../../ir/datapath.js";
import type { ExternInstanceInfo } from "../context.js";
import type { LowerBase } from "./base.js";
import { paramLayout } from "./layout.js";
import type { Bind, LScope, Where } from "./scope.js";

function instId(inst: ExternInstanceInfo): { extId: string; instId: number } {
  const fixed: Record<string, string> = { Digest: "0x05000000", Counter: "0x19000000", DirectCounter: "0x1A000000", Meter: "0x1B000000", DirectMeter: "0x1C000000" };
  return { extId: fixed[inst.externName] ?? "0x1", instId: inst.id };
}

/** A method call on an extern instance, checksum or packet; null when unknown. */
export function externMethod(L: LowerBase, b: Bind, m: string, e: A.CallExpression, s: LScope, w: Where): ExternCall | null {
  const arg = (i: number, want?: ScalarType): DExpr | null => (e.args[i] ? L.expr(e.args[i]!.value, s, w, want) : null);
  if (b.k === "checksum") {
    const inst = b.cName;
    switch (m) {
      case "clear":
        return { k: "csum_clear", inst };
      case "add":
      case "subtract":
      case "update": {
        const fields = e.args[0] ? L.flatten(e.args[0].value, s, w) : null;
        return fields ? { k: m === "subtract" ? "csum_sub" : "csum_add", inst, fields } : null;
      }
      case "get":
        return { k: "csum_get", inst };
      case "get_state":
        return { k: "csum_get_state", inst };
      case "set_state": {
        const v = arg(0, bitsT(16));
        return v ? { k: "csum_set_state", inst, value: v } : null;
      }
    }
    return null;
  }
  if (b.k !== "inst") return null;
  const inst = b.inst;
  const ids = instId(inst);
  switch (inst.externName) {
    case "Counter": {
      const idx = arg(0, bitsT(32));
      return idx ? { k: "counter", ...ids, mode: counterMode(inst), index: idx, table: null } : null;
    }
    case "DirectCounter":
      return { k: "counter", ...ids, mode: counterMode(inst), index: null, table: inst.boundTables[0]?.id ?? w.table?.id ?? null };
    case "Meter": {
      const idx = arg(0, bitsT(32));
      const color = e.args[1] ? arg(1, bitsT(32)) : null;
      return idx ? { k: "meter", ...ids, bytes: inst.instType === "BYTES", index: idx, color, table: null } : null;
    }
    case "DirectMeter": {
      const color = e.args[0] ? arg(0, bitsT(32)) : null;
      return { k: "meter", ...ids, bytes: inst.instType === "BYTES", index: null, color, table: inst.boundTables[0]?.id ?? w.table?.id ?? null };
    }
    case "Register": {
      const idx = arg(0, bitsT(32));
      if (!idx) return null;
      if (m === "read") return { k: "register_read", ...ids, index: idx };
      const v = e.args[1] ? L.flatten(e.args[1].value, s, w) : null;
      return v ? { k: "register_write", ...ids, index: idx, value: v } : null;
    }
    case "Digest": {
      const fields = e.args[0] ? L.flatten(e.args[0].value, s, w) : null;
      return fields ? { k: "digest", ...ids, fields } : null;
    }
    case "Hash": {
      const algoArg = inst.decl.args[0]?.value;
      const algoName = algoArg && (algoArg.kind === "MemberExpression" || algoArg.kind === "TypeMemberExpression") ? algoArg.member.text : "CRC32";
      const algo = algoName === "CRC16" ? "crc16" : algoName === "ONES_COMPLEMENT16" || algoName === "TARGET_DEFAULT" ? "ones_complement16" : "crc32";
      if (e.args.length === 3) {
        const fields = L.flatten(e.args[1]!.value, s, w);
        const base = arg(0);
        const max = arg(2);
        return fields && base && max ? { k: "hash", algo, fields, base, max } : null;
      }
      const fields = e.args[0] ? L.flatten(e.args[0].value, s, w) : null;
      return fields ? { k: "hash", algo, fields, base: null, max: null } : null;
    }
    case "Random": {
      const min = inst.decl.args[0] ? L.expr(inst.decl.args[0].value, s, w, bitsT(32)) : null;
      const max = inst.decl.args[1] ? L.expr(inst.decl.args[1].value, s, w, bitsT(32)) : null;
      return min && max ? { k: "random", min, max } : null;
    }
  }
  return null;
}

export function addEntry(L: LowerBase, e: A.CallExpression, s: LScope, w: Where): DStmt[] {
  const t = w.table;
  if (!t) return [];
  const offset = e.callee.kind === "PathExpression" && e.callee.name.text === "add_entry_if" ? 1 : 0;
  const argOf = (name: string, pos: number): A.Argument | undefined => e.args.find((a) => a.name?.text === name) ?? (e.args.every((a) => a.name === null) ? e.args[pos] : undefined);
  const nameArg = argOf("action_name", offset)?.value;
  const ref = nameArg?.kind === "StringLiteral" ? t.actionRefs.find((r) => r.action?.decl.name.text === nameArg.value) : undefined;
  if (!ref?.action) return [];
  const paramsArg = argOf("action_params", offset + 1)?.value;
  const values = paramsArg ? L.flatten(paramsArg.kind === "CastExpression" ? paramsArg.expr : paramsArg, s, w) ?? [] : [];
  const layout = paramLayout(L.ctx.abi, ref.action);
  const profileArg = argOf("expire_time_profile_id", offset + 2)?.value;
  const profile = (profileArg ? L.expr(profileArg, s, w, bitsT(8)) : null) ?? { k: "const", value: 0n, type: bitsT(8) };
  const call: ExternCall = {
    k: "add_entry",
    table: t.id,
    actionId: ref.action.id,
    params: layout.map((l, i) => ({ offset: l.offset, size: l.size, network: l.network, value: values[i] ?? { k: "const", value: 0n, type: l.type } })),
    profile,
  };
  if (offset === 1) {
    const cond = L.expr(e.args[0]!.value, s, w, BOOL_T);
    return cond ? [{ k: "if", cond, then: [{ k: "extern", call }], else: [] }] : [];
  }
  return [{ k: "extern", call }];
}

function counterMode(inst: ExternInstanceInfo): "pkts" | "bytes" | "pktsnbytes" {
  return inst.instType === "BYTES" ? "bytes" : inst.instType === "PACKETS_AND_BYTES" ? "pktsnbytes" : "pkts";
}
