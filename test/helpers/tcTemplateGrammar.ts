// Runs a generated NAME.template with `TC` pointing at a recording shell function, then
// checks the recorded `tc p4template` commands against the grammar iproute2
// accepts (tc/p4tc_template.c, tc/p4tc_table.c, tc/m_dyna.c) and the kernel's
// ordering rules: pipeline created first, every object created before it is
// used, `numtables` equal to the tables created before `state ready`, table
// actions and default actions that exist (default not TableOnly, entry action
// not DefaultOnly), entry keys and values that iproute2 can parse.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cacheKey } from "../../build/cache.js";

/** One recorded `$TC …` invocation (argv without the program name). */
export type TcArgv = string[];

export interface RunResult {
  /** The recorded invocations, in order. */
  commands: TcArgv[];
  /** Exit status of `bash NAME.template`. */
  status: number | null;
  /** Its stderr. */
  stderr: string;
}

// The recorder is a shell function, defined through BASH_ENV (which a
// non-interactive bash reads before the script, leaving the script's line
// numbers as they are): a template's 20-odd `$TC` commands then cost no
// fork and exec each. Each argument is followed by US (0x1f), each call by RS (0x1e).
const RECORDER = `p4ts_tc_record() {
  for a in "$@"; do printf '%s\\037' "$a"; done >> "$TC_RECORD"
  printf '\\036' >> "$TC_RECORD"
}
`;

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-tc-"));
}

/** Runs `script` under bash with TC set to the recording function and returns what it recorded. */
export function recordTemplate(script: string): RunResult {
  const dir = tmpDir();
  try {
    const file = path.join(dir, "prog.template");
    const recorder = path.join(dir, "recorder.sh");
    const rec = path.join(dir, "record");
    fs.writeFileSync(file, script);
    fs.writeFileSync(recorder, RECORDER);
    fs.writeFileSync(rec, "");
    const r = spawnSync("bash", [file], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", BASH_ENV: recorder, TC: "p4ts_tc_record", TC_RECORD: rec },
      encoding: "utf8",
    });
    const raw = fs.readFileSync(rec, "utf8");
    const commands = raw
      .split("\x1e")
      .filter((c) => c !== "")
      .map((c) => c.split("\x1f").slice(0, -1));
    return { commands, status: r.status, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `bash -n` on the script: null when it parses, else bash's message. */
export function bashSyntaxError(script: string): string | null {
  const r = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
  return r.status === 0 ? null : r.stderr.trim() || `bash -n exited ${r.status}`;
}

/** shellcheck as found on PATH (or named by $SHELLCHECK), or "shellcheck" when there is none. */
export const SHELLCHECK = process.env.SHELLCHECK ?? findOnPath("shellcheck") ?? "shellcheck";

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Where clean shellcheck runs are remembered: a file named by the hash of
 * shellcheck (path, size, mtime), its arguments and the script's bytes, under
 * the tests' build cache ($P4TS_BUILD_CACHE, set by jest.config.cjs; none when
 * it is empty). Only clean runs are recorded, so a hit means "shellcheck
 * found nothing in these exact bytes"; any finding is always a fresh run.
 */
const shellcheckCache = process.env.P4TS_BUILD_CACHE ? path.join(process.env.P4TS_BUILD_CACHE, "shellcheck-clean") : undefined;

/** shellcheck's findings on the script (empty when clean); null when shellcheck is not installed. */
export function shellcheck(script: string): string | null {
  if (!fs.existsSync(SHELLCHECK)) return null;
  const dir = tmpDir();
  try {
    const file = path.join(dir, "prog.template");
    fs.writeFileSync(file, script);
    const args = ["-s", "bash", "-f", "gcc", file];
    const key = shellcheckCache === undefined ? undefined : cacheKey({ exe: SHELLCHECK, args, inputs: [file], includeDirs: [], outputs: [] });
    const mark = key === undefined ? undefined : path.join(shellcheckCache!, key);
    if (mark !== undefined && fs.existsSync(mark)) return "";
    const r = spawnSync(SHELLCHECK, args, { encoding: "utf8" });
    if (r.status !== 0) return (r.stdout + r.stderr).trim();
    if (mark !== undefined) {
      try {
        fs.mkdirSync(shellcheckCache!, { recursive: true });
        fs.writeFileSync(mark, "");
      } catch {
        // a cache that cannot be written is only slower
      }
    }
    return "";
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------

/** The subset of NAME.json the checker cross-checks entries against. */
export interface IntrospectionLike {
  tables: { name: string; keyfields: { name: string; type: string }[] }[];
}

interface ActionInfo {
  path: string;
  params: Map<string, string>;
  active: boolean;
}
interface TableInfo {
  path: string;
  acts: Map<string, "tableonly" | "defaultonly" | null>;
}

const NAMED_TYPES = new Set(["dev", "macaddr", "ipv4", "ipv6", "be16", "be32", "be64"]);
const isType = (t: string): boolean => /^bit[1-9][0-9]*$/.test(t) || NAMED_TYPES.has(t);
const isUint = (s: string | undefined): boolean => s !== undefined && /^[0-9]+$/.test(s);
const isHex = (s: string | undefined): boolean => s !== undefined && /^0x[0-9a-fA-F]+$/.test(s);
const NUM = "(?:0[xX][0-9a-fA-F]+|[0-9]+)";

/** True when iproute2 can parse `v` as a value of P4TC type `type` (a key value may carry a mask). */
export function iproute2ValueOk(type: string, v: string, allowMask: boolean): boolean {
  const width = /^bit([0-9]+)$/.exec(type);
  if (width && Number(width[1]) > 64) return /^0[xX][0-9a-fA-F]+$/.test(v);
  if (width || /^be(16|32|64)$/.test(type)) return new RegExp(`^${NUM}${allowMask ? "(?:/(?:0[xX])?[0-9a-fA-F]+)?" : ""}$`).test(v);
  switch (type) {
    case "dev":
      return /^[A-Za-z0-9_.:-]+$/.test(v);
    case "ipv4":
      return new RegExp(`^(?:${NUM}|\\d{1,3}(?:\\.\\d{1,3}){3}${allowMask ? "(?:/(?:\\d{1,2}|0x[0-9a-fA-F]+))?" : ""})$`).test(v);
    case "ipv6":
      return new RegExp(`^[0-9a-fA-F:]+${allowMask ? "(?:/(?:\\d{1,3}|0x[0-9a-fA-F]{32}))?" : ""}$`).test(v);
    case "macaddr":
      return new RegExp(`^(?:[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}${allowMask ? "(?:/0x[0-9a-fA-F]+)?" : ""})$`).test(v);
    default:
      return false;
  }
}

/**
 * Checks recorded commands; returns the problems found (empty when the
 * sequence is one tc would accept). With `introspection`, entry keys are
 * checked against its key fields (names, order, value syntax per type).
 */
export function checkTcCommands(commands: TcArgv[], introspection?: IntrospectionLike): string[] {
  const errors: string[] = [];
  let pipeline: string | null = null;
  let numTables = -1;
  let ready = false;
  const actions = new Map<string, ActionInfo>();
  const actIds = new Set<number>();
  const externs = new Map<string, { numInstances: number; instances: Map<string, boolean> }>();
  const tables = new Map<string, TableInfo>();
  const tblIds = new Set<number>();

  commands.forEach((argv, idx) => {
    const at = `command ${idx + 1} (${argv.slice(0, 3).join(" ")})`;
    const err = (msg: string): void => void errors.push(`${at}: ${msg}`);
    if (argv[0] !== "p4template") return err("not a p4template command");
    const verb = argv[1];
    const objPath = argv[2] ?? "";
    const slash = objPath.indexOf("/");
    const kind = slash < 0 ? objPath : objPath.slice(0, slash);
    const rest = slash < 0 ? "" : objPath.slice(slash + 1);
    const args = argv.slice(3);
    let i = 0;
    const next = (): string | undefined => args[i++];
    const expect = (word: string): boolean => {
      if (args[i] !== word) {
        err(`expected "${word}", found ${JSON.stringify(args[i])}`);
        return false;
      }
      i++;
      return true;
    };
    const done = (): void => {
      if (i < args.length) err(`unexpected words: ${args.slice(i).join(" ")}`);
    };
    if (ready) err("command after the pipeline was sealed (state ready)");
    if (kind !== "pipeline" && pipeline === null) return err("the pipeline must be created first");
    const inPipe = (p: string): boolean => {
      if (pipeline !== null && !p.startsWith(`${pipeline}/`)) {
        err(`path ${p} is not in pipeline ${pipeline}`);
        return false;
      }
      return true;
    };

    switch (`${verb} ${kind}`) {
      case "create pipeline": {
        if (pipeline !== null) return err("pipeline created twice");
        if (!/^[^/\s]+$/.test(rest)) return err(`bad pipeline name ${rest}`);
        pipeline = rest;
        while (i < args.length) {
          const w = next();
          if (w === "numtables" || w === "pipeid") {
            const n = next();
            if (!isUint(n)) err(`${w} needs a number`);
            else if (w === "numtables") numTables = Number(n);
          } else err(`unknown pipeline word ${w}`);
        }
        if (numTables < 0) err("numtables missing");
        return;
      }
      case "update pipeline": {
        if (rest !== pipeline) return err(`unknown pipeline ${rest}`);
        expect("state");
        if (next() !== "ready") err("only `state ready` is expected");
        done();
        if (tables.size !== numTables) err(`numtables ${numTables} but ${tables.size} tables created`);
        for (const a of actions.values()) if (!a.active) err(`action ${a.path} never made active`);
        ready = true;
        return;
      }
      case "create action": {
        if (!inPipe(rest)) return;
        const parts = rest.split("/");
        if (parts.length < 2 || parts.length > 3) return err(`action path ${rest} must be PNAME/act or PNAME/CTRL/act`);
        if (actions.has(rest)) return err(`action ${rest} created twice`);
        const info: ActionInfo = { path: rest, params: new Map(), active: false };
        expect("actid");
        const id = next();
        if (!isUint(id) || Number(id) === 0) err("actid needs a number >= 1");
        else if (actIds.has(Number(id))) err(`actid ${id} used twice`);
        else actIds.add(Number(id));
        while (i < args.length) {
          if (!expect("param")) break;
          const name = next() ?? "";
          expect("type");
          const type = next() ?? "";
          if (!isType(type)) err(`param ${name}: bad type ${type}`);
          if (args[i] === "id") {
            i++;
            if (!isUint(next())) err("param id needs a number");
          }
          if (info.params.has(name)) err(`param ${name} declared twice`);
          info.params.set(name, type);
        }
        actions.set(rest, info);
        return;
      }
      case "update action": {
        const a = actions.get(rest);
        if (!a) return err(`action ${rest} updated before it was created`);
        expect("state");
        if (next() !== "active") err("expected `state active`");
        done();
        a.active = true;
        return;
      }
      case "create extern": {
        const m = /^root\/([A-Za-z_]\w*)$/.exec(rest);
        if (!m) return err(`extern path must be extern/root/NAME, got ${objPath}`);
        if (externs.has(m[1]!)) return err(`extern ${m[1]} created twice`);
        expect("extid");
        if (!isHex(next())) err("extid needs a hex number");
        expect("numinstances");
        const n = next();
        if (!isUint(n)) err("numinstances needs a number");
        expect("tc_acl");
        if (!isHex(next())) err("tc_acl needs a hex number");
        if (args[i] === "has_exec_method") i++;
        done();
        externs.set(m[1]!, { numInstances: Number(n), instances: new Map() });
        return;
      }
      case "create extern_inst": {
        if (!inPipe(rest)) return;
        const [, ext, inst, more] = rest.split("/");
        if (ext === undefined || inst === undefined || more !== undefined) return err(`extern_inst path must be PNAME/EXTERN/INST`);
        const e = externs.get(ext);
        if (!e) return err(`instance of extern ${ext} created before the extern`);
        if (e.instances.has(inst)) return err(`instance ${inst} created twice`);
        expect("instid");
        const id = next();
        if (!isUint(id) || Number(id) < 1 || Number(id) > e.numInstances) err(`instid ${id} outside 1..numinstances`);
        expect("tc_numel");
        if (!isUint(next())) err("tc_numel needs a number");
        let bindable = false;
        if (args[i] === "tbl_bindable") {
          bindable = true;
          i++;
        }
        if (args[i] === "constructor") {
          i++;
          while (args[i] === "param") {
            i++;
            next();
            expect("ptype");
            const t = next() ?? "";
            if (!isType(t)) err(`constructor ptype ${t}`);
            if (next() === undefined) err("constructor param without value");
          }
        }
        expect("control_path");
        let count = 0;
        while (i < args.length) {
          const attr = next();
          if (attr !== "tc_key" && attr !== "param" && attr !== "tc_data_scalar") {
            err(`control_path: unexpected ${attr}`);
            break;
          }
          next();
          expect("ptype");
          const t = next() ?? "";
          if (!isType(t) && t !== "rate") err(`control_path ptype ${t}`);
          expect("id");
          if (Number(next()) !== ++count) err("control_path ids must run 1..n");
        }
        if (count === 0) err("empty control_path");
        e.instances.set(inst, bindable);
        return;
      }
      case "create table": {
        if (!inPipe(rest)) return;
        const parts = rest.split("/");
        if (parts.length !== 3) return err(`table path must be PNAME/CTRL/TBL, got ${rest}`);
        if (args[0] === "entry") return entryCommand(rest);
        if (tables.has(rest)) return err(`table ${rest} created twice`);
        const seen = new Set<string>();
        const t: TableInfo = { path: rest, acts: new Map() };
        while (i < args.length && args[i] !== "table_acts") {
          const w = next() ?? "";
          if (seen.has(w)) err(`${w} given twice`);
          seen.add(w);
          const v = next();
          switch (w) {
            case "tblid":
              if (!isUint(v) || Number(v) < 1) err("tblid needs a number >= 1");
              else if (tblIds.has(Number(v))) err(`tblid ${v} used twice`);
              else tblIds.add(Number(v));
              break;
            case "type":
              if (v !== "exact" && v !== "lpm" && v !== "ternary") err(`bad table type ${v}`);
              break;
            case "keysz":
              if (!isUint(v) || Number(v) < 1 || Number(v) > 512) err(`keysz ${v} outside 1..512`);
              break;
            case "nummasks":
              if (!isUint(v) || Number(v) < 1 || Number(v) > 1024) err(`nummasks ${v} outside 1..1024`);
              break;
            case "num_timer_profiles":
              if (!isUint(v) || Number(v) < 1 || Number(v) > 16) err(`num_timer_profiles ${v} outside 1..16`);
              break;
            case "tentries":
              if (!isUint(v) || Number(v) < 1) err("tentries needs a number >= 1");
              break;
            case "permissions":
              if (!isHex(v)) err("permissions needs a hex number");
              break;
            case "pna_direct_counter":
            case "pna_direct_meter": {
              const [ext, inst] = (v ?? "").split("/");
              if (!externs.get(ext ?? "")?.instances.get(inst ?? "")) err(`${w} ${v}: no such table-bindable extern instance yet`);
              break;
            }
            default:
              err(`unknown table word ${w}`);
          }
        }
        for (const w of ["tblid", "keysz"]) if (!seen.has(w)) err(`${w} missing`);
        expect("table_acts");
        while (i < args.length) {
          if (!expect("act")) break;
          expect("name");
          const a = next() ?? "";
          if (a !== "NoAction" && !actions.has(a)) err(`table action ${a} does not exist`);
          let flag: "tableonly" | "defaultonly" | null = null;
          if (args[i] === "flags") {
            i++;
            const f = next();
            if (f !== "tableonly" && f !== "defaultonly") err(`bad action flag ${f}`);
            else flag = f;
          }
          if (t.acts.has(a)) err(`table action ${a} listed twice`);
          t.acts.set(a, flag);
        }
        if (t.acts.size === 0) err("table_acts is empty");
        tables.set(rest, t);
        return;
      }
      case "update table": {
        const t = tables.get(rest);
        if (!t) return err(`table ${rest} updated before it was created`);
        const which = next();
        if (which !== "default_hit_action" && which !== "default_miss_action") return err(`unexpected table update ${which}`);
        if (args[i] === "permissions") {
          i++;
          if (!isHex(next())) err("permissions needs a hex number");
        }
        expect("action");
        const a = next() ?? "";
        const act = actions.get(a);
        if (!t.acts.has(a)) err(`default action ${a} is not in the table's action list`);
        else if (t.acts.get(a) === "tableonly") err(`default action ${a} is tableonly`);
        const given = new Set<string>();
        while (i < args.length) {
          if (!expect("param")) break;
          const name = next() ?? "";
          if (act && !act.params.has(name)) err(`action ${a} has no param ${name}`);
          if (given.has(name)) err(`param ${name} given twice`);
          given.add(name);
          if (args[i] === "flags") {
            i++;
            if (next() !== "runtime") err("only `flags runtime` is known");
          } else {
            const v = next();
            if (v === undefined || v === "param") err(`param ${name} has no value`);
            else if (act && !iproute2ValueOk(act.params.get(name) ?? "", v, false)) err(`param ${name}: iproute2 cannot parse ${v}`);
          }
        }
        if (act && given.size > 0 && given.size !== act.params.size) err(`${given.size} of ${act.params.size} params given`);
        return;
      }
      default:
        return err(`unknown command ${verb} ${kind}`);
    }

    function entryCommand(tpath: string): void {
      i = 1;
      const t = tables.get(tpath);
      if (!t) return err(`entry for table ${tpath} before the table was created`);
      const keys: [string, string][] = [];
      while (i < args.length && !["prio", "permissions", "action"].includes(args[i]!)) {
        const k = next()!;
        const v = next();
        if (v === undefined) return err(`key ${k} without value`);
        keys.push([k, v]);
      }
      if (keys.length === 0) err("entry without key");
      if (args[i] === "prio") {
        i++;
        if (!isUint(next())) err("prio needs a number");
      }
      if (args[i] === "permissions") {
        i++;
        if (!isHex(next())) err("permissions needs a hex number");
      }
      expect("action");
      const a = next() ?? "";
      // iproute2 resolves PNAME/CTRL/act first, then the global PNAME/act.
      const parts = a.split("/");
      const resolved = actions.has(a) ? a : parts.length === 3 ? `${parts[0]}/${parts[2]}` : a;
      const act = actions.get(resolved);
      if (!act) err(`entry action ${a} does not exist`);
      else if (!t.acts.has(resolved)) err(`entry action ${a} is not in the table's action list`);
      else if (t.acts.get(resolved) === "defaultonly") err(`entry action ${a} is defaultonly`);
      const given = new Set<string>();
      while (i < args.length) {
        if (!expect("param")) break;
        const name = next() ?? "";
        const v = next();
        if (act && !act.params.has(name)) err(`action ${a} has no param ${name}`);
        if (v === undefined) err(`param ${name} has no value`);
        else if (act && !iproute2ValueOk(act.params.get(name) ?? "", v, false)) err(`param ${name}: iproute2 cannot parse ${v}`);
        given.add(name);
      }
      if (act && given.size !== act.params.size) err(`entry gives ${given.size} of the ${act.params.size} params of ${a}`);
      if (introspection) {
        const jt = introspection.tables.find((x) => `${pipeline}/${x.name}` === tpath);
        if (!jt) return err(`table ${tpath} is not in the introspection JSON`);
        const names = keys.map((k) => k[0]).join(",");
        const want = jt.keyfields.map((k) => k.name).join(",");
        if (names !== want) err(`entry keys ${names} but the JSON key fields are ${want}`);
        keys.forEach(([k, v]) => {
          const kf = jt.keyfields.find((x) => x.name === k);
          if (kf && !iproute2ValueOk(kf.type, v, true)) err(`key ${k}: iproute2 cannot parse ${v} as ${kf.type}`);
        });
      }
    }
  });
  if (pipeline === null) errors.push("no pipeline created");
  else if (!ready) errors.push("the pipeline is never sealed with `state ready`");
  return errors;
}

export interface TemplateCheck {
  /** `bash -n` message, or null when the script parses. */
  syntaxError: string | null;
  /** What the script ran. */
  run: RunResult;
  /** Grammar/ordering problems (empty when tc would accept the sequence). */
  errors: string[];
}

/** Syntax-checks, runs and grammar-checks a template script. */
export function checkTemplate(script: string, introspection?: IntrospectionLike): TemplateCheck {
  const syntaxError = bashSyntaxError(script);
  const run = recordTemplate(script);
  const errors = checkTcCommands(run.commands, introspection);
  if (run.status !== 0) errors.unshift(`bash exited ${run.status}: ${run.stderr.trim().split("\n").slice(-2).join(" | ")}`);
  return { syntaxError, run, errors };
}
