import { conditionHolds, resolveExpression } from '../expressions';
import type { Executor } from './types';

export const ifStep: Executor<'if'> = async (step, { run, frame, id, runSteps }) => {
  const test = conditionHolds(await resolveExpression(step.if, run.root(frame), id));
  return runSteps(test ? step.then : (step.else ?? []), frame);
};
