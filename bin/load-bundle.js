// Loads the CLI bundle dist/p4ts.cjs (made by scripts/bundle.mjs) through
// vm.Script with its V8 code cache dist/p4ts.cache when that is there and was
// made by this Node (V8 rejects a cache of another version or flags, and the
// bundle then compiles as usual). Returns undefined when there is no bundle.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const { createRequire } = require("node:module");

function loadBundle(distDir, { withCache = true } = {}) {
  const file = path.join(distDir, "p4ts.cjs");
  let source;
  try {
    source = fs.readFileSync(file, "latin1"); // the bundle is ASCII (esbuild charset: ascii)
  } catch {
    return undefined;
  }
  let cachedData;
  if (withCache) {
    try {
      cachedData = fs.readFileSync(path.join(distDir, "p4ts.cache"));
    } catch {
      cachedData = undefined;
    }
  }
  // The bundle's text is a function expression (scripts/bundle.mjs writes the wrapper).
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, distDir);
  return { main: module.exports.main, script };
}

exports.loadBundle = loadBundle;
