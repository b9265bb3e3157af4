// The hand-written model fixtures, the reference files they stand for, and
// the scoreboard's template normalisation.
import fs from "node:fs";
import path from "node:path";
import type { PipelineModel } from "../../../compiler/ir/pipeline.js";
import { model as add_entry_example } from "./fixtures/add_entry_example.js";
import { model as const_entries_range_mask } from "./fixtures/const_entries_range_mask.js";
import { model as crc } from "./fixtures/crc.js";
import { model as default_action_with_param } from "./fixtures/default_action_with_param.js";
import { model as digest } from "./fixtures/digest.js";
import { model as direct_counter_example } from "./fixtures/direct_counter_example.js";
import { model as global_action_example_01 } from "./fixtures/global_action_example_01.js";
import { model as matchtype } from "./fixtures/matchtype.js";
import { model as meter } from "./fixtures/meter.js";
import { model as multiple_tables_example_01 } from "./fixtures/multiple_tables_example_01.js";
import { model as multiple_tables_example_02 } from "./fixtures/multiple_tables_example_02.js";
import { model as nummask_annotation_example } from "./fixtures/nummask_annotation_example.js";
import { model as simple_exact_example } from "./fixtures/simple_exact_example.js";
import { model as simple_extern_example } from "./fixtures/simple_extern_example.js";
import { model as tc_may_override_example_01 } from "./fixtures/tc_may_override_example_01.js";
import { model as tc_may_override_example_06 } from "./fixtures/tc_may_override_example_06.js";
import { model as test_ipv6_example } from "./fixtures/test_ipv6_example.js";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
// The corpus helpers also register every test of a suite as skipped when the corpus is missing.
export { corpus } from "../../helpers/corpus.js";
import { corpus } from "../../helpers/corpus.js";
export const expectedDir = path.join(corpus, "p4tc", "expected");

export const FIXTURES: Record<string, PipelineModel> = {
  add_entry_example,
  const_entries_range_mask,
  crc,
  default_action_with_param,
  digest,
  direct_counter_example,
  global_action_example_01,
  matchtype,
  meter,
  multiple_tables_example_01,
  multiple_tables_example_02,
  nummask_annotation_example,
  simple_exact_example,
  simple_extern_example,
  tc_may_override_example_01,
  tc_may_override_example_06,
  test_ipv6_example,
};

export function readExpected(name: string, ext: "template" | "json"): string {
  return fs.readFileSync(path.join(expectedDir, `${name}.${ext}`), "utf8");
}

/** The scoreboard's normalisation: join `\`-continuations, keep `$TC ` lines, collapse whitespace. */
export function templateCommands(text: string): string[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("$TC "))
    .map((l) => l.replace(/\s+/g, " "));
}

/** A deep copy of a fixture (bigint-safe), for tests that modify it. */
export function cloneModel(m: PipelineModel): PipelineModel {
  return structuredClone(m);
}
