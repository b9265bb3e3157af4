/**
 * The targets `p4ts stf --target NAME` can run a test on. Registering a
 * target is one line here: its name and a lazy import of its module, so a
 * run loads only the target it uses.
 */
import type { Target, TargetOptions } from "./target.js";

const registry: Readonly<Record<string, (o: TargetOptions) => Promise<Target>>> = {
  emulation: async (o) => new (await import("./emulation/target.js")).EmulationTarget(o),
  "p4tc-vm": async (o) => new (await import("./p4tc-vm/target.js")).P4tcVmTarget(o),
  sim: async (o) => new (await import("./sim/target.js")).SimTarget(o),
};

/** The names `--target` accepts; the first is the default. */
export const targetNames: readonly string[] = Object.keys(registry);

export const defaultTarget = "emulation";

/** The target called `name`, or null when there is none. */
export async function createTarget(name: string, options: TargetOptions = {}): Promise<Target | null> {
  const make = Object.hasOwn(registry, name) ? registry[name] : undefined;
  return make ? make(options) : null;
}

export type { Target, TargetOptions, TargetOp, OpResult, PacketOutcome, CompiledProgram, KeyMatch, ActionArg, RunOptions } from "./target.js";
export { TargetError } from "./target.js";
