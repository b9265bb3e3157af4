/**
 * A content-addressed cache of compiler runs (in the manner of ccache): the
 * key hashes the compiler (path, size, mtime), its arguments with the input
 * and output paths replaced by their roles, the contents of the inputs and
 * of every file in the include directories; a hit copies the recorded
 * outputs into place. Only clean runs (status 0, no output) are recorded, so
 * a hit means "these exact inputs built without a message with this
 * compiler".
 *
 * Used by buildObjects() when a cache directory is given (BuildOptions.cacheDir,
 * or $P4TS_BUILD_CACHE); the tests set it to node_modules/.cache/p4ts so that
 * unchanged C is not rebuilt on every run. Without it nothing is cached.
 *
 * The key replaces paths by roles, so an object built in another directory is
 * reused; its DWARF still names the first build's source path. BTF line info
 * carries the source text itself and is unaffected, but a tool that reads the
 * source through DWARF (`llvm-objdump -S`) must build without the cache.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface CachedRun {
  /** The compiler executable. */
  readonly exe: string;
  readonly args: readonly string[];
  /** Files whose contents the result depends on (sources, local headers). */
  readonly inputs: readonly string[];
  /** Directories whose files (recursively) the result may depend on. */
  readonly includeDirs: readonly string[];
  /** Files the run writes. */
  readonly outputs: readonly string[];
  /** A scratch directory named in the arguments (its contents are not hashed: list what matters in inputs). */
  readonly workDir?: string;
}

function hashTree(h: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) hashTree(h, p);
    else if (e.isFile()) h.update(`${e.name}\0`).update(fs.readFileSync(p)).update("\0");
  }
}

/** The cache key of a run, or undefined when the compiler cannot be identified. */
export function cacheKey(run: CachedRun): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(run.exe);
  } catch {
    return undefined;
  }
  const h = crypto.createHash("sha256");
  h.update(`${path.resolve(run.exe)}\0${st.size}\0${st.mtimeMs}\0`);
  const role = new Map<string, string>();
  run.inputs.forEach((f, i) => role.set(path.resolve(f), `<input${i}>`));
  run.outputs.forEach((f, i) => role.set(path.resolve(f), `<output${i}>`));
  run.includeDirs.forEach((d, i) => role.set(path.resolve(d), `<dir${i}>`));
  if (run.workDir !== undefined) role.set(path.resolve(run.workDir), "<work>");
  for (const a of run.args) h.update(`${role.get(path.resolve(a)) ?? a}\0`);
  for (const f of run.inputs) h.update(fs.readFileSync(f)).update("\0");
  for (const d of run.includeDirs) hashTree(h, d);
  return h.digest("hex");
}

/** On a hit, copies the recorded outputs into place and returns true. */
export function cacheRestore(cacheDir: string, key: string, outputs: readonly string[]): boolean {
  const entry = path.join(cacheDir, key);
  const files = outputs.map((_, i) => path.join(entry, `out${i}`));
  if (!files.every((f) => fs.existsSync(f))) return false;
  outputs.forEach((o, i) => fs.copyFileSync(files[i], o));
  return true;
}

/** Records the outputs of a clean run (written under a temporary name, then renamed: concurrent runs are safe). */
export function cacheStore(cacheDir: string, key: string, outputs: readonly string[]): void {
  try {
    const entry = path.join(cacheDir, key);
    if (fs.existsSync(entry)) return;
    const tmp = `${entry}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    fs.mkdirSync(tmp, { recursive: true });
    outputs.forEach((o, i) => fs.copyFileSync(o, path.join(tmp, `out${i}`)));
    try {
      fs.renameSync(tmp, entry);
    } catch {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch {
    // A cache that cannot be written is only slower.
  }
}
