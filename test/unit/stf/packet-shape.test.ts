// Whether the deparser may change the bytes before the payload
// (DatapathModel.mayResize): each fixture whose parsed bytes move, vanish or
// repeat is resized, and programs that emit exactly what they parse, in
// parse order, keep the in-place write-back. The packets themselves are
// checked by the fixtures' STF tests on the emulation and the interpreter.
import path from "node:path";
import { compile } from "../../../compiler/compile.js";
import { generateProgram } from "../../../fuzz/generate.js";
import { repoRoot } from "../../helpers/corpus.js";

const fixture = (name: string): string => path.join(repoRoot, "test", "fixtures", "stf", `${name}.p4`);

function model(file: string) {
  const r = compile({ input: { file } });
  expect(r.ok).toBe(true);
  return { dp: r.pipeline!.datapath!, main: Object.entries(r.outputs!).find(([f]) => f.endsWith("_control_blocks.c"))![1] };
}

test.each([
  ["advance_gap", "bytes skipped with advance() are not payload"],
  ["emit_reorder", "the headers are emitted in another order than parsed"],
  ["emit_twice", "a header is emitted twice"],
  ["extract_twice", "a header is extracted twice, emitted once"],
  ["extract_local", "a header is extracted into a parser local"],
  ["stack_partial", "only part of a parsed stack is emitted"],
  ["parse_order", "one parser path extracts in another order than emitted"],
  ["emit_conditional", "an emit depends on a condition"],
  ["varbit_reorder", "varbit headers are emitted in another order than parsed"],
])("%s: the packet is resized (%s)", (name) => {
  expect(model(fixture(name)).dp.mayResize).toBe(true);
});

test.each(["mpls_stack", "subparser", "odd_byte_fields", "varbit_after_nibbles"])("%s: parsed and emitted alike, written back in place", (name) => {
  const { dp, main } = model(fixture(name));
  expect(dp.mayResize).toBe(false);
  expect(main).not.toMatch(/bpf_skb_adjust_room/);
});

test("a conditional emit is decided where it runs: a flag holds the header's validity there", () => {
  const { main } = model(fixture("emit_conditional"));
  expect(main).toMatch(/if \(meta->flag == 1U\) \{[^]*?emitted1__ = hdr->tag\.ebpf_valid;/);
  expect(main).toMatch(/if \(emitted1__\) outlen__ \+= 4;/);
});

test("generated programs (difftest's and the fuzzer's) meet these shapes: bytes skipped, emits out of declaration order or conditional, each resized", () => {
  const shapes = { advance: 0, conditional: 0, reordered: 0 };
  for (let seed = 1; seed <= 60; seed++) {
    const p = generateProgram(seed);
    const dep = p.source.slice(p.source.indexOf("control MainDeparserImpl"));
    const emitted = [...dep.matchAll(/pkt\.emit\(hdr\.(\w+)\)/g)].map((m) => m[1]);
    const declared = [...p.source.matchAll(/^ {4}\w+(?:\[\d+\])? (\w+);$/gm)].map((m) => m[1]).filter((n) => emitted.includes(n));
    const shape = /pkt\.advance\(/.test(p.source) ? "advance" : /if \([^)]*\) \{ pkt\.emit/.test(dep) ? "conditional" : emitted.join() !== declared.join() ? "reordered" : null;
    if (!shape) continue;
    const r = compile({ input: { source: p.source, fileName: `${p.name}.p4` } });
    if (!r.ok) continue;
    shapes[shape]++;
    expect({ seed, shape, mayResize: r.pipeline!.datapath!.mayResize }).toEqual({ seed, shape, mayResize: true });
  }
  expect(shapes.advance).toBeGreaterThan(0);
  expect(shapes.conditional + shapes.reordered).toBeGreaterThan(0);
});
