import { resolveExpression } from '../expressions';
import type { Executor } from './types';

/** Matches the value's text against the case keys (cases are YAML keys, so always strings). */
export const switchStep: Executor<'switch'> = async (step, { run, frame, id, runSteps }) => {
  const value = await resolveExpression(step.switch, run.root(frame), id);
  const key = typeof value === 'string' ? value : JSON.stringify(value);
  const hit = Object.hasOwn(step.cases, key);
  const branch = hit ? step.cases[key] : step.default;
  // Progress only (workflow memory, never the history): which branch ran, the others skipped.
  const others = Object.entries(step.cases)
    .filter(([k]) => !hit || k !== key)
    .map(([, steps]) => steps);
  if (hit && step.default) others.push(step.default);
  run.progress.branch(id, hit ? `cases.${key}` : 'default', others, frame.iteration);
  return runSteps(branch ?? [], frame);
};
