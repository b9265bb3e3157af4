// ESM jest: yargs and chevrotain (the lexer test's oracle) are ESM-only packages.
const path = require("node:path");

// clang's objects for unchanged C are reused from run to run (build/cache.ts,
// keyed by compiler, flags and every input's contents): a cold cache, as on
// CI after `npm ci`, builds everything. P4TS_BUILD_CACHE= (empty) turns it off.
if (process.env.P4TS_BUILD_CACHE === undefined) process.env.P4TS_BUILD_CACHE = path.join(__dirname, "node_modules/.cache/p4ts/build");

// `npm run test:fast` (P4TS_TEST_FAST=1): without the suites that build and
// load every corpus program, run every STF test in the kernel (corpus/stf,
// and again under the v13 ABI), run the arithmetic in the kernel at length,
// run bench:pps on two programs, boot the P4TC VM (the kernel lane), or sweep
// the 1300 p4_16 samples through cpp and the front end, pack the package and
// install it in a fresh project (cli/package), or build and load the fuzz
// acceptance programs with clang and the verifier (fuzz/buildable, fuzz/varbit:
// uncached builds); with ts-jest
// transpiling only (`npm run typecheck` checks the types), and one worker per
// CPU (jest's default leaves one CPU to itself: on 2 CPUs, one worker).
// `npm test` runs everything.
const fast = process.env.P4TS_TEST_FAST === "1";
const slowSuites = ["ebpf-build", "frontend-samples", "preprocessor-cpp", "stf"].map((n) => `<rootDir>/test/corpus/${n}.test.ts`);
slowSuites.push("<rootDir>/test/unit/codegen/ebpf-arith.test.ts", "<rootDir>/test/unit/bench/pps.test.ts", "<rootDir>/test/p4tc-vm/lane.test.ts");
slowSuites.push("<rootDir>/test/p4tc-vm/emulation-v13.test.ts");
slowSuites.push(...["cli/package", "fuzz/buildable", "fuzz/varbit"].map((n) => `<rootDir>/test/unit/${n}.test.ts`));

module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, ...(fast ? { isolatedModules: true } : {}) }] },
  testPathIgnorePatterns: ["/node_modules/", ...(fast ? slowSuites : [])],
  testTimeout: 120000,
  ...(fast ? { maxWorkers: require("node:os").availableParallelism() } : {}),
};
