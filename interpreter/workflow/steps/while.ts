import { ERROR_TYPES, FlowFailure } from '../errors';
import { conditionHolds, resolveExpression } from '../expressions';
import type { Executor } from './types';

/**
 * Repeats while the expression holds. The iteration index is the step ids' `#n` suffix. More than
 * maxIterations iterations fail with MaxIterationsExceeded. At the top level of a flow, each
 * iteration boundary is a continue-as-new safe point.
 */
export const whileStep: Executor<'while'> = async (step, { run, frame, id, runSteps }) => {
  let iteration = frame.top !== undefined ? run.resumeIteration(frame.top) : 0;
  let last: unknown;
  while (conditionHolds(await resolveExpression(step.while, run.root(frame), id))) {
    if (iteration >= step.maxIterations) {
      throw new FlowFailure({
        type: ERROR_TYPES.maxIterations,
        message: `step '${id}': while loop exceeded maxIterations (${step.maxIterations})`,
        step: id,
      });
    }
    last = await runSteps(step.steps, {
      bindings: frame.bindings,
      iteration: [...frame.iteration, iteration],
      payload: frame.payload,
    });
    iteration++;
    if (frame.top !== undefined) await run.safePoint(frame.top, iteration);
  }
  return last;
};
