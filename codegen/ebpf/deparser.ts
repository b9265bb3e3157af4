/** The deparser: the emitted headers written back to the packet, which is resized when their set may differ from the parsed one. */
import { deparserEmits, type DatapathModel, type EmitStmt, type LValue } from "../../compiler/ir/datapath.js";
import { lvalueC } from "./cexpr.js";
import { layoutOf, type Emitter } from "./emitter.js";
import { writeHeader } from "./packet.js";

/** The deparser: emitted headers written back (only the changed ones unless the layout may change). */
export function deparse(e: Emitter, dp: DatapathModel): void {
  const { w } = e;
  // The deparser body may hold other statements (checksum updates, digests) before and between emits.
  const { emits, conditional } = deparserEmits(dp.deparser.body);
  // Emits that may not run (under an `if`, after an early exit) set a flag where they are: the header's validity then.
  const ran = new Map<EmitStmt, string>();
  if (conditional) {
    emits.forEach((s, i) => {
      ran.set(s, `emitted${i}__`);
      w.line(`__u8 emitted${i}__ = 0;`);
    });
    e.onEmit = (s) => w.line(`${ran.get(s)} = ${lvalueC(s.header)}.ebpf_valid;`);
  }
  for (const s of dp.deparser.body) if (conditional || s.k !== "emit") e.stmt(s);
  e.onEmit = undefined;
  const out = (s: EmitStmt): string => ran.get(s) ?? `${lvalueC(s.header)}.ebpf_valid`;
  // The header that stays in front of the packet (DatapathModel.inPlaceFront) is never written back.
  const front = (lv: LValue): boolean => lv.root === "hdr" && lv.path.length === 1 && lv.path[0] === dp.inPlaceFront;
  const changed = (lv: LValue): boolean => !front(lv) && (dp.mayResize || (lv.root === "hdr" && dp.modifiedHeaders.includes(String(lv.path[0]))));
  let lastChanged = -1;
  emits.forEach((s, i) => {
    if (changed(s.header)) lastChanged = i;
  });
  // Nothing to write back, unless the packet must still lose the headers it no longer emits.
  if (lastChanged < 0 && !dp.mayResize) return;
  w.block("", () => {
    if (lastChanged >= 0) w.line("__u32 off = 0;");
    if (dp.mayResize) {
      w.line("__u32 outlen__ = 0;");
      for (const s of emits) {
        const h = layoutOf(dp, s.layout);
        w.line(`if (${out(s)}) outlen__ += ${h.bits / 8}${h.varbit ? ` + ${lvalueC(s.header)}.${h.varbit.name}_len` : ""};`);
      }
      w.line("__u32 inlen__ = hdrMd->ebpf_packetOffsetInBits / 8;");
      w.line("int delta__ = (int)outlen__ - (int)inlen__;");
      w.block("if (delta__ != 0)", () => {
        // bpf_skb_adjust_room removes or inserts bytes after the first 14. When
        // fewer than 14 bytes are emitted (shrinking) or parsed (growing), the
        // front 14 bytes are moved: before shrinking, the 14 that end up first;
        // after growing, the old front goes behind the inserted bytes. Either
        // way the payload follows the emitted headers whatever their length.
        w.line("__u8 front__[14];");
        w.line("int fix__ = outlen__ < 14 || inlen__ < 14;");
        w.line("if (fix__ && (bpf_skb_load_bytes(skb, delta__ < 0 ? (__u32)(-delta__) : 0, front__, 14) || (delta__ < 0 && bpf_skb_store_bytes(skb, 0, front__, 14, 0))))").line("\treturn TC_ACT_SHOT;");
        // bpf_skb_adjust_room only resizes IPv4/IPv6 frames: P4TC lets the
        // program call it another protocol for the time of the resize (contract §5.2).
        w.line("__be16 proto__ = skb->protocol;");
        w.line("int ip__ = proto__ == bpf_htons(0x0800) || proto__ == bpf_htons(0x86dd);");
        w.line("struct p4tc_skb_meta_set ms__ = {0};");
        w.block("if (!ip__)", () => {
          w.line("p4ts_skb_set_protocol(&ms__, bpf_htons(0x0800));");
          w.line("bpf_p4tc_skb_meta_set(skb, &ms__, sizeof(ms__));");
        });
        w.line("long rc__ = bpf_skb_adjust_room(skb, delta__, BPF_ADJ_ROOM_MAC, 0);");
        w.block("if (!ip__)", () => {
          w.line("ms__.protocol = proto__;");
          w.line("bpf_p4tc_skb_meta_set(skb, &ms__, sizeof(ms__));");
        });
        w.line("if (rc__)").line("\treturn TC_ACT_SHOT;");
        w.line("if (fix__ && delta__ > 0 && bpf_skb_store_bytes(skb, (__u32)delta__, front__, 14, 0))").line("\treturn TC_ACT_SHOT;");
      });
    }
    if (lastChanged < 0) return;
    w.line("__u8 *pkt = (__u8 *)(long)skb->data;");
    w.line("__u8 *end = (__u8 *)(long)skb->data_end;");
    emits.slice(0, lastChanged + 1).forEach((s) => {
      const h = layoutOf(dp, s.layout);
      const n = h.bits / 8;
      w.block(`if (${out(s)})`, () => {
        if (changed(s.header) && n > 0) {
          w.line(`if (pkt + off + ${n} > end)`).line("\treturn TC_ACT_SHOT;");
          w.block("", () => {
            w.line("__u8 *p__ = pkt + off;");
            writeHeader(w, h, lvalueC(s.header), "p__");
          });
        }
        if (n > 0) w.line(`off += ${n};`);
        if (h.varbit) {
          const v = `${lvalueC(s.header)}.${h.varbit.name}`;
          if (changed(s.header)) {
            w.block(`for (__u32 i__ = 0; i__ < ${h.varbit.maxBits / 8}; i__++)`, () => {
              w.line(`if (i__ >= ${v}_len)`).line("\tbreak;");
              // One pointer for the check and the store: the verifier tracks the range on it (not on a recomputed pkt + off).
              w.line("__u8 *b__ = pkt + off + i__;");
              w.line("P4TS_PKT_OPAQUE(b__);");
              w.line("if (b__ + 1 > end)").line("\treturn TC_ACT_SHOT;");
              w.line(`*b__ = ${v}[i__];`);
            });
          }
          // The length is at most the field's size; saying so keeps \`off\` bounded for the verifier after several varbit headers.
          w.line(`if (${v}_len > ${h.varbit.maxBits / 8})`).line("\treturn TC_ACT_SHOT;");
          w.line(`off += ${v}_len;`);
        }
      });
    });
  });
}
