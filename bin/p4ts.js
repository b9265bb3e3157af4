#!/usr/bin/env node
// The p4ts command: a shim over main() in the compiled library.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
