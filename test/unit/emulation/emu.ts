// Test harness for the P4TC emulation (runtime-headers/p4ts_p4tc_emu.h):
// re-exports the map encoders (targets/emulation), and does the rest:
// compiling a fixture with emulation on, loading it with bpftool into a
// private bpffs, installing map entries and running it with
// BPF_PROG_TEST_RUN (`bpftool prog run`).
import fs from "node:fs";
import path from "node:path";
import { BPF_CFLAGS } from "../../../build/index.js";
import { runtimeHeadersDir } from "../../../compiler/paths.js";
import { realClang, requireTools, run, tmpDir, hasClang, hasTool, missingOf } from "../build/tools.js";
import { hexArgs } from "../../../targets/emulation/index.js";

export const emuFixturesDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), "fixtures");

export * from "../../../targets/emulation/index.js";

/** A request packet (emu_common.h): op, arg8, arg32, 8 param bytes, 32 data bytes, 16 output bytes. */
export function request(op: number, o: { arg8?: number; arg32?: number; params?: readonly number[] | Buffer; data?: readonly number[] | Buffer; len?: number } = {}): Buffer {
  const b = Buffer.alloc(Math.max(64, o.len ?? 64));
  b[0] = op;
  b[1] = o.arg8 ?? 0;
  b.writeUInt32LE((o.arg32 ?? 0) >>> 0, 4);
  if (o.params) Buffer.from(o.params).copy(b, 8);
  if (o.data) Buffer.from(o.data).copy(b, 16, 0, 32);
  return b;
}

// ---------------------------------------------------------------- tools

let probeMemo: string | null | undefined;
/** Why this machine cannot load BPF programs into a private bpffs, or null when it can (probed once). */
function bpfUnavailable(): string | null {
  if (probeMemo !== undefined) return probeMemo;
  probeMemo = null;
  if (process.getuid?.() !== 0) probeMemo = "not root: cannot load BPF programs";
  else {
    const show = run("bpftool", ["-j", "prog", "show"]);
    if (show.status !== 0) probeMemo = `the bpf syscall is not usable here: ${show.out.trim().split("\n")[0]}`;
    else {
      const dir = tmpDir("emu-probe");
      const m = run("mount", ["-t", "bpf", "bpf", dir]);
      if (m.status !== 0) probeMemo = `cannot mount a bpffs: ${m.out.trim().split("\n")[0]}`;
      else run("umount", [dir]);
    }
  }
  return probeMemo;
}

/** Why the BPF tests cannot run here (for testIf/describeIf), or null. */
export function bpfMissing(): string | null {
  const why = bpfUnavailable();
  return missingOf(hasClang(), hasTool("bpftool"), [why === null, why ?? ""]);
}

/**
 * True when this machine can compile, load and run BPF (clang with the BPF
 * target, bpftool, root, a working bpf syscall, bpffs mounts). Callers
 * register their tests with test.skip when it is false, so jest counts them
 * as skipped; under P4TS_REQUIRE_TOOLS=1 it throws instead, failing the suite.
 */
export function canRunBpf(): boolean {
  const missing = bpfMissing();
  if (missing !== null && requireTools) throw new Error(`required tool missing: ${missing} (P4TS_REQUIRE_TOOLS=1)`);
  return missing === null;
}

/** Compiles a fixture with the emulation on; throws with clang's output on failure. */
export function compileFixture(name: string, defines: readonly string[] = []): string {
  const obj = path.join(tmpDir("emu-obj"), name.replace(/\.c$/, ".o"));
  const args = [...BPF_CFLAGS, "-nostdinc", "-DP4TS_EMULATE_P4TC", "-DP4TS_EMU_PINNING=LIBBPF_PIN_NONE", ...defines];
  const r = run(realClang()!, [...args, "-I", runtimeHeadersDir, "-I", emuFixturesDir, "-c", path.join(emuFixturesDir, name), "-o", obj]);
  if (r.status !== 0 || r.out !== "") throw new Error(`clang ${name} failed:\n${r.out}`);
  return obj;
}

const hex = hexArgs;

export interface RunResult {
  retval: number;
  /** retval as a signed 32-bit int (kfunc error codes) */
  rc: number;
  dataOut: Buffer;
}

/** A loaded program with its maps pinned in a private bpffs. */
export class EmuProgram {
  private constructor(
    readonly dir: string,
    readonly prog: string,
    readonly mapDir: string,
    /** Instructions the verifier processed (from its log; only when loaded with verifierStats). */
    readonly verifiedInsns?: number,
  ) {}

  /** Mounts a private bpffs, loads obj (a tc action program by default), pins its maps. */
  static load(obj: string, type = "action", opts: { verifierStats?: boolean } = {}): EmuProgram {
    const dir = tmpDir("emu-bpffs");
    const m = run("mount", ["-t", "bpf", "bpf", dir]);
    if (m.status !== 0) throw new Error(`cannot mount a bpffs: ${m.out}`);
    const prog = path.join(dir, "prog");
    const mapDir = path.join(dir, "maps");
    fs.mkdirSync(mapDir);
    const r = run("bpftool", [...(opts.verifierStats ? ["-d"] : []), "prog", "load", obj, prog, "type", type, "pinmaps", mapDir]);
    if (r.status !== 0) {
      run("umount", [dir]);
      throw new Error(`bpftool prog load failed:\n${r.out.slice(-4000)}`);
    }
    const processed = /processed (\d+) insns/.exec(r.out);
    return new EmuProgram(dir, prog, mapDir, processed ? Number(processed[1]) : undefined);
  }

  close(): void {
    run("umount", [this.dir]);
  }

  mapPath(name: string): string {
    return path.join(this.mapDir, name);
  }

  update(map: string, key: Buffer, value: Buffer): void {
    const r = run("bpftool", ["map", "update", "pinned", this.mapPath(map), "key", "hex", ...hex(key), "value", "hex", ...hex(value)]);
    if (r.status !== 0) throw new Error(`bpftool map update ${map} failed:\n${r.out}`);
  }

  delete(map: string, key: Buffer): void {
    const r = run("bpftool", ["map", "delete", "pinned", this.mapPath(map), "key", "hex", ...hex(key)]);
    if (r.status !== 0) throw new Error(`bpftool map delete ${map} failed:\n${r.out}`);
  }

  /** The value bytes, or undefined when the key is absent. */
  lookup(map: string, key: Buffer): Buffer | undefined {
    const r = run("bpftool", ["-j", "map", "lookup", "pinned", this.mapPath(map), "key", "hex", ...hex(key)]);
    // bpftool -j says `null` (exit 254) for an absent key.
    if (r.stdout.trim() === "null") return undefined;
    if (r.status !== 0) throw new Error(`bpftool map lookup ${map} failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { value: string[] };
    return Buffer.from(j.value.map((x) => parseInt(x, 16)));
  }

  /** Pops one record from a queue map, or undefined when it is empty. */
  dequeue(map: string): Buffer | undefined {
    const r = run("bpftool", ["-j", "map", "dequeue", "pinned", this.mapPath(map)]);
    // bpftool -j says `null` (exit 254) for an empty queue.
    if (r.stdout.trim() === "null") return undefined;
    if (r.status !== 0) throw new Error(`bpftool map dequeue ${map} failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { value: string[] };
    return Buffer.from(j.value.map((x) => parseInt(x, 16)));
  }

  /** One BPF_PROG_TEST_RUN with pkt as the packet (run `repeat` times; the last run's results). */
  run(pkt: Buffer, repeat = 1): RunResult {
    const d = tmpDir("emu-run");
    const inFile = path.join(d, "in");
    const outFile = path.join(d, "out");
    fs.writeFileSync(inFile, pkt);
    const r = run("bpftool", ["-j", "prog", "run", "pinned", this.prog, "data_in", inFile, "data_out", outFile, "repeat", String(repeat)]);
    if (r.status !== 0) throw new Error(`bpftool prog run failed:\n${r.out}`);
    const j = JSON.parse(r.stdout) as { retval: number };
    const retval = j.retval >>> 0;
    return { retval, rc: retval | 0, dataOut: fs.existsSync(outFile) ? fs.readFileSync(outFile) : Buffer.alloc(0) };
  }
}
