/**
 * The command line's input and output, as parameters of main(), and the one
 * way an internal error is reported. Kept free of yargs: the library's types
 * (main, CliIo) must not need yargs' types.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** A bug in p4ts: exit status 2, with the stack under P4TS_DEBUG. */
export function internalError(io: CliIo, e: unknown): number {
  const err = e as Error;
  io.stderr(`p4ts: internal error: ${err?.message ?? String(e)}\n`);
  if (process.env.P4TS_DEBUG) io.stderr(`${err?.stack ?? ""}\n`);
  return 2;
}
