/**
 * Spec rules that need the types and resolved names of the checked program:
 *
 * - where calls may be made (spec appendix "Restrictions on compile time and
 *   run time calls"): actions not from parsers; tables only from control apply
 *   blocks and actions... (actions: see Fe_ApplyInAction); controls not from
 *   parsers, parsers not from controls, neither from functions;
 * - no parser or control instantiates itself, directly or through others;
 * - switch labels are distinct;
 * - a function with a return type returns a value on every path;
 * - table properties: `size` and `priority_delta` are compile-time known
 *   integers, `largest_priority_wins` a boolean;
 * - the default action is not @tableonly;
 * - entries: the action is in the table's action list, not @defaultonly, with
 *   every parameter bound; keysets and arguments compile-time known;
 *   priorities compile-time known non-negative integers.
 *
 * Before: the checker has typed every expression and resolved every name.
 * After: violations reported at the construct; nothing else changes.
 */
import type * as A from "../ast/nodes.js";
import { walk } from "../ast/forEachChild.js";
import { Msg } from "../diagnostics/messages.js";
import type { Checker } from "./checker.js";

/** `parserTop`/`controlTop`: a parser's or control's own declarations, outside its states or `apply` block. */
type Place = "parser" | "control" | "action" | "function" | "parserTop" | "controlTop" | "other";

const PLACE_NAME: Record<Place, string> = {
  parser: "a parser", control: "a control", action: "an action", function: "a function",
  parserTop: "the top level of a parser", controlTop: "the top level of a control", other: "here",
};

export function checkSpecRules(ck: Checker, program: A.Program): void {
  for (const d of program.declarations) {
    switch (d.kind) {
      case "ParserDeclaration":
        for (const l of d.locals) calls(ck, l, "parserTop");
        for (const st of d.states) calls(ck, st, "parser");
        break;
      case "ControlDeclaration":
        for (const l of d.locals) {
          if (l.kind === "ActionDeclaration") calls(ck, l, "action");
          else if (l.kind === "TableDeclaration") table(ck, l);
          else calls(ck, l, "controlTop");
        }
        calls(ck, d.body, "control");
        break;
      case "ActionDeclaration":
        calls(ck, d, "action");
        break;
      case "FunctionDeclaration":
        calls(ck, d, "function");
        break;
      default:
        break;
    }
  }
  recursion(ck, program);
  walk(program, (n) => {
    if (n.kind === "FunctionDeclaration") returns(ck, n);
    else if (n.kind === "SwitchStatement") switchLabels(ck, n);
  });
}

/** The calls below `root` that its place does not allow. */
function calls(ck: Checker, root: A.Node, place: Place): void {
  walk(root, (n) => {
    if (n.kind === "ActionDeclaration" && n !== root) return false;
    if (n.kind === "DirectApplicationStatement") {
      const b = ck.refs.get(n.type);
      const what = b?.kind === "ParserDeclaration" ? "parser" : b?.kind === "ControlDeclaration" ? "control" : null;
      if (what) applied(ck, n, `${n.type.kind === "TypeName" ? n.type.name.text : n.type.base.name.text}.apply()`, what, place);
      return;
    }
    if (n.kind !== "CallExpression") return;
    const c = n.callee;
    if (c.kind === "PathExpression" && place === "parser" && ck.refs.get(c)?.kind === "ActionDeclaration") {
      ck.diags.report(Msg.Fe_CallPlace, n.span, ck.show(n), "an action", PLACE_NAME[place]);
    } else if (c.kind === "MemberExpression" && c.member.text === "apply") {
      const k = ck.types.get(c.expr)?.k;
      if (k === "table" || k === "parser" || k === "control") applied(ck, n, ck.show(n), k, place);
    }
  });
}

function applied(ck: Checker, n: A.Node, shown: string, what: "table" | "parser" | "control", place: Place): void {
  const allowed = what === "parser" ? place === "parser" : what === "control" ? place === "control" : place === "control" || place === "action";
  // apply from an action is reported by the type checker (Fe_ApplyInAction) for parsers and controls
  if (!allowed && !(place === "action" && what !== "table")) ck.diags.report(Msg.Fe_CallPlace, n.span, shown, `a ${what}`, PLACE_NAME[place]);
}

type Block = A.ParserDeclaration | A.ControlDeclaration;

/**
 * Spec "Instantiations" / "Direct type invocation": a parser or control cannot
 * instantiate itself, directly or through the blocks it instantiates (the
 * direct case is Fe_SelfReference, reported by the type checker).
 * Reported at the instantiation closing the cycle.
 */
function recursion(ck: Checker, program: A.Program): void {
  const edges = new Map<Block, { inst: A.Instantiation; to: Block }[]>();
  for (const d of program.declarations) {
    if (d.kind !== "ParserDeclaration" && d.kind !== "ControlDeclaration") continue;
    const out: { inst: A.Instantiation; to: Block }[] = [];
    walk(d, (n) => {
      if (n.kind !== "Instantiation") return;
      const t = ck.declTypes.get(n);
      if ((t?.k === "parser" || t?.k === "control") && (t.decl.kind === "ParserDeclaration" || t.decl.kind === "ControlDeclaration") && t.decl !== d) out.push({ inst: n, to: t.decl });
    });
    edges.set(d, out);
  }
  const done = new Set<Block>();
  const path: Block[] = [];
  const visit = (b: Block): void => {
    path.push(b);
    for (const e of edges.get(b) ?? []) {
      const i = path.indexOf(e.to);
      if (i >= 0) ck.diags.report(Msg.Fe_RecursiveInstantiation, e.inst.span, e.inst.name.text, [...path.slice(i), e.to].map((x) => x.name.text).join(" -> "));
      else if (!done.has(e.to)) visit(e.to);
    }
    path.pop();
    done.add(b);
  };
  for (const b of edges.keys()) if (!done.has(b)) visit(b);
}

/** Two labels of a switch with the same value (action name, constant, or enum/error member). */
function switchLabels(ck: Checker, s: A.SwitchStatement): void {
  const seen = new Set<string>();
  for (const c of s.cases) {
    if (c.label.kind === "DefaultExpression") continue;
    const v = ck.constants.get(c.label);
    const key = v !== undefined ? `${typeof v}:${String(v)}` : c.label.kind === "PathExpression" || c.label.kind === "MemberExpression" || c.label.kind === "TypeMemberExpression" ? `e:${ck.show(c.label)}` : null;
    if (key === null) continue;
    if (seen.has(key)) ck.diags.report(Msg.Fe_DuplicateSwitchLabel, c.label.span, ck.show(c.label));
    seen.add(key);
  }
}

/** A function whose return type is not void must return on every path through its body. */
function returns(ck: Checker, f: A.FunctionDeclaration): void {
  if (f.returnType.kind === "TypeVoid") return;
  if (!alwaysReturns(f.body)) ck.diags.report(Msg.Fe_MissingReturn, f.name.span, f.name.text);
}

function alwaysReturns(s: A.StatementOrDeclaration): boolean {
  switch (s.kind) {
    case "ReturnStatement":
    case "ExitStatement":
      return true;
    case "BlockStatement":
      return s.body.some(alwaysReturns);
    case "IfStatement":
      return s.else !== null && alwaysReturns(s.then) && alwaysReturns(s.else);
    case "SwitchStatement": {
      if (!s.cases.some((c) => c.label.kind === "DefaultExpression")) return false;
      const last = s.cases[s.cases.length - 1];
      return last.body !== null && s.cases.every((c) => c.body === null || alwaysReturns(c.body));
    }
    default:
      return false;
  }
}

function table(ck: Checker, t: A.TableDeclaration): void {
  const listed = new Map<string, A.ActionRef>();
  for (const p of t.properties) if (p.kind === "ActionsProperty") for (const a of p.actions) listed.set(a.name.text, a);
  for (const p of t.properties) {
    if (p.kind === "ValueProperty" && p.name.text === "default_action") {
      const callee = p.value.kind === "CallExpression" ? p.value.callee : p.value;
      const ref = callee.kind === "PathExpression" ? listed.get(callee.name.text) : undefined;
      if (ref?.annotations.some((x) => x.name.text === "tableonly")) ck.diags.report(Msg.Fe_DefaultActionTableOnly, p.value.span, ck.show(p.value), ref.name.text);
      // an action's data in a table (default_action) is known when the program is loaded
      const decl = ck.refs.get(callee);
      if (p.value.kind === "CallExpression" && decl?.kind === "ActionDeclaration") {
        p.value.args.forEach((x, i) => {
          const q = x.name ? decl.params.find((y) => y.name.text === x.name!.text) : decl.params[i];
          if (q && q.direction === null && runtime(ck, x.value)) ck.diags.report(Msg.Fe_ActionArgNotConst, x.value.span, ck.show(x.value));
        });
      }
    } else if (p.kind === "ValueProperty") {
      const v = ck.constants.get(p.value);
      const ty = ck.types.get(p.value);
      if (!ty || ty.k === "unknown") continue;
      // constructor parameters are compile-time known without a value here
      if (p.name.text === "size" || p.name.text === "priority_delta") {
        const integral = ty.k === "bits" || ty.k === "int" || ty.k === "newtype" || ty.k === "typevar";
        if (!integral || (typeof v === "bigint" && v < 0n) || runtime(ck, p.value)) ck.diags.report(Msg.Fe_TablePropertyType, p.value.span, ck.show(p.value), p.name.text, "a compile-time known non-negative integer");
      } else if (p.name.text === "largest_priority_wins" && ((ty.k !== "bool" && ty.k !== "typevar") || runtime(ck, p.value))) {
        ck.diags.report(Msg.Fe_TablePropertyType, p.value.span, ck.show(p.value), p.name.text, "a compile-time known boolean");
      }
    } else if (p.kind === "EntriesProperty") {
      for (const e of p.entries) {
        entry(ck, e, listed);
        entryPriority(ck, e);
      }
    }
  }
}

function entry(ck: Checker, e: A.TableEntry, listed: ReadonlyMap<string, A.ActionRef>): void {
  for (const x of e.keyset.kind === "TupleKeysetExpression" || e.keyset.kind === "ListExpression" ? e.keyset.elements : [e.keyset]) {
    if (runtime(ck, x)) ck.diags.report(Msg.Fe_EntryNotConstant, x.span, ck.show(x));
  }
  const a = e.action;
  const decl = ck.refs.get(a);
  if (decl?.kind !== "ActionDeclaration") return;
  const ref = listed.get(a.name.text);
  if (!ref) {
    ck.diags.report(Msg.Fe_ActionNotInTable, a.name.span, a.name.text);
    return;
  }
  if (ref.annotations.some((x) => x.name.text === "defaultonly")) ck.diags.report(Msg.Fe_EntryActionDefaultOnly, a.span, ck.show(e.keyset), a.name.text);
  const args = a.args ?? [];
  for (const x of args) if (runtime(ck, x.value)) ck.diags.report(Msg.Fe_EntryNotConstant, x.value.span, ck.show(x.value));
  if (args.every((x) => x.name === null) && args.length < decl.params.length) {
    const missing = decl.params[args.length];
    if (missing.defaultValue === null) ck.diags.report(Msg.Fe_ParamNotBound, a.span, `${a.name.text}()`, missing.name.text);
  }
}

/**
 * Spec "Entry priorities": a priority is a compile-time known non-negative
 * integer ("If any priority values are negative ... that is a compile time error").
 */
function entryPriority(ck: Checker, e: A.TableEntry): void {
  if (e.priority === null) return;
  const v = ck.constants.get(e.priority);
  const k = ck.types.get(e.priority)?.k;
  const integral = k === undefined || k === "unknown" || k === "bits" || k === "int" || k === "newtype" || k === "typevar";
  // constructor parameters are compile-time known without a value here
  if (!integral || (typeof v === "bigint" && v < 0n) || runtime(ck, e.priority)) ck.diags.report(Msg.Fe_EntryPriorityValue, e.priority.span, ck.show(e.priority));
}

/** True when `e` reads a variable or a run-time parameter, or calls a method. */
function runtime(ck: Checker, e: A.Expression): boolean {
  let found = false;
  walk(e, (n) => {
    if (found) return false;
    if (n.kind === "CallExpression") {
      found = true;
      return false;
    }
    if (n.kind === "PathExpression") {
      const b = ck.refs.get(n);
      if (b && (b.kind === "VariableDeclaration" || (b.kind === "Parameter" && b.direction !== null))) found = true;
    }
    return;
  });
  return found;
}
