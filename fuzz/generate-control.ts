/**
 * The generator's main control (fuzz/generate.ts): externs, actions,
 * tables with every match kind and property, nested statements and
 * expressions over the program's header and metadata fields.
 */
import type { Rng } from "./rng.js";
import { ControlGenBase, type ActionDecl, type EnumDecl, type Key, type Kind, type Scalar, type TableDecl } from "./generate-control-ext.js";

export type { EnumDecl, Extras, Field, HeaderType, ProgramShape, Scalar } from "./generate-control-ext.js";

export class ControlGen extends ControlGenBase {
  emit(): string {
    this.genExterns();
    const na = this.r.int(1, 4);
    for (let i = 0; i < na; i++) this.genAction();
    if (this.x.chance(0.35)) this.withExt(() => this.genDirectAction());
    const nt = this.r.int(0, 3);
    for (let i = 0; i < nt; i++) this.genTable();
    const body: string[][] = [];
    const nl = this.r.int(0, 2);
    for (let i = 0; i < nl; i++) {
      const w = this.g.width(false, this.r);
      const name = this.fresh("v");
      body.push([`        bit<${w}> ${name} = ${this.expr(w, 2, [])};`]);
      this.locals.push({ expr: name, width: w, writable: true });
    }
    if (this.x.chance(0.3)) body.push(this.withExt(() => this.extLocals()));
    const n = this.r.int(1, 5);
    for (let i = 0; i < n; i++) body.push(this.stmt(2, 0, []));
    for (const t of this.tables) if (this.r.chance(0.5)) body.push([`        ${t.name}.apply();`]);
    if (this.opts.sub) {
      this.decls.push(`    ${this.opts.sub}() sc;`);
      body.splice(this.x.int(0, body.length), 0, [`        sc.apply(hdr, meta, istd, ostd);`]);
    }
    return [
      `control ${this.opts.name ?? "MainControlImpl"}(inout headers_t hdr, inout metadata_t meta, in pna_main_input_metadata_t istd, inout pna_main_output_metadata_t ostd) {`,
      ...this.decls,
      `    apply {`,
      ...body.flat(),
      `    }`,
      `}`,
      "",
    ].join("\n");
  }

  /** Locals of the later features: a control constant, an int<N>, a bool, a copy of a metadata struct or of a header. */
  protected genExterns(): void {
    const d = this.decls;
    const idx = () => this.r.pick([8, 16, 32]);
    if (this.r.chance(0.3)) {
      const s = idx();
      const name = this.fresh("cnt");
      d.push(`    Counter<bit<64>, bit<${s}>>(${this.r.int(1, 2048)}, PNA_CounterType_t.${this.r.pick(["PACKETS", "BYTES", "PACKETS_AND_BYTES"])}) ${name};`);
      this.externs.push({ kind: "Counter", name, width: s });
    }
    if (this.r.chance(0.3)) {
      const s = idx();
      const name = this.fresh("met");
      d.push(`    Meter<bit<${s}>>(${this.r.int(1, 2048)}, PNA_MeterType_t.${this.r.pick(["PACKETS", "BYTES"])}) ${name};`);
      this.externs.push({ kind: "Meter", name, width: s });
    }
    if (this.r.chance(0.3)) {
      const w = this.r.pick([8, 16, 32, 64]);
      const name = this.fresh("reg");
      const init = this.r.chance(0.5) ? `, ${this.g.lit(w, this.r)}` : "";
      d.push(`    Register<bit<${w}>, bit<32>>(${this.r.int(1, 1024)}${init}) ${name};`);
      this.externs.push({ kind: "Register", name, width: w });
    }
    if (this.r.chance(0.3)) {
      const w = this.r.pick([16, 32]);
      const name = this.fresh("hash");
      d.push(`    Hash<bit<${w}>>(PNA_HashAlgorithm_t.${w === 16 ? "CRC16" : "CRC32"}) ${name};`);
      this.externs.push({ kind: "Hash", name, width: w });
    }
    if (this.r.chance(0.2)) {
      const w = this.r.pick([8, 16, 32]);
      const name = this.fresh("rnd");
      const a = this.r.bits(w), b = this.r.bits(w);
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      d.push(`    Random<bit<${w}>>(${lo}, ${hi}) ${name};`);
      this.externs.push({ kind: "Random", name, width: w });
    }
    if (this.r.chance(0.15)) {
      const w = this.r.pick([8, 16, 32]);
      const name = this.fresh("dig");
      d.push(`    Digest<bit<${w}>>() ${name};`);
      this.externs.push({ kind: "Digest", name, width: w });
    }
  }

  /** A statement using an extern (or a PNA extern function). */
  protected externStmt(ind: string, params: Scalar[]): string[] {
    const choices: (() => string[])[] = [
      () => [`${ind}drop_packet();`],
      () => [`${ind}send_to_port((PortId_t)${this.expr(32, 1, params)});`],
      () => [`${ind}skb_set_mark(skb_get_mark() + 1);`],
      () => {
        const s = this.writable(params, 1);
        return s ? [`${ind}${s.expr} = (bit<${s.width}>)(is_host_port(istd.input_port) ? ${this.expr(s.width, 1, params)} : ${s.expr});`] : [];
      },
    ];
    for (const e of this.externs) {
      switch (e.kind) {
        case "Counter":
          choices.push(() => [`${ind}${e.name}.count(${this.expr(e.width, 1, params)});`]);
          break;
        case "Meter":
          choices.push(() => {
            const c = this.fresh("color");
            const arg = this.r.chance(0.5) ? `, PNA_MeterColor_t.${this.r.pick(["RED", "GREEN", "YELLOW"])}` : "";
            return [
              `${ind}PNA_MeterColor_t ${c} = ${e.name}.execute(${this.expr(e.width, 1, params)}${arg});`,
              `${ind}if (${c} == PNA_MeterColor_t.RED) { drop_packet(); }`,
            ];
          });
          break;
        case "Register":
          choices.push(() => {
            const s = this.writable(params, e.width);
            const rd = `${e.name}.read(${this.expr(32, 1, params)})`;
            return s && s.width === e.width ? [`${ind}${s.expr} = ${rd};`] : [`${ind}${e.name}.write(${this.expr(32, 1, params)}, ${this.expr(e.width, 1, params)});`];
          });
          break;
        case "Hash":
          choices.push(() => {
            const s = this.writable(params, e.width);
            if (!s || s.width !== e.width) return [];
            const data = `{${this.scalarList(params)}}`;
            return this.r.chance(0.5)
              ? [`${ind}${s.expr} = ${e.name}.get_hash(${data});`]
              : [`${ind}${s.expr} = ${e.name}.get_hash(${this.g.lit(e.width, this.r)}, ${data}, ${this.g.lit(e.width, this.r)});`];
          });
          break;
        case "Random":
          choices.push(() => {
            const s = this.writable(params, e.width);
            return s && s.width === e.width ? [`${ind}${s.expr} = ${e.name}.read();`] : [];
          });
          break;
        case "Digest":
          choices.push(() => [`${ind}${e.name}.pack(${this.expr(e.width, 1, params)});`]);
          break;
      }
    }
    return this.r.pick(choices)();
  }

  /** A comma-separated list of 1-4 readable fields (of whole bytes when `bytes16`, 16-bit multiples). */
  protected scalarList(params: Scalar[], words16 = false): string {
    const all = this.readable(params).filter((s) => s.width <= 64 && (!words16 || s.width % 16 === 0));
    if (all.length === 0) return words16 ? `16w${this.r.bits(16)}` : `8w${this.r.bits(8)}`;
    const n = this.r.int(1, 4);
    const xs: string[] = [];
    for (let i = 0; i < n; i++) xs.push(this.r.pick(all).expr);
    return xs.join(", ");
  }

  // ---------------------------------------------------------------- actions and tables

  protected genAction(): void {
    const name = this.fresh("act");
    const np = this.r.int(0, 3);
    const params: Scalar[] = [];
    const widths: number[] = [];
    for (let i = 0; i < np; i++) {
      const w = this.g.width(false, this.r);
      widths.push(w);
      params.push({ expr: `p${i}`, width: w, writable: false });
    }
    // Later features: a serializable enum parameter, @tc_type on parameters of a named P4TC type's width.
    const ser = this.extras.enums.filter((e) => e.width);
    const en = ser.length > 0 && this.x.chance(0.3) ? this.x.pick(ser) : undefined;
    const decl = params.map((p) => `${this.tcTypeFor(p.width) ?? ""}bit<${p.width}> ${p.expr}`);
    const body: string[] = [];
    if (en) {
      decl.push(`${en.name} pe`);
      body.push(`        ${en.field} = pe;`);
    }
    const n = this.r.int(1, 4);
    for (let i = 0; i < n; i++) body.push(...this.stmt(2, this.maxDepth - 1, params, true));
    this.decls.push(`    action ${name}(${decl.join(", ")}) {`, ...body, `    }`);
    this.actions.push({ name, params: en ? [...widths, en.width!] : widths, enums: en ? [...widths.map(() => undefined), en] : undefined });
  }

  /** Now and then (on the ext stream), a `@tc_type` for a control-plane value of `w` bits, with a space after it. */
  protected tcTypeFor(w: number): string | undefined {
    const named: Record<number, string[]> = { 16: ["be16"], 32: ["ipv4", "be32"], 48: ["macaddr"], 128: ["ipv6"] };
    const ts = named[w];
    return ts && this.x.chance(0.3) ? `@tc_type("${this.x.pick(ts)}") ` : undefined;
  }

  /** The argument of a control-plane literal for parameter `i` of action `a`. */
  protected argLit(a: ActionDecl, i: number): string {
    const e = a.enums?.[i];
    return e ? `${e.name}.${this.x.pick(e.members)}` : this.g.lit(a.params[i]!, this.r);
  }

  /** An action of its own for one table: `body` is its statements. */
  protected ownAction(params: number[], body: (params: Scalar[]) => string[]): ActionDecl {
    const name = this.fresh("act");
    const ps = params.map((w, i) => ({ expr: `p${i}`, width: w, writable: false }));
    this.decls.push(`    action ${name}(${ps.map((p) => `bit<${p.width}> ${p.expr}`).join(", ")}) {`, ...body(ps), `    }`);
    return { name, params };
  }

  /**
   * A table whose misses add entries: exact keys, create permission for the
   * data path, and a default action calling add_entry with one of its hit
   * actions and arguments of that action's parameter types.
   */
  protected genAddOnMissTable(name: string, keys: Key[]): void {
    const nps = this.r.int(0, 3);
    const widths = Array.from({ length: nps }, () => this.g.width(false, this.r));
    const hit = this.ownAction(widths, (ps) => [...ps.map((p) => this.assignFrom(p)).flat(), ...this.stmt(2, this.maxDepth - 1, ps, true)]);
    const args = widths.map((w) => this.expr(w, 1, []));
    const profile = `(ExpireTimeProfileId_t)${this.r.int(0, 3)}`;
    const miss = this.ownAction([], () => [`        add_entry(action_name = "${hit.name}", action_params = {${args.join(", ")}}, expire_time_profile_id = ${profile});`]);
    const acts = [hit, miss];
    const lines = [`    @tc_acl("CRUS:CRXP") table ${name} {`, `        key = {`];
    keys.forEach((k, i) => lines.push(`            ${k.s.expr} : exact${this.keyAnnotations(k, i)};`));
    lines.push(`        }`, `        actions = {`, `            ${hit.name};`, `            ${miss.name};`, `        }`);
    lines.push(`        default_action = ${miss.name};`, `        add_on_miss = true;`);
    if (this.r.chance(0.5)) lines.push(`        size = ${this.r.pick([16, 256, 1024])};`);
    lines.push(`    }`);
    this.decls.push(...lines);
    this.tables.push({ name, actions: acts });
  }

  /** A statement that uses action parameter `p` (assigned to a field it fits, or counted). */
  protected assignFrom(p: Scalar): string[] {
    const s = this.writable([], p.width);
    return s ? [`        ${s.expr} = ${s.width === p.width ? p.expr : `(bit<${s.width}>)${p.expr}`};`] : [];
  }

  protected genTable(): void {
    const name = this.fresh("tbl");
    const keyable = this.g.scalars().filter((s) => s.width <= 64);
    keyable.push({ expr: "istd.input_port", width: 32, writable: false });
    const nk = this.r.int(1, 3);
    const keys: Key[] = [];
    let lpm = false;
    for (let i = 0; i < nk; i++) {
      const s = this.r.pick(keyable);
      let kind = this.r.pick<Kind>(["exact", "exact", "lpm", "ternary", "range", "optional"]);
      if (kind === "lpm" && lpm) kind = "exact";
      if (kind === "lpm") lpm = true;
      keys.push({ s, kind });
    }
    this.extKeys(keys);
    if (this.r.chance(0.15)) return this.genAddOnMissTable(name, keys);
    const acts = this.actions.filter(() => this.r.chance(0.7));
    if (acts.length === 0) acts.push(this.actions[0]);
    // Direct externs: each bound to this table only, used by actions of its own.
    const direct: string[] = [];
    if (this.r.chance(0.2)) {
      const dc = this.fresh("dcnt");
      this.decls.push(`    DirectCounter<bit<64>>(PNA_CounterType_t.${this.r.pick(["PACKETS", "BYTES", "PACKETS_AND_BYTES"])}) ${dc};`);
      acts.push(this.ownAction(this.r.chance(0.5) ? [this.g.width(false, this.r)] : [], (ps) => [`        ${dc}.count();`, ...ps.flatMap((p) => this.assignFrom(p))]));
      direct.push(`        pna_direct_counter = ${dc};`);
    }
    if (this.r.chance(0.2)) {
      const dm = this.fresh("dmet");
      this.decls.push(`    DirectMeter(PNA_MeterType_t.${this.r.pick(["PACKETS", "BYTES"])}) ${dm};`);
      acts.push(
        this.ownAction([], () => {
          const c = this.fresh("color");
          const arg = this.r.chance(0.5) ? `PNA_MeterColor_t.${this.r.pick(["RED", "GREEN", "YELLOW"])}` : "";
          return [`        PNA_MeterColor_t ${c} = ${dm}.execute(${arg});`, `        if (${c} == PNA_MeterColor_t.RED) { drop_packet(); }`];
        }),
      );
      direct.push(`        pna_direct_meter = ${dm};`);
    }
    const lines: string[] = [`    table ${name} {`, `        key = {`];
    keys.forEach((k, i) => lines.push(`            ${k.s.expr} : ${k.kind}${this.keyAnnotations(k, i)};`));
    lines.push(`        }`, `        actions = {`);
    for (const a of acts) lines.push(`            ${a.name};`);
    const withNoAction = this.r.chance(0.4);
    if (withNoAction) lines.push(`            NoAction;`);
    lines.push(`        }`);
    const dflt = this.r.chance(0.5) ? this.r.pick(acts) : undefined;
    if (dflt) {
      const args = dflt.params.map((_, i) => this.argLit(dflt, i)).join(", ");
      lines.push(`        ${this.r.chance(0.3) ? "const " : ""}default_action = ${dflt.name}(${args});`);
    } else if (withNoAction) lines.push(`        default_action = NoAction();`);
    if (this.r.chance(0.7)) lines.push(`        size = ${this.r.pick([1, 16, 256, 1024, 4096])};`);
    lines.push(...direct);
    if (this.r.chance(0.3) && keys.every((k) => k.kind !== "optional")) {
      lines.push(`        const entries = {`);
      const ne = this.r.int(1, 3);
      for (let e = 0; e < ne; e++) {
        // Each range becomes up to 2w-2 value/mask pairs and the entry their product
        // (p4ts allows 4096): only the first range key gets an arbitrary range.
        let ranges = 0;
        // istd.input_port is a PortId_t (a `type`, not bit<32>): an exact value is cast to it, and
        // `..` and `&&&` do not apply to it, so its other kinds match anything.
        const pats = keys.map((k) =>
          k.ext ? this.withExt(() => (k.enum ? `${k.enum.name}.${this.r.pick(k.enum.members)}` : this.entryPattern(k.s.width, k.kind))) :
          k.s.expr !== "istd.input_port" ? this.entryPattern(k.s.width, k.kind, k.kind === "range" && ranges++ > 0) : k.kind === "exact" ? `(PortId_t)${this.g.lit(32, this.r)}` : "_",
        );
        const a = this.r.pick(acts);
        lines.push(`            ${keys.length > 1 ? `(${pats.join(", ")})` : pats[0]} : ${a.name}(${a.params.map((_, i) => this.argLit(a, i)).join(", ")});`);
      }
      lines.push(`        }`);
    }
    lines.push(`    }`);
    this.decls.push(...lines);
    this.tables.push({ name, actions: acts });
  }

  /**
   * Keys of the later features (on the ext stream), added to `keys`: fields
   * wider than 64 bits, serializable enum fields, many fields (at most 512
   * bits in all, p4ts's limit), and `@tc_type` on keys of a named type's width.
   */
  protected extKeys(keys: Key[]): void {
    const x = this.x;
    if (x.chance(0.25)) {
      const n = x.int(1, 5);
      // (exact only when wider than 64 bits: tc p4template writes no masked values of such keys)
      const cands: Key[] = this.g.scalars().map((s) => ({ s, kind: s.width > 64 ? "exact" : x.pick<Kind>(["exact", "exact", "ternary"]), ext: true }));
      for (const e of this.extras.enums) if (e.width) cands.push({ s: { expr: e.field, width: e.width, writable: true }, kind: "exact", enum: e, ext: true });
      for (let i = 0; i < n && cands.length > 0; i++) {
        const k = x.pick(cands);
        if (keys.reduce((t, o) => t + o.s.width, 0) + k.s.width > 512) break;
        keys.push(k);
      }
    }
    for (const k of keys) if (!k.enum && k.s.expr !== "istd.input_port") k.tcType = this.tcTypeFor(k.s.width);
  }

  /** A key's annotations: a stack element's `[i]` is no P4TC key name, so such keys get a @name; the @tc_type. */
  protected keyAnnotations(k: Key, i: number): string {
    return `${k.s.expr.includes("[") ? ` @name("k${i}")` : ""}${k.tcType ? ` ${k.tcType.trim()}` : ""}`;
  }

  protected entryPattern(w: number, kind: Kind, aligned = false): string {
    switch (kind) {
      case "exact":
        return this.g.lit(w, this.r);
      case "lpm": {
        const len = this.r.int(0, w);
        const mask = len === 0 ? 0n : ((1n << BigInt(len)) - 1n) << BigInt(w - len);
        return `${this.g.lit(w, this.r)} &&& ${w}w${mask}`;
      }
      case "ternary":
        return this.r.chance(0.2) ? "_" : `${this.g.lit(w, this.r)} &&& ${this.g.lit(w, this.r)}`;
      case "range": {
        if (aligned) {
          // one value/mask pair: a block of 2^k values starting on a multiple of 2^k
          const k = BigInt(this.r.int(0, w));
          const lo = (this.r.bits(w) >> k) << k;
          return `${w}w${lo} .. ${w}w${lo + (1n << k) - 1n}`;
        }
        const a = this.r.bits(w), b = this.r.bits(w);
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return `${w}w${lo} .. ${w}w${hi}`;
      }
      case "optional":
        return this.g.lit(w, this.r);
    }
  }

  // ---------------------------------------------------------------- statements

  protected readable(params: Scalar[]): Scalar[] {
    const ext = this.r === this.x ? this.extLocalsList : [];
    return [...this.g.scalars(), ...this.locals, ...ext, ...params];
  }

  protected writable(params: Scalar[], prefer: number): Scalar | undefined {
    const all = this.readable(params).filter((s) => s.writable);
    if (all.length === 0) return undefined;
    const same = all.filter((s) => s.width === prefer);
    return same.length > 0 && this.r.chance(0.7) ? this.r.pick(same) : this.r.pick(all);
  }

  protected stmt(level: number, depth: number, params: Scalar[], inAction = false): string[] {
    // A statement of the later features goes before the one this call makes as it did before.
    if (this.x.chance(0.12)) {
      const e = this.withExt(() => this.extStmt(level, depth, params, inAction));
      return [...e, ...this.stmtOf(level, depth, params, inAction)];
    }
    return this.stmtOf(level, depth, params, inAction);
  }

  protected stmtOf(level: number, depth: number, params: Scalar[], inAction: boolean): string[] {
    const ind = "    ".repeat(level);
    const x = this.r.next();
    if (depth < this.maxDepth && x < 0.2) {
      const lines = [`${ind}if (${this.bool(2, params)}) {`];
      const n = this.r.int(1, 3);
      for (let i = 0; i < n; i++) lines.push(...this.stmt(level + 1, depth + 1, params, inAction));
      if (this.r.chance(0.5)) {
        lines.push(`${ind}} else {`);
        for (let i = 0; i < this.r.int(1, 2); i++) lines.push(...this.stmt(level + 1, depth + 1, params, inAction));
      }
      lines.push(`${ind}}`);
      return lines;
    }
    if (!inAction && depth < this.maxDepth && x < 0.3 && this.tables.length > 0) {
      const t = this.r.pick(this.tables);
      const y = this.r.next();
      if (y < 0.4) {
        const lines = [`${ind}switch (${t.name}.apply().action_run) {`];
        for (const a of t.actions) {
          if (!this.r.chance(0.6)) continue;
          lines.push(`${ind}    ${a.name}: {`);
          lines.push(...this.stmt(level + 2, depth + 1, params, inAction));
          lines.push(`${ind}    }`);
        }
        if (this.r.chance(0.5)) {
          lines.push(`${ind}    default: {`, ...this.stmt(level + 2, depth + 1, params, inAction), `${ind}    }`);
        }
        lines.push(`${ind}}`);
        return lines;
      }
      if (y < 0.8) {
        const lines = [`${ind}if (${this.r.chance(0.5) ? "" : "!"}${t.name}.apply().${this.r.pick(["hit", "miss"])}) {`];
        lines.push(...this.stmt(level + 1, depth + 1, params, inAction), `${ind}}`);
        return lines;
      }
      return [`${ind}${t.name}.apply();`];
    }
    if (x < 0.45) return this.externStmt(ind, params);
    if (x < 0.5) {
      const stacks = this.g.stacks();
      if (stacks.length > 0 && this.r.chance(0.3)) {
        const st = this.r.pick(stacks);
        return [`${ind}${st.expr}.${this.r.pick(["push_front", "pop_front"])}(${this.r.int(1, st.size + 1)});`];
      }
      const hs = this.g.headerInstances();
      const h = this.r.pick(hs);
      return [`${ind}${h.expr}.${this.r.pick(["setValid", "setInvalid"])}();`];
    }
    if (x < 0.55 && depth < this.maxDepth) {
      return [`${ind}{`, ...this.stmt(level + 1, depth + 1, params, inAction), `${ind}}`];
    }
    const s = this.writable(params, this.g.width(false, this.r));
    if (!s) return [`${ind}drop_packet();`];
    return [`${ind}${s.expr} = ${this.expr(s.width, 3, params)};`];
  }

  // ---------------------------------------------------------------- expressions

  /** An expression of type bit<w>. */
  expr(w: number, depth: number, params: Scalar[]): string {
    // An expression of the later features replaces the one this call makes (still made, so `r` moves on as before).
    const e = this.exprOf(w, depth, params);
    if (depth > 0 && this.x.chance(0.06)) return this.withExt(() => this.extExpr(w, depth, params)) ?? e;
    return e;
  }

  protected exprOf(w: number, depth: number, params: Scalar[]): string {
    const all = this.readable(params);
    const same = all.filter((s) => s.width === w);
    const x = this.r.next();
    if (depth <= 0 || x < 0.25) {
      if (same.length > 0 && this.r.chance(0.7)) return this.r.pick(same).expr;
      if (all.length > 0 && this.r.chance(0.5)) {
        const s = this.r.pick(all);
        return s.width === w ? s.expr : `(bit<${w}>)${s.expr}`;
      }
      return this.g.lit(w, this.r);
    }
    const d = depth - 1;
    if (x < 0.55) {
      const op = this.r.pick(w <= 64 ? ["+", "-", "&", "|", "^", "*", "|+|", "|-|"] : ["&", "|", "^", "+", "-"]);
      return `(${this.expr(w, d, params)} ${op} ${this.expr(w, d, params)})`;
    }
    if (x < 0.62) return `(${this.r.pick(["~", "-"])}${this.expr(w, d, params)})`;
    if (x < 0.7) return `(${this.expr(w, d, params)} ${this.r.pick(["<<", ">>"])} ${this.r.int(0, w + 2)})`;
    if (x < 0.78 && w >= 2) {
      const a = this.r.int(1, w - 1);
      return `(${this.expr(a, d, params)} ++ ${this.expr(w - a, d, params)})`;
    }
    if (x < 0.86) {
      const wider = all.filter((s) => s.width > w);
      if (wider.length > 0) {
        const s = this.r.pick(wider);
        const lo = this.r.int(0, s.width - w);
        return `${s.expr}[${lo + w - 1}:${lo}]`;
      }
    }
    if (x < 0.93) return `(${this.bool(d, params)} ? ${this.expr(w, d, params)} : ${this.expr(w, d, params)})`;
    const ow = this.g.width(false, this.r);
    return `((bit<${w}>)${this.expr(ow, d, params)})`;
  }

  bool(depth: number, params: Scalar[]): string {
    const b = this.boolOf(depth, params);
    if (depth > 0 && this.x.chance(0.1)) return this.withExt(() => this.extBool(depth, params)) ?? b;
    return b;
  }

  protected boolOf(depth: number, params: Scalar[]): string {
    const x = this.r.next();
    if (depth <= 0 || x < 0.4) {
      if (this.r.chance(0.3)) return `${this.r.pick(this.g.headerInstances()).expr}.isValid()`;
      const w = this.g.width(false, this.r);
      const op = this.r.pick(["==", "!=", "<", ">", "<=", ">="]);
      return `(${this.expr(w, 1, params)} ${op} ${this.expr(w, 1, params)})`;
    }
    if (x < 0.6) return `(${this.bool(depth - 1, params)} ${this.r.pick(["&&", "||"])} ${this.bool(depth - 1, params)})`;
    if (x < 0.7) return `(!${this.bool(depth - 1, params)})`;
    if (x < 0.8) return this.r.pick(["true", "false", "istd.recirculated"]);
    return `(${this.expr(64, 1, params)} != 0)`;
  }
}