/**
 * A generic AST walk: visits every node below a root (depth-first, children
 * in source order), for passes that look for calls or references anywhere in
 * a body without caring about the statement kinds in between.
 */
import type * as A from "./nodes.js";

function isNode(x: unknown): x is A.Node {
  return typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string" && "span" in x;
}

/** Calls `visit` on `root` and every node below it; returning false skips that node's children. */
export function walk(root: A.Node, visit: (n: A.Node) => boolean | void): void {
  if (visit(root) === false) return;
  for (const key of Object.keys(root)) {
    if (key === "span") continue;
    const v = (root as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) walk(x, visit);
    } else if (isNode(v)) walk(v, visit);
  }
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
