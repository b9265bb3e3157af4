/**
 * The compilation driver: source -> preprocess -> parse -> check -> mid-end ->
 * back ends, stopping after the first stage that reports an error. No file
 * system writes here: outputs are returned in memory (the CLI writes them).
 */
import fs from "node:fs";
import path from "node:path";
import { DiagnosticBag, formatDiagnostics, type Diagnostic } from "./diagnostics/index.js";
import { SourceFiles } from "./source.js";
import type { Program } from "./ast/nodes.js";
import { preprocess } from "./preprocessor/index.js";
import { parseP4 } from "../grammar/parse.js";
import { builtinIncludeDir } from "./paths.js";
import { bundledPrebuilt, type PrebuiltIncludes } from "./prebuilt.js";
import { runMidend } from "./midend/index.js";
import type { PipelineModel } from "./ir/pipeline.js";
import { renderTemplate } from "../codegen/template/index.js";
import { renderIntrospectionText } from "../codegen/introspection/index.js";
import { renderEbpf } from "../codegen/ebpf/index.js";
import { checkProgram, type CheckedProgram } from "./frontend/index.js";
import type { P4tcAbiName } from "./ir/abi/index.js";

export type Stage = "preprocess" | "parse" | "frontend" | "midend";

export interface CompileOptions {
  /** A file on disk (or in `readFile`), or an in-memory source with the name to report it under. */
  readonly input: { readonly file: string } | { readonly source: string; readonly fileName: string };
  /** -I directories, searched in order for includes. */
  readonly includePaths?: readonly string[];
  /** -D NAME=VALUE; a bare name gets "1". */
  readonly defines?: Readonly<Record<string, string>>;
  /** -U NAME */
  readonly undefines?: readonly string[];
  /** Virtual file system hook for includes (return undefined when absent); defaults to the real file system. */
  readonly readFile?: (path: string) => string | undefined;
  /** Stop after this stage (no outputs are produced then). */
  readonly stopAfter?: Stage;
  /** Warning kinds to disable (--Wdisable=kind), "all" for every warning. */
  readonly disabledWarnings?: readonly string[];
  /** Warning kinds to turn into errors (--Werror=kind), "all" for every warning. */
  readonly warningsAsErrors?: readonly string[];
  /** The P4TC ABI to emit for (`--p4tc-abi`): `p4c` (default, the reference's) or `v13` (the P4TC kernel series v13). */
  readonly p4tcAbi?: P4tcAbiName;
  /** Warning kinds to report as informational messages (--Winfo=kind), "all" for every warning. */
  readonly warningsAsInfo?: readonly string[];
  /** `num_timer_profiles` for add-on-miss tables (--num-timer-profiles N; the kernel's default, 4, prints nothing). */
  readonly numTimerProfiles?: number;
  /**
   * Snapshots of the bundled include files to answer #includes from when they
   * provably apply (compiler/prebuilt.ts); false to process every include.
   * Default: the set `npm run build` recorded, in the bundled CLI only.
   */
  readonly prebuiltIncludes?: PrebuiltIncludes | false;
  /** --trace: the generated C logs parser states, table lookups and the drop/redirect decision with bpf_printk. */
  readonly trace?: boolean;
}

export interface CompileResult {
  /** True when no error was reported. */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The preprocessed program text (present once preprocessing ran without errors). */
  readonly preprocessed?: string;
  /** The parsed program (present once parsing ran, even with errors). */
  readonly ast?: Program;
  /** The pipeline model the back ends render (present once the mid-end succeeded). */
  readonly pipeline?: PipelineModel;
  /** The front end's side tables (types, resolved names, constants), present once checking ran. */
  readonly checked?: CheckedProgram;
  /** Output files by name (e.g. `prog.json`), present only when the whole compilation succeeded. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** The pipeline name: the input file's stem. */
  readonly name: string;
  /** Every source file read, for formatting diagnostics. */
  readonly files: SourceFiles;
  /** Diagnostics formatted in p4c's style (file(line:col): [--Werror=kind] error: ... + source + caret). */
  format(): string;
}

function defaultReadFile(p: string): string | undefined {
  try {
    return fs.readFileSync(p, "utf8");
  } catch {
    return undefined;
  }
}

export function compile(options: CompileOptions): CompileResult {
  const diags = new DiagnosticBag({
    disabledWarnings: new Set(options.disabledWarnings ?? []),
    warningsAsErrors: new Set(options.warningsAsErrors ?? []),
    warningsAsInfo: new Set(options.warningsAsInfo ?? []),
  });
  const files = new SourceFiles();
  const readFile = options.readFile ?? defaultReadFile;
  const file = "file" in options.input ? options.input.file : options.input.fileName;
  const source = "source" in options.input ? options.input.source : undefined;
  const name = path.basename(file).replace(/\.p4$/, "");
  let ast: Program | undefined;
  let preprocessed: string | undefined;
  let checked: CheckedProgram | undefined;
  let outputs: Record<string, string> | undefined;
  let pipeline: PipelineModel | undefined;

  const result = (): CompileResult => ({
    ok: !diags.hasErrors(),
    diagnostics: diags.all(),
    preprocessed,
    ast,
    pipeline,
    checked,
    outputs,
    name,
    files,
    format: () => formatDiagnostics(diags.all(), files),
  });

  const usable = options.prebuiltIncludes === undefined ? bundledPrebuilt() : options.prebuiltIncludes || undefined;
  const pp = preprocess({
    file,
    source,
    includePaths: options.includePaths ?? [],
    builtinIncludeDir,
    defines: Object.entries(options.defines ?? {}),
    undefines: options.undefines ?? [],
    readFile,
    files,
    diags,
    prebuilt: usable?.includes,
  });
  if (diags.hasErrors()) return result();
  preprocessed = pp.text;
  if (options.stopAfter === "preprocess") return result();

  ast = parseP4(pp.text, pp.locate, diags, usable && { uses: pp.prebuilt, parsed: usable.parsed });
  if (diags.hasErrors() || options.stopAfter === "parse") return result();

  checked = checkProgram(ast, diags, file);
  if (diags.hasErrors() || options.stopAfter === "frontend") return result();

  const model = runMidend({ program: ast, ...checked }, diags, { pipelineName: name, file, numTimerProfiles: options.numTimerProfiles, ...(options.p4tcAbi === undefined ? {} : { abi: options.p4tcAbi }) });
  if (!model || diags.hasErrors()) return result();
  pipeline = model;
  if (options.stopAfter === "midend") return result();

  outputs = {
    [`${name}.template`]: renderTemplate(pipeline),
    [`${name}.json`]: renderIntrospectionText(pipeline),
    ...renderEbpf(pipeline, { trace: options.trace === true }),
  };
  return result();
}
