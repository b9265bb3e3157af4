// The build cache (build/cache.ts) through buildObjects(): a stand-in compiler
// that logs each run and writes "object:" + its source shows when a build is
// reused and when it runs again.
import fs from "node:fs";
import path from "node:path";
import { buildObjects } from "../../../build/index.js";
import { cleanupTmpDirs, tmpDir } from "./tools.js";

afterAll(cleanupTmpDirs);

/** A compiler that appends its source's name to LOG, fails on "FAIL" in it, and writes the object. */
function fakeCompiler(dir: string, log: string): string {
  const exe = path.join(dir, "fakecc");
  fs.writeFileSync(
    exe,
    `#!/bin/sh\nwhile [ $# -gt 0 ]; do case "$1" in -c) src="$2"; shift;; -o) obj="$2"; shift;; esac; shift; done\n` +
      `echo "$(basename "$src")" >> ${log}\nif grep -q FAIL "$src"; then exit 1; fi\n{ echo object:; cat "$src"; } > "$obj"\n`,
    { mode: 0o755 },
  );
  return exe;
}

function program(): string {
  const out = tmpDir("cache-out");
  fs.writeFileSync(path.join(out, "p_parser.h"), "struct h { int a; };\n");
  fs.writeFileSync(path.join(out, "p_parser.c"), "parser\n");
  fs.writeFileSync(path.join(out, "p_control_blocks.c"), "main\n");
  return out;
}

describe("buildObjects with a cache directory", () => {
  const tools = tmpDir("cache-tools");
  const log = path.join(tools, "log");
  const cc = fakeCompiler(tools, log);
  const runs = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
  const build = (out: string, cacheDir?: string) => buildObjects(out, "p", cc, { cacheDir, env: { ...process.env, P4TS_BUILD_CACHE: "" } });

  beforeEach(() => fs.rmSync(log, { force: true }));

  test("identical inputs reuse the objects; another OUTDIR with the same files too", () => {
    const cache = tmpDir("cache");
    const a = program();
    expect(build(a, cache).ok).toBe(true);
    expect(runs()).toEqual(["p_parser.c", "p_control_blocks.c"]);
    const b = program();
    const r = build(b, cache);
    expect(r).toMatchObject({ ok: true, diagnostics: "", objects: [path.join(b, "p_parser.o"), path.join(b, "p_control_blocks.o")] });
    expect(runs()).toHaveLength(2);
    expect(fs.readFileSync(path.join(b, "p_control_blocks.o"), "utf8")).toBe("object:\nmain\n");
  });

  test("a changed source or local header builds again", () => {
    const cache = tmpDir("cache");
    const out = program();
    build(out, cache);
    fs.writeFileSync(path.join(out, "p_control_blocks.c"), "main 2\n");
    build(out, cache);
    expect(runs()).toEqual(["p_parser.c", "p_control_blocks.c", "p_control_blocks.c"]);
    expect(fs.readFileSync(path.join(out, "p_control_blocks.o"), "utf8")).toBe("object:\nmain 2\n");
    fs.writeFileSync(path.join(out, "p_parser.h"), "struct h { long a; };\n");
    build(out, cache);
    expect(runs().slice(3)).toEqual(["p_parser.c", "p_control_blocks.c"]);
  });

  test("other flags build again; a failed build is not recorded", () => {
    const cache = tmpDir("cache");
    const out = program();
    build(out, cache);
    buildObjects(out, "p", cc, { cacheDir: cache, extraFlags: ["-DX"] });
    expect(runs()).toHaveLength(4);
    fs.writeFileSync(path.join(out, "p_parser.c"), "FAIL\n");
    expect(build(out, cache).ok).toBe(false);
    expect(build(out, cache).ok).toBe(false);
    expect(runs().slice(4)).toEqual(["p_parser.c", "p_parser.c"]);
    expect(fs.existsSync(path.join(out, "p_parser.o"))).toBe(false);
  });

  test("without a cache directory every build runs the compiler", () => {
    const out = program();
    build(out);
    build(out);
    expect(runs()).toHaveLength(4);
  });
});
