/**
 * Structural equality of AST values, ignoring source spans: used by the
 * printer's round-trip test (`parse(print(parse(x)))` equals `parse(x)`).
 */

/** The path of the first difference between `a` and `b`, or null when they are equal. */
export function astDiff(a: unknown, b: unknown, path = "$"): string | null {
  if (a === b) return null;
  if (typeof a !== typeof b) return `${path}: ${describe(a)} vs ${describe(b)}`;
  if (typeof a === "bigint" || typeof a !== "object" || a === null || b === null) {
    return a === b ? null : `${path}: ${describe(a)} vs ${describe(b)}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${path}: array vs non-array`;
    if (a.length !== b.length) return `${path}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = astDiff(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (k === "span") continue;
    const d = astDiff(ao[k], bo[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}

export function astEqual(a: unknown, b: unknown): boolean {
  return astDiff(a, b) === null;
}

function describe(x: unknown): string {
  if (typeof x === "bigint") return `${x}n`;
  if (x && typeof x === "object") return (x as { kind?: string }).kind ?? "object";
  return JSON.stringify(x);
}
