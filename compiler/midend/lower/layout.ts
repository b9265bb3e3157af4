/** Layouts and types: front-end types to datapath types, header and struct layouts, the action blob's parameter layout. */
import type { P4tcAbi } from "../../ir/abi/index.js";
import type * as A from "../../ast/nodes.js";
import type { Type } from "../../frontend/index.js";
import { BOOL_T, bitsT, type DExpr, type DType, type HeaderLayout, type LValue, type RuntimeParam, type ScalarType } from "../../ir/datapath.js";
import type { ActionInfo } from "../context.js";
import type { LowerBase } from "./base.js";

/** The datapath type of a front-end type; registers header and struct layouts. */
export function dtype(L: LowerBase, t: Type | undefined, span: A.Node["span"]): DType | null {
  if (!t) return null;
  switch (t.k) {
    case "bits":
      return { k: "scalar", t: bitsT(t.width, t.signed) };
    case "bool":
      return { k: "scalar", t: BOOL_T };
    case "error":
      return { k: "scalar", t: bitsT(8) };
    case "enum":
      return { k: "scalar", t: t.underlying?.k === "bits" ? bitsT(t.underlying.width, t.underlying.signed) : bitsT(32) };
    case "newtype":
      return dtype(L, t.base, span);
    case "header": {
      const name = L.cTypeName(t.decl.name.text);
      if (!L.headers.has(name)) headerLayout(L, t, span);
      return { k: "header", name };
    }
    case "struct": {
      const name = L.cTypeName(t.decl.name.text);
      if (!L.structs.has(name)) {
        L.structs.set(name, { name, fields: [] });
        const fields: { name: string; type: DType }[] = [];
        for (const [fname, ft] of t.fields) {
          const d = dtype(L, ft, span);
          if (d) fields.push({ name: fname, type: d });
        }
        L.structs.set(name, { name, fields });
      }
      return { k: "struct", name };
    }
    case "stack": {
      const elem = dtype(L, t.elem, span);
      if (!elem || elem.k !== "header" || t.size === null) return null;
      return { k: "stack", elem: elem.name, size: t.size };
    }
    default:
      return null;
  }
}

/**
 * The widest header p4ts lays out: the parser clears all headers with one
 * memset, which clang's BPF back end inlines only up to about 1 KB.
 */
export const MAX_HEADER_BITS = 4096;

function headerLayout(L: LowerBase, t: Type & { k: "header" | "struct" | "union" }, use: A.Node["span"]): void {
  // A layout problem is the declaration's: reported at the field (or the header's name), not where it is used.
  const decl = t.decl.fields as readonly A.StructField[];
  const at = (fname: string): A.Node["span"] => decl.find((f) => f.name.text === fname)?.span ?? use;
  const span = t.decl.name.span ?? use;
  const fields: HeaderLayout["fields"][number][] = [];
  let off = 0;
  let varbit: { name: string; maxBits: number } | undefined;
  const entries = [...t.fields];
  for (const [i, [fname, ft0]] of entries.entries()) {
    const ft = ft0.k === "newtype" ? ft0.base : ft0;
    if (ft.k === "varbit") {
      if (i !== entries.length - 1 || off % 8 !== 0 || ft.width % 8 !== 0) L.unsupported(at(fname), `varbit field ${t.decl.name.text}.${fname} (p4ts needs it last, byte-aligned and a whole number of bytes long)`);
      else varbit = { name: fname, maxBits: ft.width };
      continue;
    }
    const w = ft.k === "bits" ? ft.width : ft.k === "bool" ? 1 : ft.k === "enum" && ft.underlying?.k === "bits" ? ft.underlying.width : null;
    if (w === null) {
      L.unsupported(at(fname), `header field ${t.decl.name.text}.${fname} of type ${ft.k}`);
      continue;
    }
    if (w > 64 && (off % 8 !== 0 || w % 8 !== 0)) {
      // Wider fields are byte arrays in C: copied whole, not shifted.
      L.unsupported(at(fname), `header field ${t.decl.name.text}.${fname} of ${w} bits at bit ${off} (p4ts needs fields wider than 64 bits to start on a byte boundary and be a whole number of bytes)`);
      off += w;
      continue;
    }
    if (w === 0) {
      // A zero-width field has no bytes to load or store in C.
      L.unsupported(at(fname), `header field ${t.decl.name.text}.${fname} of 0 bits`);
      continue;
    }
    fields.push({ name: fname, width: w, signed: ft.k === "bits" && ft.signed, bitOffset: off });
    off += w;
  }
  if (off > MAX_HEADER_BITS) L.unsupported(span, `header ${t.decl.name.text} of ${off} bits (p4ts supports headers of at most ${MAX_HEADER_BITS} bits)`);
  else if (off % 8 !== 0) L.unsupported(span, `header ${t.decl.name.text} of ${off} bits (not a whole number of bytes)`);
  L.headers.set(L.cTypeName(t.decl.name.text), { name: L.cTypeName(t.decl.name.text), fields, bits: off, ...(varbit ? { varbit } : {}) });
}

export function scalarOf(L: LowerBase, e: A.Expression): ScalarType | null {
  const d = dtype(L, L.typeOfExpr(e), e.span);
  return d?.k === "scalar" ? d.t : null;
}

/** The type of a field reached through an l-value. */
export function fieldType(L: LowerBase, base: DType, field: string): DType | null {
  if (base.k === "header") {
    const f = L.headers.get(base.name)?.fields.find((x) => x.name === field);
    return f ? { k: "scalar", t: bitsT(f.width, f.signed) } : null;
  }
  if (base.k === "struct") return L.structs.get(base.name)?.fields.find((x) => x.name === field)?.type ?? null;
  return null;
}

export function flattenLv(L: LowerBase, lv: LValue): DExpr[] {
  if (lv.type.k === "scalar") return [{ k: "lval", lv, type: lv.type.t }];
  if (lv.type.k === "header") {
    const h = L.headers.get(lv.type.name)!;
    return h.fields.map((f) => ({ k: "lval", lv: { root: lv.root, path: [...lv.path, f.name], type: { k: "scalar", t: bitsT(f.width, f.signed) } }, type: bitsT(f.width, f.signed) }));
  }
  if (lv.type.k === "struct") {
    const st = L.structs.get(lv.type.name)!;
    return st.fields.flatMap((f) => flattenLv(L, { root: lv.root, path: [...lv.path, f.name], type: f.type }));
  }
  return [];
}

/** The headers of a struct l-value, in field order (for `emit(hdr)`). */
export function flattenHeaders(L: LowerBase, lv: LValue): LValue[] {
  if (lv.type.k === "header") return [lv];
  if (lv.type.k === "stack") return Array.from({ length: lv.type.size }, (_, i) => ({ root: lv.root, path: [...lv.path, i], type: { k: "header", name: (lv.type as { elem: string }).elem } as DType }));
  if (lv.type.k !== "struct") return [];
  return L.structs.get(lv.type.name)!.fields.flatMap((f) => flattenHeaders(L, { root: lv.root, path: [...lv.path, f.name], type: f.type }));
}

/** Byte offsets of an action's control-plane parameters in the kernel's action blob. */
export function paramLayout(abi: P4tcAbi, a: ActionInfo, runtime: (name: string) => RuntimeParam | null = () => null): { offset: number; size: number; network: boolean; runtime: RuntimeParam | null; type: ScalarType }[] {
  let offset = 0;
  return a.params.map((p) => {
    const slot = abi.paramSlot(p.type, p.bitwidth);
    const r = { offset, size: slot.size, network: slot.network, runtime: runtime(p.name), type: bitsT(p.bitwidth) };
    offset += slot.slot;
    return r;
  });
}
