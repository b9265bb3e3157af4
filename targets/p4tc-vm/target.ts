/**
 * The P4TC VM target (`p4ts stf --target p4tc-vm`): a whole STF test in one
 * boot of the real P4TC kernel (v13). The program must be compiled with
 * `--p4tc-abi v13` (`abi` below: the STF runner compiles for it). The
 * operations become one guest script (script.ts, shared with the kernel
 * lane): ports, `p4tc-load`, `tc p4ctrl` for entries and counters, `pktio`
 * per packet capturing every port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildObjects, findClang, isClangFound } from "../../build/index.js";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import type { P4tcAbiName } from "../../compiler/ir/abi/index.js";
import { TargetError, type CompiledProgram, type OpResult, type RunOptions, type Target, type TargetOp, type TargetOptions } from "../target.js";
import { parseResults, stfScript } from "./script.js";
import { runInVm, vmUnavailable } from "./vm.js";

export { p4ctrlKey, p4ctrlValue, parseResults } from "./script.js";

export class P4tcVmTarget implements Target {
  readonly name = "p4tc-vm";
  /** The ABI the STF runner compiles for: the VM's kernel is the v13 series. */
  readonly abi: P4tcAbiName = "v13";

  constructor(private readonly options: TargetOptions = {}) {}

  unavailable(): string | null {
    return vmUnavailable();
  }

  /** The guest script for `ops` (exported for tests). */
  static script(m: PipelineModel, ops: readonly TargetOp[], ports?: ReadonlyMap<number, number>): string {
    return stfScript(m, ops, ports ? { ports } : {}) + 'echo "@@END"\n';
  }

  async run(program: CompiledProgram, ops: readonly TargetOp[], options: RunOptions = {}): Promise<OpResult[]> {
    const why = this.unavailable();
    if (why) throw new TargetError(`cannot run on the P4TC VM: ${why}`);
    if ((program.pipeline.abi ?? "p4c") !== "v13") throw new TargetError("the P4TC VM runs the v13 ABI: compile with --p4tc-abi v13");
    const clang = findClang({ clangPath: this.options.clang, env: process.env });
    if (!isClangFound(clang)) throw new TargetError(clang.error);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-vm-"));
    try {
      for (const [f, text] of Object.entries(program.outputs)) fs.writeFileSync(path.join(dir, f), text, { mode: f.endsWith(".template") ? 0o755 : 0o644 });
      const b = buildObjects(dir, program.name, clang);
      if (!b.ok) throw new TargetError(`building ${program.name} failed:\n${b.diagnostics ?? ""}`);
      for (const f of fs.readdirSync(dir)) if (f.endsWith(".c") || f.endsWith(".h")) fs.rmSync(path.join(dir, f));
      fs.writeFileSync(path.join(dir, "stf.sh"), P4tcVmTarget.script(program.pipeline, ops, this.options.ports));
      // A fresh network namespace: the boot's own devices (dummy0 is ifindex 2) would take the ports' indexes.
      const r = await runInVm(dir, ["p4tc-netns", "bash", "stf.sh"], { ...(options.log ? { log: options.log } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      if (r.output.includes("@@LOAD-FAIL")) throw new TargetError(`the P4TC VM did not load ${program.name}:\n${r.output.slice(r.output.indexOf("@@LOAD-FAIL"))}`);
      return parseResults(r.output, ops);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
