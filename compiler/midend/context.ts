/**
 * The state the mid-end passes share. Each pass reads what earlier passes
 * computed and fills its own part; the fields say which pass fills them.
 * Nothing here refers to a later stage: `buildPipeline` turns the finished
 * state into the plain-data pipeline model.
 */
import { abiByName, type P4tcAbi, type P4tcAbiName } from "../ir/abi/index.js";
import type * as A from "../ast/nodes.js";
import type { DiagnosticBag } from "../diagnostics/index.js";
import type {
  ActionScope,
  ConstEntryModel,
  DefaultActionModel,
  ExternInstanceModel,
  KeyFieldModel,
  P4tcType,
} from "../ir/pipeline.js";
import type { Env } from "./env.js";
import type { DatapathModel } from "../ir/datapath.js";
import type { CheckedProgram as FrontendTables, Type as FrontendType } from "../frontend/index.js";

/**
 * What the mid-end reads: the program and the front end's side tables
 * (required: names and types are resolved once, by the front end; the
 * mid-end is tested through `compile({ stopAfter: "midend" })`).
 */
export interface CheckedProgram extends FrontendTables {
  readonly program: A.Program;
}

export interface MidendOptions {
  /** The pipeline name (the P4 file's stem). */
  readonly pipelineName: string;
  /** The P4 file (where a diagnostic about its name goes when there is no `main`). */
  readonly file: string;
  /** The P4TC ABI to build for (default `p4c`). */
  readonly abi?: P4tcAbiName;
  /** --num-timer-profiles N: printed for add-on-miss tables when N > 4 (the kernel's default is 4). */
  readonly numTimerProfiles?: number;
}

export type BlockRole = "parser" | "control" | "deparser";

/** A parser or control of the pipeline, or a sub-control/sub-parser instantiated (and inlined) in one. */
export interface BlockInfo {
  readonly decl: A.ControlDeclaration | A.ParserDeclaration;
  readonly role: BlockRole;
  /** The kernel control name: the main block's declared name (`MainControlImpl`), also for inlined sub-blocks. */
  readonly controlName: string;
  /** Prefix of the names of an inlined block's locals (`sub.`); empty for a main block. */
  readonly prefix: string;
  /** The instantiation that inlined this block, or null for a main block. */
  readonly instance: A.Instantiation | null;
  /** The block whose local `instance` is: one block per instance, so a control instantiated twice is two blocks. */
  readonly parent: BlockInfo | null;
}

/** One P4 action that becomes a kernel action (NoAction never does). */
export interface ActionInfo {
  readonly decl: A.ActionDeclaration;
  /** The enclosing block, or null for a top-level action. */
  readonly block: BlockInfo | null;
  /** Kernel name without the pipeline (`ingress/send_nh`, `send_nh`). */
  name: string;
  localName: string;
  controlName: string | null;
  /** Control-plane (directionless) parameters. */
  readonly params: ActionParamInfo[];
  /** Parameters with a direction (bound by the table's action list or the caller). */
  readonly directionalParams: A.Parameter[];
  /** actid, filled by assignIds. */
  id: number;
}

export interface ActionParamInfo {
  readonly decl: A.Parameter;
  readonly name: string;
  readonly type: P4tcType;
  readonly bitwidth: number;
}

/** One element of a table's `actions` list, resolved. */
export interface TableActionRefInfo {
  readonly ref: A.ActionRef;
  /** The action, or null for NoAction. */
  readonly action: ActionInfo | null;
  readonly scope: ActionScope;
  readonly annotations: string[];
  readonly defaultHit: boolean;
  readonly defaultHitConst: boolean;
  readonly mayOverride: boolean;
  /** True for the `@defaultonly NoAction` the front end adds to a table without default_action. */
  readonly implicit: boolean;
}

export interface TableInfo {
  readonly decl: A.TableDeclaration;
  readonly block: BlockInfo;
  /** Kernel name `CTRL/TBL`. */
  readonly name: string;
  id: number;
  keys: KeyFieldModel[];
  /** The key elements, parallel to `keys`. */
  keyElements: A.KeyElement[];
  actionRefs: TableActionRefInfo[];
  /** The P4 default action (`default_action`, or the implicit NoAction). */
  defaultAction: { action: ActionInfo | null; call: A.Expression | null; prop: A.ValueProperty | null; isConst: boolean } | null;
  defaultMiss: DefaultActionModel | null;
  defaultHit: DefaultActionModel | null;
  tentries: number;
  permissions: string;
  jsonPermissions: string;
  /** True when `@tc_acl` was given (the add-on-miss default does not apply then). */
  explicitAcl: boolean;
  jsonNumMask: number;
  addOnMissProperty: boolean;
  addOnMiss: boolean;
  idleTimeout: "NO_TIMEOUT" | "NOTIFY_CONTROL" | "AUTO_DELETE";
  directCounter: { prop: A.ValueProperty; instance: ExternInstanceInfo } | null;
  directMeter: { prop: A.ValueProperty; instance: ExternInstanceInfo } | null;
  constEntries: ConstEntryModel[];
}

/** One extern instance declared in a pipeline block (or at top level); the model's fields are filled by the extern passes. */
export interface ExternInstanceInfo
  extends Pick<ExternInstanceModel, "instType" | "numel" | "tableBindable" | "constructorParams" | "initValue" | "controlPath" | "id"> {
  readonly decl: A.Instantiation;
  readonly block: BlockInfo | null;
  readonly externName: string;
  readonly externDecl: A.ExternDeclaration;
  /** The front end's type of the instance (the extern and its type arguments). */
  readonly type: Extract<FrontendType, { k: "extern" }>;
  /** `<Control>.<instance>`. */
  readonly name: string;
  /** The constructor used (matched by argument count), or null. */
  readonly constructor: A.MethodPrototype | null;
  /** Only instances of types with a `tc_ControlPath_<Extern>` struct reach the template. */
  readonly hasControlPath: boolean;
  /** Tables that bind this (direct) instance. */
  boundTables: TableInfo[];
}

export interface MainPackage {
  readonly decl: A.Instantiation;
  readonly parser: A.ParserDeclaration;
  readonly control: A.ControlDeclaration;
  readonly deparser: A.ControlDeclaration;
}

export class MidendContext {
  /** indexDeclarations */
  env!: Env;
  /** findMainPackage */
  main: MainPackage | null = null;
  /** collectBlocks: the pipeline's blocks in program declaration order (inlined sub-blocks after their parent's position). */
  blocks: BlockInfo[] = [];
  /** collectActions: kernel actions in actid order. */
  actions: ActionInfo[] = [];
  /**
   * collectActions: each block's actions (null: the top-level ones) by
   * declaration. A control instantiated twice declares its actions once but
   * has them twice, one kernel action per instance: look them up with
   * `actionOf`, from the block that refers to them.
   */
  readonly actionsByBlock = new Map<BlockInfo | null, Map<A.ActionDeclaration, ActionInfo>>();
  /** collectTables */
  tables: TableInfo[] = [];
  /** collectExternInstances */
  externs: ExternInstanceInfo[] = [];
  /** lowerDatapath */
  datapath: DatapathModel | null = null;

  constructor(
    readonly checked: CheckedProgram,
    readonly diags: DiagnosticBag,
    readonly options: MidendOptions,
  ) {}

  /** The kernel action `decl` is in `block` (an action of that instance, else a top-level one), or undefined (unused, or NoAction). */
  actionOf(block: BlockInfo | null, decl: A.ActionDeclaration): ActionInfo | undefined {
    return (block && this.actionsByBlock.get(block)?.get(decl)) || this.actionsByBlock.get(null)?.get(decl);
  }

  get program(): A.Program {
    return this.checked.program;
  }

  /** The table of the ABI being built for. */
  get abi(): P4tcAbi {
    return abiByName(this.options.abi);
  }
}
