/**
 * The introspection back end: `NAME.json`, the file iproute2 reads to program
 * tables and externs at run time (contract §3). Input: the pipeline model only.
 *
 * Where the reference JSON is not what iproute2 accepts, this produces the
 * accepted form (see test/reference-deviations.md):
 * - a parameter printed with `flags runtime` in the template (a
 *   `@tc_may_override` default action) gets `"runtime": true` and
 *   `"default_value"`, which iproute2 needs to size and fill the filter's `.bss`;
 * - key `match_type` is `exact`, `lpm` or `ternary` only (iproute2 refuses the
 *   whole file on `range`/`optional`/`rangelist`; the kernel table is ternary
 *   for them anyway).
 */
import { NO_ACTION, type PipelineModel, type TableModel, type P4MatchKind } from "../../compiler/ir/pipeline.js";
import { formatValue } from "../template/values.js";
import { formatJson, type Json } from "./json.js";
import { abiOf, type P4tcAbi } from "../../compiler/ir/abi/index.js";

export { formatJson, type Json } from "./json.js";

/** Introspection schema version written by the reference. */
export const SCHEMA_VERSION = "1.0.0";

/** JSON `match_type` of a key: the P4 match kind, folded onto the three kinds iproute2 knows. */
export function jsonMatchType(kind: P4MatchKind): "exact" | "lpm" | "ternary" {
  return kind === "exact" || kind === "lpm" ? kind : "ternary";
}

/** The introspection document as a plain object (key order as the reference writes it). */
export function renderIntrospection(m: PipelineModel): { [key: string]: Json } {
  const actions = new Map(m.actions.map((a) => [a.name, a]));
  const abi = abiOf(m);
  return {
    schema_version: SCHEMA_VERSION,
    pipeline_name: m.pipelineName,
    externs: m.externs.map((e) => ({
      name: e.name,
      id: abi.jsonExternId(e.id),
      permissions: abi.jsonTablePermissions(e.permissions),
      instances: e.instances.map((i) => ({
        inst_name: i.name,
        inst_id: i.id,
        ...(i.instType === null ? {} : { inst_type: i.instType }),
        params: i.controlPath.map((p) => ({ id: p.id, name: p.name, type: p.type, attr: p.attr, bitwidth: p.bitwidth })),
      })),
    })),
    tables: m.tables.map((t) => tableJson(t, actions, abi)),
  };
}

function tableJson(t: TableModel, actions: Map<string, PipelineModel["actions"][number]>, abi: P4tcAbi): Json {
  // Parameters that the template prints with `flags runtime`, with the value
  // the filter's .bss starts with (the default_action argument; 0 when P4
  // gives none, as for a @tc_may_override default-hit action).
  const runtime = new Map<string, Map<string, string>>();
  for (const d of [t.defaultMissAction, t.defaultHitAction]) {
    if (d === null) continue;
    const decl = actions.get(d.action);
    for (const p of d.params) {
      if (!p.runtime) continue;
      const type = decl?.params.find((q) => q.name === p.name)?.type ?? "bit32";
      const byParam = runtime.get(d.action) ?? new Map<string, string>();
      if (!byParam.has(p.name) || p.value !== null) byParam.set(p.name, p.value === null ? formatValue(type, "0", 0n) : formatValue(type, p.text, p.value));
      runtime.set(d.action, byParam);
    }
  }
  return {
    name: t.name,
    id: t.id,
    tentries: t.tentries,
    permissions: abi.jsonTablePermissions(t.jsonPermissions),
    nummask: t.jsonNumMask,
    keysize: t.keySize,
    keyfields: t.keys.map((k) => ({
      id: k.id,
      name: k.name,
      type: k.type,
      match_type: jsonMatchType(k.matchKind),
      bitwidth: k.bitwidth,
    })),
    actions: t.actions
      .filter((r) => r.action !== NO_ACTION)
      .map((r) => {
        const a = actions.get(r.action);
        const rt = runtime.get(r.action);
        return {
          id: a?.id ?? 0,
          name: r.action,
          action_scope: r.scope,
          annotations: [...r.annotations],
          params: (a?.params ?? []).map((p) => {
            const dflt = rt?.get(p.name);
            return {
              id: p.id,
              name: p.name,
              type: p.type,
              bitwidth: p.bitwidth,
              ...(dflt === undefined ? {} : { runtime: true, default_value: dflt }),
            };
          }),
          default_hit_action: t.defaultHitAction?.action === r.action,
          default_miss_action: t.defaultMissAction?.action === r.action,
        };
      }),
  };
}

/** `NAME.json` text: the document in the reference's layout, no trailing newline. */
export function renderIntrospectionText(m: PipelineModel): string {
  return formatJson(renderIntrospection(m));
}

/** The file name the introspection JSON is written to. */
export function introspectionFileName(m: PipelineModel): string {
  return `${m.pipelineName}.json`;
}
