// Every command-line flag in every spelling p4c users type, through main(argv, io):
// one table, each row an argument list and what must come of it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { main } from "../../../cli/main.js";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const l2 = path.join(repo, "samples", "l2_switch", "l2_switch.p4");

interface Run {
  code: number;
  out: string;
  err: string;
  dir: string;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), "p4ts-opts-"));
let n = 0;

/** A fresh directory with: inc/defs.p4, prog.p4 (needs -I inc and -D X=1, fails under -D BAD), warn.p4 (warnings), errs.p4 (3 errors). */
function fixture(): string {
  const dir = path.join(root, String(n++));
  fs.mkdirSync(path.join(dir, "inc"), { recursive: true });
  fs.writeFileSync(path.join(dir, "inc", "defs.p4"), "#define W 8\n");
  fs.writeFileSync(
    path.join(dir, "prog.p4"),
    '#include "defs.p4"\n#if X != 1\n#error X is not 1\n#endif\n#ifdef BAD\n#error BAD is defined\n#endif\n#include <core.p4>\nheader h_t { bit<W> f; }\n',
  );
  fs.writeFileSync(
    path.join(dir, "warn.p4"),
    "#include <core.p4>\naction g() { }\ncontrol C(inout bit<8> x) {\n    action g() { }\n    table t { actions = { g; } }\n    apply { }\n}\n",
  );
  fs.writeFileSync(path.join(dir, "errs.p4"), "const bit<8> a = b;\nconst bit<8> c = d;\nconst bit<8> e = f;\n");
  return dir;
}

async function run(argv: (dir: string) => string[]): Promise<Run> {
  const dir = fixture();
  let out = "",
    err = "";
  const code = await main(argv(dir), { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out, err, dir };
}

const ok = (r: Run) => {
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
};
const usageError = (re: RegExp) => (r: Run) => {
  expect(r.err).toMatch(re);
  expect(r.err).not.toMatch(/internal error/);
  expect(r.code).toBe(1);
};
const wrote = (sub: string) => (r: Run) => {
  ok(r);
  expect(fs.readdirSync(path.join(r.dir, sub)).sort()).toEqual(["l2_switch.json", "l2_switch.template", "l2_switch_control_blocks.c", "l2_switch_parser.c", "l2_switch_parser.h"]);
};
/** warn.p4 gives three `unused` warnings (action g, control C, table t) and one `shadow` (the inner g). */
const warnings = (r: Run) => (r.err.match(/\] warning: /g) ?? []).length;
const errors = (r: Run) => (r.err.match(/\] error: /g) ?? []).length;

const I = (d: string) => path.join(d, "inc");
const P = (d: string) => path.join(d, "prog.p4");
const W = (d: string) => path.join(d, "warn.p4");
const FE = ["--stop-after", "frontend"];

const table: [string, (d: string) => string[], (r: Run) => void][] = [
  // -I, -D, -U: detached, attached, repeatable, in any position
  ["-I DIR -D X=1", (d) => [P(d), "--parse-only", "-I", I(d), "-D", "X=1"], ok],
  ["-IDIR -DX=1", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX=1"], ok],
  ["options before the file", (d) => ["-D", "X=1", "-I", I(d), P(d), "--parse-only"], ok],
  ["-I repeated", (d) => [P(d), "--parse-only", "-I", "/nonexistent", `-I${I(d)}`, "-DX=1"], ok],
  ["-I missing", (d) => [P(d), "--parse-only", "-DX=1"], usageError(/prog\.p4\(1\).*defs\.p4.*not found/)],
  ["-D X (bare = 1)", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-D", "X"], ok],
  ["-DX (bare = 1)", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX"], ok],
  ["-DX=2", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX=2"], usageError(/X is not 1/)],
  ["-D repeated", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX=1", "-D", "BAD"], usageError(/BAD is defined/)],
  ["-U NAME", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX=1", "-DBAD", "-U", "BAD"], ok],
  ["-UNAME", (d) => [P(d), "--parse-only", `-I${I(d)}`, "-DX=1", "-DBAD", "-UBAD"], ok],
  ["-D with no value", () => [l2, "-D"], usageError(/Not enough arguments following: D/)],
  // -o
  ["-o DIR", (d) => [l2, "-o", path.join(d, "o")], wrote("o")],
  ["-oDIR", (d) => [l2, `-o${path.join(d, "o")}`], wrote("o")],
  ["--output DIR", (d) => [l2, "--output", path.join(d, "o")], wrote("o")],
  ["--output=DIR", (d) => [l2, `--output=${path.join(d, "o")}`], wrote("o")],
  [
    "-Io/DIR is an include directory, never -o",
    (d) => [l2, `-Io${path.join(d, "x")}`],
    (r) => {
      ok(r);
      expect(fs.existsSync(path.join(r.dir, "x"))).toBe(false);
    },
  ],
  ["-Iq is an include directory, not -I -q", (d) => [W(d), ...FE, "-Iq"], (r) => expect(warnings(r)).toBe(4)],
  // nothing is grouped
  ["-qv", (d) => [W(d), "-qv"], usageError(/Unknown argument: qv/)],
  ["-Eq", (d) => [W(d), "-Eq"], usageError(/Unknown argument: Eq/)],
  // the warning flags
  ["no --W flag", (d) => [W(d), ...FE], (r) => (expect(warnings(r)).toBe(4), expect(r.code).toBe(0))],
  ["--Werror (all) takes no value", (d) => ["--Werror", W(d), ...FE], (r) => (expect(errors(r)).toBe(4), expect(r.code).toBe(1))],
  ["--Werror= (all)", (d) => [W(d), ...FE, "--Werror="], (r) => (expect(errors(r)).toBe(4), expect(r.code).toBe(1))],
  ["--Werror=unused", (d) => [W(d), ...FE, "--Werror=unused"], (r) => (expect(errors(r)).toBe(3), expect(warnings(r)).toBe(1), expect(r.err).toMatch(/\[--Werror=unused\] error/))],
  ["--Werror=unused,shadow", (d) => [W(d), ...FE, "--Werror=unused,shadow"], (r) => expect(errors(r)).toBe(4)],
  ["--Werror=unused --Werror=shadow", (d) => [W(d), ...FE, "--Werror=unused", "--Werror=shadow"], (r) => expect(errors(r)).toBe(4)],
  ["--Werror then --Wwarn=shadow", (d) => [W(d), ...FE, "--Werror", "--Wwarn=shadow"], (r) => (expect(errors(r)).toBe(3), expect(warnings(r)).toBe(1))],
  ["--Werror then --Wwarn", (d) => [W(d), ...FE, "--Werror", "--Wwarn"], (r) => (expect(warnings(r)).toBe(4), expect(r.code).toBe(0))],
  ["--Wdisable (all)", (d) => ["--Wdisable", W(d), ...FE], ok],
  ["--Wdisable=unused", (d) => [W(d), ...FE, "--Wdisable=unused"], (r) => (expect(warnings(r)).toBe(1), expect(r.err).toMatch(/shadows/))],
  ["--Winfo=shadow", (d) => [W(d), ...FE, "--Winfo=shadow"], (r) => (expect(warnings(r)).toBe(3), expect(r.err).toMatch(/info: 'g' shadows/), expect(r.code).toBe(0))],
  ["--Winfo (all)", (d) => ["--Winfo", W(d), ...FE], (r) => (expect(warnings(r)).toBe(0), expect((r.err.match(/info: /g) ?? []).length).toBe(4))],
  ["--Werror=bogus", (d) => [W(d), ...FE, "--Werror=bogus"], usageError(/--Werror=bogus: unknown warning kind 'bogus' \(kinds: .*unused/)],
  ["--Wdisable=bogus", (d) => [W(d), "--Wdisable=bogus"], usageError(/unknown warning kind 'bogus'/)],
  ["--Wwarn=bogus", (d) => [W(d), "--Wwarn=bogus"], usageError(/unknown warning kind 'bogus'/)],
  ["--Winfo=bogus", (d) => [W(d), "--Winfo=bogus"], usageError(/unknown warning kind 'bogus'/)],
  ["-q", (d) => [W(d), ...FE, "-q"], ok],
  ["--quiet", (d) => [W(d), ...FE, "--quiet"], ok],
  ["-q keeps errors", (d) => [W(d), ...FE, "-q", "--Werror=shadow"], (r) => (expect(errors(r)).toBe(1), expect(warnings(r)).toBe(0))],
  // --maxErrorCount
  ["no --maxErrorCount", (d) => [path.join(d, "errs.p4"), ...FE], (r) => (expect(r.code).toBe(1), expect(errors(r)).toBe(3))],
  ["--maxErrorCount 1", (d) => [path.join(d, "errs.p4"), ...FE, "--maxErrorCount", "1"], (r) => (expect(errors(r)).toBe(1), expect(r.err).toMatch(/more than 1 errors/), expect(r.code).toBe(1))],
  ["--maxErrorCount=2", (d) => [path.join(d, "errs.p4"), ...FE, "--maxErrorCount=2"], (r) => expect(errors(r)).toBe(2)],
  ["--maxErrorCount 0", (d) => [path.join(d, "errs.p4"), "--maxErrorCount", "0"], usageError(/--maxErrorCount 0: expected a positive number/)],
  // -E and the -M family
  ["-E", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-E", "-o", path.join(d, "o")], (r) => (expect(r.code).toBe(0), expect(r.out).toMatch(/header h_t \{ bit<8> f; \}/), expect(r.out).toMatch(/extern packet_in/), expect(fs.existsSync(path.join(r.dir, "o"))).toBe(false))],
  ["-M", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M"], (r) => (expect(r.code).toBe(0), expect(r.out).toMatch(/^prog\.template prog\.json prog_parser\.h prog_parser\.c prog_control_blocks\.c: \S*prog\.p4 \\\n \S*inc\/defs\.p4 \\\n \S*core\.p4\n$/))],
  ["-M -MT T -MT U", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M", "-MT", "T", "-MT", "U"], (r) => expect(r.out).toMatch(/^T U: /)],
  ["-M -MTT", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M", "-MTT"], (r) => expect(r.out).toMatch(/^T: /)],
  ["-M -MP", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M", "-MP"], (r) => (expect(r.out).toMatch(/\n\S*inc\/defs\.p4:\n/), expect(r.out).not.toMatch(/\n\S*prog\.p4:\n/))],
  ["-M -MF FILE", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M", "-MF", path.join(d, "p.d")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "p.d"), "utf8")).toMatch(/defs\.p4/))],
  ["-M -MFFILE", (d) => [P(d), `-I${I(d)}`, "-DX=1", "-M", `-MF${path.join(d, "p.d")}`], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "p.d"), "utf8")).toMatch(/defs\.p4/))],
  ["-MD -o DIR", (d) => [l2, "-MD", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch.d"), "utf8")).toMatch(/^\S*o\/l2_switch\.template .*: \S*l2_switch\.p4 \\\n \S*core\.p4 \\\n \S*pna\.p4\n$/))],
  ["-MD -MF FILE -MT T", (d) => [l2, "-MD", "-MF", path.join(d, "x.d"), "-MT", "T", "-o", path.join(d, "o")], (r) => (wrote("o")(r), expect(fs.readFileSync(path.join(r.dir, "x.d"), "utf8")).toMatch(/^T: /))],
  ["-MF alone", (d) => [l2, "-MF", path.join(d, "x.d")], usageError(/-MF, -MT and -MP need -M or -MD/)],
  ["-E -M", (d) => [l2, "-E", "-M"], usageError(/-E cannot be combined/)],
  // --std, --target, --arch
  ["--std p4-16", (d) => [W(d), "--parse-only", "--std", "p4-16"], ok],
  ["--std=16", (d) => [W(d), "--parse-only", "--std=16"], ok],
  ["--std p4-14", (d) => [W(d), "--std", "p4-14"], usageError(/P4-14 programs are not supported/)],
  ["--std=p4-18", (d) => [W(d), "--std=p4-18"], usageError(/--std p4-18: unknown language version/)],
  ["--target tc --arch pna", (d) => [l2, "--target", "tc", "--arch", "pna", "-o", path.join(d, "o")], wrote("o")],
  ["--target=tc --arch=pna", (d) => [l2, "--target=tc", "--arch=pna", "-o", path.join(d, "o")], wrote("o")],
  ["--target bmv2", () => [l2, "--target", "bmv2"], usageError(/--target bmv2: p4ts compiles for --target tc only/)],
  ["--arch=psa", () => [l2, "--arch=psa"], usageError(/--arch psa: p4ts compiles for --arch pna only/)],
  // p4c-pna-p4tc's own flags
  ["--num-timer-profiles 8", (d) => [l2, "--num-timer-profiles", "8", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch.template"), "utf8")).toMatch(/ num_timer_profiles 8 /))],
  ["--num-timer-profiles=4 (the default, printed as nothing)", (d) => [l2, "--num-timer-profiles=4", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch.template"), "utf8")).not.toMatch(/num_timer_profiles/))],
  ["--num-timer-profiles 17", () => [l2, "--num-timer-profiles", "17"], usageError(/expected a number from 1 to 16/)],
  ["--xdp2tc meta", (d) => [l2, "--xdp2tc", "meta", "-o", path.join(d, "o")], wrote("o")],
  ["--xdp2tc head", () => [l2, "--xdp2tc", "head"], usageError(/--xdp2tc head: not supported: .*no XDP program/)],
  ["--xdp2tc=cpumap", () => [l2, "--xdp2tc=cpumap"], usageError(/--xdp2tc cpumap: not supported/)],
  ["--xdp2tc foo", () => [l2, "--xdp2tc", "foo"], usageError(/unknown mode/)],
  // -v, stages, --pp, --diagnostics-format
  ["-v", (d) => [l2, "-v", "-o", path.join(d, "o")], (r) => (expect(r.code).toBe(0), expect(r.err).toMatch(/p4ts: read \S*l2_switch\.p4\n/), expect(r.err).toMatch(/p4ts: wrote \S*l2_switch\.json\n/))],
  ["-v -v", (d) => [l2, "-v", "-v", "--parse-only"], (r) => (expect(r.code).toBe(0), expect(r.err).toMatch(/p4ts: read /))],
  ["--parse-only", (d) => [l2, "--parse-only", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.existsSync(path.join(r.dir, "o"))).toBe(false))],
  ["--stop-after frontend", (d) => [l2, "--stop-after", "frontend", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.existsSync(path.join(r.dir, "o"))).toBe(false))],
  ["--stop-after=midend", (d) => [l2, "--stop-after=midend"], ok],
  ["--stop-after codegen", () => [l2, "--stop-after", "codegen"], usageError(/Invalid values/)],
  ["--pp FILE", (d) => [l2, "--parse-only", "--pp", path.join(d, "pp.p4")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "pp.p4"), "utf8")).toMatch(/control /))],
  ["--diagnostics-format json", (d) => [W(d), ...FE, "--diagnostics-format", "json"], (r) => expect(r.err.trim().split("\n").map((l) => JSON.parse(l).severity)).toEqual(["warning", "warning", "warning", "warning"])],
  ["--diagnostics-format=text", (d) => [W(d), ...FE, "--diagnostics-format=text"], (r) => expect(warnings(r)).toBe(4)],
  ["--diagnostics-format xml", (d) => [W(d), "--diagnostics-format", "xml"], usageError(/Invalid values/)],
  ["--emulate-p4tc without --build", () => [l2, "--emulate-p4tc"], usageError(/--emulate-p4tc needs --build/)],
  ["--print-clang --clang PATH (no such file)", (d) => ["--print-clang", "--clang", path.join(d, "no-clang")], usageError(/--clang \S*no-clang: no such file/)],
  ["--build without -o", () => [l2, "--build"], usageError(/--build needs -o OUTDIR/)],
  ["-g", (d) => [l2, "-g", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch_control_blocks.c"), "utf8")).toMatch(/\/\* l2_switch\.p4:\d+ \*\//))],
  ["--trace", (d) => [l2, "--trace", "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch_parser.c"), "utf8")).toContain('bpf_printk("p4ts: parser state start");'))],
  ["no --trace", (d) => [l2, "-o", path.join(d, "o")], (r) => (ok(r), expect(fs.readFileSync(path.join(r.dir, "o", "l2_switch_control_blocks.c"), "utf8")).not.toContain("bpf_printk"))],
  // files
  ["no file", () => ["-DX"], usageError(/p4ts: no input file/)],
  ["two files", (d) => [l2, W(d)], usageError(/only one input file/)],
  ["a directory as the file", (d) => [d], usageError(/: is a directory$/m)],
  ["a missing file", (d) => [path.join(d, "none.p4")], usageError(/none\.p4: No such file or directory/)],
  ["a file as -o", (d) => [l2, "-o", W(d)], usageError(/cannot write to \S*warn\.p4: Not a directory/)],
  ["-o under a file", (d) => [l2, "-o", path.join(W(d), "sub")], usageError(/cannot write to .*Not a directory/)],
  ["-o under /proc", () => [l2, "-o", "/proc/p4ts-no-such/x"], usageError(/cannot write to \/proc\/p4ts-no-such\/x: /)],
  ["an unknown option", () => [l2, "--no-such-option"], usageError(/Unknown argument/)],
  // help and version, for both commands
  ["-h", () => ["-h"], (r) => (ok(r), expect(r.out).toMatch(/^Usage: p4ts FILE\.p4/))],
  ["--help", () => ["--help"], (r) => (ok(r), expect(r.out).toMatch(/Exit status: 0 success; 1 .*\n2 an internal error/), expect(r.out).toMatch(/Warning kinds [^:]*: invalid, missing, shadow, unknown,\s+unused\./), expect(r.out).toMatch(/p4ts stf FILE\.p4 TEST\.stf/), expect(r.out).toMatch(/p4ts sim FILE\.p4 TEST\.stf/), expect(r.out).toMatch(/ -MD /))],
  ["help", () => ["help"], (r) => (ok(r), expect(r.out).toMatch(/^Usage: p4ts FILE\.p4/))],
  ["help stf", () => ["help", "stf"], (r) => (ok(r), expect(r.out).toMatch(/^Usage: p4ts stf FILE\.p4 TEST\.stf/))],
  ["help nope", () => ["help", "nope"], usageError(/no command 'nope'/)],
  ["--version", () => ["--version"], (r) => (ok(r), expect(r.out).toMatch(/^\d+\.\d+\.\d+\n$/))],
  ["stf --version", () => ["stf", "--version"], (r) => (ok(r), expect(r.out).toMatch(/^\d+\.\d+\.\d+\n$/))],
  ["stf -h", () => ["stf", "-h"], (r) => (ok(r), expect(r.out).toMatch(/--port/))],
  ["stf with one file", () => ["stf", l2], usageError(/p4ts stf: expected FILE\.p4 and TEST\.stf, got 1 file/)],
  ["stf --port bad", (d) => ["stf", l2, W(d), "--port", "x"], usageError(/--port takes N=IFINDEX, got 'x'/)],
  ["stf --port=0=1 -IDIR -DX a missing test", (d) => ["stf", l2, path.join(d, "none.stf"), "--port=0=1", `-I${I(d)}`, "-DX"], usageError(/p4ts stf: \S*none\.stf: No such file/)],
  ["stf a directory", (d) => ["stf", l2, d], usageError(/: is a directory/)],
];

describe("command-line options, every spelling", () => {
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  test.each(table)("%s", async (_name, argv, check) => {
    check(await run(argv));
  });
});

// The compile command reads common lines without yargs (cli/quick-args.ts) and
// falls back to yargs for anything else; P4TS_FULL_ARGS=1 makes it always use
// yargs. Every row gives the same status, output and files both ways.
describe("the quick option reader gives what yargs gives", () => {
  const seen = async (argv: (dir: string) => string[]) => {
    const r = await run(argv);
    const files = (sub: string): string[] => (fs.existsSync(path.join(r.dir, sub)) ? fs.readdirSync(path.join(r.dir, sub)).sort() : []);
    const norm = (t: string) => t.split(r.dir).join("DIR");
    return { code: r.code, out: norm(r.out), err: norm(r.err), top: files("."), o: files("o") };
  };
  test.each(table.filter(([, argv]) => argv("D")[0] !== "stf"))("%s", async (_name, argv) => {
    const quick = await seen(argv);
    process.env.P4TS_FULL_ARGS = "1";
    try {
      expect(quick).toEqual(await seen(argv));
    } finally {
      delete process.env.P4TS_FULL_ARGS;
    }
  });
});
