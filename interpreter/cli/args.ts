import { UsageError } from './command';

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
