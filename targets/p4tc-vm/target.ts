/**
 * The P4TC VM target (`p4ts stf --target p4tc-vm`): a whole STF test in one
 * boot of the real P4TC kernel (v13). The program must be compiled with
 * `--p4tc-abi v13` (`abi` below: the STF runner compiles for it). The
 * operations become one guest script: `p4tc-ports` and `p4tc-load`, then
 * `tc p4ctrl create|delete` for entries (values spelled by their P4TC type:
 * `portN` for `dev`, dotted quads, `aa:bb:..` MACs, `V/MASK` for ternary,
 * `V/LEN` for lpm; actions by their own name, as tc resolves them within the
 * table, like the reference's CI), and `pktio` per packet, capturing every port. Each
 * operation prints `@@OP i STATUS` and, for a packet, the frames that left.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildObjects, findClang, isClangFound } from "../../build/index.js";
import type { PipelineModel, P4tcType } from "../../compiler/ir/pipeline.js";
import type { P4tcAbiName } from "../../compiler/ir/abi/index.js";
import { TargetError, type CompiledProgram, type KeyMatch, type OpResult, type RunOptions, type Target, type TargetOp, type TargetOptions } from "../target.js";
import { runInVm, vmUnavailable } from "./vm.js";

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/** A control-plane value as `tc p4ctrl` parses it for P4TC type `type`. */
export function p4ctrlValue(type: P4tcType | string, v: bigint): string {
  if (type === "dev") return `port${v}`;
  if (type === "ipv4") return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join(".");
  if (type === "macaddr") return v.toString(16).padStart(12, "0").match(/../g)!.join(":");
  return `0x${v.toString(16)}`;
}

function keyText(type: string, width: number, k: KeyMatch): string {
  const v = p4ctrlValue(type, k.value);
  if (k.prefixLen !== undefined) return `${v}/${k.prefixLen}`;
  const all = (1n << BigInt(width)) - 1n;
  if (k.mask !== undefined && k.mask !== all) return `${v}/0x${k.mask.toString(16)}`;
  return v;
}

export class P4tcVmTarget implements Target {
  readonly name = "p4tc-vm";
  /** The ABI the STF runner compiles for: the VM's kernel is the v13 series. */
  readonly abi: P4tcAbiName = "v13";

  constructor(private readonly options: TargetOptions = {}) {}

  unavailable(): string | null {
    return vmUnavailable();
  }

  /** The guest script for `ops` (exported for tests). */
  static script(m: PipelineModel, ops: readonly TargetOp[]): string {
    const n = m.pipelineName;
    const ports = Math.max(2, ...ops.map((o) => (o.op === "packet" ? o.port + 1 : 0)));
    const capture = Array.from({ length: ports }, (_, i) => `-c p4port${i}`).join(" ");
    const lines = ["set -u", "export INTROSPECTION=$PWD", `p4tc-ports ${ports} >/dev/null 2>&1`, `p4tc-load ${q(n)} > load.log 2>&1 || { echo "@@LOAD-FAIL"; grep -v '^+ ' load.log | tail -5; exit 1; }`];
    ops.forEach((o, i) => {
      const done = `echo "@@OP ${i} $?"`;
      const table = (name: string) => m.tables.find((t) => t.name === name);
      switch (o.op) {
        case "add": {
          const t = table(o.table);
          const a = m.actions.find((x) => x.name === o.action);
          if (!t || !a) return lines.push(`echo "@@OP ${i} 99 no table or action"`);
          const keys = o.keys.map((k) => {
            const kf = t.keys.find((x) => x.name === k.name);
            return `${k.name} ${keyText(kf?.type ?? "bit32", kf?.bitwidth ?? 32, k)}`;
          });
          const args = o.args.map((p) => `param ${p.name} ${p4ctrlValue(a.params.find((x) => x.name === p.name)?.type ?? "bit32", p.value)}`);
          lines.push(`tc p4ctrl create ${q(`${n}/table/${t.name}`)} ${keys.join(" ")}${o.priority !== undefined ? ` prio ${o.priority}` : ""} action ${q(a.localName)} ${args.join(" ")} 2>&1; ${done}`);
          break;
        }
        case "remove": {
          const t = table(o.table);
          const keys = o.keys.map((k) => `${k.name} ${keyText(t?.keys.find((x) => x.name === k.name)?.type ?? "bit32", t?.keys.find((x) => x.name === k.name)?.bitwidth ?? 32, k)}`);
          lines.push(`tc p4ctrl delete ${q(`${n}/table/${o.table}`)} ${keys.join(" ")} 2>&1; ${done}`);
          break;
        }
        case "removeAll":
          lines.push(`for t in ${m.tables.map((t) => q(t.name)).join(" ")}; do tc p4ctrl delete ${q(n)}/table/$t 2>&1; done; ${done}`);
          break;
        case "packet":
          lines.push(`pktio -t 1000 ${capture} -s p4port${o.port} ${o.data.toString("hex")} > pkt.out 2>&1; r=$?; cat pkt.out | sed 's/^/@@FRAME /'; echo "@@OP ${i} $r"`);
          break;
        default:
          lines.push(`echo "@@OP ${i} 98 ${o.op} is not supported on the P4TC VM target"`);
      }
      return undefined;
    });
    lines.push('echo "@@END"');
    return lines.join("\n") + "\n";
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
      fs.writeFileSync(path.join(dir, "stf.sh"), P4tcVmTarget.script(program.pipeline, ops));
      const r = await runInVm(dir, ["bash", "stf.sh"], { ...(options.log ? { log: options.log } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      if (r.output.includes("@@LOAD-FAIL")) throw new TargetError(`the P4TC VM did not load ${program.name}:\n${r.output.slice(r.output.indexOf("@@LOAD-FAIL"))}`);
      return parseResults(r.output, ops);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** One result per operation from the guest's output. */
export function parseResults(out: string, ops: readonly TargetOp[]): OpResult[] {
  const lines = out.split("\n");
  const results: OpResult[] = [];
  let frames: { port: number; data: Buffer }[] = [];
  let text: string[] = [];
  for (const l of lines) {
    const f = /^@@FRAME p4port(\d+) ([0-9a-fA-F]+)\s*$/.exec(l);
    if (f) {
      frames.push({ port: Number(f[1]), data: Buffer.from(f[2]!, "hex") });
      continue;
    }
    const m = /^@@OP (\d+) (\d+)/.exec(l);
    if (!m) {
      text.push(l);
      continue;
    }
    const i = Number(m[1]);
    const op = ops[i]!;
    if (m[2] !== "0") results[i] = { ok: false, error: text.filter((x) => x.trim() !== "" && !x.startsWith("@@")).slice(-2).join(" ") || `${op.op} failed (${m[2]})` };
    else if (op.op === "packet") results[i] = { ok: true, packet: { outputs: frames, ...(frames.length === 0 ? { note: "drop" } : {}) } };
    else results[i] = { ok: true };
    frames = [];
    text = [];
  }
  return ops.map((o, i) => results[i] ?? { ok: false, error: `${o.op}: no result from the VM` });
}
