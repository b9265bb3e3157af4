#!/usr/bin/env node
// The second half of `npm run build`: bundles the CLI (cli/main.ts and all it
// imports, yargs and handlebars included) into one CommonJS file,
// dist/p4ts.cjs, and records a V8 code cache for it, dist/p4ts.cache, made by
// running the bundle once on a sample program, and the text of `p4ts --help`,
// dist/p4ts-help.txt, and the prebuilt includes (compiler/prebuilt.ts:
// core.p4 and pna.p4 preprocessed and parsed), dist/p4ts-includes.json and
// .blobs, stamped with the bundle's build id. bin/p4ts.js loads the bundle
// through vm.Script with that cache: one file read instead of ~80 modules
// resolved and compiled, and most functions arrive already compiled.
//
// esbuild is a dev dependency; without it (or on any failure) the bundle and
// cache are removed and bin/p4ts.js runs dist/cli/main.js as before.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(root, "dist/p4ts.cjs");
const cache = path.join(root, "dist/p4ts.cache");
const help = path.join(root, "dist/p4ts-help.txt");
const includes = path.join(root, "dist/p4ts-includes.json");
const includeBlobs = path.join(root, "dist/p4ts-includes.blobs");
for (const f of [bundle, cache, help, includes, includeBlobs]) fs.rmSync(f, { force: true });

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.warn("bundle: esbuild is not installed; bin/p4ts.js will run dist/cli/main.js unbundled");
  process.exit(0);
}

// string-width (imported by yargs and cliui) builds an Intl.Segmenter and
// Unicode-set regexes when it loads: a fifth of a compile's CPU. Only help
// text and usage errors measure strings, so the bundle loads it on first use.
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === "real") return undefined;
      const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "real" });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: "lazy-string-width" };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy-string-width" }, (args) => ({
      contents: `let width;\nexport default function stringWidth(s) {\n  width ??= require(${JSON.stringify(args.path)}).default;\n  return width(s);\n}\n`,
      resolveDir: path.dirname(args.path),
      loader: "js",
    }));
  },
};

// `import fs from "node:fs"` becomes __toESM(require("node:fs")) in a CommonJS
// bundle: a copy of the module's hundred-odd properties as getters, once per
// importing file (about 30 at start-up). The sources only take the default of
// these built-ins, which is the module itself: a one-line shim gives it (an
// import of a name from them fails the build, and the packages' own imports
// are left as they are).
const nodeDefaults = {
  name: "node-defaults",
  setup(build) {
    build.onResolve({ filter: /^node:(fs|path|os|crypto)$/ }, (args) =>
      args.kind === "import-statement" && !args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: args.path, namespace: "node-default" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "node-default" }, (args) => ({ contents: `export default require(${JSON.stringify(args.path)});\n`, loader: "js" }));
  },
};

const idPlaceholder = "p4ts-build-id-placeholder-0123456789abcdef";
await esbuild.build({
  entryPoints: [path.join(root, "cli/main.ts")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  // Whitespace and syntax only: stack traces (P4TS_DEBUG) keep their names.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: "ascii",
  legalComments: "none",
  // compiler/paths.ts finds the package root from import.meta.url.
  // compiler/prebuilt.ts loads dist/p4ts-includes.json only when its id is this bundle's (set below).
  define: { "import.meta.url": "__p4tsModuleUrl", __P4TS_BUILD_ID: JSON.stringify(idPlaceholder) },
  // The bundle is one function expression, CommonJS's wrapper written out:
  // bin/load-bundle.js compiles the file's text as it is, with no 750 kB
  // concatenation to make and flatten on every start.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {"use strict";var __p4tsModuleUrl = require("url").pathToFileURL(__filename).href;' },
  footer: { js: "\n})" },
  logLevel: "error",
  plugins: [lazyStringWidth, nodeDefaults],
});

// The build id: a hash of the bundle's text. The prebuilt includes (compiler/prebuilt.ts),
// recorded with the modules tsc compiled from the same sources, carry it.
const bundleText = fs.readFileSync(bundle, "latin1");
const buildId = crypto.createHash("sha256").update(bundleText).digest("hex").slice(0, 32);
if (!bundleText.includes(idPlaceholder)) throw new Error("bundle: the build id placeholder is not in the bundle");
fs.writeFileSync(bundle, bundleText.replaceAll(idPlaceholder, buildId), "latin1");
const prebuilt = await import(path.join(root, "dist/compiler/prebuilt.js"));
const set = prebuilt.recordPrebuiltIncludes();
if (set.includes.length === 0) console.warn("bundle: no prebuilt include could be recorded; every compile processes core.p4 and pna.p4");
const written = prebuilt.prebuiltFileText(set, buildId);
// What the bundle will read must give the programs processing the files gives.
const readBack = prebuilt.readPrebuiltFile(written.header, buildId, set.dir, (start, length) => written.blobs.slice(start, start + length));
if (!prebuilt.checkPrebuilt(readBack)) console.warn("bundle: the prebuilt includes do not read back as recorded; not written (every compile processes core.p4 and pna.p4)");
else {
  fs.writeFileSync(includes, written.header, "latin1");
  fs.writeFileSync(includeBlobs, written.blobs, "latin1");
}

// Record the code cache after a compilation of a sample: the functions a
// compile runs are then in it, and nothing else (bin/p4ts.js answers a lone
// --version or --help itself; yargs' functions in the cache would be
// deserialized on every start for nothing).
const { loadBundle } = await import(path.join(root, "bin/load-bundle.js"));
const loaded = loadBundle(path.join(root, "dist"), { withCache: false });
const out = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-bundle-"));
const quiet = { stdout: () => {}, stderr: () => {} };
const { log, error } = console; // yargs prints --help and --version itself
console.log = console.error = () => {};
try {
  await loaded.main([path.join(root, "samples/l2_switch/l2_switch.p4"), "-o", out], quiet);
  fs.writeFileSync(cache, loaded.script.createCachedData());
  // What `p4ts --help` prints: bin/p4ts.js answers a lone --help from this file.
  let text = "";
  if ((await loaded.main(["--help"], { ...quiet, stdout: (s) => (text += s) })) === 0) fs.writeFileSync(help, text);
} finally {
  Object.assign(console, { log, error });
  fs.rmSync(out, { recursive: true, force: true });
}
