import { patched } from '@temporalio/workflow';
import { PATCHES } from '../patches';

/**
 * The arguments an activity call sends. The input is the one argument (every plugin activity,
 * and an external one by default, as the other SDKs' activities take one object). An external
 * activity declared with positional `args:` gets the input object's members in that order; a
 * missing member is sent as null, since positions must not shift.
 */
export function callArguments(input: unknown, hasInput: boolean, args?: string[]): unknown[] {
  if (!hasInput) return [];
  if (args === undefined || !patched(PATCHES.externalArgs)) return [input];
  const record =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : {};
  return args.map((name) => record[name] ?? null);
}
