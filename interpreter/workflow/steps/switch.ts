import { resolveExpression } from '../expressions';
import type { Executor } from './types';

/** Matches the value's text against the case keys (cases are YAML keys, so always strings). */
export const switchStep: Executor<'switch'> = async (step, { run, frame, id, runSteps }) => {
  const value = await resolveExpression(step.switch, run.root(frame), id);
  const key = typeof value === 'string' ? value : JSON.stringify(value);
  const branch = Object.hasOwn(step.cases, key) ? step.cases[key] : step.default;
  return runSteps(branch ?? [], frame);
};
