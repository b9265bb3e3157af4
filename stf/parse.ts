/**
 * The STF packet-test format as the P4 reference tests write it (contract
 * §6): `add`, `setdefault`, `remove`, `packet`, `expect`, `wait`, and the
 * statements p4ts parses but does not check (`check_counter`, `no_packet`),
 * one per line, `#` comments.
 */

export interface StfValue {
  readonly value: bigint;
  /** From ternary `*` nibbles or `&&&`. */
  readonly mask?: bigint;
  /** From `VALUE/PREFIX` (lpm). */
  readonly prefix?: number;
}

export type StfStatement =
  | { readonly k: "add"; readonly line: number; readonly table: string; readonly prio: number | null; readonly keys: readonly { name: string; v: StfValue }[]; readonly action: string; readonly args: readonly { name: string; v: StfValue }[] }
  | { readonly k: "setdefault"; readonly line: number; readonly table: string; readonly action: string; readonly args: readonly { name: string; v: StfValue }[] }
  | { readonly k: "remove"; readonly line: number; readonly table: string | null; readonly keys: readonly { name: string; v: StfValue }[] }
  | { readonly k: "packet"; readonly line: number; readonly port: number; readonly data: Buffer }
  /** `data` null: any packet; `mask`: 0xf per nibble that must match. */
  | { readonly k: "expect"; readonly line: number; readonly port: number; readonly data: Buffer | null; readonly care: Buffer | null; readonly exactLength: boolean }
  | { readonly k: "wait"; readonly line: number }
  /** `check_counter NAME(INDEX) [packets|bytes] == VALUE` */
  | { readonly k: "check_counter"; readonly line: number; readonly counter: string; readonly index: number; readonly what: "packets" | "bytes"; readonly value: bigint }
  /** p4ts extension: `meter_config NAME(INDEX) cir:R cbs:B pir:R pbs:B` (rates per second, bursts in the meter's units). */
  | { readonly k: "meter_config"; readonly line: number; readonly meter: string; readonly index: number; readonly cir: bigint; readonly cbs: bigint; readonly pir: bigint; readonly pbs: bigint }
  | { readonly k: "ignored"; readonly line: number; readonly what: string };

export class StfError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

/** A number: `0x..` (with `*` nibbles for don't care), `0b..`, decimal, a dotted quad or a MAC address; `V/PREFIX`; `V&&&M`. */
export function parseValue(text: string, line: number): StfValue {
  const t = text.trim();
  const amp = t.indexOf("&&&");
  if (amp >= 0) return { value: parseValue(t.slice(0, amp), line).value, mask: parseValue(t.slice(amp + 3), line).value };
  const slash = t.indexOf("/");
  if (slash >= 0) {
    const prefix = Number(t.slice(slash + 1));
    if (!Number.isInteger(prefix)) throw new StfError(line, `bad prefix length in '${t}'`);
    return { value: parseValue(t.slice(0, slash), line).value, prefix };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(t)) return { value: t.split(".").reduce((v, p) => (v << 8n) | BigInt(Number(p) & 0xff), 0n) };
  if (/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(t)) return { value: t.split(":").reduce((v, p) => (v << 8n) | BigInt(parseInt(p, 16)), 0n) };
  const hex = /^0x([0-9a-fA-F*_]+)$/.exec(t);
  if (hex) {
    const digits = hex[1]!.replace(/_/g, "");
    if (digits.includes("*")) {
      const value = BigInt(`0x${digits.replace(/\*/g, "0")}`);
      const mask = BigInt(`0x${[...digits].map((c) => (c === "*" ? "0" : "f")).join("")}`);
      return { value, mask };
    }
    return { value: BigInt(`0x${digits}`) };
  }
  if (/^0b[01_]+$/.test(t)) return { value: BigInt(t.replace(/_/g, "")) };
  if (/^-?\d+$/.test(t)) return { value: BigInt(t) };
  throw new StfError(line, `bad number '${t}'`);
}

function parsePairs(text: string, line: number): { name: string; v: StfValue }[] {
  const out: { name: string; v: StfValue }[] = [];
  for (const part of text.split(/[\s,]+/).filter((x) => x.length > 0)) {
    const colon = part.indexOf(":");
    if (colon < 0) throw new StfError(line, `expected NAME:VALUE, got '${part}'`);
    out.push({ name: part.slice(0, colon), v: parseValue(part.slice(colon + 1), line) });
  }
  return out;
}

/** `ACTION(ARG:VAL, ...)` */
function parseAction(text: string, line: number): { action: string; args: { name: string; v: StfValue }[] } {
  const m = /^([\w.]+)\s*(?:\((.*)\))?$/.exec(text.trim());
  if (!m) throw new StfError(line, `expected ACTION(ARG:VALUE, ...), got '${text.trim()}'`);
  return { action: m[1]!, args: m[2] ? parsePairs(m[2], line) : [] };
}

function parseHex(words: readonly string[], line: number): { data: Buffer; care: Buffer; exactLength: boolean } {
  let text = words.join("");
  const exactLength = text.endsWith("$");
  if (exactLength) text = text.slice(0, -1);
  if (!/^[0-9a-fA-F*]*$/.test(text)) throw new StfError(line, `bad packet data '${text.slice(0, 40)}'`);
  if (text.length % 2 !== 0) throw new StfError(line, `packet data has an odd number of hex digits (${text.length})`);
  const data = Buffer.alloc(text.length / 2);
  const care = Buffer.alloc(text.length / 2);
  for (let i = 0; i < data.length; i++) {
    const hi = text[2 * i]!;
    const lo = text[2 * i + 1]!;
    data[i] = (hi === "*" ? 0 : parseInt(hi, 16) << 4) | (lo === "*" ? 0 : parseInt(lo, 16));
    care[i] = (hi === "*" ? 0 : 0xf0) | (lo === "*" ? 0 : 0x0f);
  }
  return { data, care, exactLength };
}

/** The largest STF port: port N is ifindex N + 1 by default, a 32-bit number. */
export const MAX_PORT = 0xfffffffe;

/** A port number: decimal, 0..MAX_PORT. */
function parsePort(text: string | undefined, line: number, usage: string): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new StfError(line, `${text === undefined ? "no port" : `bad port '${text}'`}: expected ${usage}`);
  const port = Number(text);
  if (port > MAX_PORT) throw new StfError(line, `port ${text} is out of 0..${MAX_PORT}`);
  return port;
}

export function parseStf(text: string): StfStatement[] {
  const out: StfStatement[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const s = raw.replace(/#.*$/, "").trim();
    if (s === "") return;
    const [cmd, ...rest] = s.split(/\s+/);
    const restText = s.slice(cmd!.length).trim();
    switch (cmd!.toLowerCase()) {
      case "add": {
        // add TABLE [PRIO] KEY:VAL ... ACTION(ARGS) [= ID]
        const body = restText.replace(/=\s*\w+\s*$/, "").trim();
        const paren = body.indexOf("(");
        const head = (paren >= 0 ? body.slice(0, paren) : body).trim().split(/\s+/);
        const actionName = head.pop()!;
        const table = head.shift();
        if (!table || !actionName) throw new StfError(line, "expected: add TABLE [PRIO] KEY:VALUE ... ACTION(ARG:VALUE, ...)");
        let prio: number | null = null;
        if (head.length > 0 && /^\d+$/.test(head[0]!)) prio = Number(head.shift());
        const action = parseAction(actionName + (paren >= 0 ? body.slice(paren) : ""), line);
        out.push({ k: "add", line, table, prio, keys: parsePairs(head.join(" "), line), action: action.action, args: action.args });
        return;
      }
      case "setdefault": {
        const sp = restText.search(/\s/);
        if (sp < 0) throw new StfError(line, "expected: setdefault TABLE ACTION(ARG:VALUE, ...)");
        const action = parseAction(restText.slice(sp + 1), line);
        out.push({ k: "setdefault", line, table: restText.slice(0, sp), action: action.action, args: action.args });
        return;
      }
      case "remove": {
        if (rest[0] === "all") {
          out.push({ k: "remove", line, table: null, keys: [] });
          return;
        }
        out.push({ k: "remove", line, table: rest[0]!, keys: parsePairs(rest.slice(1).join(" "), line) });
        return;
      }
      case "packet": {
        const port = parsePort(rest[0], line, "packet PORT HEXDATA");
        out.push({ k: "packet", line, port, data: parseHex(rest.slice(1), line).data });
        return;
      }
      case "expect": {
        const port = parsePort(rest[0], line, "expect PORT [HEXDATA]");
        if (rest.length === 1) {
          out.push({ k: "expect", line, port, data: null, care: null, exactLength: false });
          return;
        }
        const h = parseHex(rest.slice(1), line);
        out.push({ k: "expect", line, port, data: h.data, care: h.care, exactLength: h.exactLength });
        return;
      }
      case "wait":
        out.push({ k: "wait", line });
        return;
      case "check_counter": {
        const m = /^([\w.]+)\s*\(\s*(\d+)\s*\)\s*(packets|pkts|bytes)?\s*==\s*(\S+)$/.exec(restText);
        if (!m) throw new StfError(line, "expected: check_counter NAME(INDEX) [packets|bytes] == VALUE");
        out.push({ k: "check_counter", line, counter: m[1]!, index: Number(m[2]), what: m[3] === "bytes" ? "bytes" : "packets", value: parseValue(m[4]!, line).value });
        return;
      }
      case "meter_config": {
        const m = /^([\w.]+)\s*\(\s*(\d+)\s*\)\s+(.*)$/.exec(restText);
        if (!m) throw new StfError(line, "expected: meter_config NAME(INDEX) cir:RATE cbs:BURST pir:RATE pbs:BURST");
        const kv = new Map(parsePairs(m[3]!, line).map((p) => [p.name, p.v.value]));
        const get = (k: string): bigint => {
          const v = kv.get(k);
          if (v === undefined) throw new StfError(line, `meter_config: no ${k}`);
          return v;
        };
        out.push({ k: "meter_config", line, meter: m[1]!, index: Number(m[2]), cir: get("cir"), cbs: get("cbs"), pir: get("pir"), pbs: get("pbs") });
        return;
      }
      default:
        out.push({ k: "ignored", line, what: cmd! });
    }
  });
  return out;
}
