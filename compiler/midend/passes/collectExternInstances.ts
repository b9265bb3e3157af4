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
import type { Type } from "../../frontend/index.js";
import { p4tcTypeOf, scalarWidth, underlyingType } from "../p4tcTypes.js";
import type { BlockInfo, ExternInstanceInfo, MidendContext } from "../context.js";

const CHECKSUMS = new Set(["InternetChecksum", "Checksum"]);
const TYPED = new Set(["Counter", "DirectCounter", "Meter", "DirectMeter"]);
const INST_TYPES = ["PACKETS", "BYTES", "PACKETS_AND_BYTES"] as const;

export function collectExternInstances(ctx: MidendContext): void {
  for (const block of ctx.blocks) {
    for (const l of block.decl.locals) {
      if (l.kind !== "Instantiation") continue;
      const t = ctx.checked.declTypes.get(l);
      if (t?.k !== "extern") continue;
      if (CHECKSUMS.has(t.decl.name.text) && block.role === "control") {
        ctx.diags.report(Msg.Mid_ExternNestedInControl, l.name.span, t.decl.name.text);
        continue;
      }
      ctx.externs.push(instanceInfo(ctx, block, l, t));
    }
  }
}

function instanceInfo(ctx: MidendContext, block: BlockInfo, decl: A.Instantiation, type: Extract<Type, { k: "extern" }>): ExternInstanceInfo {
  const externDecl = type.decl;
  const externName = externDecl.name.text;
  const cpStruct = ctx.env.findDecl(`tc_ControlPath_${externName}`, "StructDeclaration");
  const ctors = externDecl.methods.filter((m) => m.isConstructor);
  const ctor =
    ctors.find((m) => m.params.length === decl.args.length) ??
    ctors.find((m) => decl.args.length <= m.params.length && m.params.slice(decl.args.length).every((p) => p.defaultValue !== null)) ??
    null;
  const info: ExternInstanceInfo = {
    decl,
    block,
    externName,
    externDecl,
    type,
    name: `${block.controlName}.${block.prefix}${decl.name.text}`,
    constructor: ctor,
    hasControlPath: cpStruct !== undefined,
    instType: null,
    numel: 0,
    tableBindable: externName === "DirectCounter" || externName === "DirectMeter",
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
  const typeArgs = boundTypeArgs(info);
  ctor.params.forEach((p, i) => {
    const arg = decl.args.find((a) => a.name?.text === p.name.text) ?? decl.args.filter((a) => a.name === null)[i];
    const value = arg?.value ?? p.defaultValue;
    if (!value) return;
    const v = ctx.env.evalConst(value);
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
    const pt = underlyingType(bind(ctx.checked.declTypes.get(p) ?? { k: "unknown" }, typeArgs));
    if (pt.k === "enum" && pt.underlying === null) {
      if (TYPED.has(info.externName)) info.instType = INST_TYPES[Number(v.value)] ?? null;
      params.push({ name: p.name.text, type: "bit32", value: v.value.toString() });
      return;
    }
    const w = scalarWidth(pt);
    params.push({ name: p.name.text, type: bitType(w ?? 32), value: v.value.toString() });
  });
  info.constructorParams = params;
}

/** The extern's type parameters by name, bound to the instance's type arguments (`tc_ControlPath_<Extern>` names them alike). */
function boundTypeArgs(info: ExternInstanceInfo): ReadonlyMap<string, Type> {
  const m = new Map<string, Type>();
  info.externDecl.typeParams.forEach((p, i) => {
    const a = info.type.args[i];
    if (a) m.set(p.text, a);
  });
  return m;
}

/** `t` with its type variables replaced by the instance's type arguments. */
function bind(t: Type, args: ReadonlyMap<string, Type>): Type {
  return t.k === "typevar" ? args.get(t.name) ?? t : t;
}

/** The type of a control-path record field as declared: one of the extern's type parameters, `bool` or `bit<W>`/`int<W>` of a constant width. */
function fieldType(ctx: MidendContext, ref: A.TypeRef, args: ReadonlyMap<string, Type>): Type {
  if (ref.kind === "TypeName" && args.has(ref.name.text)) return args.get(ref.name.text)!;
  if (ref.kind === "TypeBool") return { k: "bool" };
  if (ref.kind === "TypeBits" && !ref.infinite) {
    const w = ref.width === null ? 1n : ref.width.kind === "IntLiteral" ? ref.width.value : ctx.checked.constants.get(ref.width);
    if (typeof w === "bigint") return { k: "bits", signed: ref.signed, width: Number(w) };
  }
  return { k: "unknown" };
}

function controlPath(ctx: MidendContext, info: ExternInstanceInfo, st: A.StructDeclaration): ExternControlPathParamModel[] {
  const args = boundTypeArgs(info);
  const out: ExternControlPathParamModel[] = [];
  const isCounter = info.externName === "Counter" || info.externName === "DirectCounter";
  const isBytesMeter = info.externName === "Meter" && info.instType === "BYTES";
  for (const f of st.fields) {
    const attr = hasAnnotation(f.annotations, "tc_key") ? "tc_key" : hasAnnotation(f.annotations, "tc_data_scalar") ? "tc_data_scalar" : hasAnnotation(f.annotations, "tc_data") ? "param" : null;
    if (attr === null) continue;
    const name = f.name.text;
    if (isCounter && info.instType === "PACKETS" && name === "bytes") continue;
    if (isCounter && info.instType === "BYTES" && name === "pkts") continue;
    const t = fieldType(ctx, f.type, args);
    const u = underlyingType(t);
    if (u.k === "struct" || u.k === "header") {
      // A struct value (Register<S>): one record field per field of S, with S's annotations.
      for (const field of u.decl.fields) {
        const pt = p4tcTypeOf(ctx.diags, field.annotations, u.fields.get(field.name.text) ?? { k: "unknown" }, field.name.text, field.span);
        if (pt) out.push({ id: out.length + 1, name: field.name.text, attr, type: pt.type, bitwidth: pt.bitwidth });
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
