/**
 * The P4TC emulation as a target: the generated C is built with
 * `-DP4TS_EMULATE_P4TC`, loaded into the running kernel (loader.ts), the
 * table setup and each operation written to the emulation maps
 * (entries.ts), and each packet run through parser and main with
 * BPF_PROG_TEST_RUN.
 *
 * Ports: STF port N is interface index N+1 unless `ports` maps it
 * otherwise. The ifindex is what `istd.input_port` reads for a packet sent
 * on port N (it must exist on this machine, except for ifindex 1, the
 * loopback), what `dev` values in keys and parameters become, and how an
 * egress ifindex is mapped back to a port.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PipelineModel } from "../../compiler/ir/pipeline.js";
import { compileObject, emulationHarnessSource, findClang, generatedSources, isClangFound } from "../../build/index.js";
import type { CompiledProgram, KeyMatch, OpResult, PacketOutcome, RunOptions, Target, TargetOp, TargetOptions } from "../target.js";
import { TargetError } from "../target.js";
import { EmulatedControlPlane, EntryError, filterFieldsValue, type KeyValue, type MapUpdate } from "./entries.js";
import { extKey, meterValue, EXT_COUNTER_ID, EXT_METER_ID } from "./layout.js";
import { EmulatedPipeline, HARNESS_MAX, LoaderError, TC_ACT_OK, TC_ACT_REDIRECT, TC_ACT_SHOT, TEST_RUN_MIN, bpfUnavailableReason, type PacketResult } from "./loader.js";

/** The clang flags of an emulation build: P4TC emulated, nothing pinned outside the loader's private bpffs. */
export const EMULATION_CFLAGS: readonly string[] = ["-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", "-DP4TS_HDR_MD_PINNING=LIBBPF_PIN_NONE"];

/** The update that writes main's `.bss` with the runtime default-action params (filterFieldsValue), or null. */
export function filterFieldsUpdate(model: PipelineModel, outputs: Readonly<Record<string, string>>, name: string, pipe: EmulatedPipeline): MapUpdate | null {
  const value = filterFieldsValue(model, outputs[`${name}_parser.h`] ?? "");
  return value ? { map: pipe.bssMap(`${name}_control_blocks`), key: Buffer.alloc(4), value } : null;
}

export class EmulationTarget implements Target {
  readonly name = "emulation";

  constructor(private readonly options: TargetOptions = {}) {}

  unavailable(): string | null {
    const why = bpfUnavailableReason();
    if (why) return why;
    const clang = findClang({ clangPath: this.options.clang, env: process.env });
    return isClangFound(clang) ? null : clang.error;
  }

  ifindexOf(port: number): number {
    return this.options.ports?.get(port) ?? port + 1;
  }

  portOf(ifindex: number): number | null {
    const ports = this.options.ports;
    for (const [p, i] of ports ?? []) if (i === ifindex) return p;
    return ifindex >= 1 && !ports?.has(ifindex - 1) ? ifindex - 1 : null;
  }

  async run(program: CompiledProgram, ops: readonly TargetOp[], options: RunOptions = {}): Promise<OpResult[]> {
    const why = this.unavailable();
    if (why) throw new TargetError(`cannot run packet tests on this machine: ${why}`);
    const clang = findClang({ clangPath: this.options.clang, env: process.env });
    if (!isClangFound(clang)) throw new TargetError(clang.error);
    const signal = options.signal;
    const stopIfAborted = (): void => {
      if (signal?.aborted) throw new TargetError("interrupted", true);
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-stf-"));
    const removeDir = (): void => fs.rmSync(dir, { recursive: true, force: true });
    process.once("exit", removeDir);
    let pipe: EmulatedPipeline | null = null;
    try {
      stopIfAborted();
      for (const [f, text] of Object.entries(program.outputs)) fs.writeFileSync(path.join(dir, f), text);
      // clang runs in the background, so a signal stops the build at once.
      const sources = [...generatedSources(program.name).map((f) => path.join(dir, f)), emulationHarnessSource];
      const objects = sources.map((src) => path.join(dir, path.basename(src).replace(/\.c$/, ".o")));
      for (let i = 0; i < sources.length; i++) {
        const b = await compileObject(sources[i]!, objects[i]!, clang, { extraFlags: EMULATION_CFLAGS, signal });
        stopIfAborted();
        if (!b.ok) throw new TargetError(`building ${program.name} failed:\n${b.diagnostics.trimEnd()}`);
      }
      pipe = EmulatedPipeline.load(objects[0]!, objects[1]!, { handleSignals: false, harnessObj: objects[2]! });
      const cp = new EmulatedControlPlane(program.pipeline);
      pipe.apply(cp.setup().filter((u) => pipe!.hasMap(u.map)));
      const ff = filterFieldsUpdate(program.pipeline, program.outputs, program.name, pipe);
      if (ff) pipe.apply([ff]);
      const results: OpResult[] = [];
      for (const op of ops) {
        // Let signal handlers run between operations.
        await new Promise((resolve) => setImmediate(resolve));
        stopIfAborted();
        results.push(this.runOp(pipe, cp, program.pipeline, op));
      }
      return results;
    } catch (e) {
      if (e instanceof LoaderError) throw new TargetError(e.message);
      throw e;
    } finally {
      pipe?.close();
      removeDir();
      process.removeListener("exit", removeDir);
    }
  }

  private runOp(pipe: EmulatedPipeline, cp: EmulatedControlPlane, m: PipelineModel, op: TargetOp): OpResult {
    try {
      switch (op.op) {
        case "add":
          pipe.apply(cp.add(op.table, this.keyValues(m, op.table, op.keys), op.action, this.argValues(m, op.action, op.args), op.priority));
          return { ok: true };
        case "remove":
          pipe.apply(cp.remove(op.table, this.keyValues(m, op.table, op.keys)));
          return { ok: true };
        case "removeAll":
          pipe.apply(cp.removeAll());
          return { ok: true };
        case "setDefault":
          pipe.apply(cp.setDefault(op.table, op.action, this.argValues(m, op.action, op.args)));
          return { ok: true };
        case "packet": {
          const ifindex = this.ifindexOf(op.port);
          if (op.data.length < TEST_RUN_MIN) {
            // No Ethernet device delivers a frame without a whole Ethernet header to tc (and BPF_PROG_TEST_RUN cannot make one).
            return { ok: true, packet: { outputs: [], note: "drop", warnings: [`a ${op.data.length}-byte frame is shorter than an Ethernet header (${TEST_RUN_MIN} bytes): no port delivers it, so it is dropped before the parser`] } };
          }
          const max = maxFrame(ifindex);
          if (op.data.length > max) return { ok: false, error: `a ${op.data.length}-byte frame is longer than port ${op.port} takes (${max} bytes: ifindex ${ifindex}'s MTU and an Ethernet header, at most ${HARNESS_MAX} in the emulation)` };
          return { ok: true, packet: this.outcome(pipe.run(op.data, ifindex)) };
        }
        case "readCounter": {
          const v = pipe.lookup("p4tc_emu_cnt", extKey(EXT_COUNTER_ID, instanceId(m, "Counter", op.counter), op.index));
          // An index never counted has no entry: 0 packets, 0 bytes.
          return { ok: true, counter: v ? { packets: v.readBigUInt64LE(0), bytes: v.readBigUInt64LE(8) } : { packets: 0n, bytes: 0n } };
        }
        case "configureMeter":
          pipe.apply([{ map: "p4tc_emu_meter", key: extKey(EXT_METER_ID, instanceId(m, "Meter", op.meter), op.index), value: meterValue({ cir: op.cir, cbs: op.cbs, pir: op.pir, pbs: op.pbs }) }]);
          return { ok: true };
      }
    } catch (e) {
      if (e instanceof EntryError || e instanceof LoaderError) return { ok: false, error: e.message };
      throw e;
    }
  }

  private keyValues(m: PipelineModel, table: string, keys: readonly KeyMatch[]): KeyValue[] {
    const t = m.tables.find((x) => x.name === table);
    return keys.map((k) => {
      const type = t?.keys.find((x) => x.name === k.name)?.type;
      const value = type === "dev" ? BigInt(this.ifindexOf(Number(k.value))) : k.value;
      return { value, mask: k.mask, prefix: k.prefixLen };
    });
  }

  private argValues(m: PipelineModel, action: string, args: readonly { name: string; value: bigint }[]): bigint[] {
    const a = m.actions.find((x) => x.name === action);
    return args.map((g) => (a?.params.find((p) => p.name === g.name)?.type === "dev" ? BigInt(this.ifindexOf(Number(g.value))) : g.value));
  }

  private outcome(r: PacketResult): PacketOutcome {
    if (r.mainRc === null) return { outputs: [], note: "drop" };
    if (r.mainRc !== TC_ACT_REDIRECT) return { outputs: [], note: r.mainRc === TC_ACT_SHOT ? "drop" : r.mainRc === TC_ACT_OK ? "pass" : `tc action ${r.mainRc}` };
    const port = this.portOf(r.egressPort);
    if (port === null) return { outputs: [], note: "unmapped", warnings: [`the packet left on ifindex ${r.egressPort}, which no STF port maps to`] };
    return { outputs: [{ port, data: r.data }] };
  }
}

/** The longest frame a port takes: its device's MTU plus the Ethernet header, at most what the harness can make (16064 bytes). */
function maxFrame(ifindex: number): number {
  const net = "/sys/class/net";
  try {
    for (const dev of fs.readdirSync(net)) {
      if (Number(fs.readFileSync(path.join(net, dev, "ifindex"), "utf8")) !== ifindex) continue;
      return Math.min(Number(fs.readFileSync(path.join(net, dev, "mtu"), "utf8")) + TEST_RUN_MIN, HARNESS_MAX);
    }
  } catch {
    // No sysfs: the kernel's own limits apply.
  }
  return HARNESS_MAX;
}

function instanceId(m: PipelineModel, type: string, name: string): number {
  const inst = m.externs.find((e) => e.name === type)?.instances.find((i) => i.name === name);
  if (!inst) throw new EntryError(`no ${type} instance ${name}`);
  return inst.id;
}
