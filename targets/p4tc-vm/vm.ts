/**
 * The P4TC VM (`../shared/p4tc-vm`): a qemu guest running the P4TC kernel
 * series v13 with its `tc`. This module finds it, copies a directory in,
 * runs one command in one boot and returns the command's output and status.
 * Everything p4ts runs there is built with `--p4tc-abi v13`.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The VM folder: `$P4TS_P4TC_VM`, else `../shared/p4tc-vm` beside the checkout. */
export function vmDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.P4TS_P4TC_VM) return path.resolve(env.P4TS_P4TC_VM);
  const here = path.dirname(fileURLToPath(import.meta.url));
  // targets/p4tc-vm (sources) or dist/targets/p4tc-vm (build): walk up to the checkout.
  let root = here;
  while (!fs.existsSync(path.join(root, "package.json")) && path.dirname(root) !== root) root = path.dirname(root);
  return path.resolve(root, "..", "shared", "p4tc-vm");
}

/** null when the VM can run here, else why not. */
export function vmUnavailable(dir = vmDir()): string | null {
  for (const f of ["p4tc-vm", "bzImage", "base.cpio.gz"]) if (!fs.existsSync(path.join(dir, f))) return `the P4TC VM is not at ${dir} (${f} missing)`;
  for (const tool of ["qemu-system-x86_64", "cpio", "gzip"]) {
    const r = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (r.status !== 0) return `${tool} is not installed`;
  }
  return null;
}

export interface VmRun {
  readonly status: number;
  readonly output: string;
}

/** Boots the VM once with `dir` copied in as the working directory and runs `cmd` there. */
export function runInVm(dir: string, cmd: readonly string[], opts: { timeoutSec?: number; log?: (s: string) => void; signal?: AbortSignal } = {}): Promise<VmRun> {
  const runner = path.join(vmDir(), "p4tc-vm");
  const args = [...(opts.timeoutSec ? ["--timeout", String(opts.timeoutSec)] : []), dir, "--", ...cmd];
  return new Promise((resolve, reject) => {
    const child = spawn(runner, args, { stdio: ["ignore", "pipe", "pipe"], ...(opts.signal ? { signal: opts.signal } : {}) });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      opts.log?.(b.toString());
    });
    child.stderr.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? 125, output: out }));
  });
}
