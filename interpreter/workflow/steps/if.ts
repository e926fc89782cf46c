import { conditionHolds, resolveExpression } from '../expressions';
import type { Executor } from './types';

export const ifStep: Executor<'if'> = async (step, { run, frame, id, runSteps }) => {
  const test = conditionHolds(await resolveExpression(step.if, run.root(frame), id));
  // Progress only (workflow memory, never the history): which branch ran, the other skipped.
  run.progress.branch(
    id,
    test ? 'then' : 'else',
    [test ? (step.else ?? []) : step.then],
    frame.iteration,
  );
  return runSteps(test ? step.then : (step.else ?? []), frame);
};
