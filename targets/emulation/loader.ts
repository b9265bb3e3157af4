/**
 * Loads a pipeline built with the P4TC emulation (`--build --emulate-p4tc`)
 * into the running kernel with Debian's bpftool, and runs packets through it
 * with BPF_PROG_TEST_RUN: the parser, then main on the same CPU, the
 * per-packet metadata carried from one to the other in `skb->cb` as in the
 * real pipeline (contract §5, §9).
 *
 * Everything is pinned in a private bpffs mounted on a fresh temporary
 * directory (maps are pinned there by the parser load and reused by name for
 * main), so nothing touches /sys/fs/bpf; `close()` unmounts and removes it,
 * and is also run on SIGINT/SIGTERM and at exit.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { hexArgs } from "./layout.js";
import type { MapUpdate } from "./entries.js";

/** sizeof(struct __sk_buff) and the offsets the runner uses (runtime-headers/p4ts_bpf.h). */
const SKB_SIZE = 192;
const SKB_MARK = 8;
const SKB_IFINDEX = 40;
const SKB_CB = 48;
const CB_SIZE = 20;

export const TC_ACT_OK = 0;
export const TC_ACT_SHOT = 2;
export const TC_ACT_PIPE = 3;
export const TC_ACT_REDIRECT = 7;

export class LoaderError extends Error {}

/**
 * What BPF_PROG_TEST_RUN takes as a tc frame on this kernel
 * (net/bpf/test_run.c, bpf_prog_test_run_skb, checked on 6.18): at least
 * ETH_HLEN bytes, at most one page less the skb headroom and shared info,
 * and a whole IP header after an IPv4 or IPv6 EtherType. Any other frame
 * of 14 bytes or more goes through the harness (runtime-headers/p4ts_emu_harness.c).
 */
export const TEST_RUN_MIN = 14;
export const TEST_RUN_MAX_LINEAR = 3712;
const IPV4_MIN = 14 + 20;
const IPV6_MIN = 14 + 40;
/**
 * The longest frame the harness can make: bpf_skb_change_tail grows an skb
 * to at most SKB_MAX_ALLOC (four pages less the aligned shared info, 16064
 * bytes with 4 KiB pages), below its 16384-byte packet buffer.
 */
export const HARNESS_MAX = 16064;
const HARNESS_BUFFER = 16384;
const HARNESS_CHUNK = 256;
const HARNESS_ERRORS: Record<number, string> = {
  0x7f000001: "the harness has no packet buffer",
  0x7f000002: "bpf_skb_change_tail refused the frame's length",
  0x7f000003: "bpf_skb_store_bytes failed",
  0x7f000004: "the tail call into the pipeline program failed",
  0x7f000005: "the packet's length is out of the harness's range",
};

/** True when BPF_PROG_TEST_RUN takes `data` as it is. */
export function testRunTakes(data: Buffer): boolean {
  if (data.length < TEST_RUN_MIN || data.length > TEST_RUN_MAX_LINEAR) return false;
  const etherType = data.readUInt16BE(12);
  return !((etherType === 0x0800 && data.length < IPV4_MIN) || (etherType === 0x86dd && data.length < IPV6_MIN));
}

export interface PacketResult {
  /** The parser's and main's return codes (main null when the parser dropped the packet). */
  readonly parserRc: number;
  readonly mainRc: number | null;
  /** The packet as main left it. */
  readonly data: Buffer;
  /** `pna_global_metadata` after main: egress port, drop flag, parser error. */
  readonly egressPort: number;
  readonly drop: boolean;
  readonly parserError: number;
}

/** Why this machine cannot load BPF programs, or null when it can. */
export function bpfUnavailableReason(bpftool = "bpftool"): string | null {
  const r = spawnSync(bpftool, ["version"], { encoding: "utf8" });
  if (r.error) return `${bpftool} not found (Debian package bpftool)`;
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "loading BPF programs needs root";
  return null;
}

export class EmulatedPipeline {
  private closed = false;
  private harness = false;
  private readonly onSignal = (): void => {
    this.close();
    process.exit(130);
  };
  private readonly onExit = (): void => this.close();

  private constructor(
    readonly dir: string,
    readonly bpftool: string,
    readonly cpu: number,
    private readonly handleSignals: boolean,
    /** `dir` is this pipeline's own mount (unmounted by close()) */
    private readonly mounted = true,
  ) {
    if (handleSignals) {
      process.once("SIGINT", this.onSignal);
      process.once("SIGTERM", this.onSignal);
    }
    process.once("exit", this.onExit);
  }

  /**
   * Mounts a private bpffs and loads both objects (tc action programs) into
   * it. Unless `handleSignals` is false (the caller stops on signals itself
   * and closes the pipeline), SIGINT and SIGTERM close it and exit.
   */
  static load(
    parserObj: string,
    mainObj: string,
    opts: { bpftool?: string; cpu?: number; handleSignals?: boolean; harnessObj?: string; bpffs?: string; emuMaps?: string } = {},
  ): EmulatedPipeline {
    const bpftool = opts.bpftool ?? "bpftool";
    // In a caller's bpffs (opts.bpffs, mounted already) a fresh subdirectory, removed by close(); else a private mount.
    const dir = fs.mkdtempSync(opts.bpffs ? path.join(opts.bpffs, "p") : path.join(os.tmpdir(), "p4ts-bpffs-"));
    const m = opts.bpffs ? undefined : spawnSync("mount", ["-t", "bpf", "bpf", dir], { encoding: "utf8" });
    if (m && m.status !== 0) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new LoaderError(`cannot mount a bpffs on ${dir}: ${(m.stderr || m.error?.message || "").trim()}`);
    }
    const p = new EmulatedPipeline(dir, bpftool, opts.cpu ?? 0, opts.handleSignals ?? true, opts.bpffs === undefined);
    try {
      fs.mkdirSync(path.join(dir, "maps"));
      // opts.emuMaps (a directory in opts.bpffs): the emulation's maps (the same for every program) are
      // taken from there when pinned there, and pinned there when not, so pipelines loaded one after
      // another (the fuzzer's verifier checks) do not create them each time.
      const emu = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).filter((name) => name.startsWith("p4tc_emu")) : []);
      const given = opts.emuMaps ? emu(opts.emuMaps) : [];
      const reuseEmu = given.flatMap((name) => ["map", "name", name, "pinned", path.join(opts.emuMaps!, name)]);
      p.tool(["prog", "load", parserObj, path.join(dir, "parser"), "type", "action", ...reuseEmu, "pinmaps", path.join(dir, "maps")], "loading the parser");
      if (opts.emuMaps && given.length === 0) {
        fs.mkdirSync(opts.emuMaps, { recursive: true });
        for (const name of emu(path.join(dir, "maps"))) p.tool(["map", "pin", "pinned", path.join(dir, "maps", name), path.join(opts.emuMaps, name)], "sharing the emulation's maps");
      }
      // Shared with main: the header map and any emulation map (each object keeps its own .bss).
      const shared = fs.readdirSync(path.join(dir, "maps")).filter((name) => name === "hdr_md_cpumap" || name.startsWith("p4tc_emu"));
      const reuse = shared.flatMap((name) => ["map", "name", name, "pinned", path.join(dir, "maps", name)]);
      fs.mkdirSync(path.join(dir, "main-maps"));
      p.tool(["prog", "load", mainObj, path.join(dir, "main"), "type", "action", ...reuse, "pinmaps", path.join(dir, "main-maps")], "loading main");
      // Main's own maps (the tables) next to the shared ones, for updates by name.
      for (const name of fs.readdirSync(path.join(dir, "main-maps"))) {
        if (!fs.existsSync(path.join(dir, "maps", name))) fs.renameSync(path.join(dir, "main-maps", name), path.join(dir, "maps", name));
      }
      if (opts.harnessObj) {
        fs.mkdirSync(path.join(dir, "harness-maps"));
        p.tool(["prog", "load", opts.harnessObj, path.join(dir, "harness"), "type", "action", "pinmaps", path.join(dir, "harness-maps")], "loading the packet harness");
        const progs = path.join(dir, "harness-maps", "p4ts_harness_progs");
        p.tool(["map", "update", "pinned", progs, "key", "hex", "00", "00", "00", "00", "value", "pinned", path.join(dir, "parser")], "linking the harness to the parser");
        p.tool(["map", "update", "pinned", progs, "key", "hex", "01", "00", "00", "00", "value", "pinned", path.join(dir, "main")], "linking the harness to main");
        p.harness = true;
      }
    } catch (e) {
      p.close();
      throw e;
    }
    return p;
  }

  private tool(args: readonly string[], what: string): string {
    const r = spawnSync(this.bpftool, [...args], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw new LoaderError(`${what}: cannot run ${this.bpftool}: ${r.error.message}`);
    if (r.status !== 0) {
      const log = `${r.stdout}${r.stderr}`.trim().split("\n");
      throw new LoaderError(`${what} failed (bpftool ${args.slice(0, 2).join(" ")}):\n${log.slice(-25).join("\n")}`);
    }
    return r.stdout;
  }

  /**
   * The pinned `.bss` map of an object (libbpf names it after the object's first 8 characters; bpftool pins
   * `.` as `_`), as a name for apply(): main's stays in main-maps/ when the parser's has the same name.
   */
  bssMap(object: string): string {
    const name = `${object.slice(0, 8)}_bss`;
    return fs.existsSync(path.join(this.dir, "main-maps", name)) ? path.join("..", "main-maps", name) : name;
  }

  hasMap(name: string): boolean {
    return fs.existsSync(path.join(this.dir, "maps", name));
  }

  apply(updates: readonly MapUpdate[]): void {
    for (const u of updates) {
      const map = path.join(this.dir, "maps", u.map);
      if (!fs.existsSync(map)) throw new LoaderError(`the program has no map ${u.map} (was it built with --emulate-p4tc?)`);
      if (u.value === null) this.tool(["map", "delete", "pinned", map, "key", "hex", ...hexArgs(u.key)], `deleting from ${u.map}`);
      else this.tool(["map", "update", "pinned", map, "key", "hex", ...hexArgs(u.key), "value", "hex", ...hexArgs(u.value)], `updating ${u.map}`);
    }
  }

  /**
   * The value of `key` in map `map`, or undefined when the map has no such
   * key. Any other failure (no such map, bpftool failing, output it cannot
   * read) is a LoaderError, never "absent".
   */
  lookup(map: string, key: Buffer): Buffer | undefined {
    const p = path.join(this.dir, "maps", map);
    if (!fs.existsSync(p)) throw new LoaderError(`the program has no map ${map}`);
    const r = spawnSync(this.bpftool, ["-j", "map", "lookup", "pinned", p, "key", "hex", ...hexArgs(key)], { encoding: "utf8" });
    const out = (r.stdout ?? "").trim();
    if (r.error) throw new LoaderError(`looking up ${map}: cannot run ${this.bpftool}: ${r.error.message}`);
    // bpftool reports an absent key as ENOENT ("No such file or directory" / "not found"), or prints null.
    if (out === "null" || (r.status !== 0 && /No such file or directory|not found/i.test(`${out}${r.stderr}`))) return undefined;
    if (r.status !== 0) throw new LoaderError(`looking up ${map} failed: ${`${out}${r.stderr}`.trim()}`);
    let j: { value?: unknown };
    try {
      j = JSON.parse(out) as { value?: unknown };
    } catch {
      throw new LoaderError(`looking up ${map}: bpftool printed no JSON: ${out.slice(0, 200)}`);
    }
    if (!Array.isArray(j.value)) throw new LoaderError(`looking up ${map}: no value in bpftool's answer: ${out.slice(0, 200)}`);
    return Buffer.from(j.value.map((x) => parseInt(String(x), 16)));
  }

  /** Runs one packet arriving on `ifindex` through parser and main. */
  run(packet: Buffer, ifindex: number): PacketResult {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-run-"));
    try {
      const ctx = Buffer.alloc(SKB_SIZE);
      ctx.writeUInt32LE(ifindex, SKB_IFINDEX);
      const f = (n: string): string => path.join(work, n);
      fs.writeFileSync(f("ctx"), ctx);
      const parser = this.runProg("parser", packet, f, "in", "mid", "ctx", "ctx1");
      const cb1 = fs.readFileSync(f("ctx1")).subarray(SKB_CB, SKB_CB + CB_SIZE);
      if (parser !== TC_ACT_PIPE) return this.result(parser, null, fs.existsSync(f("mid")) ? fs.readFileSync(f("mid")) : packet, cb1);
      const ctx2 = Buffer.alloc(SKB_SIZE);
      ctx2.writeUInt32LE(ifindex, SKB_IFINDEX);
      cb1.copy(ctx2, SKB_CB);
      fs.writeFileSync(f("ctx2"), ctx2);
      const main = this.runProg("main", fs.readFileSync(f("mid")), f, "mid", "out", "ctx2", "ctx3");
      return this.result(parser, main, fs.readFileSync(f("out")), fs.readFileSync(f("ctx3")).subarray(SKB_CB, SKB_CB + CB_SIZE));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  /**
   * Runs `prog` ("parser" or "main") on `data`, straight when the kernel
   * takes the frame as it is, else through the harness (see testRunTakes).
   */
  private runProg(prog: "parser" | "main", data: Buffer, f: (n: string) => string, dataIn: string, dataOut: string, ctxIn: string, ctxOut: string): number {
    let pinned: string = prog;
    if (data.length < TEST_RUN_MIN) throw new LoaderError(`running ${prog} failed: a frame of ${data.length} bytes is shorter than an Ethernet header`);
    if (data.length > HARNESS_MAX) throw new LoaderError(`running ${prog} failed: a frame of ${data.length} bytes is longer than ${HARNESS_MAX}`);
    if (testRunTakes(data)) fs.writeFileSync(f(dataIn), data);
    else {
      if (!this.harness) throw new LoaderError(`running ${prog} failed: BPF_PROG_TEST_RUN does not take this ${data.length}-byte frame as it is, and no harness is loaded`);
      pinned = "harness";
      let sent: Buffer;
      if (data.length > TEST_RUN_MAX_LINEAR) {
        if (data.length < HARNESS_CHUNK) throw new LoaderError("unreachable: a long frame shorter than a harness chunk");
        const buf = Buffer.alloc(HARNESS_BUFFER);
        data.copy(buf);
        this.tool(["map", "update", "pinned", path.join(this.dir, "harness-maps", "p4ts_harness_pkt"), "key", "hex", "00", "00", "00", "00", "value", "hex", ...hexArgs(buf)], "writing the harness's packet");
        sent = data.subarray(0, TEST_RUN_MAX_LINEAR);
      } else {
        // A truncated IP header: send it padded to a whole IPv6 header; the harness cuts it back.
        sent = Buffer.alloc(IPV6_MIN);
        data.copy(sent);
      }
      fs.writeFileSync(f(dataIn), sent);
      const ctx = fs.readFileSync(f(ctxIn));
      ctx.writeUInt32LE((data.length | (prog === "main" ? 0x80000000 : 0)) >>> 0, SKB_MARK);
      fs.writeFileSync(f(ctxIn), ctx);
    }
    const args = ["-j", "prog", "run", "pinned", path.join(this.dir, pinned), "data_in", f(dataIn), "data_out", f(dataOut), "data_size_out", "65535", "ctx_in", f(ctxIn), "ctx_out", f(ctxOut)];
    const r = spawnSync("taskset", ["-c", String(this.cpu), this.bpftool, ...args], { encoding: "utf8" });
    if (r.error || r.status !== 0) {
      const msg = (r.stderr + r.stdout || r.error?.message || "").trim();
      const hint = /Invalid argument/.test(msg)
        ? " (BPF_PROG_TEST_RUN refuses packets the kernel cannot take as a frame, e.g. an IPv4 or IPv6 EtherType followed by less than a full IP header)"
        : /No such device/.test(msg)
          ? " (the input port's ifindex does not exist here: map the STF port to an existing interface with --port N=IFINDEX)"
          : "";
      throw new LoaderError(`running ${prog} failed: ${msg}${hint}`);
    }
    const j = JSON.parse(r.stdout) as { retval: number };
    if (pinned === "harness" && HARNESS_ERRORS[j.retval] !== undefined) throw new LoaderError(`running ${prog} on a ${data.length}-byte frame failed: ${HARNESS_ERRORS[j.retval]}`);
    return j.retval | 0;
  }

  private result(parserRc: number, mainRc: number | null, data: Buffer, cb: Buffer): PacketResult {
    return { parserRc, mainRc, data, egressPort: cb.readUInt32LE(4), drop: cb[2] !== 0, parserError: cb[13]! };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.handleSignals) {
      process.removeListener("SIGINT", this.onSignal);
      process.removeListener("SIGTERM", this.onSignal);
    }
    process.removeListener("exit", this.onExit);
    if (this.mounted) spawnSync("umount", [this.dir]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
