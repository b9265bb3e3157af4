/**
 * Table declarations: keys (match kinds, names of complex keys), the action
 * list, `entries` (keysets against the key types, actions and their
 * arguments, priorities), `default_action` and the other properties.
 * Before: the enclosing control's locals are bound. After: every property
 * expression has a type; misuse is reported at the property.
 */
import type * as A from "../ast/nodes.js";
import { assertNever } from "../ast/nodes.js";
import { walk } from "../ast/forEachChild.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker, Ctx } from "./checker.js";
import { typeOf, lookupValue } from "./checkExpressions.js";
import { assignable, unify, numeric } from "./relations.js";
import { isLValue } from "./lvalues.js";
import * as T from "./types.js";
import type { Type } from "./types.js";

export function checkTable(ck: Checker, t: A.TableDeclaration, ctx: Ctx): void {
  const tctx: Ctx = { ...ctx, table: t };
  let keyCount = 0;
  const keyTypes: Type[] = [];
  let hasDefault = false;
  const listed = new Map<string, A.ActionRef>();
  const seen = new Set<string>();
  const actionsList = t.properties.find((p): p is A.ActionsProperty => p.kind === "ActionsProperty");
  for (const p of t.properties) {
    const pname = propertyName(p);
    if (seen.has(pname)) ck.diags.report(Msg.Fe_Duplicate, p.kind === "ValueProperty" ? p.name.span : p.span, pname);
    seen.add(pname);
    switch (p.kind) {
      case "KeyProperty":
        keyCount += p.elements.length;
        for (const k of p.elements) {
          const kt = typeOf(ck, k.expr, tctx);
          keyTypes.push(kt);
          if (!scalarKey(kt)) ck.diags.report(Msg.Fe_KeyType, k.expr.span, ck.show(k.expr), T.typeToString(kt));
          const complex = k.annotations.some((a) => a.name.text === "name") ? null : complexKeyPart(k.expr);
          if (complex) ck.diags.report(Msg.Fe_ComplexKeyName, complex.span, ck.show(complex));
          const mk = ck.matchKinds.get(k.matchKind.text);
          if (!mk) {
            const b = ctx.scope.lookup(k.matchKind.text);
            if (!b) ck.diags.report(Msg.Fe_NotFound, k.matchKind.span, k.matchKind.text);
            else ck.diags.report(Msg.Fe_NotMatchKind, k.matchKind.span, k.matchKind.text);
          }
        }
        break;
      case "ActionsProperty":
        for (const a of p.actions) {
          if (listed.has(a.name.text)) ck.diags.report(Msg.Fe_Duplicate, a.name.span, a.name.text);
          listed.set(a.name.text, a);
          actionRef(ck, a, tctx, "list");
        }
        break;
      case "EntriesProperty": {
        const key = t.properties.find((q): q is A.KeyProperty => q.kind === "KeyProperty");
        if (key && t.properties.indexOf(key) > t.properties.indexOf(p)) {
          ck.diags.report(Msg.Fe_EntriesBeforeKey, p.span, "entries", "key");
          break;
        }
        // "Entries": no numeric priorities in `const entries`; elsewhere only with a key that
        // needs them (not all exact/lpm, as the reference's entry-priority pass), first entry first.
        const withPriority = p.entries.find((e) => e.priority !== null);
        if (withPriority && p.isConst) ck.diags.report(Msg.Fe_ConstEntriesPriority, withPriority.span, "entry");
        else if (withPriority && key && key.elements.every((k) => k.matchKind.text === "exact" || k.matchKind.text === "lpm")) {
          ck.diags.report(Msg.Fe_PriorityNotRequired, key.span, "key");
        } else if (withPriority && p.entries[0].priority === null) {
          ck.diags.report(Msg.Fe_EntryPriority, p.entries[0].span, "entry");
        }
        for (const e of p.entries) {
          entryKeyset(ck, e.keyset, keyTypes, tctx);
          if (e.priority) typeOf(ck, e.priority, tctx);
          actionRef(ck, e.action, tctx, "entry");
        }
        break;
      }
      case "ValueProperty":
        if (p.name.text === "default_action") {
          hasDefault = true;
          if (actionsList && actionsList.span.line > p.span.line) ck.diags.report(Msg.Fe_DefaultActionBeforeList, p.value.span, ck.show(p.value));
          else defaultAction(ck, p.value, listed, tctx);
        } else if (p.value.kind === "PathExpression" && p.value.name.text === t.name.text) {
          ck.diags.report(Msg.Fe_TableSelfRef, p.value.span, t.name.text);
        } else {
          typeOf(ck, p.value, tctx);
        }
        break;
      default:
        assertNever(p, "table property");
    }
  }
  for (const p of t.properties) {
    if (p.kind === "EntriesProperty" && keyCount === 0 && p.entries.length > 0) ck.diags.reportWith(Msg.Fe_EntriesKeyless, t.name.span, [{ span: p.span, message: "entries" }], t.name.text);
  }
  if (!hasDefault) {
    const na = ck.global.lookup("NoAction");
    if (!na) ck.diags.report(Msg.Fe_NoAction, t.name.span);
    else if (na[0].node.kind === "ActionDeclaration" && na[0].node.params.length > 0) ck.diags.report(Msg.Fe_NoActionParams, na[0].node.name.span);
  }
}

/** An expression's text for comparing arguments, with the fields of struct-valued expressions in name order. */
function sameText(ck: Checker, e: A.Expression): string {
  if (e.kind !== "StructExpression") return ck.show(e);
  return `{${[...e.fields].map((f) => `${f.key.text}=${sameText(ck, f.value)}`).sort().join(",")}}`;
}

function propertyName(p: A.TableProperty): string {
  switch (p.kind) {
    case "KeyProperty": return "key";
    case "ActionsProperty": return "actions";
    case "EntriesProperty": return "entries";
    case "ValueProperty": return p.name.text;
    default: return assertNever(p, "table property");
  }
}

/** "Keys": a key field is a scalar: bit<W>, int<W>, bool, an enum, error (or a type over one). */
function scalarKey(t: Type): boolean {
  let u: Type = t;
  while (u.k === "newtype") u = u.base;
  return T.isVague(u) || ["bits", "bool", "enum", "error"].includes(u.k);
}

/**
 * The part of a key expression the control plane cannot name (the reference
 * derives a key's name from names, constants, fields, indexes, slices, `&` and
 * `isValid()`; anything else needs `@name`): the innermost such part, or null.
 * A part without names is left alone (the reference folds constants first).
 */
function complexKeyPart(e: A.Expression): A.Expression | null {
  const all = (...xs: A.Expression[]) => { for (const x of xs) { const c = complexKeyPart(x); if (c) return c; } return null; };
  switch (e.kind) {
    case "PathExpression": case "IntLiteral": case "TypeMemberExpression": return null;
    case "MemberExpression": return complexKeyPart(e.expr);
    case "IndexExpression": return all(e.expr, e.index);
    case "SliceExpression": return all(e.expr, e.hi, e.lo);
    case "BinaryExpression": if (e.op === "&") return all(e.left, e.right); break;
    case "CallExpression":
      if (e.args.length === 0 && e.callee.kind === "MemberExpression" && e.callee.member.text === "isValid") return complexKeyPart(e.callee.expr);
      break;
  }
  return hasName(e) ? e : null;
}

/** Whether `e` mentions a name (a variable, field, parameter, call), i.e. is not a constant the reference folds. */
function hasName(e: A.Expression): boolean {
  let found = false;
  walk(e, (n) => {
    if (n.kind === "PathExpression" || n.kind === "CallExpression" || n.kind === "ThisExpression") found = true;
    return !found;
  });
  return found;
}

/** An entry's keyset has one element per key, each of the key's type (or a mask/range of it). */
function entryKeyset(ck: Checker, ks: A.Expression, keys: readonly Type[], ctx: Ctx): void {
  const elems = ks.kind === "TupleKeysetExpression" || ks.kind === "ListExpression" ? ks.elements : [ks];
  // a lone `_` (or `default`) matches one key: the reference wants one keyset element per key
  if (elems.length === 1 && keys.length <= 1 && (ks.kind === "DontCareExpression" || ks.kind === "DefaultExpression")) {
    typeOf(ck, ks, ctx);
    return;
  }
  if (keys.length > 0 && elems.length !== keys.length) {
    for (const x of elems) typeOf(ck, x, ctx);
    ck.diags.report(Msg.Fe_EntryKeyset, ks.span, ck.show(ks), `${elems.length} values for ${keys.length} keys`);
    return;
  }
  elems.forEach((x, i) => {
    let t = typeOf(ck, x, ctx, keys[i]);
    if (x.kind === "DontCareExpression" || x.kind === "DefaultExpression" || !keys[i]) return;
    if (t.k === "set") t = t.elem;
    if (T.isVague(t) || T.isVague(keys[i])) return;
    if (unify(numeric(keys[i]), numeric(t)) === null) {
      ck.diags.report(Msg.Fe_EntryKeyset, x.span, ck.show(ks), `${T.typeToString(t)} for a key of type ${T.typeToString(keys[i])}`);
    }
  });
}

function findTableApply(ck: Checker, e: A.Expression): A.CallExpression | null {
  let found: A.CallExpression | null = null;
  const visit = (n: unknown): void => {
    if (found || !n || typeof n !== "object") return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const x = n as A.Expression;
    if (x.kind === "CallExpression" && x.callee.kind === "MemberExpression" && x.callee.member.text === "apply" && ck.types.get(x.callee.expr)?.k === "table") {
      found = x;
      return;
    }
    for (const k in n) if (k !== "span") visit((n as Record<string, unknown>)[k]);
  };
  visit(e);
  return found;
}

function actionRef(ck: Checker, a: A.ActionRef, ctx: Ctx, where: "list" | "entry"): A.ActionDeclaration | null {
  const pe: A.PathExpression = { kind: "PathExpression", span: a.name.span, name: a.name, topLevel: a.topLevel };
  const b = lookupValue(ck, pe, ctx);
  if (!b) {
    for (const x of a.args ?? []) typeOf(ck, x.value, ctx);
    return null;
  }
  ck.refs.set(a, b);
  if (b.kind !== "ActionDeclaration") {
    ck.diags.report(Msg.Fe_NotAnAction, a.name.span, a.name.text);
    return null;
  }
  const args = a.args ?? [];
  args.forEach((x, i) => {
    // Action list and entry arguments are passed as in a call: of the parameter's type ("Tables: Actions").
    const p = x.name === null ? b.params[i] : b.params.find((q) => q.name.text === x.name!.text);
    const pt = p ? ck.declTypes.get(p) : undefined;
    const at = typeOf(ck, x.value, ctx, pt);
    if (p && pt && x.value.kind !== "DontCareExpression" && assignable(pt, at) === false) {
      ck.diags.report(Msg.Fe_ArgType, a.span, `${a.name.text}(${args.map((y) => ck.show(y.value)).join(", ")})`, T.typeToString(at), p.name.text, T.typeToString(pt));
    } else if (p && (p.direction === "out" || p.direction === "inout") && x.value.kind !== "DontCareExpression" && !isLValue(ck, x.value, ctx)) {
      ck.diags.report(Msg.Fe_ReadOnlyArg, a.span, `${a.name.text}(${args.map((y) => ck.show(y.value)).join(", ")})`, p.name.text);
    }
    const applied = findTableApply(ck, x.value);
    if (applied) ck.diags.report(Msg.Fe_TableInActionArg, applied.span, ck.show(applied));
  });
  if (where === "entry" && args.every((x) => x.name === null) && args.length > b.params.length) {
    ck.diags.report(Msg.Fe_ArgCount, a.span, `${a.name.text}(${args.map((x) => ck.show(x.value)).join(", ")})`, a.name.text, args.length);
  }
  if (where === "list" && a.args === null) {
    const unbound = b.params.find((p) => p.direction !== null && p.defaultValue === null && !p.annotations.some((x) => x.name.text === "optional"));
    if (unbound) ck.diags.report(Msg.Fe_ParamNotBound, a.span, `${a.name.text}()`, unbound.name.text);
  }
  if (where === "list" && a.args !== null) {
    const directional = b.params.filter((p) => p.direction !== null);
    if (args.length > directional.length && args.every((x) => x.name === null)) {
      const extra = b.params[args.length - 1] ?? b.params[b.params.length - 1];
      ck.diags.report(Msg.Fe_ParamControlPlane, args[directional.length].span, ck.show(args[directional.length].value), extra?.name.text ?? "");
    } else if (args.length < directional.length && args.every((x) => x.name === null)) {
      ck.diags.report(Msg.Fe_ParamNotBound, a.span, `${a.name.text}()`, directional[args.length].name.text);
    }
  }
  return b;
}

function defaultAction(ck: Checker, v: A.Expression, listed: Map<string, A.ActionRef>, ctx: Ctx): void {
  const callee = v.kind === "CallExpression" ? v.callee : v;
  if (callee.kind !== "PathExpression") {
    const t = typeOf(ck, v, ctx);
    if (!T.isUnknown(t)) ck.diags.report(Msg.Fe_DefaultActionNotAction, v.span, "default_action");
    return;
  }
  const b = lookupValue(ck, callee, ctx);
  if (!b) return;
  if (b.kind !== "ActionDeclaration") {
    ck.diags.report(Msg.Fe_NotAnAction, callee.span, ck.show(callee));
    return;
  }
  if (listed.size > 0 && !listed.has(callee.name.text)) {
    ck.diags.report(Msg.Fe_DefaultActionNotInList, callee.span, ck.show(callee));
  } else if (listed.has(callee.name.text)) {
    const ref = listed.get(callee.name.text)!;
    const other = ck.refs.get(ref);
    if (other && other !== b) ck.diags.report(Msg.Fe_DifferentActions, v.span, ck.show(v), ref.name.text);
  }
  if (v.kind === "CallExpression") {
    v.args.forEach((x, i) => {
      const p = x.name ? b.params.find((q) => q.name.text === x.name!.text) : b.params[i];
      if (x.name && !p) ck.diags.report(Msg.Fe_NoSuchParam, x.name.span, ck.show(v), x.name.text);
      const pt = p ? ck.declTypes.get(p) : undefined;
      const at = typeOf(ck, x.value, ctx, pt);
      if (pt && assignable(pt, at) === false) ck.diags.report(Msg.Fe_ArgType, x.value.span, ck.show(v), T.typeToString(at), p!.name.text, T.typeToString(pt));
    });
    if (v.args.every((x) => x.name === null) && v.args.length < b.params.length) {
      const missing = b.params[v.args.length];
      if (missing.defaultValue === null) ck.diags.report(Msg.Fe_ActionNotBound, v.span, b.name.text, missing.name.text);
    } else if (v.args.every((x) => x.name === null) && v.args.length > b.params.length) {
      ck.diags.report(Msg.Fe_ArgCount, v.span, ck.show(v), b.name.text, v.args.length);
    } else if (listed.has(callee.name.text)) {
      sameAsActionList(ck, v, listed.get(callee.name.text)!, b);
    }
  } else if (b.params.some((p) => p.defaultValue === null && !p.annotations.some((x) => x.name.text === "optional"))) {
    const missing = b.params.find((p) => p.defaultValue === null)!;
    ck.diags.report(Msg.Fe_ActionNotBound, v.span, b.name.text, missing.name.text);
  }
}

/**
 * "Default action": the arguments of directional parameters are syntactically
 * the ones the action list gives them (only action data is chosen here).
 */
function sameAsActionList(ck: Checker, v: A.CallExpression, ref: A.ActionRef, b: A.ActionDeclaration): void {
  if (!ref.args || v.args.some((x) => x.name !== null) || ref.args.some((x) => x.name !== null)) return;
  ref.args.forEach((la, i) => {
    const da = v.args[i];
    if (da && b.params[i]?.direction !== null && sameText(ck, da.value) !== sameText(ck, la.value)) {
      ck.diags.report(Msg.Fe_DefaultActionArgMismatch, da.value.span, ck.show(da.value), ck.show(la.value));
    }
  });
}
