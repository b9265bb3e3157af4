#!/usr/bin/env node
// The p4ts command: main() from the one-file bundle of the CLI (dist/p4ts.cjs,
// loaded with its code cache), or from the compiled modules when the package
// was built without esbuild.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadBundle } from "./load-bundle.js";

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
const main = (process.env.P4TS_UNBUNDLED ? undefined : loadBundle(dist))?.main ?? (await import("../dist/cli/main.js")).main;
process.exitCode = await main(process.argv.slice(2));
