/**
 * One process per program for the emulation side of differential testing:
 * testrun.c (built once with the host's C compiler) applies the map updates
 * and runs every packet with BPF_PROG_TEST_RUN directly, instead of one
 * bpftool process per update and two per packet.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MapUpdate } from "../targets/emulation/entries.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The testrun helper's source: beside this file in the repository, or two levels up from dist/. */
function sourcePath(): string {
  for (const p of [path.join(here, "testrun.c"), path.join(here, "../../difftest/testrun.c")]) if (fs.existsSync(p)) return p;
  throw new Error("internal: difftest/testrun.c not found");
}

let built: string | null = null;

/** Builds the helper (cached in the temporary directory by the source's hash); throws with the compiler's message. */
export function testrunBinary(): string {
  if (built) return built;
  const src = fs.readFileSync(sourcePath());
  const hash = crypto.createHash("sha256").update(src).digest("hex").slice(0, 16);
  const dir = path.join(os.tmpdir(), `p4ts-testrun-${hash}`);
  const exe = path.join(dir, "testrun");
  if (!fs.existsSync(exe)) {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync(process.env.CC ?? "cc", ["-O2", "-o", `${exe}.tmp`, sourcePath()], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cannot build the testrun helper: ${(r.stderr || r.error?.message || "").trim()}`);
    fs.renameSync(`${exe}.tmp`, exe);
  }
  built = exe;
  return exe;
}

export type BatchOp =
  | { readonly k: "update"; readonly u: MapUpdate }
  | { readonly k: "lookup"; readonly map: string; readonly key: Buffer }
  | { readonly k: "packet"; readonly ifindex: number; readonly data: Buffer };

export type BatchResult =
  | { readonly k: "error"; readonly errno: number }
  | { readonly k: "ok" }
  | { readonly k: "value"; readonly value: Buffer | undefined }
  | { readonly k: "packet"; readonly parserRc: number; readonly mainRc: number | null; readonly egressPort: number; readonly drop: boolean; readonly data: Buffer };

function blob(b: Buffer): Buffer {
  const n = Buffer.alloc(4);
  n.writeUInt32LE(b.length);
  return Buffer.concat([n, b]);
}

/** Runs the operations on the pipeline pinned in `bpffs` (an EmulatedPipeline's dir). */
export function runBatch(bpffs: string, ops: readonly BatchOp[], cpu = 0): BatchResult[] {
  const parts: Buffer[] = [];
  const mapPath = (m: string): Buffer => Buffer.from(path.join(bpffs, "maps", m));
  for (const o of ops) {
    if (o.k === "update") {
      if (o.u.value === null) parts.push(Buffer.from("D"), blob(mapPath(o.u.map)), blob(o.u.key));
      else parts.push(Buffer.from("U"), blob(mapPath(o.u.map)), blob(o.u.key), blob(o.u.value));
    } else if (o.k === "lookup") parts.push(Buffer.from("L"), blob(mapPath(o.map)), blob(o.key));
    else {
      const i = Buffer.alloc(4);
      i.writeUInt32LE(o.ifindex);
      parts.push(Buffer.from("P"), i, blob(o.data));
    }
  }
  const r = spawnSync(testrunBinary(), [path.join(bpffs, "parser"), path.join(bpffs, "main"), String(cpu)], { input: Buffer.concat(parts), maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`testrun failed (${r.status}): ${r.stderr?.toString().trim()}`);
  const out = r.stdout;
  let pos = 0;
  const i32 = (): number => { const v = out.readInt32LE(pos); pos += 4; return v; };
  const bytes = (n: number): Buffer => { const b = Buffer.from(out.subarray(pos, pos + n)); pos += n; return b; };
  return ops.map((o): BatchResult => {
    const st = i32();
    if (o.k === "update") return st ? { k: "error", errno: -st } : { k: "ok" };
    if (o.k === "lookup") {
      const n = i32();
      return { k: "value", value: st || n === 0 ? undefined : bytes(n) };
    }
    if (st) return { k: "error", errno: -st };
    const parserRc = i32();
    const mainRc = i32();
    const cb = bytes(20);
    const data = bytes(i32());
    return { k: "packet", parserRc, mainRc: mainRc === -1 && parserRc !== 3 ? null : mainRc, egressPort: cb.readUInt32LE(4), drop: cb[2] !== 0, data };
  });
}
