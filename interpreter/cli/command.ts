/** One `weft` sub-command. Each lives in its own file and is loaded only when it runs. */
export interface Command {
  summary: string;
  usage: string;
  /** Resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A bad command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  readonly code = 'WEFT_USAGE';
  override name = 'UsageError';
}
