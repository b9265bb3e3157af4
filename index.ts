/**
 * p4ts as a library: `import { compile } from "p4ts"`.
 */
export { compile } from "./compiler/compile.js";
export type { CompileOptions, CompileResult, Stage } from "./compiler/compile.js";
export type { Diagnostic, RelatedLocation } from "./compiler/diagnostics/index.js";
export { formatDiagnostics } from "./compiler/diagnostics/index.js";
export type { Span } from "./compiler/source.js";
export { SourceFiles } from "./compiler/source.js";
export type * from "./compiler/ast/nodes.js";
export { main } from "./cli/main.js";
export { Interpreter, SimError } from "./sim/interp.js";
export type { SimOptions, SimOutcome, SimProgram } from "./sim/interp.js";
export { SimTarget } from "./targets/sim/target.js";
