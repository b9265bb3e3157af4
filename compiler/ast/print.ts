/**
 * Writes the AST back as P4-16 source (`--pp`). The output re-parses to the
 * same AST (spans aside): parentheses are added where precedence needs them,
 * literals keep their spelling, unstructured annotation bodies are re-emitted
 * token by token.
 */
import type * as A from "./nodes.js";
import { assertNever } from "./nodes.js";

const INDENT = "    ";

/** Binding strength of binary operators (higher binds tighter), as in the P4-16 grammar. */
const PREC: Record<string, number> = {
  "..": 0, "&&&": 0,
  "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
  "|": 5, "^": 6, "&": 7, "<<": 8, ">>": 8,
  "++": 9, "+": 9, "-": 9, "|+|": 9, "|-|": 9, "*": 10, "/": 10, "%": 10,
};
const PREFIX = 11;
const POSTFIX = 12;
const TERNARY = 0.5;

export function printProgram(p: A.Program): string {
  return p.declarations.map((d) => printDeclaration(d, "")).join("\n") + "\n";
}

function annos(as: readonly A.Annotation[], sep = " "): string {
  return as.length === 0 ? "" : as.map(printAnnotation).join(sep) + sep;
}

export function printAnnotation(a: A.Annotation): string {
  const b = a.body;
  switch (b.form) {
    case "empty":
      return `@${a.name.text}`;
    case "unstructured":
      if (a.name.text === "pragma") return `@pragma ${b.tokens.map((t) => t.text).join(" ")}\n`;
      return `@${a.name.text}(${b.tokens.map((t) => t.text).join(" ")})`;
    case "expressions":
      return `@${a.name.text}[${b.exprs.map((e) => printExpression(e)).join(", ")}]`;
    case "kv":
      return `@${a.name.text}[${b.pairs.map((p) => `${p.key.text}=${printExpression(p.value)}`).join(", ")}]`;
  }
}

export function printType(t: A.TypeRef): string {
  switch (t.kind) {
    case "TypeBool": return "bool";
    case "TypeError": return "error";
    case "TypeMatchKind": return "match_kind";
    case "TypeString": return "string";
    case "TypeVoid": return "void";
    case "TypeDontCare": return "_";
    case "TypeBits": {
      const kw = t.signed ? "int" : "bit";
      if (t.width === null) return kw;
      return `${kw}<${width(t.width, t.widthParenthesized)}>`;
    }
    case "TypeVarbit": return `varbit<${width(t.width, t.widthParenthesized)}>`;
    case "TypeName": return (t.topLevel ? "." : "") + t.name.text;
    case "TypeSpecialized": return `${printType(t.base)}<${t.args.map(printType).join(", ")}>`;
    case "TypeStack": return `${printType(t.element)}[${printExpression(t.size)}]`;
    case "TypeTuple": return `tuple<${t.elements.map(printType).join(", ")}>`;
    case "TypeList": return `list<${printType(t.element)}>`;
    default: return assertNever(t, "type");
  }
}

function width(e: A.Expression, parenthesized: boolean): string {
  // An unparenthesised width re-parses the same way: there `>` closes the list.
  return parenthesized ? `(${printExpression(e)})` : printExpression(e);
}

function args(as: readonly A.Argument[]): string {
  return `(${as.map((a) => (a.name ? `${a.name.text} = ` : "") + printExpression(a.value)).join(", ")})`;
}

/** Prints `e`, parenthesised if its precedence is below `min`. */
export function printExpression(e: A.Expression, min = 0): string {
  const [text, prec] = expr(e);
  return prec < min ? `(${text})` : text;
}

function expr(e: A.Expression): [string, number] {
  switch (e.kind) {
    case "IntLiteral": return [e.text, POSTFIX + 1];
    case "BoolLiteral": return [String(e.value), POSTFIX + 1];
    case "StringLiteral": return [`"${e.raw}"`, POSTFIX + 1];
    case "PathExpression": return [(e.topLevel ? "." : "") + e.name.text, POSTFIX + 1];
    case "ThisExpression": return ["this", POSTFIX + 1];
    case "DotsExpression": return ["...", POSTFIX + 1];
    case "DontCareExpression": return ["_", POSTFIX + 1];
    case "DefaultExpression": return ["default", POSTFIX + 1];
    case "InvalidExpression": return ["{#}", POSTFIX + 1];
    case "MemberExpression": return [`${printExpression(e.expr, POSTFIX)}.${e.member.text}`, POSTFIX];
    case "TypeMemberExpression": return [`${printType(e.type)}.${e.member.text}`, POSTFIX];
    case "IndexExpression": return [`${printExpression(e.expr, POSTFIX)}[${printExpression(e.index)}]`, POSTFIX];
    case "SliceExpression": return [`${printExpression(e.expr, POSTFIX)}[${printExpression(e.hi)}:${printExpression(e.lo)}]`, POSTFIX];
    case "PlusSliceExpression": return [`${printExpression(e.expr, POSTFIX)}[${printExpression(e.base)} +: ${printExpression(e.width)}]`, POSTFIX];
    case "UnaryExpression": {
      // A space keeps `- -x` and `- -1` from lexing as something else.
      const inner = printExpression(e.operand, PREFIX);
      const sep = inner.startsWith(e.op) || (e.op === "-" && inner.startsWith("-")) ? " " : "";
      return [`${e.op}${sep}${inner}`, PREFIX];
    }
    case "BinaryExpression": {
      const p = PREC[e.op];
      // Left-associative: the right operand needs parentheses at equal precedence.
      return [`${printExpression(e.left, p)} ${e.op} ${printExpression(e.right, p + 1)}`, p];
    }
    case "ConditionalExpression":
      return [`${printExpression(e.cond, 1)} ? ${printExpression(e.then, 1)} : ${printExpression(e.else, TERNARY)}`, TERNARY];
    case "CastExpression": return [`(${printType(e.type)})${printExpression(e.expr, PREFIX)}`, PREFIX];
    case "CallExpression": {
      const ta = e.typeArgs.length > 0 ? `<${e.typeArgs.map(printType).join(", ")}>` : "";
      return [`${printExpression(e.callee, POSTFIX)}${ta}${args(e.args)}`, POSTFIX];
    }
    case "ConstructorCallExpression": return [`${printType(e.type)}${args(e.args)}`, POSTFIX];
    case "ListExpression": return [`{ ${e.elements.map((x) => printExpression(x)).join(", ")} }`, POSTFIX + 1];
    case "StructExpression": {
      const fs = e.fields.map((f) => `${f.key.text} = ${printExpression(f.value)}`);
      if (e.dots) fs.push("...");
      return [`{ ${fs.join(", ")} }`, POSTFIX + 1];
    }
    case "SelectExpression": return [printSelect(e, ""), POSTFIX + 1];
    case "TupleKeysetExpression": return [`(${e.elements.map((x) => printExpression(x)).join(", ")})`, POSTFIX + 1];
    default: return assertNever(e, "expression");
  }
}

function printSelect(e: A.SelectExpression, ind: string): string {
  const cases = e.cases.map((c) => `${ind}${INDENT}${keyset(c.keyset)}: ${c.state.text};\n`).join("");
  return `select(${e.selectors.map((x) => printExpression(x)).join(", ")}) {\n${cases}${ind}}`;
}

/** A keyset: a single parenthesised plain expression would re-parse as a tuple-less expression, which is fine. */
function keyset(e: A.Expression): string {
  return printExpression(e);
}

function params(ps: readonly A.Parameter[]): string {
  return `(${ps
    .map((p) => `${annos(p.annotations)}${p.direction ? p.direction + " " : ""}${printType(p.type)} ${p.name.text}${p.defaultValue ? ` = ${printExpression(p.defaultValue)}` : ""}`)
    .join(", ")})`;
}

function typeParams(ns: readonly A.Name[]): string {
  return ns.length === 0 ? "" : `<${ns.map((n) => n.text).join(", ")}>`;
}

function fields(fs: readonly A.StructField[], ind: string): string {
  return fs.map((f) => `${ind}${INDENT}${annos(f.annotations)}${printType(f.type)} ${f.name.text};\n`).join("");
}

function printDeclaration(d: A.Declaration | A.ControlLocalDeclaration | A.ParserLocalElement | A.FunctionDeclaration, ind: string): string {
  switch (d.kind) {
    case "ConstantDeclaration":
      return `${ind}${annos(d.annotations)}const ${printType(d.type)} ${d.name.text} = ${printExpression(d.value)};\n`;
    case "VariableDeclaration":
      return `${ind}${annos(d.annotations)}${printType(d.type)} ${d.name.text}${d.init ? ` = ${printExpression(d.init)}` : ""};\n`;
    case "Instantiation": {
      const init = d.initializer ? ` = {\n${d.initializer.map((x) => printDeclaration(x, ind + INDENT)).join("")}${ind}}` : "";
      return `${ind}${annos(d.annotations)}${printType(d.type)}${args(d.args)} ${d.name.text}${init};\n`;
    }
    case "ExternDeclaration": {
      const ms = d.methods
        .map((m) =>
          m.isConstructor
            ? `${ind}${INDENT}${annos(m.annotations)}${m.name.text}${params(m.params)};\n`
            : `${ind}${INDENT}${annos(m.annotations)}${m.isAbstract ? "abstract " : ""}${printType(m.returnType!)} ${m.name.text}${typeParams(m.typeParams)}${params(m.params)};\n`,
        )
        .join("");
      return `${ind}${annos(d.annotations)}extern ${d.name.text}${typeParams(d.typeParams)} {\n${ms}${ind}}\n`;
    }
    case "ExternFunctionDeclaration":
      return `${ind}${annos(d.annotations)}extern ${printType(d.returnType)} ${d.name.text}${typeParams(d.typeParams)}${params(d.params)};\n`;
    case "FunctionDeclaration":
      return `${ind}${annos(d.annotations)}${printType(d.returnType)} ${d.name.text}${typeParams(d.typeParams)}${params(d.params)} ${printBlock(d.body, ind)}\n`;
    case "ActionDeclaration":
      return `${ind}${annos(d.annotations)}action ${d.name.text}${params(d.params)} ${printBlock(d.body, ind)}\n`;
    case "HeaderDeclaration":
    case "HeaderUnionDeclaration":
    case "StructDeclaration": {
      const kw = d.kind === "HeaderDeclaration" ? "header" : d.kind === "StructDeclaration" ? "struct" : "header_union";
      return `${ind}${annos(d.annotations)}${kw} ${d.name.text}${typeParams(d.typeParams)} {\n${fields(d.fields, ind)}${ind}}\n`;
    }
    case "EnumDeclaration": {
      const ms = d.members.map((m) => `${ind}${INDENT}${m.name.text}${m.value ? ` = ${printExpression(m.value)}` : ""}`).join(",\n");
      return `${ind}${annos(d.annotations)}enum ${d.underlying ? printType(d.underlying) + " " : ""}${d.name.text} {\n${ms}\n${ind}}\n`;
    }
    case "TypedefDeclaration": {
      const target =
        d.target.kind === "HeaderDeclaration" || d.target.kind === "StructDeclaration" || d.target.kind === "HeaderUnionDeclaration" || d.target.kind === "EnumDeclaration"
          ? printDeclaration(d.target, ind).trimEnd()
          : printType(d.target);
      return `${ind}${annos(d.annotations)}${d.isNewType ? "type" : "typedef"} ${target} ${d.name.text};\n`;
    }
    case "ParserTypeDeclaration":
      return `${ind}${annos(d.annotations)}parser ${d.name.text}${typeParams(d.typeParams)}${params(d.params)};\n`;
    case "ControlTypeDeclaration":
      return `${ind}${annos(d.annotations)}control ${d.name.text}${typeParams(d.typeParams)}${params(d.params)};\n`;
    case "PackageTypeDeclaration":
      return `${ind}${annos(d.annotations)}package ${d.name.text}${typeParams(d.typeParams)}${params(d.params)};\n`;
    case "ErrorDeclaration":
      return `${ind}error {\n${d.members.map((m) => `${ind}${INDENT}${m.text}`).join(",\n")}\n${ind}}\n`;
    case "MatchKindDeclaration":
      return `${ind}match_kind {\n${d.members.map((m) => `${ind}${INDENT}${m.text}`).join(",\n")}\n${ind}}\n`;
    case "ValueSetDeclaration":
      return `${ind}${annos(d.annotations)}value_set<${printType(d.elementType)}>(${printExpression(d.size)}) ${d.name.text};\n`;
    case "ParserDeclaration": {
      const inner = ind + INDENT;
      const ctor = d.constructorParams ? params(d.constructorParams) : "";
      const locals = d.locals.map((l) => printDeclaration(l, inner)).join("");
      const states = d.states.map((s) => printState(s, inner)).join("");
      return `${ind}${annos(d.annotations)}parser ${d.name.text}${typeParams(d.typeParams)}${params(d.params)}${ctor} {\n${locals}${states}${ind}}\n`;
    }
    case "ControlDeclaration": {
      const inner = ind + INDENT;
      const ctor = d.constructorParams ? params(d.constructorParams) : "";
      const locals = d.locals.map((l) => printDeclaration(l, inner)).join("");
      return `${ind}${annos(d.annotations)}control ${d.name.text}${typeParams(d.typeParams)}${params(d.params)}${ctor} {\n${locals}${inner}apply ${printBlock(d.body, inner)}\n${ind}}\n`;
    }
    case "TableDeclaration":
      return printTable(d, ind);
    default:
      return assertNever(d, "declaration");
  }
}

function printState(s: A.ParserState, ind: string): string {
  const inner = ind + INDENT;
  const body = s.body.map((x) => printStatement(x, inner)).join("");
  const tr = s.transition ? printStatement(s.transition, inner) : "";
  return `${ind}${annos(s.annotations)}state ${s.name.text} {\n${body}${tr}${ind}}\n`;
}

function actionRef(a: A.ActionRef): string {
  return `${annos(a.annotations)}${a.topLevel ? "." : ""}${a.name.text}${a.args ? args(a.args) : ""}`;
}

function printTable(t: A.TableDeclaration, ind: string): string {
  const inner = ind + INDENT;
  const in2 = inner + INDENT;
  const props = t.properties
    .map((p) => {
      switch (p.kind) {
        case "KeyProperty":
          return `${inner}key = {\n${p.elements.map((k) => `${in2}${printExpression(k.expr)}: ${k.matchKind.text}${k.annotations.length ? " " + annos(k.annotations).trimEnd() : ""};\n`).join("")}${inner}}\n`;
        case "ActionsProperty":
          return `${inner}actions = {\n${p.actions.map((a) => `${in2}${actionRef(a)};\n`).join("")}${inner}}\n`;
        case "EntriesProperty":
          return `${inner}${annos(p.annotations)}${p.isConst ? "const " : ""}entries = {\n${p.entries
            .map(
              (e) =>
                `${in2}${e.isConst ? "const " : ""}${e.priority ? `priority=${printExpression(e.priority, POSTFIX + 1)}: ` : ""}${keyset(e.keyset)}: ${actionRef(e.action)}${e.annotations.length ? " " + annos(e.annotations).trimEnd() : ""};\n`,
            )
            .join("")}${inner}}\n`;
        case "ValueProperty":
          return `${inner}${annos(p.annotations)}${p.isConst ? "const " : ""}${p.name.text} = ${printExpression(p.value)};\n`;
        default:
          return assertNever(p, "table property");
      }
    })
    .join("");
  return `${ind}${annos(t.annotations)}table ${t.name.text} {\n${props}${ind}}\n`;
}

function printBlock(b: A.BlockStatement, ind: string): string {
  return `${annos(b.annotations)}{\n${b.body.map((s) => printStatement(s, ind + INDENT)).join("")}${ind}}`;
}

function simple(s: A.AssignmentStatement | A.MethodCallStatement | A.VariableDeclaration): string {
  if (s.kind === "AssignmentStatement") return `${printExpression(s.left)} ${s.op} ${printExpression(s.right)}`;
  if (s.kind === "MethodCallStatement") return printExpression(s.call);
  return `${printType(s.type)} ${s.name.text}${s.init ? ` = ${printExpression(s.init)}` : ""}`;
}

export function printStatement(s: A.StatementOrDeclaration, ind: string): string {
  switch (s.kind) {
    case "VariableDeclaration":
    case "ConstantDeclaration":
    case "Instantiation":
      return printDeclaration(s, ind);
    case "AssignmentStatement":
    case "MethodCallStatement":
      return `${ind}${simple(s)};\n`;
    case "DirectApplicationStatement":
      return `${ind}${printType(s.type)}.apply${args(s.args)};\n`;
    case "EmptyStatement":
      return `${ind};\n`;
    case "BlockStatement":
      return `${ind}${printBlock(s, ind)}\n`;
    case "ReturnStatement":
      return `${ind}return${s.value ? " " + printExpression(s.value) : ""};\n`;
    case "ExitStatement":
      return `${ind}exit;\n`;
    case "BreakStatement":
      return `${ind}break;\n`;
    case "ContinueStatement":
      return `${ind}continue;\n`;
    case "IfStatement": {
      const els = s.else ? `${ind}else${nested(s.else, ind)}` : "";
      return `${ind}if (${printExpression(s.cond)})${nested(s.then, ind)}${els}`;
    }
    case "SwitchStatement": {
      const inner = ind + INDENT;
      const cases = s.cases.map((c) => `${inner}${printExpression(c.label)}:${c.body ? " " + printBlock(c.body, inner) : ""}\n`).join("");
      return `${ind}switch (${printExpression(s.expr)}) {\n${cases}${ind}}\n`;
    }
    case "ForStatement":
      return `${ind}${annos(s.annotations)}for (${s.init.map(simple).join(", ")}; ${printExpression(s.cond)}; ${s.update.map(simple).join(", ")})${nested(s.body, ind)}`;
    case "ForInStatement":
      return `${ind}${annos(s.annotations)}for (${annos(s.varAnnotations)}${printType(s.varType)} ${s.varName.text} in ${printExpression(s.collection)})${nested(s.body, ind)}`;
    case "TransitionStatement":
      return s.target.kind === "SelectExpression"
        ? `${ind}transition ${printSelect(s.target, ind)}\n`
        : `${ind}transition ${printExpression(s.target)};\n`;
    default:
      return assertNever(s, "statement");
  }
}

/** A statement in a branch position (ends with a newline): blocks inline, others indented on their own line. */
function nested(s: A.Statement, ind: string): string {
  if (s.kind === "BlockStatement") return ` ${printBlock(s, ind)}\n`;
  return `\n${printStatement(s, ind + INDENT)}`;
}
