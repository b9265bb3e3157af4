/**
 * JSON text in the reference compiler's layout (p4c `Util::JsonObject`):
 * 2-space indentation, `"key" : value`, arrays holding only scalars inline
 * (`["tableonly"]`, `[]`), arrays holding objects one element per line, no
 * trailing newline. Key order is the objects' insertion order.
 */

/** A JSON value (`undefined` object members are skipped). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };

function isScalar(v: Json): v is string | number | boolean | null {
  return v === null || typeof v !== "object";
}

/** Serialises `v` like the reference; strings are JSON-escaped (plain identifiers come out unchanged). */
export function formatJson(v: Json, indent = 0): string {
  if (isScalar(v)) return JSON.stringify(v);
  const pad = " ".repeat(indent + 2);
  const end = " ".repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (v.every(isScalar)) return `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
    return `[\n${v.map((x) => pad + formatJson(x, indent + 2)).join(",\n")}\n${end}]`;
  }
  const entries = Object.entries(v).filter((e): e is [string, Json] => e[1] !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${pad}${JSON.stringify(k)} : ${formatJson(x, indent + 2)}`).join(",\n")}\n${end}}`;
}
