#!/usr/bin/env node
// The p4ts command. CommonJS (bin/package.json) so that Node starts it without
// its ES module loader. `p4ts --version` answers from package.json and
// `p4ts --help` from dist/p4ts-help.txt (written by the build from the CLI's
// own help) without loading the compiler; anything else runs main() from the
// one-file bundle of the CLI (dist/p4ts.cjs, loaded with its code cache), or
// from the compiled modules when the package was built without esbuild.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dist = path.join(root, "dist");
const argv = process.argv.slice(2);
const bundled = !process.env.P4TS_UNBUNDLED;

/** The text a lone --version or --help prints, or undefined to run the CLI. */
function quickAnswer() {
  if (argv.length !== 1) return undefined;
  try {
    if (argv[0] === "--version") return `${JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version}\n`;
    if (bundled && (argv[0] === "--help" || argv[0] === "-h")) return fs.readFileSync(path.join(dist, "p4ts-help.txt"), "utf8");
  } catch {
    return undefined;
  }
  return undefined;
}

const quick = quickAnswer();
if (quick !== undefined) {
  process.stdout.write(quick);
} else {
  const loaded = bundled ? require("./load-bundle.js").loadBundle(dist) : undefined;
  const main = loaded ? Promise.resolve(loaded.main) : import("../dist/cli/main.js").then((m) => m.main);
  // Exit as soon as main() is done and stdout/stderr hold no unwritten text
  // (writes to files and terminals are synchronous; to a pipe they are when
  // the pipe has room): Node's orderly shutdown after the event loop empties
  // cost about a tenth of a small compile's CPU. Otherwise wait for the writes.
  // A stream nothing used is not created just to ask (Node makes it on first
  // access of process.stdout/stderr, console's included).
  const used = new Set();
  for (const name of ["stdout", "stderr"]) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    if (!d || !d.get || !d.configurable) used.add(name);
    else {
      Object.defineProperty(process, name, {
        configurable: true,
        enumerable: d.enumerable,
        get() {
          used.add(name);
          return d.get.call(process);
        },
      });
    }
  }
  main
    .then((run) => run(argv))
    .then((status) => {
      process.exitCode = status;
      if ([...used].every((name) => process[name].writableLength === 0)) process.exit();
    });
}
