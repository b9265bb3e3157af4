/**
 * The view of `NAME.template`: everything the Handlebars template prints,
 * computed from the pipeline model (paths, flags, formatted values). The
 * template only loops and branches over it.
 *
 * Where the reference output is not what tc/the kernel accept, this builder
 * produces the accepted form (see test/reference-deviations.md):
 * - const entries carry their action arguments (`param NAME VALUE`);
 * - range, mask and don't-care key values are printed as iproute2 parses them
 *   (`VALUE/0xMASK`), a range becoming one kernel entry per prefix of its
 *   prefix cover, and a kernel entry that repeats an earlier entry's match
 *   is left out (it could never match; the kernel refuses duplicate keys);
 * - every default-action parameter gets its own `param` keyword.
 */
import {
  CodegenError,
  NO_ACTION,
  isShellSafeName,
  isShellSafePipelineName,
  type ActionModel,
  type ConstEntryModel,
  type PipelineModel,
  type TableModel,
} from "../../compiler/ir/pipeline.js";
import { formatKeyValue, formatValue, isShellSafeValue } from "./values.js";
import { abiOf } from "../../compiler/ir/abi/index.js";
import { MAX_ENTRY_EXPANSION } from "../../compiler/ir/values.js";


export interface TemplateView {
  pipeline: string;
  numTables: number;
  actions: { path: string; id: number; params: { name: string; type: string }[] }[];
  externs: {
    name: string;
    /** `extid` / `ext_id` (the ABI's spelling). */
    idKeyword: string;
    /** `ptype` / `type` before a parameter's type (the ABI's spelling). */
    typeKeyword: string;
    id: string;
    numInstances: number;
    permissions: string;
    hasExecMethod: boolean;
    instances: {
      path: string;
      id: number;
      numel: number;
      tableBindable: boolean;
      hasConstructor: boolean;
      constructorParams: { name: string; type: string; value: string }[];
      controlPath: { attr: string; name: string; type: string; id: number }[];
    }[];
  }[];
  tables: {
    path: string;
    id: number;
    matchType: string;
    keySize: number;
    permissions: string;
    tentries: number;
    numMasks: number;
    numTimerProfiles: number | null;
    directCounter: string | null;
    directMeter: string | null;
    acts: { path: string; flag: "tableonly" | "defaultonly" | null }[];
    defaults: {
      kind: "default_hit_action" | "default_miss_action";
      permissions: string | null;
      action: string;
      params: { name: string; runtime: boolean; value: string | null }[];
    }[];
    entries: {
      keys: { name: string; value: string }[];
      prio: number | null;
      permissions: string;
      action: string;
      params: { name: string; value: string }[];
    }[];
  }[];
}

type EntryView = TemplateView["tables"][number]["entries"][number];

function name(n: string, what: string): string {
  if (!isShellSafeName(n)) throw new CodegenError(`${what} ${JSON.stringify(n)} is not a shell-safe name`);
  return n;
}

function value(v: string, what: string): string {
  if (!isShellSafeValue(v)) throw new CodegenError(`${what}: value ${JSON.stringify(v)} is not shell-safe`);
  return v;
}

function perm(p: string, what: string): string {
  if (!/^0x[0-9a-fA-F]+$/.test(p)) throw new CodegenError(`${what}: bad permissions ${JSON.stringify(p)}`);
  return p;
}

/** Builds the template view; throws `CodegenError` if an unsafe name or value would reach the shell. */
export function buildTemplateView(m: PipelineModel): TemplateView {
  if (!isShellSafePipelineName(m.pipelineName))
    throw new CodegenError(`pipeline name ${JSON.stringify(m.pipelineName)} is not a shell-safe name`);
  const pipe = m.pipelineName;
  const abi = abiOf(m);
  const actions = new Map(m.actions.map((a) => [a.name, a]));
  const action = (n: string, where: string): ActionModel => {
    const a = actions.get(n);
    if (!a) throw new CodegenError(`${where}: unknown action ${n}`);
    return a;
  };
  const actionPath = (n: string): string => (n === NO_ACTION ? NO_ACTION : `${pipe}/${name(n, "action")}`);

  return {
    pipeline: pipe,
    numTables: m.numTables,
    actions: m.actions.map((a) => ({
      path: actionPath(a.name),
      id: a.id,
      params: a.params.map((p) => ({ name: name(p.name, `action ${a.name} param`), type: p.type })),
    })),
    externs: m.externs.map((e) => ({
      name: name(e.name, "extern"),
      idKeyword: abi.template.externId,
      typeKeyword: abi.template.paramType,
      id: value(abi.template.externIdValue(e.id), `extern ${e.name} id`),
      numInstances: e.instances.length,
      permissions: perm(e.permissions, `extern ${e.name}`),
      hasExecMethod: e.hasExecMethod,
      instances: e.instances.map((i) => ({
        path: `${pipe}/${e.name}/${name(i.name, "extern instance")}`,
        id: i.id,
        numel: i.numel,
        tableBindable: i.tableBindable,
        hasConstructor: i.constructorParams.length > 0,
        constructorParams: (e.name === "Counter" ? abi.counterConstructor(i.instType, i.constructorParams) : i.constructorParams).map((c) => ({
          name: name(c.name, `extern instance ${i.name} constructor param`),
          type: c.type,
          value: value(c.value, `extern instance ${i.name} constructor param ${c.name}`),
        })),
        controlPath: i.controlPath.map((p) => ({
          attr: p.attr,
          name: name(p.name, `extern instance ${i.name} control-path field`),
          type: p.type,
          id: p.id,
        })),
      })),
    })),
    tables: m.tables.map((t) => tableView(pipe, t, action, actionPath, abi.template.entryActionByKernelName)),
  };
}

function tableView(
  pipe: string,
  t: TableModel,
  action: (n: string, where: string) => ActionModel,
  actionPath: (n: string) => string,
  byKernelName: boolean,
): TemplateView["tables"][number] {
  const where = `table ${t.name}`;
  const direct = (r: TableModel["directCounter"]): string | null =>
    r === null ? null : `${name(r.externName, `${where} direct extern`)}/${name(r.instanceName, `${where} direct extern instance`)}`;
  const defaults: TemplateView["tables"][number]["defaults"] = [];
  for (const [kind, d] of [
    ["default_hit_action", t.defaultHitAction],
    ["default_miss_action", t.defaultMissAction],
  ] as const) {
    if (d === null) continue;
    const a = action(d.action, `${where} ${kind}`);
    defaults.push({
      kind,
      permissions: d.permissions === null ? null : perm(d.permissions, `${where} ${kind}`),
      action: actionPath(a.name),
      params: d.params.map((p) => {
        const decl = a.params.find((q) => q.name === p.name);
        if (!decl) throw new CodegenError(`${where} ${kind}: action ${a.name} has no param ${p.name}`);
        if (!p.runtime && (p.text === null || p.value === null))
          throw new CodegenError(`${where} ${kind}: param ${p.name} has no value`);
        return {
          name: name(p.name, `${where} ${kind} param`),
          runtime: p.runtime,
          value: p.runtime ? null : value(formatValue(decl.type, p.text, p.value!), `${where} ${kind} param ${p.name}`),
        };
      }),
    });
  }
  return {
    path: `${pipe}/${name(t.name, "table")}`,
    id: t.id,
    matchType: t.matchType,
    keySize: t.keySize,
    permissions: perm(t.permissions, where),
    tentries: t.tentries,
    numMasks: t.numMasks,
    numTimerProfiles: t.numTimerProfiles,
    directCounter: direct(t.directCounter),
    directMeter: direct(t.directMeter),
    acts: t.actions.map((r) => ({
      path: actionPath(r.action),
      flag: r.scope === "TableOnly" ? "tableonly" : r.scope === "DefaultOnly" ? "defaultonly" : null,
    })),
    defaults,
    entries: dropShadowed(t.constEntries.flatMap((e, i) => entryViews(pipe, t, e, `${where} const entry ${i + 1}`, action, byKernelName))),
  };
}

/** One const entry as kernel entries: one per combination of the keys' iproute2 spellings. */
function entryViews(
  pipe: string,
  t: TableModel,
  e: ConstEntryModel,
  where: string,
  action: (n: string, where: string) => ActionModel,
  byKernelName: boolean,
): (EntryView & { match: string })[] {
  if (e.keys.length !== t.keys.length) throw new CodegenError(`${where}: ${e.keys.length} key values for ${t.keys.length} keys`);
  const a = action(e.action, where);
  // The reference always spells an entry's action PNAME/CTRL/act, even for a
  // top-level action; iproute2 resolves CTRL/act first and then the global act.
  // Under an ABI that shortens long action names, the kernel name is the one tc resolves.
  const actionPath = byKernelName ? `${pipe}/${name(a.name, `${where} action`)}` : `${pipe}/${name(t.controlName, `${where} control`)}/${name(a.localName, `${where} action`)}`;
  const params = e.args.map((arg) => {
    const decl = a.params.find((q) => q.name === arg.name);
    if (!decl) throw new CodegenError(`${where}: action ${a.name} has no param ${arg.name}`);
    return { name: name(arg.name, `${where} param`), value: value(formatValue(decl.type, arg.text, arg.value), `${where} param ${arg.name}`) };
  });
  if (params.length !== a.params.length) throw new CodegenError(`${where}: ${params.length} arguments for ${a.params.length} params of ${a.name}`);

  let combos: { keys: { name: string; value: string }[]; id: string }[] = [{ keys: [], id: "" }];
  t.keys.forEach((k, i) => {
    const keyName = name(k.name, `${where} key`);
    const matches = formatKeyValue(k, e.keys[i]!);
    for (const mt of matches) value(mt.text, `${where} key ${k.name}`);
    combos = combos.flatMap((c) =>
      matches.map((mt) => ({ keys: [...c.keys, { name: keyName, value: mt.text }], id: `${c.id}${mt.value}/${mt.mask},` })),
    );
    if (combos.length > MAX_ENTRY_EXPANSION)
      throw new CodegenError(`${where}: its ranges expand to more than ${MAX_ENTRY_EXPANSION} kernel entries`);
  });
  if (e.priority !== null && combos.length > 1)
    throw new CodegenError(`${where}: an entry with an explicit priority expands to ${combos.length} kernel entries`);
  return combos.map((c) => ({
    match: c.id,
    keys: c.keys,
    prio: e.priority,
    permissions: perm(e.permissions, where),
    action: actionPath,
    params,
  }));
}

/**
 * Drops a kernel entry whose match (every key's value and mask) repeats an
 * earlier entry of the same table when neither has an explicit priority: the
 * later one could never match (the earlier wins), and the kernel would refuse
 * the duplicate key. This happens when a range overlaps an earlier value.
 */
function dropShadowed(entries: (EntryView & { match: string })[]): EntryView[] {
  const seen = new Set<string>();
  const out: EntryView[] = [];
  for (const { match, ...e } of entries) {
    if (e.prio === null) {
      if (seen.has(match)) continue;
      seen.add(match);
    }
    out.push(e);
  }
  return out;
}
