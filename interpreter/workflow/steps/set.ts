import { resolveTemplate } from '../expressions';
import { setPath } from '../paths';
import type { Executor } from './types';

/** Assigns in key order, so a later key can read an earlier one. Value: the object assigned. */
export const set: Executor<'set'> = async (step, { run, frame, id }) => {
  const assigned: Record<string, unknown> = {};
  for (const [path, template] of Object.entries(step.set)) {
    const value = await resolveTemplate(template, run.root(frame), id);
    setPath(run.vars, path, value);
    assigned[path] = value;
  }
  return assigned;
};
