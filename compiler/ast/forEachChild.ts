/**
 * The children of every node kind, in source order, from one table keyed by
 * `kind` (as TypeScript's ForEachChildTable): a node kind added to nodes.ts
 * does not compile until its children are listed here. `walk` visits a whole
 * subtree on top of it, for passes that look for calls or references anywhere
 * in a body without caring about the statement kinds in between.
 */
import type * as A from "./nodes.js";

type Visit = (child: A.Node) => void;
type Children<K extends A.NodeKind> = (n: A.NodeOfKind<K>, v: Visit) => void;

const each = (list: readonly A.Node[] | null, v: Visit): void => {
  if (list) for (const x of list) v(x);
};
const opt = (x: A.Node | null, v: Visit): void => {
  if (x) v(x);
};
const none = (): void => {};

/** Each node kind's children, in source order (the order the parser builds them in). */
const CHILDREN: { readonly [K in A.NodeKind]: Children<K> } = {
  Program: (n, v) => each(n.declarations, v),
  Name: none,
  // Annotation bodies are token lists or expressions about the program, not part of it: only the name is a child.
  Annotation: (n, v) => v(n.name),
  KeyValue: (n, v) => (v(n.key), v(n.value)),

  TypeBool: none,
  TypeError: none,
  TypeMatchKind: none,
  TypeString: none,
  TypeVoid: none,
  TypeDontCare: none,
  TypeBits: (n, v) => opt(n.width, v),
  TypeVarbit: (n, v) => v(n.width),
  TypeName: (n, v) => v(n.name),
  TypeSpecialized: (n, v) => (v(n.base), each(n.args, v)),
  TypeStack: (n, v) => (v(n.element), v(n.size)),
  TypeTuple: (n, v) => each(n.elements, v),
  TypeList: (n, v) => v(n.element),

  IntLiteral: none,
  BoolLiteral: none,
  StringLiteral: none,
  PathExpression: (n, v) => v(n.name),
  ThisExpression: none,
  DotsExpression: none,
  DontCareExpression: none,
  DefaultExpression: none,
  MemberExpression: (n, v) => (v(n.expr), v(n.member)),
  TypeMemberExpression: (n, v) => (v(n.type), v(n.member)),
  IndexExpression: (n, v) => (v(n.expr), v(n.index)),
  SliceExpression: (n, v) => (v(n.expr), v(n.hi), v(n.lo)),
  PlusSliceExpression: (n, v) => (v(n.expr), v(n.base), v(n.width)),
  UnaryExpression: (n, v) => v(n.operand),
  BinaryExpression: (n, v) => (v(n.left), v(n.right)),
  ConditionalExpression: (n, v) => (v(n.cond), v(n.then), v(n.else)),
  CastExpression: (n, v) => (v(n.type), v(n.expr)),
  Argument: (n, v) => (opt(n.name, v), v(n.value)),
  CallExpression: (n, v) => (v(n.callee), each(n.typeArgs, v), each(n.args, v)),
  ConstructorCallExpression: (n, v) => (v(n.type), each(n.args, v)),
  ListExpression: (n, v) => each(n.elements, v),
  StructExpression: (n, v) => each(n.fields, v),
  InvalidExpression: none,
  SelectExpression: (n, v) => (each(n.selectors, v), each(n.cases, v)),
  TupleKeysetExpression: (n, v) => each(n.elements, v),

  SelectCase: (n, v) => (v(n.keyset), v(n.state)),
  TransitionStatement: (n, v) => v(n.target),
  ParserState: (n, v) => (each(n.annotations, v), v(n.name), each(n.body, v), opt(n.transition, v)),

  AssignmentStatement: (n, v) => (v(n.left), v(n.right)),
  MethodCallStatement: (n, v) => v(n.call),
  DirectApplicationStatement: (n, v) => (v(n.type), each(n.args, v)),
  EmptyStatement: none,
  BlockStatement: (n, v) => (each(n.annotations, v), each(n.body, v)),
  ReturnStatement: (n, v) => opt(n.value, v),
  ExitStatement: none,
  BreakStatement: none,
  ContinueStatement: none,
  IfStatement: (n, v) => (v(n.cond), v(n.then), opt(n.else, v)),
  SwitchCase: (n, v) => (v(n.label), opt(n.body, v)),
  SwitchStatement: (n, v) => (v(n.expr), each(n.cases, v)),
  ForStatement: (n, v) => (each(n.annotations, v), each(n.init, v), v(n.cond), each(n.update, v), v(n.body)),
  ForInStatement: (n, v) => (each(n.annotations, v), each(n.varAnnotations, v), v(n.varType), v(n.varName), v(n.collection), v(n.body)),

  Parameter: (n, v) => (each(n.annotations, v), v(n.type), v(n.name), opt(n.defaultValue, v)),
  StructField: (n, v) => (each(n.annotations, v), v(n.type), v(n.name)),
  ConstantDeclaration: (n, v) => (each(n.annotations, v), v(n.type), v(n.name), v(n.value)),
  VariableDeclaration: (n, v) => (each(n.annotations, v), v(n.type), v(n.name), opt(n.init, v)),
  Instantiation: (n, v) => (each(n.annotations, v), v(n.type), each(n.args, v), v(n.name), each(n.initializer, v)),
  HeaderDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.fields, v)),
  HeaderUnionDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.fields, v)),
  StructDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.fields, v)),
  EnumMember: (n, v) => (v(n.name), opt(n.value, v)),
  EnumDeclaration: (n, v) => (each(n.annotations, v), opt(n.underlying, v), v(n.name), each(n.members, v)),
  ErrorDeclaration: (n, v) => each(n.members, v),
  MatchKindDeclaration: (n, v) => each(n.members, v),
  TypedefDeclaration: (n, v) => (each(n.annotations, v), v(n.target), v(n.name)),
  ParserTypeDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.params, v)),
  ControlTypeDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.params, v)),
  PackageTypeDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.params, v)),
  ValueSetDeclaration: (n, v) => (each(n.annotations, v), v(n.elementType), v(n.size), v(n.name)),
  ParserDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.params, v), each(n.constructorParams, v), each(n.locals, v), each(n.states, v)),
  KeyElement: (n, v) => (v(n.expr), v(n.matchKind), each(n.annotations, v)),
  ActionRef: (n, v) => (each(n.annotations, v), v(n.name), each(n.args, v)),
  TableEntry: (n, v) => (opt(n.priority, v), v(n.keyset), v(n.action), each(n.annotations, v)),
  KeyProperty: (n, v) => each(n.elements, v),
  ActionsProperty: (n, v) => each(n.actions, v),
  EntriesProperty: (n, v) => (each(n.annotations, v), each(n.entries, v)),
  ValueProperty: (n, v) => (each(n.annotations, v), v(n.name), v(n.value)),
  TableDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.properties, v)),
  ActionDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.params, v), v(n.body)),
  ControlDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.params, v), each(n.constructorParams, v), each(n.locals, v), v(n.body)),
  MethodPrototype: (n, v) => (each(n.annotations, v), opt(n.returnType, v), v(n.name), each(n.typeParams, v), each(n.params, v)),
  ExternDeclaration: (n, v) => (each(n.annotations, v), v(n.name), each(n.typeParams, v), each(n.methods, v)),
  ExternFunctionDeclaration: (n, v) => (each(n.annotations, v), v(n.returnType), v(n.name), each(n.typeParams, v), each(n.params, v)),
  FunctionDeclaration: (n, v) => (each(n.annotations, v), v(n.returnType), v(n.name), each(n.typeParams, v), each(n.params, v), v(n.body)),
};

/** Calls `visit` on each child of `n`, in source order. */
export function forEachChild(n: A.Node, visit: Visit): void {
  (CHILDREN[n.kind] as Children<A.NodeKind>)(n as never, visit);
}

/** Calls `visit` on `root` and every node below it (depth-first, children in source order); returning false skips that node's children. */
export function walk(root: A.Node, visit: (n: A.Node) => boolean | void): void {
  if (visit(root) === false) return;
  forEachChild(root, (c) => walk(c, visit));
}

/** Every call expression below `root`, with the statement-level flag (its value is discarded). */
export function callsIn(root: A.Node): { call: A.CallExpression; isStatement: boolean }[] {
  const out: { call: A.CallExpression; isStatement: boolean }[] = [];
  const statementCalls = new Set<A.CallExpression>();
  walk(root, (n) => {
    if (n.kind === "MethodCallStatement") statementCalls.add(n.call);
    if (n.kind === "CallExpression") out.push({ call: n, isStatement: statementCalls.has(n) });
  });
  return out;
}
