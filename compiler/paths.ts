/**
 * Where the package's own files are at run time. Compiled code runs from
 * dist/compiler/, tests run the TypeScript sources from compiler/; both find
 * the package root by walking up to the directory holding package.json.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "compiler", "p4include"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("internal: cannot find the p4ts package root");
    dir = up;
  }
}

export const packageRoot = findPackageRoot();
/** The bundled architecture files: core.p4, tc/pna.p4, pna.p4. */
export const builtinIncludeDir = path.join(packageRoot, "compiler", "p4include");
export const runtimeHeadersDir = path.join(packageRoot, "runtime-headers");

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}
