/** `NAME_control_blocks.c`: the control and the deparser (section `p4tc/main`); tables are looked up through P4TC's kfuncs. */
import type { DatapathModel, DStmt } from "../../compiler/ir/datapath.js";
import { containerBits, exprC, lvalueC, wideBytes, wideC, type Routine } from "./cexpr.js";
import { deparse } from "./deparser.js";
import type { Emitter } from "./emitter.js";
import { externValueC } from "./externs.js";
import { BANNER } from "./header.js";
import { commonStmt, locText } from "./statements.js";
import { CWriter } from "./writer.js";

export function renderMain(name: string, dp: DatapathModel, routines: Set<Routine>, trace = false): string {
  // 1. banner, the parser header, the filter fields, one packed key struct per table
  // 2. tc_ingress_func: the header map's entry, hit flags, checksum states, the PNA metadata reset
  // 3. the control's locals and body (tables applied through bpf_p4tc_tbl_read), then control_done
  // 4. a dropped packet stops here; otherwise the deparser's locals, the deparser, the redirect
  const w = new CWriter();
  w.line(BANNER(name)).line(`#include "${name}_parser.h"`).line().line("struct p4tc_filter_fields p4tc_filter_fields;").line();
  for (const t of dp.tables) {
    w.block(`struct __attribute__((__packed__)) ${t.cName}_key`, () => {
      w.line("__u32 keysz;");
      w.line("__u32 maskid;");
      t.keys.forEach((k, i) => w.line(`${keyFieldType(k.width)} field${i}${keyFieldSuffix(k.width)};`));
    }, " __attribute__((aligned(8)));");
    w.line();
  }
  const tables = new Map(dp.tables.map((t) => [t.id, t]));
  const usedHits = new Set<number>();
  const sites = applySites(dp);
  const e: Emitter = {
    w,
    dp,
    routines,
    lookahead: () => "0",
    externValue: (c, t) => externValueC(e, c, t),
    stmt: (s) =>
      commonStmt(e, s, (s) => {
        switch (s.k) {
          case "apply": {
            const t = tables.get(s.table);
            if (!t) return;
            applyTable(e, sites(t), s.cases, usedHits, trace);
            return;
          }
          case "exit":
            w.line("goto control_done;");
            return;
          case "emit":
            e.onEmit?.(s); // the writes are rendered by the deparser below
            return;
          default:
            w.line(`/* p4ts: ${s.k} outside the parser */`);
        }
      }),
  };
  // Which tables' hit flags are read.
  JSON.stringify(dp, (_k, v: unknown) => {
    if (v && typeof v === "object" && (v as { k?: string }).k === "hit") usedHits.add((v as { table: number }).table);
    return typeof v === "bigint" ? v.toString() : v;
  });
  w.block('SEC("p4tc/main") int tc_ingress_func(struct __sk_buff *skb)', () => {
    w.line("struct pna_global_metadata *compiler_meta__ = P4TS_GLOBAL_METADATA(skb);");
    w.line("__u32 zero__ = 0;");
    w.line("struct hdr_md *hdrMd = bpf_map_lookup_elem(&hdr_md_cpumap, &zero__);");
    w.line("if (!hdrMd)").line("\treturn TC_ACT_SHOT;");
    w.line(`struct ${dp.headersStruct} *hdr = &hdrMd->cpumap_hdr;`);
    w.line(`struct ${dp.metaStruct} *meta = &hdrMd->cpumap_usermeta;`);
    w.line("(void)hdr;").line("(void)meta;");
    for (const h of usedHits) w.line(`__u8 hit_${h} = 0;`);
    for (const c of dp.checksums) w.line(`struct p4tc_ext_csum_params ${c.name} = {0};`);
    for (const c of dp.checksums) w.line(`(void)${c.name};`);
    // Only skb_set_protocol goes through the aggregate; the other skb_set_* write the skb directly.
    if (/"k":"skb_set","field":"protocol"/.test(JSON.stringify(dp.control, bigintSafe))) w.line("struct p4tc_skb_aggregate skb_meta__ = {0};");
    w.line("compiler_meta__->drop = false;");
    w.line("compiler_meta__->recirculate = false;");
    w.line("compiler_meta__->egress_port = 0;");
    w.line("if (!compiler_meta__->recirculated)").line("\tcompiler_meta__->mark = P4TS_PNA_MARK;");
    for (const s of dp.control.locals) e.stmt(s);
    w.block("", () => {
      for (const s of dp.control.body) e.stmt(s);
    });
    w.label("control_done");
    if (trace) {
      w.block("if (compiler_meta__->drop)", () => w.line('bpf_printk("p4ts: drop");').line("return TC_ACT_SHOT;"));
    } else w.line("if (compiler_meta__->drop)").line("\treturn TC_ACT_SHOT;");
    for (const s of dp.deparser.locals) e.stmt(s);
    deparse(e, dp);
    if (trace) {
      w.block("if (compiler_meta__->egress_port == 0)", () => w.line('bpf_printk("p4ts: pass (no egress port)");').line("return TC_ACT_OK;"));
      w.line('bpf_printk("p4ts: redirect to port %u", compiler_meta__->egress_port);');
    } else w.line("if (compiler_meta__->egress_port == 0)").line("\treturn TC_ACT_OK;");
    w.line("return bpf_redirect(compiler_meta__->egress_port, 0);");
  });
  w.line().line("P4TS_LICENSE_GPL;");
  return w.text();
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

function keyFieldType(width: number): string {
  if (width <= 8) return "__u8";
  if (width <= 16) return "__u16";
  if (width <= 24) return "__u8";
  if (width <= 32) return "__u32";
  if (width <= 56) return "__u8";
  if (width <= 64) return "__u64";
  return "__u8";
}

function keyFieldSuffix(width: number): string {
  if ((width > 16 && width <= 24) || (width > 32 && width <= 56) || width > 64) return `[${Math.ceil(width / 8)}]`;
  return "";
}

/**
 * A table as rendered at its next apply site. Its action bodies are rendered
 * at every site, and C labels are the function's: the labels in them (an
 * action's `return`, or one it calls directly) get a suffix from the second
 * site on that no label of the program has.
 */
function applySites(dp: DatapathModel): (t: DatapathModel["tables"][number]) => DatapathModel["tables"][number] {
  const labels = new Set<string>();
  JSON.stringify(dp, (_k, v: unknown) => {
    if (v && typeof v === "object" && (v as { k?: string }).k === "label") labels.add((v as { label: string }).label);
    return typeof v === "bigint" ? v.toString() : v;
  });
  const seen = new Map<number, number>();
  return (t) => {
    const site = seen.get(t.id) ?? 0;
    seen.set(t.id, site + 1);
    if (site === 0) return t;
    const renamed = new Map<string, string>();
    const rename = (l: string): string => {
      let c = renamed.get(l);
      if (c === undefined) {
        c = `${l}_at${site}`;
        while (labels.has(c)) c += "_";
        labels.add(c);
        renamed.set(l, c);
      }
      return c;
    };
    return { ...t, actions: t.actions.map((a) => ({ ...a, body: relabel(a.body, rename) })) };
  };
}

/** `body` with its labels (and the returns that jump to them) renamed. */
function relabel<T>(x: T, rename: (l: string) => string): T {
  if (Array.isArray(x)) return x.map((y) => relabel(y, rename)) as T;
  if (!x || typeof x !== "object") return x;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) o[k] = relabel(v, rename);
  const kind = (x as { k?: string }).k;
  if ((kind === "label" || kind === "return") && typeof o.label === "string") o.label = rename(o.label);
  return o as T;
}

function applyTable(e: Emitter, t: DatapathModel["tables"][number], cases: Extract<DStmt, { k: "apply" }>["cases"], usedHits: Set<number>, trace: boolean): void {
  const { w } = e;
  w.block("", () => {
    w.line(`struct ${t.cName}_key key;`);
    w.line("__builtin_memset(&key, 0, sizeof(key));");
    w.line(`key.keysz = ${t.keySize};`);
    t.keys.forEach((k, i) => {
      const f = `key.field${i}`;
      if (k.width > 64) {
        if (k.value.k === "lval") w.line(`__builtin_memcpy(${f}, ${lvalueC(k.value.lv)}, ${Math.ceil(k.width / 8)});`);
        else w.line(`p4ts_store_be(${f}, ${wideBytes(k.width)}, ${wideC(k.value, e)});`);
        return;
      }
      const v = exprC(k.value, e);
      if (keyFieldSuffix(k.width)) {
        const n = Math.ceil(k.width / 8);
        for (let j = 0; j < n; j++) w.line(`${f}[${j}] = (__u8)((__u64)(${v}) >> ${k.network ? 8 * (n - 1 - j) : 8 * j});`);
        return;
      }
      const bits = containerBits(k.width);
      if (k.network && bits > 8) w.line(`${f} = ${bits === 16 ? "bpf_htons" : bits === 32 ? "bpf_htonl" : "bpf_cpu_to_be64"}(${v});`);
      else w.line(`${f} = ${v};`);
    });
    w.line(`struct p4tc_table_entry_act_bpf_params params__ = { .pipeid = p4tc_filter_fields.pipeid, .tblid = ${t.id} };`);
    w.line("struct p4tc_table_entry_act_bpf *act_bpf = bpf_p4tc_tbl_read(skb, &params__, sizeof(params__), &key, sizeof(key));");
    w.line("(void)act_bpf;");
    if (trace) {
      w.line("if (act_bpf && act_bpf->hit)").line(`\tbpf_printk("p4ts: table ${t.cName} hit action %u", act_bpf->act_id);`);
      w.line("else").line(`\tbpf_printk("p4ts: table ${t.cName} miss action %u", act_bpf ? act_bpf->act_id : 0);`);
    }
    if (usedHits.has(t.id)) w.line(`hit_${t.id} = act_bpf ? act_bpf->hit : 0;`);
    if (t.actions.length > 0) {
      w.block("if (act_bpf)", () => {
        w.block("switch (p4ts_act_id(act_bpf))", () => {
          for (const a of t.actions) {
            w.line(`case ${a.id}: /* ${a.name.replace(/\*\//g, "")}${a.loc ? `, ${locText(a.loc)}` : ""} */`);
            w.block("", () => a.body.forEach((s) => e.stmt(s)));
            w.line("break;");
          }
          w.line("default:").line("break;");
        });
      });
    }
    if (cases) {
      w.block("switch (act_bpf ? p4ts_act_id(act_bpf) : 0)", () => {
        for (const c of cases) {
          if (c.actions === "default") w.line("default:");
          else for (const id of c.actions) w.line(`case ${id}:`);
          w.block("", () => c.body.forEach((s) => e.stmt(s)));
          w.line("break;");
        }
      });
    }
  });
}
