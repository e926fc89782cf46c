import { condition, type sleep } from '@temporalio/workflow';
import { truthy } from '../../model/truthiness';
import { ERROR_TYPES, FlowFailure } from '../errors';
import { resolveExpressionSync } from '../expressions';
import type { Executor } from './types';

type ConditionTimeout = Parameters<typeof sleep>[0];

/**
 * Waits for a signal and/or a condition (both, when both are given). Signals are buffered, so
 * one that arrived before the step started counts; the step consumes it and its value is the
 * signal's payload. The condition is re-checked after every change (Temporal's condition()),
 * so it is evaluated synchronously.
 */
export const wait: Executor<'wait'> = async (step, { run, frame, id, runSteps }) => {
  let problem: unknown;
  const ready = (): boolean => {
    if (problem !== undefined) return true;
    if (step.signal !== undefined && !run.hasSignal(step.signal)) return false;
    if (step.condition === undefined) return true;
    try {
      return truthy(resolveExpressionSync(step.condition, run.root(frame), id));
    } catch (err) {
      problem = err;
      return true;
    }
  };
  let met = true;
  if (step.timeout === undefined) await condition(ready);
  else met = await condition(ready, step.timeout as ConditionTimeout);
  if (problem !== undefined) throw problem;
  if (met) return step.signal !== undefined ? run.takeSignal(step.signal) : undefined;
  run.progress.timedOut(id);
  if (step.onTimeout) return runSteps(step.onTimeout, frame);
  const what = [step.signal && `signal '${step.signal}'`, step.condition && 'condition']
    .filter(Boolean)
    .join(' and ');
  throw new FlowFailure({
    type: ERROR_TYPES.timeout,
    message: `step '${id}': no ${what} within ${String(step.timeout)}`,
    step: id,
  });
};
