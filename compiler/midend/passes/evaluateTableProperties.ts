/**
 * evaluateTableProperties: evaluates the table properties and annotations the
 * kernel sees: `size` (tentries), `@tc_acl` (permissions), `@nummask`,
 * `add_on_miss`, `pna_idle_timeout`, and the default actions: the
 * `default_action` property becomes the default miss action (with its
 * constant arguments, `const` → permissions 0x1024, `@tc_may_override` →
 * runtime parameters), the `@default_hit`/`@default_hit_const` reference the
 * default hit action.
 *
 * Before: `ctx.tables` with `actionRefs`. After: `tentries`, permissions,
 * `jsonNumMask`, `addOnMissProperty`, `idleTimeout`, `defaultAction`,
 * `defaultMiss`, `defaultHit` set; invalid values reported.
 */
import type * as A from "../../ast/nodes.js";
import { Msg } from "../../diagnostics/index.js";
import { encodeAcl, NO_ACTION, PERMISSIONS, type DefaultActionModel } from "../../ir/pipeline.js";
import { findAnnotation, hasAnnotation, annotationString, annotationInt, annotationArgSpan, annotationArgText } from "../annotations.js";
import type { ActionInfo, MidendContext, TableInfo } from "../context.js";

const MAX_TENTRIES = 33554432n;

export function evaluateTableProperties(ctx: MidendContext): void {
  for (const t of ctx.tables) {
    for (const p of t.decl.properties) {
      if (p.kind !== "ValueProperty") continue;
      switch (p.name.text) {
        case "size":
          evalSize(ctx, t, p);
          break;
        case "add_on_miss":
          t.addOnMissProperty = p.value.kind === "BoolLiteral" && p.value.value;
          break;
        case "pna_idle_timeout": {
          const m = p.value.kind === "MemberExpression" ? p.value.member.text : p.value.kind === "TypeMemberExpression" ? p.value.member.text : null;
          if (m === "NOTIFY_CONTROL" || m === "AUTO_DELETE" || m === "NO_TIMEOUT") t.idleTimeout = m;
          break;
        }
        case "default_action":
          evalDefaultMiss(ctx, t, p);
          break;
      }
    }
    evalAcl(ctx, t);
    evalNumMask(ctx, t);
    evalDefaultHit(ctx, t);
  }
}

function evalSize(ctx: MidendContext, t: TableInfo, p: A.ValueProperty): void {
  const v = ctx.env.evalConst(p.value);
  if (!v || v.value <= 0n || v.value > MAX_TENTRIES) {
    ctx.diags.report(Msg.Mid_TableSizeInvalid, p.value.span, t.decl.name.text);
    return;
  }
  t.tentries = Number(v.value);
}

function evalAcl(ctx: MidendContext, t: TableInfo): void {
  const a = findAnnotation(t.decl.annotations, "tc_acl");
  if (!a) return;
  const acl = annotationString(a);
  const word = acl === null ? null : encodeAcl(acl);
  if (acl === null || word === null) {
    ctx.diags.report(Msg.Mid_AclInvalid, annotationArgSpan(a), acl ?? annotationArgText(a));
    return;
  }
  t.explicitAcl = true;
  t.permissions = word;
  t.jsonPermissions = word;
}

function evalNumMask(ctx: MidendContext, t: TableInfo): void {
  const a = findAnnotation(t.decl.annotations, "nummask");
  if (!a) return;
  const n = annotationInt(a);
  if (n === null) {
    ctx.diags.report(Msg.Mid_NumMaskInvalid, annotationArgSpan(a), annotationArgText(a));
    return;
  }
  if (n < 1n || n > 1024n) {
    ctx.diags.report(Msg.Mid_NumMaskRange, annotationArgSpan(a), n.toString());
    return;
  }
  t.jsonNumMask = Number(n);
}

/** The action a `default_action` value names, with its call (if written with arguments). */
function defaultActionOf(ctx: MidendContext, t: TableInfo, e: A.Expression): { decl: A.ActionDeclaration | null; name: A.Name; call: A.CallExpression | null } | null {
  const call = e.kind === "CallExpression" ? e : null;
  const callee = call ? call.callee : e;
  if (callee.kind !== "PathExpression") return null;
  if (callee.name.text === NO_ACTION) return { decl: null, name: callee.name, call };
  const decl = ctx.env.actionOf(callee);
  return decl ? { decl, name: callee.name, call } : null;
}

function evalDefaultMiss(ctx: MidendContext, t: TableInfo, p: A.ValueProperty): void {
  const d = defaultActionOf(ctx, t, p.value);
  // The front end resolves every default action to an action of the list (Fe_NotAnAction, Fe_DefaultActionNotInList).
  const action = d?.decl ? ctx.actionOf(t.block, d.decl) ?? null : null;
  if (!d) {
    // Not a name or call at all (`default_action = _;`, found by the fuzzer): the front end lets it through.
    ctx.diags.report(Msg.Fe_NotAnAction, p.value.span, "_");
    return;
  }
  if (d.decl && !action) throw new Error(`internal: default action of table '${t.decl.name.text}' does not resolve after the front end`);
  t.defaultAction = { action, call: d.call, prop: p, isConst: p.isConst };
  if (action === null) return; // NoAction: the kernel's default, nothing to print
  const mayOverride = hasAnnotation(p.annotations, "tc_may_override");
  if (mayOverride && action.params.length === 0) ctx.diags.report(Msg.Mid_MayOverrideWithoutParams, p.span);
  else if (mayOverride) abiHasRuntimeParams(ctx, p.span, t);
  t.defaultMiss = {
    action: action.name,
    permissions: p.isConst ? PERMISSIONS.constEntry : null,
    mayOverride: mayOverride && action.params.length > 0,
    params: defaultParams(ctx, t, action, d.call, mayOverride),
  };
}

/** The default action's control-plane arguments: constants in the reference's spelling. */
function defaultParams(ctx: MidendContext, t: TableInfo, action: ActionInfo, call: A.CallExpression | null, runtime: boolean): DefaultActionModel["params"] {
  if (action.directionalParams.length > 0) return [];
  return action.params.map((param, i) => {
    const arg = call ? call.args.find((a) => a.name?.text === param.name) ?? call.args.filter((a) => a.name === null)[i] : undefined;
    if (!arg) return { name: param.name, runtime, text: null, value: null };
    const v = ctx.env.evalConstAs(arg.value, param.bitwidth);
    if (!v) {
      ctx.diags.report(Msg.Mid_NotConstant, arg.value.span, `argument '${param.name}' of the default action`);
      return { name: param.name, runtime, text: null, value: null };
    }
    return { name: param.name, runtime, text: v.text, value: v.value };
  });
}

function evalDefaultHit(ctx: MidendContext, t: TableInfo): void {
  const r = t.actionRefs.find((x) => x.defaultHit || x.defaultHitConst);
  if (!r || !r.action) return;
  const mayOverride = r.mayOverride && r.action.params.length > 0;
  if (mayOverride) abiHasRuntimeParams(ctx, r.ref.span, t);
  t.defaultHit = {
    action: r.action.name,
    permissions: r.defaultHitConst ? PERMISSIONS.constEntry : null,
    mayOverride,
    params: mayOverride ? r.action.params.map((p) => ({ name: p.name, runtime: true, text: null, value: null })) : [],
  };
}

/** Reports a `@tc_may_override` default action when the ABI cannot pass runtime parameters. */
function abiHasRuntimeParams(ctx: MidendContext, span: A.Node["span"], t: TableInfo): void {
  const why = ctx.abi.lacks("runtime_params");
  if (why !== null) ctx.diags.report(Msg.Mid_AbiLacks, span, `@tc_may_override on a default action of table '${t.decl.name.text}'`, ctx.abi.name, why);
}
