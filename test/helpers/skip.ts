// Tests that need something this machine may not have: registered as skipped (jest
// counts them so) when it is missing, and run (and fail) under CI=true or
// P4TS_REQUIRE_TOOLS=1, where everything must be there.
export const mustRun = process.env.P4TS_REQUIRE_TOOLS === "1" || process.env.CI === "true";

/** `describe` when `reason` is undefined (nothing missing) or under CI; else `describe.skip`, naming the reason. */
export function describeUnless(reason: string | undefined, name: string, body: () => void): void {
  if (reason === undefined || mustRun) describe(name, body);
  else describe.skip(`${name} (skipped: ${reason})`, body);
}

type Fn = (...args: never[]) => unknown;

/**
 * Replaces jest's `describe`/`test`/`it` (and their `.each`, `.only`,
 * `.concurrent` forms) so that everything a test file declares from now on is
 * registered as skipped, its name saying why. For suites that cannot run at all
 * here (their data is missing); call it at import time, before they declare.
 */
export function skipEveryTest(reason: string): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const realTest = test;
  const label = (name: unknown) => `${String(name)} (skipped: ${reason})`;
  const skipped = (register: (name: string, fn: Fn) => void) => {
    const f = ((name: unknown, fn: Fn) => register(label(name), fn ?? (() => undefined))) as unknown as Record<string, unknown>;
    // A table may be empty (read from the missing data): one skipped entry stands for it.
    f.each = () => (name: unknown, fn: Fn) => register(label(name), fn ?? (() => undefined));
    f.only = f;
    f.skip = f;
    f.concurrent = f;
    return f;
  };
  // A block is not entered (its body may read the missing data): one skipped test stands for it.
  g.describe = skipped((n) => realTest.skip(n, () => undefined));
  g.test = skipped((n, fn) => realTest.skip(n, fn as () => void));
  g.it = g.test;
}
