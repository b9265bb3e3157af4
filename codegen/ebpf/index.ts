/**
 * The eBPF back end: renders the pipeline model's datapath as
 * `NAME_parser.h`, `NAME_parser.c` (section `p4tc/parse`) and
 * `NAME_control_blocks.c` (section `p4tc/main`), C that includes only the
 * self-contained runtime headers (runtime-headers/p4ts_pna.h) and calls the
 * P4TC kfuncs for tables and externs.
 *
 * Packet bytes are read and written one byte at a time behind a bounds check
 * the verifier follows; the deparser writes back only the headers the control
 * may have changed, and resizes the packet only when the set of emitted
 * headers can differ from the parsed one (DatapathModel.modifiedHeaders,
 * .mayResize).
 *
 * One file per construct: header.ts (NAME_parser.h), packet.ts (packet
 * bytes), statements.ts, externs.ts, parser.ts (NAME_parser.c), control.ts
 * and deparser.ts (NAME_control_blocks.c); cexpr.ts renders expressions.
 */
import { abiOf } from "../../compiler/ir/abi/index.js";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import type { Routine } from "./cexpr.js";
import { renderMain } from "./control.js";
import { renderHeader } from "./header.js";
import { renderParser } from "./parser.js";

export function ebpfFileNames(name: string): string[] {
  return [`${name}_parser.h`, `${name}_parser.c`, `${name}_control_blocks.c`];
}

/** Rendering options: `trace` adds bpf_printk calls (read them with `bpftool prog tracelog`). */
export interface EbpfOptions {
  readonly trace?: boolean;
}

export function renderEbpf(m: PipelineModel, opts: EbpfOptions = {}): Record<string, string> {
  const dp = m.datapath;
  if (!dp) throw new Error("internal: the pipeline model has no datapath");
  const name = m.pipelineName;
  // The header is written last: it enables the runtime routines the two programs used.
  const routines = new Set<Routine>();
  const trace = opts.trace === true;
  const parser = renderParser(name, dp, routines, trace);
  const main = renderMain(name, dp, routines, trace);
  return {
    [`${name}_parser.h`]: renderHeader(name, dp, routines, abiOf(m).cDefines),
    [`${name}_parser.c`]: parser,
    [`${name}_control_blocks.c`]: main,
  };
}
