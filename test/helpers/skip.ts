// Tests that need something this machine may not have: registered as skipped (jest
// counts them so) when it is missing, and run (and fail) under CI=true or
// P4TS_REQUIRE_TOOLS=1, where everything must be there.
export const mustRun = process.env.P4TS_REQUIRE_TOOLS === "1" || process.env.CI === "true";

/** `describe` when `reason` is undefined (nothing missing) or under CI; else `describe.skip`, naming the reason. */
export function describeUnless(reason: string | undefined, name: string, body: () => void): void {
  if (reason === undefined || mustRun) describe(name, body);
  else describe.skip(`${name} (skipped: ${reason})`, body);
}
