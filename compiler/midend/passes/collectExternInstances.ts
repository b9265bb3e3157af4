/**
 * collectExternInstances: lists the extern instances declared in the
 * pipeline's blocks, in block order then declaration order, and computes
 * what the kernel needs of each: its name (`Control.instance`), the
 * constructor matched by argument count, `@tc_numel` (number of elements),
 * `@tc_init_val`, the remaining constructor arguments, the counter/meter type
 * (`PACKETS`, `BYTES`, `PACKETS_AND_BYTES`) and the control-path record
 * from the `tc_ControlPath_<Extern>` struct with the instance's type
 * arguments bound. Checksum externs may only live in the parser or the
 * deparser (the P4TC target computes them there).
 *
 * Before: `ctx.blocks`. After: `ctx.externs` (ids, direct bindings and
 * table-sized `numel` of direct externs come later).
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { bitType, type ExternControlPathParamModel, type ExternConstructorParamModel } from "../../ir/pipeline.js";
import { hasAnnotation } from "../annotations.js";
import { Scope, underlying, widthOf, type RType } from "../env.js";
import { p4tcTypeOf } from "../p4tcTypes.js";
import type { BlockInfo, ExternInstanceInfo, MidendContext } from "../context.js";

const CHECKSUMS = new Set(["InternetChecksum", "Checksum"]);
const TYPED = new Set(["Counter", "DirectCounter", "Meter", "DirectMeter"]);
const INST_TYPES = ["PACKETS", "BYTES", "PACKETS_AND_BYTES"] as const;

export function collectExternInstances(ctx: MidendContext): void {
  for (const block of ctx.blocks) {
    for (const l of block.decl.locals) {
      if (l.kind !== "Instantiation") continue;
      const type = block.scope.lookupHere(l.name.text);
      const t = type?.kind === "instance" ? type.type : ctx.env.resolveType(l.type, block.scope);
      if (t.kind !== "extern") continue;
      if (CHECKSUMS.has(t.name) && block.role === "control") {
        ctx.diags.report(Msg.Mid_ExternNestedInControl, l.name.span, t.name);
        continue;
      }
      ctx.externs.push(instanceInfo(ctx, block, l, t));
    }
  }
}

function instanceInfo(ctx: MidendContext, block: BlockInfo, decl: A.Instantiation, type: Extract<RType, { kind: "extern" }>): ExternInstanceInfo {
  const externDecl = type.decl;
  const cpStruct = ctx.env.findDecl(`tc_ControlPath_${type.name}`, "StructDeclaration");
  const ctors = externDecl.methods.filter((m) => m.isConstructor);
  const ctor =
    ctors.find((m) => m.params.length === decl.args.length) ??
    ctors.find((m) => decl.args.length <= m.params.length && m.params.slice(decl.args.length).every((p) => p.defaultValue !== null)) ??
    null;
  const info: ExternInstanceInfo = {
    decl,
    block,
    externName: type.name,
    externDecl,
    type,
    name: `${block.controlName}.${block.prefix}${decl.name.text}`,
    constructor: ctor,
    hasControlPath: cpStruct !== undefined,
    instType: null,
    numel: 0,
    tableBindable: type.name === "DirectCounter" || type.name === "DirectMeter",
    constructorParams: [],
    initValue: null,
    controlPath: [],
    boundTables: [],
    id: 0,
  };
  if (!info.hasControlPath) return info;
  if (ctor) readConstructorArgs(ctx, block, decl, ctor, info);
  if (cpStruct) info.controlPath = controlPath(ctx, info, cpStruct);
  return info;
}

function readConstructorArgs(ctx: MidendContext, block: BlockInfo, decl: A.Instantiation, ctor: A.MethodPrototype, info: ExternInstanceInfo): void {
  const params: ExternConstructorParamModel[] = [];
  const typeScope = boundScope(ctx, info);
  ctor.params.forEach((p, i) => {
    const arg = decl.args.find((a) => a.name?.text === p.name.text) ?? decl.args.filter((a) => a.name === null)[i];
    const value = arg?.value ?? p.defaultValue;
    if (!value) return;
    const v = ctx.env.evalConst(value, block.scope);
    if (!v) {
      ctx.diags.report(Msg.Mid_NotConstant, value.span, `constructor argument '${p.name.text}' of ${info.name}`);
      return;
    }
    if (hasAnnotation(p.annotations, "tc_numel")) {
      info.numel = Number(v.value);
      return;
    }
    if (hasAnnotation(p.annotations, "tc_init_val")) {
      info.initValue = v.value.toString();
      return;
    }
    const pt = underlying(ctx.env.resolveType(p.type, typeScope));
    if (pt.kind === "enum" && pt.underlying === null) {
      if (TYPED.has(info.externName)) info.instType = INST_TYPES[Number(v.value)] ?? null;
      params.push({ name: p.name.text, type: "bit32", value: v.value.toString() });
      return;
    }
    const w = widthOf(pt);
    params.push({ name: p.name.text, type: bitType(w ?? 32), value: v.value.toString() });
  });
  info.constructorParams = params;
}

/** A scope binding the extern's type parameters to the instance's type arguments. */
function boundScope(ctx: MidendContext, info: ExternInstanceInfo): Scope {
  const s = new Scope(ctx.env.global);
  info.externDecl.typeParams.forEach((p, i) => {
    const a = info.type.args[i];
    if (a) s.define(p.text, { kind: "typeArg", type: a });
  });
  return s;
}

function controlPath(ctx: MidendContext, info: ExternInstanceInfo, st: A.StructDeclaration): ExternControlPathParamModel[] {
  const scope = boundScope(ctx, info);
  const out: ExternControlPathParamModel[] = [];
  const isCounter = info.externName === "Counter" || info.externName === "DirectCounter";
  const isBytesMeter = info.externName === "Meter" && info.instType === "BYTES";
  for (const f of st.fields) {
    const attr = hasAnnotation(f.annotations, "tc_key") ? "tc_key" : hasAnnotation(f.annotations, "tc_data_scalar") ? "tc_data_scalar" : hasAnnotation(f.annotations, "tc_data") ? "param" : null;
    if (attr === null) continue;
    const name = f.name.text;
    if (isCounter && info.instType === "PACKETS" && name === "bytes") continue;
    if (isCounter && info.instType === "BYTES" && name === "pkts") continue;
    const t = ctx.env.resolveType(f.type, scope);
    const u = underlying(t);
    if (u.kind === "struct" || u.kind === "header") {
      for (const m of ctx.env.fieldsOf(u)) {
        const pt = p4tcTypeOf(ctx.diags, m.field.annotations, m.type, m.field.name.text, m.field.span);
        if (pt) out.push({ id: out.length + 1, name: m.field.name.text, attr, type: pt.type, bitwidth: pt.bitwidth });
      }
      continue;
    }
    const pt = p4tcTypeOf(ctx.diags, f.annotations, t, name, f.span);
    if (!pt) continue;
    const rate = isBytesMeter && (name === "cir" || name === "pir");
    out.push({ id: out.length + 1, name, attr, type: rate ? "rate" : pt.type, bitwidth: pt.bitwidth });
  }
  return out;
}
