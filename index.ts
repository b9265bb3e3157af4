/**
 * p4ts as a library: `import { compile } from "p4ts"`, or from CommonJS
 * `require("p4ts")` (Node 20.19+ loads an ES module graph synchronously when
 * it has no top-level await; keep it so: the package test requires it).
 *
 * - `compile()` runs in memory and returns diagnostics, the pipeline model and
 *   the output texts; nothing is written.
 * - `build()` compiles the C files a compilation wrote into BPF objects.
 * - `runStf()` runs an STF packet test on this kernel (root, bpftool, clang).
 * - `main()` is the command line, with its I/O as parameters.
 *
 * The build and STF machinery load on first use, so importing the library
 * costs only the compiler.
 */
export { compile } from "./compiler/compile.js";
export type { CompileOptions, CompileResult, Stage } from "./compiler/compile.js";
export type { Diagnostic, RelatedLocation } from "./compiler/diagnostics/index.js";
export { formatDiagnostics, formatDiagnosticsJson, diagnosticToJson } from "./compiler/diagnostics/index.js";
export type { JsonDiagnostic, JsonLocation } from "./compiler/diagnostics/index.js";
export type { Span } from "./compiler/source.js";
export { SourceFiles } from "./compiler/source.js";
export type * from "./compiler/ast/nodes.js";
export type { CheckedProgram, Type, ConstValue, Binding } from "./compiler/frontend/index.js";
export type {
  PipelineModel,
  ActionModel,
  ActionParamModel,
  TableModel,
  KeyFieldModel,
  TableActionModel,
  DefaultActionModel,
  DefaultActionParamModel,
  ConstEntryModel,
  ActionArgModel,
  ConstKeyValue,
  DirectExternRef,
  ExternModel,
  ExternInstanceModel,
  ExternConstructorParamModel,
  ExternControlPathParamModel,
  P4tcType,
  P4tcNamedType,
  ExternParamType,
  P4MatchKind,
  TableMatchType,
  ActionScope,
} from "./compiler/ir/pipeline.js";
export type { BuildResult } from "./build/objects.js";
export type { StfOptions } from "./stf/run.js";
export { main, type CliIo } from "./cli/main.js";

export interface BuildOptions {
  /** The directory a compilation wrote its outputs to (`p4ts FILE.p4 -o DIR`). */
  readonly dir: string;
  /** The pipeline name: the P4 file's stem (`CompileResult.name`). */
  readonly name: string;
  /** The clang to use; else $CLANG, a clang on PATH with the BPF target, the clang-wasm package. */
  readonly clang?: string;
  /** Link the P4TC emulation in (-DP4TS_EMULATE_P4TC), to run on a kernel without P4TC. */
  readonly emulateP4tc?: boolean;
  /** Environment for finding and running clang; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Compiles DIR/NAME_parser.c and DIR/NAME_control_blocks.c into the BPF
 * objects P4TC loads, as `p4ts --build` does. Never throws for a missing
 * clang or a failed compile: `ok` is false and `diagnostics` says why.
 */
export async function build(o: BuildOptions): Promise<import("./build/objects.js").BuildResult> {
  const { findClang, isClangFound, buildObjects } = await import("./build/index.js");
  const env = o.env ?? process.env;
  const clang = findClang({ clangPath: o.clang, env });
  if (!isClangFound(clang)) return { ok: false, diagnostics: `p4ts: ${clang.error}\n`, objects: [], commands: [] };
  return buildObjects(o.dir, o.name, clang, { env, extraFlags: o.emulateP4tc ? ["-DP4TS_EMULATE_P4TC"] : [] });
}

/**
 * Runs the STF test `o.stf` against the program `o.program` on this kernel,
 * writing its report to `o.out`. Resolves to 0 (passed), 1 (failed, or the
 * program or test has errors) or 2 (cannot run on this machine: no root, BPF,
 * bpftool or clang; the reason is in the report).
 */
export async function runStf(o: import("./stf/run.js").StfOptions): Promise<number> {
  const stf = await import("./stf/run.js");
  return stf.runStf(o);
}
export { Interpreter, SimError } from "./sim/interp.js";
export type { SimOptions, SimOutcome, SimProgram } from "./sim/interp.js";
export { SimTarget } from "./targets/sim/target.js";
