/**
 * checkAbi: fits the program to the P4TC ABI being built for (`ctx.abi`,
 * one table per ABI in compiler/ir/abi): reports every construct the ABI
 * lacks at its declaration, extern instances larger than the ABI allows and
 * parameter types it has no kernel type for.
 *
 * Before: collectActions, collectExternInstances. After: an error for each
 * construct the ABI cannot express.
 */
import { Msg } from "../../diagnostics/index.js";
import type { AbiConstruct } from "../../ir/abi/index.js";
import { byteLength } from "../names.js";
import type { MidendContext } from "../context.js";

const EXTERN_CONSTRUCTS: Readonly<Record<string, AbiConstruct>> = {
  Meter: "Meter",
  DirectMeter: "DirectMeter",
  Register: "Register",
  Digest: "Digest",
  DirectCounter: "DirectCounter",
};

const TYPE_CONSTRUCTS: Readonly<Record<string, AbiConstruct>> = { ipv6: "type_ipv6", be64: "type_be64" };

export function checkAbi(ctx: MidendContext): void {
  const abi = ctx.abi;
  for (const inst of ctx.externs) {
    const c = EXTERN_CONSTRUCTS[inst.externName];
    const why = c === undefined ? null : abi.lacks(c);
    if (why !== null) ctx.diags.report(Msg.Mid_AbiLacks, inst.decl.span, `${inst.externName} '${inst.name}'`, abi.name, why);
    else if (inst.hasControlPath && abi.template.maxNumel !== null && inst.numel > abi.template.maxNumel)
      ctx.diags.report(Msg.Mid_AbiNumel, inst.decl.span, `${inst.externName} '${inst.name}'`, inst.numel, abi.name, abi.template.maxNumel);
  }
  for (const a of ctx.actions) {
    for (const p of a.params) {
      const c = TYPE_CONSTRUCTS[p.type];
      const why = c === undefined ? null : abi.lacks(c);
      if (why !== null) ctx.diags.report(Msg.Mid_AbiLacks, p.decl.span, `parameter '${p.name}' of type ${p.type}`, abi.name, why);
    }
  }
}

/**
 * fitActionNames (runs right after collectActions, before anything records
 * action names): under an ABI that shortens names, a `CTRL/act` name over
 * the kernel's limit becomes `act` when that is free; still too long is an error.
 */
export function fitActionNames(ctx: MidendContext): void {
  if (!ctx.abi.shortensLongActionNames) return;
  const max = ctx.abi.maxNameBytes;
  const taken = new Set(ctx.actions.map((a) => a.name));
  for (const a of ctx.actions) {
    if (byteLength(a.name) <= max) continue;
    if (a.controlName !== null && byteLength(a.localName) <= max && !taken.has(a.localName)) {
      taken.add(a.localName);
      a.name = a.localName;
      a.controlName = null;
      continue;
    }
    ctx.diags.report(Msg.Mid_NameTooLong, a.decl.name.span, a.name, byteLength(a.name));
  }
}
