/**
 * One interface for every way to run a compiled program: the P4TC emulation
 * on the running kernel (`targets/emulation`), the real P4TC kernel in a VM
 * (`targets/p4tc-vm`) and the interpreter (`sim/`). The STF runner (`stf/`)
 * turns a test into a list of operations, hands the whole list to a target
 * and checks what comes back, so the same STF file runs on every target.
 *
 * The interface is a batch: a target gets the program and every operation at
 * once and returns one result per operation, in order. That suits a VM,
 * which runs the whole test in one boot, as well as the in-process targets,
 * which simply go through the list. Nothing here depends on how a target
 * works inside.
 *
 * Conventions every target follows:
 * - names are resolved by the caller (the STF runner) against the pipeline
 *   model before the run: tables are `TableModel.name` (`ingress/nh_table`),
 *   actions `ActionModel.name` (or `NoAction`), key fields
 *   `KeyFieldModel.name` in the table's key order (every key field given),
 *   action arguments `ActionParamModel.name` in parameter order (every
 *   parameter given), counters and meters `ExternInstanceModel.name`
 *   (`ingress.cnt`); values already fit their widths. A target never sees
 *   a name the program does not have;
 * - ports are STF port numbers (0 ≤ port < 2^32 - 1); a target maps them
 *   to whatever it uses (ifindexes, veth names) and back;
 * - values are control-plane values as `tc p4ctrl` takes them: numbers for
 *   `bitN`, an STF port number for `dev`-typed keys and parameters;
 * - an operation that fails (an entry the control plane refuses, an absent
 *   entry removed) gives `{ ok: false, error }`; the run goes on with the
 *   next operation; a target-wide failure (cannot build, cannot boot) is a
 *   thrown `TargetError`.
 */
import type { PipelineModel } from "../compiler/ir/pipeline.js";
import type { P4tcAbiName } from "../compiler/ir/abi/index.js";
import type { Program } from "../compiler/ast/nodes.js";
import type { CheckedProgram } from "../compiler/frontend/index.js";

/** A program as compile() produced it: its name, model and generated files. */
export interface CompiledProgram {
  readonly name: string;
  readonly pipeline: PipelineModel;
  /** File name → contents, as in `CompileResult.outputs`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The parsed program and the front end's side tables (as in `CompileResult`): what the interpreter runs. */
  readonly ast?: Program;
  readonly checked?: CheckedProgram;
}

/** A key value as STF gives it: value and mask (all ones for exact), or a prefix length. */
export interface KeyMatch {
  /** The key field's name as the test wrote it (resolved by the target against the model). */
  readonly name: string;
  readonly value: bigint;
  /** Ternary mask; undefined for exact. */
  readonly mask?: bigint;
  /** LPM prefix length; undefined unless `/len` was given. */
  readonly prefixLen?: number;
}

export interface ActionArg {
  readonly name: string;
  readonly value: bigint;
}

export type TargetOp =
  | { readonly op: "add"; readonly table: string; readonly keys: readonly KeyMatch[]; readonly action: string; readonly args: readonly ActionArg[]; readonly priority?: number }
  | { readonly op: "remove"; readonly table: string; readonly keys: readonly KeyMatch[] }
  /** STF `remove all`: every entry the test added, in every table (const entries stay). */
  | { readonly op: "removeAll" }
  | { readonly op: "setDefault"; readonly table: string; readonly action: string; readonly args: readonly ActionArg[] }
  | { readonly op: "packet"; readonly port: number; readonly data: Buffer }
  | { readonly op: "readCounter"; readonly counter: string; readonly index: number }
  | { readonly op: "configureMeter"; readonly meter: string; readonly index: number; readonly cir: bigint; readonly cbs: bigint; readonly pir: bigint; readonly pbs: bigint };

/** What one packet did: the frames it sent out (zero when dropped or passed up the stack). */
export interface PacketOutcome {
  readonly outputs: readonly { readonly port: number; readonly data: Buffer }[];
  /** Why no frame left, when none did: "drop", "pass" (to the host stack), or a target-specific note. */
  readonly note?: string;
  /** Things the runner prints as notes at the packet's line (e.g. a frame that left on an interface no STF port maps to). */
  readonly warnings?: readonly string[];
}

export type OpResult =
  | { readonly ok: true; readonly packet?: PacketOutcome; readonly counter?: { readonly packets: bigint; readonly bytes: bigint } }
  | { readonly ok: false; readonly error: string };

export interface RunOptions {
  /**
   * Stops the run: the target stops between operations (and kills any tool
   * it is waiting for), cleans up and rejects with a TargetError.
   */
  readonly signal?: AbortSignal;
  /** Where progress and notes go (never results). */
  readonly log?: (text: string) => void;
}

export interface Target {
  /** Short name, as `--target` takes it: "emulation", "p4tc-vm", "sim". */
  readonly name: string;
  /** The P4TC ABI programs must be compiled for to run here (`--p4tc-abi`); absent: the default. */
  readonly abi?: P4tcAbiName;
  /** null when this target can run on this machine, else why it cannot (missing root, tool, kernel feature). */
  unavailable(): string | null;
  /** Runs every operation on a fresh instance of the program: one result per operation, in order. */
  run(program: CompiledProgram, ops: readonly TargetOp[], options?: RunOptions): Promise<OpResult[]>;
}

/** Options every target factory takes (targets/index.ts); a target ignores what it has no use for. */
export interface TargetOptions {
  /** STF port → the target's own port id (the emulation: ifindex; default port N is ifindex N+1). */
  readonly ports?: ReadonlyMap<number, number>;
  /** The clang to build with, for targets that build the generated C. */
  readonly clang?: string;
}

/** A failure of the whole run (build, load, boot, abort), as opposed to one operation's. */
export class TargetError extends Error {
  /** True when the run stopped because `RunOptions.signal` fired. */
  constructor(message: string, readonly aborted = false) {
    super(message);
  }
}
