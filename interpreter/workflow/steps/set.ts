import { resolveTemplateNow } from '../expressions';
import type { Executor } from './types';

/**
 * Assigns in key order, so a later key can read an earlier one. Value: the object assigned.
 * Read and write happen without a pause in between (when the expression takes the synchronous
 * path), so concurrent handlers or branches appending to the same var do not lose updates.
 */
export const set: Executor<'set'> = async (step, { run, frame, id }) => {
  const assigned: Record<string, unknown> = {};
  for (const [path, template] of Object.entries(step.set)) {
    const now = resolveTemplateNow(template, run.root(frame), id);
    const value = now instanceof Promise ? await now : now;
    run.store(path, value, id);
    assigned[path] = value;
  }
  return assigned;
};
