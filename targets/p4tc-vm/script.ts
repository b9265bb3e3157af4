/**
 * The guest side of an STF run on the P4TC VM: the bash script that sets up
 * the ports, loads the program and performs every operation, and the reader
 * that turns the guest's output back into one result per operation. Used by
 * the target (`p4ts stf --target p4tc-vm`, one test per boot) and by the
 * kernel lane (targets/p4tc-vm/lane.ts, many programs per boot), so both run
 * exactly the same commands.
 *
 * Ports. STF port K is the veth pair `portK` (the P4 side: clsact with
 * `ingress_block 21`, where the filter is attached) and `p4portK` (the test
 * side: frames are sent and captured there). `portK` is created with
 * interface index K+1, the emulation's convention (targets/emulation), so a
 * program that writes a port number (`send_to_port((PortId_t)2)`) reaches
 * the same STF port on both. Index 1 is the loopback in every namespace, so
 * STF port 0 gets index PORT0_IFINDEX instead: a program that sends to
 * ifindex 1 reaches STF port 0 in the emulation and nothing on the VM.
 * `dev` values in entries are written by name (`portK`), so they are right
 * whatever the index.
 *
 * Values are spelled the way v13 `tc p4ctrl` parses each P4TC type
 * (iproute2-p4tc-pub master-v13 `tc/p4_types.c`, checked on the VM): `bitN`
 * up to 64 bits as hex (`get_u8/16/32/64`, base 0), `bit128` as exactly 32
 * hex digits (the parser left-aligns a shorter string), `ipv4` as a dotted
 * quad and `ipv6` as an address (both with `/LEN`: only these two types
 * take a mask, `P4TC_T_TYPE_HAS_MASK`), `macaddr` as `aa:bb:..`, `dev` as
 * the port's name, `be16/32/64` as a number. A key v13 `tc` cannot express
 * (a mask or prefix on any other type, a non-contiguous mask, a `bitN` of
 * 65..127 bits) is an operation error naming the reason, never a guess.
 */
import type { PipelineModel, P4tcType } from "../../compiler/ir/pipeline.js";
import type { KeyMatch, OpResult, TargetOp } from "../target.js";

/** The interface index of STF port 0's P4-side interface (index 1 is the loopback). */
export const PORT0_IFINDEX = 1000;
/** Test-side interfaces (`p4portK`) get index TEST_IFINDEX_BASE + K. */
export const TEST_IFINDEX_BASE = 2000;
/** The highest STF port the VM creates an interface for. */
export const MAX_VM_PORT = PORT0_IFINDEX - 2;
/** The tc block the P4 filter is attached to (`p4tc-load`). */
export const BLOCK = 21;
/** Ports created whatever the test uses (the samples send and expect on ports up to 3). */
export const MIN_PORTS = 4;
/** How long pktio keeps capturing after each frame it sends. */
export const CAPTURE_MS = 600;
/** An Ethernet header: no Ethernet port sends or delivers a shorter frame. */
export const ETH_HLEN = 14;

/** The interface index of STF port `port`'s P4-side interface, `ports` overriding (TargetOptions.ports). */
export function vmIfindex(port: number, ports?: ReadonlyMap<number, number>): number {
  return ports?.get(port) ?? (port === 0 ? PORT0_IFINDEX : port + 1);
}

/** A value v13 `tc p4ctrl` cannot take, with the reason. */
export class SpellingError extends Error {}

const hex = (v: bigint, digits = 0): string => `0x${v.toString(16).padStart(digits, "0")}`;

function ipv6Text(v: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return groups.join(":");
}

/** A control-plane value as v13 `tc p4ctrl` parses it for P4TC type `type`. */
export function p4ctrlValue(type: P4tcType | string, v: bigint): string {
  if (type === "dev") return `port${v}`;
  if (type === "ipv4") return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join(".");
  if (type === "ipv6") return ipv6Text(v);
  if (type === "macaddr") return v.toString(16).padStart(12, "0").match(/../g)!.join(":");
  if (type === "be16" || type === "be32" || type === "be64") return hex(v);
  const m = /^bit(\d+)$/.exec(type);
  if (!m) throw new SpellingError(`v13 tc has no parser for type ${type}`);
  const w = Number(m[1]);
  if (w <= 64) return hex(v);
  if (w === 128) return hex(v, 32);
  throw new SpellingError(`v13 tc cannot take a bit${w} value (a bit65..bit127 field fills a 128-bit container, and its parser takes only whole bit128)`);
}

/** The prefix length of `mask` over `width` bits, or null when it is not contiguous from the top. */
function prefixOf(mask: bigint, width: number): number | null {
  for (let len = 0; len <= width; len++) {
    const m = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(width - len);
    if (m === mask) return len;
  }
  return null;
}

/** One key field's value (with `/LEN` where the type takes one) as v13 `tc p4ctrl` parses it. */
export function p4ctrlKey(type: P4tcType | string, width: number, k: KeyMatch): string {
  const v = p4ctrlValue(type, k.value);
  const all = (1n << BigInt(width)) - 1n;
  const len = k.prefixLen !== undefined ? k.prefixLen : k.mask !== undefined && k.mask !== all ? prefixOf(k.mask, width) : width;
  if (len === width) return v;
  if (type !== "ipv4" && type !== "ipv6") {
    const what = k.prefixLen !== undefined ? `prefix /${k.prefixLen}` : `mask ${hex(k.mask!)}`;
    throw new SpellingError(`v13 tc takes no ${what} for key ${k.name} of type ${type}: only ipv4 and ipv6 keys take a mask (give the key @tc_type("ipv4") or match it exactly)`);
  }
  if (len === null) throw new SpellingError(`v13 tc takes only a prefix length for an ${type} key: mask ${hex(k.mask!)} of ${k.name} is not contiguous`);
  return `${v}/${len}`;
}

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/** How many ports a run needs: every port a packet or a `dev` value names, at least MIN_PORTS. */
export function portCount(m: PipelineModel, ops: readonly TargetOp[]): number {
  let n = MIN_PORTS;
  const dev = (type: string | undefined, v: bigint): void => {
    if (type === "dev" && v < BigInt(MAX_VM_PORT)) n = Math.max(n, Number(v) + 1);
  };
  for (const o of ops) {
    if (o.op === "packet") n = Math.max(n, Math.min(o.port, MAX_VM_PORT) + 1);
    if (o.op === "add" || o.op === "remove") {
      const t = m.tables.find((x) => x.name === o.table);
      for (const k of o.keys) dev(t?.keys.find((x) => x.name === k.name)?.type, k.value);
    }
    if (o.op === "add" || o.op === "setDefault") {
      const a = m.actions.find((x) => x.name === o.action);
      for (const g of o.args) dev(a?.params.find((p) => p.name === g.name)?.type, g.value);
    }
  }
  return n;
}

/** Guest commands creating `n` port pairs (see the header) in the current namespace, which must be fresh (`p4tc-netns`: only the loopback). */
export function portSetup(n: number, ports?: ReadonlyMap<number, number>): string[] {
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const mac = (side: number): string => `10:00:${(k & 255).toString(16).padStart(2, "0")}:0${side}:aa:bb`;
    lines.push(`ip link add p4port${k} index ${TEST_IFINDEX_BASE + k} address ${mac(1)} type veth peer name port${k} index ${vmIfindex(k, ports)} address ${mac(2)} || { echo "@@LOAD-FAIL"; echo "cannot create STF port ${k} (port${k} with ifindex ${vmIfindex(k, ports)}): run in a fresh network namespace (p4tc-netns)"; exit 1; }`);
    lines.push(`ip link set dev port${k} up; ip link set dev p4port${k} up; tc qdisc add dev port${k} ingress_block ${BLOCK} clsact`);
  }
  return lines;
}

/** The commands of one operation; they print `@@OP i STATUS` last (and `@@FRAME`/`@@CNT` lines before it). */
function opLines(m: PipelineModel, o: TargetOp, i: number, nPorts: number): string {
  const n = m.pipelineName;
  const done = `echo "@@OP ${i} $?"`;
  const fail = (why: string): string => `echo ${q(why)}; echo "@@OP ${i} 99"`;
  const table = (name: string) => m.tables.find((t) => t.name === name);
  const keysOf = (tname: string, keys: readonly KeyMatch[]): string => {
    const t = table(tname);
    return keys
      .map((k) => {
        const kf = t?.keys.find((x) => x.name === k.name);
        return `${k.name} ${p4ctrlKey(kf?.type ?? "bit32", kf?.bitwidth ?? 32, k)}`;
      })
      .join(" ");
  };
  try {
    switch (o.op) {
      case "add": {
        const a = m.actions.find((x) => x.name === o.action);
        if (!table(o.table) || !a) return fail(`no table ${o.table} or action ${o.action}`);
        const args = o.args.map((g) => ` param ${g.name} ${p4ctrlValue(a.params.find((x) => x.name === g.name)?.type ?? "bit32", g.value)}`).join("");
        const prio = o.priority !== undefined ? ` prio ${o.priority}` : "";
        return `tc p4ctrl create ${q(`${n}/table/${o.table}`)} ${keysOf(o.table, o.keys)}${prio} action ${q(a.localName)}${args} 2>&1; ${done}`;
      }
      case "remove":
        return `tc p4ctrl delete ${q(`${n}/table/${o.table}`)} ${keysOf(o.table, o.keys)} 2>&1; ${done}`;
      case "removeAll":
        // Flushing a table keeps its const entries (they are not deletable).
        return `r=0; for t in ${m.tables.map((t) => q(t.name)).join(" ")}; do tc p4ctrl delete ${q(n)}/table/$t 2>&1 || r=1; done; echo "@@OP ${i} $r"`;
      case "packet": {
        if (o.port > MAX_VM_PORT) return fail(`the P4TC VM has ports 0..${MAX_VM_PORT}`);
        // No Ethernet port sends a frame without a whole Ethernet header (pktio refuses it, and the kernel would pad it).
        if (o.data.length < ETH_HLEN) return `echo "@@SHORT ${o.data.length}"; echo "@@OP ${i} 0"`;
        const capture = Array.from({ length: nPorts }, (_, k) => `-c p4port${k}`).join(" ");
        return `pktio -t ${CAPTURE_MS} ${capture} -s p4port${o.port} ${o.data.toString("hex")} > pkt.out 2>&1; r=$?; sed 's/^p4port/@@FRAME /' pkt.out; echo "@@OP ${i} $r"`;
      }
      case "readCounter": {
        const inst = m.externs.find((e) => e.name === "Counter")?.instances.find((x) => x.name === o.counter);
        if (!inst) return fail(`no Counter instance ${o.counter}`);
        return `tc -j p4ctrl get ${q(`${n}/extern/Counter/${inst.name}`)} tc_key index ${o.index} > cnt.out 2>&1; r=$?; echo "@@CNT $(tr -d '\\n' < cnt.out)"; echo "@@OP ${i} $r"`;
      }
      default:
        return fail(`${o.op} is not supported on the P4TC VM target`);
    }
  } catch (e) {
    if (e instanceof SpellingError) return fail(e.message);
    throw e;
  }
}

export interface ScriptOptions {
  /** STF port → P4-side interface index overrides. */
  readonly ports?: ReadonlyMap<number, number>;
}

/** The guest commands of one STF run: `setup` (ports, `p4tc-load`; `@@LOAD-FAIL` and exit 1 when it fails), then `ops`. */
export function stfScriptParts(m: PipelineModel, ops: readonly TargetOp[], opts: ScriptOptions = {}): { setup: string[]; ops: string[] } {
  const nPorts = portCount(m, ops);
  return {
    setup: [
      "set -u",
      "export INTROSPECTION=$PWD",
      ...portSetup(nPorts, opts.ports),
      `p4tc-load ${q(m.pipelineName)} ${BLOCK} > load.log 2>&1 || { echo "@@LOAD-FAIL"; grep -v '^+ ' load.log | tail -5; grep '^+ ' load.log | tail -1; exit 1; }`,
    ],
    ops: ops.map((o, i) => opLines(m, o, i, nPorts)),
  };
}

/**
 * The guest script of one STF run, from the program's directory (NAME.template,
 * NAME.json and both objects): ports, `p4tc-load`, then each operation. It
 * does not clean up.
 */
export function stfScript(m: PipelineModel, ops: readonly TargetOp[], opts: ScriptOptions = {}): string {
  const p = stfScriptParts(m, ops, opts);
  return [...p.setup, ...p.ops].join("\n") + "\n";
}

interface CounterJson {
  externs?: { key?: number; params?: { name: string; value: number | string }[] }[];
}

function counterResult(text: string, index: number): OpResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: `tc p4ctrl get printed no counter: ${text.trim().slice(0, 200)}` };
  }
  const items = (Array.isArray(parsed) ? parsed : [parsed]) as CounterJson[];
  const el = items.flatMap((x) => x.externs ?? []).find((e) => e.key === index);
  if (!el) return { ok: false, error: `tc p4ctrl get reported no element ${index}` };
  const val = (name: string): bigint => BigInt(el.params?.find((p) => p.name === name)?.value ?? 0);
  return { ok: true, counter: { packets: val("pkts"), bytes: val("bytes") } };
}

/** One result per operation from the guest's output (from `stfScript`). */
export function parseResults(out: string, ops: readonly TargetOp[]): OpResult[] {
  const results: OpResult[] = [];
  let frames: { port: number; data: Buffer }[] = [];
  let text: string[] = [];
  let counter: string | null = null;
  let short: number | null = null;
  for (const l of out.split("\n")) {
    const f = /^@@FRAME (\d+) ([0-9a-fA-F]+)\s*$/.exec(l);
    if (f) {
      frames.push({ port: Number(f[1]), data: Buffer.from(f[2]!, "hex") });
      continue;
    }
    if (l.startsWith("@@CNT ")) {
      counter = l.slice(6);
      continue;
    }
    const s = /^@@SHORT (\d+)/.exec(l);
    if (s) {
      short = Number(s[1]);
      continue;
    }
    const m = /^@@OP (\d+) (\d+)/.exec(l);
    if (!m) {
      text.push(l);
      continue;
    }
    const i = Number(m[1]);
    const op = ops[i];
    const said = text.filter((x) => x.trim() !== "" && !x.startsWith("@@")).slice(-3).join(" ");
    if (!op) continue;
    if (m[2] !== "0") results[i] = { ok: false, error: said || `${op.op} failed (status ${m[2]})` };
    else if (op.op === "packet" && short !== null) results[i] = { ok: true, packet: { outputs: [], note: "drop", warnings: [`a ${short}-byte frame is shorter than an Ethernet header (${ETH_HLEN} bytes): no port sends it, so it never reaches the parser`] } };
    else if (op.op === "packet") results[i] = { ok: true, packet: { outputs: frames, ...(frames.length === 0 ? { note: "drop" } : {}) } };
    else if (op.op === "readCounter") results[i] = counterResult(counter ?? "", op.index);
    else results[i] = { ok: true };
    frames = [];
    text = [];
    counter = null;
    short = null;
  }
  return ops.map((o, i) => results[i] ?? { ok: false, error: `${o.op}: no result from the VM` });
}
