#!/usr/bin/env node
// npm run difftest -- [--seconds N] [--seed S] [--packets P] [--only SUBSTRING] [--jobs J] [--verbose]
// Differential testing of the generated eBPF (under the P4TC emulation)
// against the interpreter, over the corpus, the samples, the fixtures and
// generated programs, round after round with new seeds until the time is up;
// J processes (default 2) share the work. Prints the counts; exit 1 when any
// disagreement was found. (--shard K/N: run shard K of N only, as a child.)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "120" },
    seed: { type: "string", default: "1" },
    packets: { type: "string", default: "250" },
    only: { type: "string" },
    jobs: { type: "string", default: "2" },
    shard: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});
const shard = values.shard ? { index: Number(values.shard.split("/")[0]), count: Number(values.shard.split("/")[1]) } : undefined;
const { runDifftest } = await import(path.join(root, "dist/difftest/index.js"));
const r = await runDifftest({ root, seconds: Number(values.seconds), seed: Number(values.seed), packets: Number(values.packets), only: values.only, jobs: Number(values.jobs), shard, log: (s) => process.stdout.write(s), verbose: values.verbose });
process.exit(r.exitCode);
