// p4ts is an ES module and loads its parser with a top-level await, which
// require() cannot load. This entry is what require("p4ts") finds: it fails
// at once with a message that says what to do instead.
"use strict";
const err = new Error(
  'p4ts is an ES module and cannot be loaded with require(). From CommonJS use a dynamic import: const { compile } = await import("p4ts");',
);
err.code = "ERR_P4TS_ESM_ONLY";
throw err;
