/**
 * buildPipeline: turns the finished mid-end state into the plain-data
 * pipeline model, the only input of the back ends (see codegen/README.md for
 * what each field means and where it is printed).
 *
 * Before: every earlier pass ran without errors. After: a `PipelineModel`.
 */
import {
  DEFAULT_ACL,
  FIXED_EXTERN_IDS,
  PERMISSIONS,
  encodeAcl,
  kernelKeySize,
  tableMatchType,
  type ExternModel,
  type PipelineModel,
  type TableModel,
} from "../../ir/pipeline.js";
import { findAnnotation, annotationString, hasAnnotation } from "../annotations.js";
import type { ExternInstanceInfo, MidendContext, TableInfo } from "../context.js";

export function buildPipeline(ctx: MidendContext): PipelineModel {
  return {
    pipelineName: ctx.options.pipelineName,
    numTables: ctx.tables.length,
    actions: ctx.actions.map((a) => ({
      name: a.name,
      localName: a.localName,
      controlName: a.controlName,
      id: a.id,
      params: a.params.map((p, i) => ({ id: i + 1, name: p.name, type: p.type, bitwidth: p.bitwidth })),
    })),
    externs: externModels(ctx),
    tables: ctx.tables.map((t) => tableModel(t, ctx.options.numTimerProfiles)),
    ...(ctx.options.abi !== undefined && ctx.options.abi !== "p4c" ? { abi: ctx.options.abi } : {}),
    ...(ctx.datapath ? { datapath: ctx.datapath } : {}),
  };
}

function tableModel(t: TableInfo, timerProfiles: number | undefined): TableModel {
  const matchType = tableMatchType(t.keys.map((k) => k.matchKind));
  return {
    name: t.name,
    controlName: t.block.controlName,
    id: t.id,
    matchType,
    keySize: kernelKeySize(t.keys.map((k) => k.bitwidth)),
    keys: t.keys,
    tentries: t.tentries,
    permissions: t.permissions,
    jsonPermissions: t.jsonPermissions,
    numMasks: matchType === "exact" ? 1 : 8,
    jsonNumMask: t.jsonNumMask,
    numTimerProfiles: t.addOnMiss && timerProfiles !== undefined && timerProfiles > 4 ? timerProfiles : null,
    addOnMiss: t.addOnMiss,
    idleTimeout: t.idleTimeout,
    directCounter: t.directCounter ? { externName: "DirectCounter", instanceName: t.directCounter.instance.name } : null,
    directMeter: t.directMeter ? { externName: "DirectMeter", instanceName: t.directMeter.instance.name } : null,
    actions: t.actionRefs.map((r) => ({ action: r.action ? r.action.name : "NoAction", scope: r.scope, annotations: r.annotations })),
    defaultHitAction: t.defaultHit,
    defaultMissAction: t.defaultMiss,
    constEntries: t.constEntries,
  };
}

function externModels(ctx: MidendContext): ExternModel[] {
  const out: ExternModel[] = [];
  let nextId = 1;
  for (const e of ctx.externs) {
    if (!e.hasControlPath) continue;
    let m = out.find((x) => x.name === e.externName);
    if (!m) {
      const fixed = FIXED_EXTERN_IDS[e.externName];
      m = { name: e.externName, id: fixed ?? `0x${(nextId++).toString(16)}`, permissions: externPermissions(e), hasExecMethod: e.externDecl.methods.some((x) => hasAnnotation(x.annotations, "tc_md_exec")), instances: [] };
      out.push(m);
    }
    m.instances.push({
      name: e.name,
      id: e.id,
      instType: e.instType,
      numel: e.numel,
      tableBindable: e.tableBindable,
      constructorParams: e.constructorParams,
      initValue: e.initValue,
      controlPath: e.controlPath,
    });
  }
  return out;
}

/** `@tc_acl` on the extern type, else the default; DirectMeter keeps the default (reference quirk). */
function externPermissions(e: ExternInstanceInfo): string {
  if (e.externName === "DirectMeter") return PERMISSIONS.extern;
  const a = findAnnotation(e.externDecl.annotations, "tc_acl");
  const acl = a ? annotationString(a) : null;
  return (acl !== null ? encodeAcl(acl, DEFAULT_ACL.extern) : null) ?? PERMISSIONS.extern;
}
