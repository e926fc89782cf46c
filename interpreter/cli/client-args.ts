import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import { connectFromEnv } from '../client';
import { UsageError } from './command';
import { parseJsonArg } from './flow-args';

/**
 * Shared by the commands that talk to a running server (start, result, describe, query, signal,
 * update, cancel, list, history): the server comes from TEMPORAL_ADDRESS & co (default
 * localhost:7233), and --address / --namespace override it.
 */
export const CONNECTION_OPTIONS = {
  address: { type: 'string' },
  namespace: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const CONNECTION_USAGE = '[--address host:port] [--namespace ns]';

/** parseArgs with usage errors instead of TypeErrors. */
export function parseCommand<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export async function withClient<T>(
  values: { address?: string; namespace?: string },
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const connected = await connectFromEnv({ address: values.address, namespace: values.namespace });
  try {
    return await fn(connected.client);
  } finally {
    await connected.close();
  }
}

/** Exactly `n` positionals, named for the usage message. */
export function positionalsExactly(positionals: string[], names: string[], optional = 0): string[] {
  if (positionals.length < names.length - optional || positionals.length > names.length) {
    throw new UsageError(`expected ${names.join(' ')}`);
  }
  return positionals;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value ?? null, null, 2));
}

/** `<workflowId> <name> [<json>]`, the positionals of query, signal and update. */
export function messageTarget(
  positionals: string[],
  what: string,
): { id: string; name: string; arg?: unknown } {
  const [id, name, json] = positionalsExactly(positionals, ['<workflowId>', '<name>', '[json]'], 1);
  return { id: id!, name: name!, ...(json === undefined ? {} : { arg: parseJsonArg(json, what) }) };
}
