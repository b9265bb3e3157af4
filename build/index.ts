/**
 * The one-step build behind `p4ts FILE.p4 -o OUTDIR --build`: find a clang
 * with the BPF target, compile the two generated C files into the objects
 * P4TC loads, and count their instruction slots.
 */
export {
  findClang,
  isClangFound,
  hasBpfTarget,
  whichAll,
  probeClangWasm,
  CLANG_PATH_NAMES,
  VERSIONED_CLANG_NAMES,
  type ClangFound,
  type ClangMissing,
  type ClangLookup,
  type FindClangOptions,
} from "./clang.js";
export { buildObjects, clangArgs, compileObject, emulationHarnessSource, generatedSources, BPF_CFLAGS, type BuildOptions, type BuildResult } from "./objects.js";
export { cacheKey, cacheRestore, cacheStore, type CachedRun } from "./cache.js";
export {
  sectionInsnSlots,
  objectSections,
  readElfSections,
  parseReadelfSections,
  findReadelf,
  type ElfSection,
  type InsnSlotOptions,
} from "./insns.js";
