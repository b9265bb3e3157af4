#!/usr/bin/env node
// npm run difftest -- [--seconds N] [--seed S] [--packets P] [--only SUBSTRING]
// Differential testing of the generated eBPF (under the P4TC emulation)
// against the interpreter, over the corpus, the samples, the fixtures and
// generated programs, round after round with new seeds until the time is up.
// Prints the counts; exit 1 when any disagreement was found.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { seconds: { type: "string", default: "120" }, seed: { type: "string", default: "1" }, packets: { type: "string", default: "250" }, only: { type: "string" }, verbose: { type: "boolean", default: false } } });
const { runDifftest } = await import(path.join(root, "dist/difftest/index.js"));
const r = await runDifftest({ root, seconds: Number(values.seconds), seed: Number(values.seed), packets: Number(values.packets), only: values.only, log: (s) => process.stdout.write(s), verbose: values.verbose });
process.exit(r.exitCode);
