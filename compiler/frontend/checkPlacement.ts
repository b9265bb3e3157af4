/**
 * Where constructs may appear (P4-16 spec, "Restrictions on compile time and
 * run time calls", "Instantiations", "Actions", "Tables", "Statements"): rules
 * that need no types. They run after the type checker, so that a program with
 * type errors reports those first, in source order.
 *
 * - instantiations: not in actions, control `apply` blocks or parser states;
 *   a parser only in a parser, a control only in a control, neither at the top
 *   level; a package only at the top level;
 * - constructor calls not in actions; `switch` not in actions; `exit` not in
 *   functions;
 * - action parameters: the directionless ones last; `int` parameters of other
 *   callables are directionless; functions have no @optional parameters;
 * - variables are not of type `string` or `int`;
 * - a table has an `actions` property.
 *
 * Before: the program parsed. After: violations reported; nothing else changes.
 */
import type * as A from "../ast/nodes.js";
import { walk } from "../ast/forEachChild.js";
import type { DiagnosticBag } from "../diagnostics/bag.js";
import { Msg } from "../diagnostics/messages.js";

/** The innermost construct whose rules apply. */
type Place = "top" | "parser" | "state" | "control" | "apply" | "action" | "function" | "initializer";

const PLACE_NAME: Record<Place, string> = {
  top: "the top level", parser: "a parser", state: "a parser state", control: "a control", apply: "a control apply block",
  action: "an action", function: "a function", initializer: "an instance initializer",
};

export function checkPlacement(program: A.Program, diags: DiagnosticBag): void {
  const blocks = new Map<string, "parser" | "control" | "package">();
  for (const d of program.declarations) {
    if (d.kind === "ParserDeclaration" || d.kind === "ParserTypeDeclaration") blocks.set(d.name.text, "parser");
    else if (d.kind === "ControlDeclaration" || d.kind === "ControlTypeDeclaration") blocks.set(d.name.text, "control");
    else if (d.kind === "PackageTypeDeclaration") blocks.set(d.name.text, "package");
  }
  const kindOf = (t: A.TypeRef): "parser" | "control" | "package" | undefined =>
    t.kind === "TypeName" ? blocks.get(t.name.text) : t.kind === "TypeSpecialized" ? blocks.get(t.base.name.text) : undefined;

  const instance = (d: A.Instantiation, place: Place): void => {
    if (place === "action") diags.report(Msg.Fe_InstantiationInAction, d.span, d.name.text);
    else if (place === "apply") diags.report(Msg.Fe_InstantiationInApply, d.span, d.name.text);
    else if (place === "state") diags.report(Msg.Fe_InstantiationInState, d.span, d.name.text);
    else {
      const k = kindOf(d.type);
      if ((k === "parser" || k === "control") && place === "top") diags.report(Msg.Fe_InstantiationTopLevel, d.name.span, d.name.text);
      else if ((k === "parser" || k === "control") && (place === "parser" || place === "control") && k !== place) {
        diags.report(Msg.Fe_InstantiationPlace, d.name.span, d.name.text, `a ${k}`, PLACE_NAME[place]);
      } else if (k === "package" && place !== "top") diags.report(Msg.Fe_InstantiationPlace, d.name.span, d.name.text, "a package", PLACE_NAME[place]);
    }
    for (const x of d.initializer ?? []) {
      if (x.kind === "Instantiation") instance(x, "initializer");
      else body(x.body, "function");
    }
  };

  /** Statements and expressions below `n`, in `place`. */
  const body = (n: A.Node, place: Place): void => {
    walk(n, (x) => {
      switch (x.kind) {
        case "Instantiation":
          instance(x, place);
          return false;
        case "ConstructorCallExpression":
          if (place === "action") diags.report(Msg.Fe_CtorCallInAction, x.span, x.type.kind === "TypeName" ? x.type.name.text : x.type.base.name.text);
          return;
        case "SwitchStatement":
          if (place === "action") diags.report(Msg.Fe_SwitchInAction, x.span);
          return;
        case "ExitStatement":
          if (place === "function") diags.report(Msg.Fe_ExitInFunction, x.span);
          return;
        case "VariableDeclaration":
          variable(x);
          return;
        default:
          return;
      }
    });
  };

  const variable = (d: A.VariableDeclaration): void => {
    const t = d.type;
    if (t.kind === "TypeString") diags.report(Msg.Fe_VariableType, d.name.span, d.name.text, "string");
    else if (t.kind === "TypeBits" && t.infinite) diags.report(Msg.Fe_VariableType, d.name.span, d.name.text, "int");
  };

  const params = (ps: readonly A.Parameter[], action: boolean, optionalNotAllowed = false): void => {
    let directionless = false;
    for (const p of ps) {
      if (action) {
        if (p.direction === null) directionless = true;
        else if (directionless) diags.report(Msg.Fe_ActionParamOrder, p.span, p.name.text);
      } else if (p.direction !== null && p.type.kind === "TypeBits" && p.type.infinite) {
        diags.report(Msg.Fe_IntParamDirection, p.span, p.name.text);
      }
      if (optionalNotAllowed && p.annotations.some((a) => a.name.text === "optional")) diags.report(Msg.Fe_OptionalNotAllowed, p.name.span, p.name.text);
    }
  };

  const action = (d: A.ActionDeclaration): void => {
    params(d.params, true);
    body(d.body, "action");
  };

  const table = (t: A.TableDeclaration): void => {
    if (!t.properties.some((p) => p.kind === "ActionsProperty")) diags.report(Msg.Fe_TableNoActions, t.name.span, t.name.text);
  };

  for (const d of program.declarations) {
    switch (d.kind) {
      case "Instantiation":
        instance(d, "top");
        break;
      case "ActionDeclaration":
        action(d);
        break;
      case "FunctionDeclaration":
        params(d.params, false, true);
        body(d.body, "function");
        break;
      case "ExternFunctionDeclaration":
      case "ParserTypeDeclaration":
      case "ControlTypeDeclaration":
        params(d.params, false);
        break;
      case "ParserDeclaration":
        params(d.params, false);
        for (const l of d.locals) {
          if (l.kind === "Instantiation") instance(l, "parser");
          else if (l.kind === "VariableDeclaration") variable(l);
          else body(l, "parser");
        }
        for (const s of d.states) body(s, "state");
        break;
      case "ControlDeclaration":
        params(d.params, false);
        for (const l of d.locals) {
          if (l.kind === "Instantiation") instance(l, "control");
          else if (l.kind === "ActionDeclaration") action(l);
          else if (l.kind === "TableDeclaration") table(l);
          else if (l.kind === "VariableDeclaration") variable(l);
          else body(l, "control");
        }
        body(d.body, "apply");
        break;
      default:
        break;
    }
  }
}
