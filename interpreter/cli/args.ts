import { type ParseArgsConfig, parseArgs } from 'node:util';

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

import { UsageError } from './command';

/** A command's flags and positionals; a flag it does not know is a usage error (exit 2). */
export function parseCommandArgs<const O extends ParseArgsOptions>(
  args: string[],
  options: O,
): ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A TCP port from a flag, or undefined when the flag is absent. */
export function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`${flag} must be a port number between 1 and 65535, not '${value}'.`);
  }
  return port;
}

/** A positive integer from a flag, or undefined when the flag is absent. */
export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`${flag} must be a positive integer, not '${value}'.`);
  return n;
}
