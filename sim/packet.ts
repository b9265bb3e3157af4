/** The interpreter's packets and header data: packet_in extract/lookahead/advance, packet_out emit, header, union and stack methods. */
import type * as A from "../compiler/ast/nodes.js";
import { type V, type HeaderV, type StackV, type StructV, bits, bool, zero, clone, num, SimError, VOID, pushBits, widthOf } from "./values.js";
import { Env, type Machine, type Lval, type PacketIn, ParserErrorSignal, readBits } from "./runtime.js";

export function packetMethod(sim: Machine, o: PacketIn | "packet_out", m: string, c: A.CallExpression, env: Env): V {
  if (o === "packet_out") {
    if (m !== "emit") throw new SimError(`packet_out.${m}`);
    sim.emit(sim.eval(c.args[0]!.value, env));
    return VOID;
  }
  const pin = o;
  const total = pin.data.length * 8;
  switch (m) {
    case "extract": {
      const a = c.args[0]!.value;
      const lv = sim.extractTarget(a, env);
      const h = zero(sim.types.get(a)!) as HeaderV;
      const fixed = [...h.f.values()].filter((x) => x.t !== "vb").reduce((n, x) => n + widthOf(x), 0);
      const vbits = c.args.length > 1 ? Number(num(sim.eval(c.args[1]!.value, env))) : 0;
      // The spec's order: PacketTooShort when the packet is shorter than the fixed part and the size, then HeaderTooShort
      // when the varbit field cannot hold the size (also a size in bits that is not a whole number of bytes).
      if (pin.offBits + fixed + vbits > total) throw new ParserErrorSignal("PacketTooShort");
      const vb = [...h.f.values()].find((x) => x.t === "vb");
      if (vb && vb.t === "vb" && (vbits > vb.max || vbits % 8 !== 0)) throw new ParserErrorSignal("HeaderTooShort");
      let off = pin.offBits;
      for (const [n, f] of h.f) {
        const w = f.t === "vb" ? vbits : widthOf(f);
        const v = readBits(pin.data, off, w);
        off += w;
        h.f.set(n, f.t === "vb" ? { t: "vb", max: f.max, w, v } : f.t === "bool" ? bool(v !== 0n) : f.t === "b" ? { ...(bits(f.w, v, f.s) as object), src: off - w } as V : f);
      }
      h.valid = true;
      pin.offBits = off;
      lv.set(h);
      return VOID;
    }
    case "lookahead": {
      const t = sim.types.get(c)!;
      const z = zero(t);
      const w = widthOf(z);
      if (pin.offBits + w > total) throw new ParserErrorSignal("PacketTooShort");
      return sim.fromBits(z, pin.data, pin.offBits);
    }
    case "advance": {
      const n = Number(num(sim.eval(c.args[0]!.value, env)));
      if (pin.offBits + n > total) throw new ParserErrorSignal("PacketTooShort");
      pin.offBits += n;
      return VOID;
    }
    case "length":
      return bits(32, BigInt(pin.data.length));
    default:
      throw new SimError(`packet_in.${m}`);
  }
}

/** The place `extract` writes: `stack.next` takes the next element (StackOutOfBounds when full). */
export function extractTarget(sim: Machine, a: A.Expression, env: Env): Lval {
  if (a.kind === "MemberExpression" && a.member.text === "next") {
    const s = sim.lval(a.expr, env);
    const st = s.get() as StackV;
    if (st.next >= st.e.length) throw new ParserErrorSignal("StackOutOfBounds");
    const i = st.next;
    return { get: () => st.e[i]!, set: (v) => { st.e[i] = v as HeaderV; st.next = i + 1; } };
  }
  return sim.lval(a, env);
}

export function fromBits(sim: Machine, z: V, data: Buffer, off: number): V {
  switch (z.t) {
    case "b": return { ...(bits(z.w, readBits(data, off, z.w), z.s) as object), src: off } as V;
    case "bool": return bool(readBits(data, off, 1) !== 0n);
    case "hdr": case "struct": {
      const out = clone(z) as HeaderV | StructV;
      let o = off;
      for (const [n, f] of out.f) {
        out.f.set(n, sim.fromBits(f, data, o));
        o += widthOf(f);
      }
      if (out.t === "hdr") out.valid = true;
      return out;
    }
    default: return z;
  }
}

export function emit(sim: Machine, v: V): void {
  const out = sim.pkt.out!;
  switch (v.t) {
    case "hdr": if (v.valid) pushBits(v, out); return;
    case "stack": for (const h of v.e) sim.emit(h); return;
    case "struct": for (const f of v.f.values()) sim.emit(f); return;
    default: throw new SimError(`emit of a ${v.t}`);
  }
}

export function dataMethod(sim: Machine, e: A.Expression, m: string, c: A.CallExpression, env: Env): V {
  const lv = sim.lval(e, env);
  const v = lv.get();
  switch (m) {
    case "isValid":
      if (v.t === "hdr") return bool(v.valid);
      if (v.t === "struct") return bool([...v.f.values()].some((h) => h.t === "hdr" && h.valid));
      break;
    case "setValid":
    case "setInvalid":
      if (v.t === "hdr") {
        // The union this header belongs to keeps at most one valid member.
        if (m === "setValid") sim.invalidateUnionSiblings(e, env);
        v.valid = m === "setValid";
        return VOID;
      }
      break;
    case "push_front":
    case "pop_front": {
      if (v.t !== "stack") break;
      const n = Number(num(sim.eval(c.args[0]!.value, env)));
      const size = v.e.length;
      const fresh = (): HeaderV => { const h = clone(v.e[0]!) as HeaderV; h.valid = false; return h; };
      if (m === "push_front") {
        for (let i = size - 1; i >= 0; i--) v.e[i] = i >= n ? v.e[i - n]! : fresh();
        v.next = Math.min(size, v.next + n);
      } else {
        for (let i = 0; i < size; i++) v.e[i] = i + n < size ? v.e[i + n]! : fresh();
        v.next = Math.max(0, v.next - n);
      }
      for (let i = 0; i < size; i++) v.e[i] = clone(v.e[i]!) as HeaderV;
      return VOID;
    }
    case "minSizeInBits": case "maxSizeInBits": case "minSizeInBytes": case "maxSizeInBytes": {
      const w = widthOf(v);
      return { t: "int", v: BigInt(m.endsWith("Bytes") ? Math.ceil(w / 8) : w) };
    }
  }
  throw new SimError(`unsupported method ${m} on ${v.t}`);
}

export function invalidateUnionSiblings(sim: Machine, e: A.Expression, env: Env): void {
  if (e.kind !== "MemberExpression") return;
  const pt = sim.types.get(e.expr);
  if (!pt || pt.k !== "union") return;
  const u = sim.lval(e.expr, env).get();
  if (u.t !== "struct") return;
  for (const [n, h] of u.f) if (n !== e.member.text && h.t === "hdr") h.valid = false;
}
