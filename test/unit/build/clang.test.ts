// findClang: the lookup order (--clang, $CLANG, PATH names, clang-wasm) and
// its messages, with fake clang scripts that print a target list.
import fs from "node:fs";
import path from "node:path";
import { findClang, hasBpfTarget, isClangFound, CLANG_PATH_NAMES, type ClangLookup } from "../../../build/index.js";
import { cleanupTmpDirs, tmpDir } from "./tools.js";

const WITH_BPF = ["x86-64      - 64-bit X86: EM_X86_64", "bpf         - BPF (host endian)", "bpfel       - BPF (little endian)"];
const WITHOUT_BPF = ["x86-64      - 64-bit X86: EM_X86_64", "aarch64     - AArch64 (little endian)"];

/** Writes an executable fake clang answering `flag` with a target list. */
function fakeClang(dir: string, name: string, targets: readonly string[], flag = "--print-targets"): string {
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, name);
  const lines = ["  Registered Targets:", ...targets.map((t) => `    ${t}`)].map((l) => `printf '%s\\n' '${l}'`);
  fs.writeFileSync(
    p,
    `#!/bin/sh\nif [ "$1" = "${flag}" ]; then\n${lines.join("\n")}\n  exit 0\nfi\necho "clang: error: unknown argument: '$1'" >&2\nexit 1\n`,
  );
  fs.chmodSync(p, 0o755);
  return p;
}

function found(r: ClangLookup): { path: string; how: string } {
  if (!isClangFound(r)) throw new Error(`expected a clang, got error:\n${r.error}`);
  return r;
}

function failed(r: ClangLookup): string {
  if (isClangFound(r)) throw new Error(`expected an error, got ${r.path} (${r.how})`);
  return r.error;
}

/** A directory with no node_modules, so the clang-wasm fallback finds nothing. */
let noPkg: string;
beforeAll(() => {
  noPkg = tmpDir("nopkg");
});
afterAll(cleanupTmpDirs);

describe("hasBpfTarget", () => {
  test("reads the registered-targets list", () => {
    const d = tmpDir("targets");
    expect(hasBpfTarget(fakeClang(d, "yes", WITH_BPF), { PATH: "" })).toBe(true);
    expect(hasBpfTarget(fakeClang(d, "no", WITHOUT_BPF), { PATH: "" })).toBe(false);
    expect(hasBpfTarget(path.join(d, "absent"), { PATH: "" })).toBe(false);
  });

  test("falls back to -print-targets when --print-targets is refused", () => {
    const d = tmpDir("targets");
    expect(hasBpfTarget(fakeClang(d, "old", WITH_BPF, "-print-targets"), { PATH: "" })).toBe(true);
  });

  test("bpfel alone is not taken for bpf", () => {
    const d = tmpDir("targets");
    expect(hasBpfTarget(fakeClang(d, "el", ["bpfel       - BPF (little endian)"]), { PATH: "" })).toBe(false);
  });
});

describe("findClang order", () => {
  test("PATH: skips a clang without BPF, takes the next name that has it", () => {
    const bin = tmpDir("bin");
    fakeClang(bin, "clang", WITHOUT_BPF);
    const c19 = fakeClang(bin, "clang-19", WITH_BPF);
    fakeClang(bin, "clang-18", WITH_BPF);
    const r = found(findClang({ env: { PATH: bin }, resolveFrom: noPkg }));
    expect(r.path).toBe(c19);
    expect(r.how).toBe("PATH (clang-19)");
  });

  test("PATH: plain clang comes first, then newer versions before older", () => {
    const bin = tmpDir("bin");
    const plain = fakeClang(bin, "clang", WITH_BPF);
    fakeClang(bin, "clang-19", WITH_BPF);
    expect(found(findClang({ env: { PATH: bin }, resolveFrom: noPkg })).path).toBe(plain);
    fs.rmSync(plain);
    const c20 = fakeClang(bin, "clang-20", WITH_BPF);
    expect(found(findClang({ env: { PATH: bin }, resolveFrom: noPkg })).path).toBe(c20);
    expect(CLANG_PATH_NAMES.slice(0, 1)).toEqual(["clang"]);
    expect(CLANG_PATH_NAMES.indexOf("clang-19")).toBeLessThan(CLANG_PATH_NAMES.indexOf("clang-18"));
  });

  test("PATH: directories are searched in order", () => {
    const a = tmpDir("bina");
    const b = tmpDir("binb");
    fakeClang(a, "clang", WITHOUT_BPF);
    const good = fakeClang(b, "clang", WITH_BPF);
    expect(found(findClang({ env: { PATH: [a, b].join(path.delimiter) }, resolveFrom: noPkg })).path).toBe(good);
  });

  test("$CLANG beats PATH", () => {
    const bin = tmpDir("bin");
    fakeClang(bin, "clang", WITH_BPF);
    const other = fakeClang(tmpDir("other"), "my-clang", WITH_BPF);
    const r = found(findClang({ env: { PATH: bin, CLANG: other }, resolveFrom: noPkg }));
    expect(r).toEqual({ path: other, how: "$CLANG" });
  });

  test("--clang beats $CLANG and PATH", () => {
    const bin = tmpDir("bin");
    fakeClang(bin, "clang", WITH_BPF);
    const env = fakeClang(tmpDir("env"), "env-clang", WITH_BPF);
    const opt = fakeClang(tmpDir("opt"), "opt-clang", WITH_BPF);
    const r = found(findClang({ clangPath: opt, env: { PATH: bin, CLANG: env }, resolveFrom: noPkg }));
    expect(r).toEqual({ path: opt, how: "--clang" });
  });

  test("--clang and $CLANG may name a command on PATH", () => {
    const bin = tmpDir("bin");
    const c = fakeClang(bin, "clang-17", WITH_BPF);
    expect(found(findClang({ clangPath: "clang-17", env: { PATH: bin }, resolveFrom: noPkg })).path).toBe(c);
    expect(found(findClang({ env: { PATH: bin, CLANG: "clang-17" }, resolveFrom: noPkg })).path).toBe(c);
  });

  test("an empty $CLANG or --clang is ignored", () => {
    const bin = tmpDir("bin");
    const c = fakeClang(bin, "clang", WITH_BPF);
    expect(found(findClang({ clangPath: "", env: { PATH: bin, CLANG: "" }, resolveFrom: noPkg })).path).toBe(c);
  });

  test("an unusable explicit choice is an error, not a fallback", () => {
    const bin = tmpDir("bin");
    fakeClang(bin, "clang", WITH_BPF);
    const nobpf = fakeClang(tmpDir("nobpf"), "cc-x86", WITHOUT_BPF);
    expect(failed(findClang({ clangPath: nobpf, env: { PATH: bin }, resolveFrom: noPkg }))).toMatch(
      /^--clang .*cc-x86: .* has no BPF target/,
    );
    expect(failed(findClang({ env: { PATH: bin, CLANG: nobpf }, resolveFrom: noPkg }))).toMatch(/^\$CLANG .*has no BPF target/);
    expect(failed(findClang({ clangPath: "/nonexistent/clang", env: { PATH: bin }, resolveFrom: noPkg }))).toBe(
      "--clang /nonexistent/clang: no such file",
    );
    expect(failed(findClang({ clangPath: "clang-404", env: { PATH: bin }, resolveFrom: noPkg }))).toBe(
      "--clang clang-404: not found on PATH",
    );
    const notExec = path.join(tmpDir("noexec"), "clang");
    fs.writeFileSync(notExec, "");
    expect(failed(findClang({ clangPath: notExec, env: { PATH: bin }, resolveFrom: noPkg }))).toMatch(/not an executable file/);
  });
});

describe("findClang without any clang", () => {
  test("names every way to provide one", () => {
    const msg = failed(findClang({ env: { PATH: tmpDir("empty") }, resolveFrom: noPkg }));
    expect(msg).toMatch(/^no clang with the BPF target found\n/);
    expect(msg).toContain("--clang PATH");
    expect(msg).toContain("$CLANG");
    expect(msg).toContain("apt-get install clang-19");
    expect(msg).toContain("clang-wasm");
    expect(msg).toContain("tried clang-wasm npm package: not installed");
    expect(msg).toContain("tried on PATH: none of clang, clang-");
  });

  test("lists the clangs it rejected", () => {
    const bin = tmpDir("bin");
    const x86 = fakeClang(bin, "clang-19", WITHOUT_BPF);
    const msg = failed(findClang({ env: { PATH: bin }, resolveFrom: noPkg }));
    expect(msg).toContain(`tried on PATH: ${x86} (no BPF target)`);
  });
});

describe("findClang with the optional clang-wasm package", () => {
  function installFakeClangWasm(binaryPath: string | null): string {
    const proj = tmpDir("proj");
    const pkg = path.join(proj, "node_modules", "clang-wasm");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "clang-wasm", version: "0.0.0-test", main: "index.js" }));
    fs.writeFileSync(
      path.join(pkg, "index.js"),
      binaryPath === null
        ? `exports.getBinaryPath = () => { throw new Error("Cannot find a matching release for the current system"); };\n`
        : `exports.getBinaryPath = (name) => name === "clang" ? ${JSON.stringify(binaryPath)} : undefined;\n`,
    );
    return proj;
  }

  test("is used when nothing on PATH has BPF", () => {
    const c = fakeClang(tmpDir("wasmbin"), "clang", WITH_BPF);
    const proj = installFakeClangWasm(c);
    const r = found(findClang({ env: { PATH: tmpDir("empty") }, resolveFrom: proj }));
    expect(r).toEqual({ path: c, how: "clang-wasm package" });
  });

  test("comes after PATH", () => {
    const bin = tmpDir("bin");
    const onPath = fakeClang(bin, "clang-19", WITH_BPF);
    const proj = installFakeClangWasm(fakeClang(tmpDir("wasmbin"), "clang", WITH_BPF));
    expect(found(findClang({ env: { PATH: bin }, resolveFrom: proj })).path).toBe(onPath);
  });

  test("an installed but unusable package is reported", () => {
    const proj = installFakeClangWasm(null);
    const msg = failed(findClang({ env: { PATH: tmpDir("empty") }, resolveFrom: proj }));
    expect(msg).toContain("clang-wasm npm package: installed, but unusable here (Cannot find a matching release");
  });

  test("its clang must have the BPF target too", () => {
    const proj = installFakeClangWasm(fakeClang(tmpDir("wasmbin"), "clang", WITHOUT_BPF));
    expect(failed(findClang({ env: { PATH: tmpDir("empty") }, resolveFrom: proj }))).toMatch(/clang-wasm npm package: its clang .* has no BPF target/);
  });
});
