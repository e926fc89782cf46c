import { CancellationScope, ContinueAsNew } from '@temporalio/workflow';
import type { CompiledStep } from '../model/types';
import { ERROR_TYPES, FlowFailure, ReturnSignal, toFlowFailure } from './errors';
import { conditionHolds, resolveExpression } from './expressions';
import { type Frame, instanceId, type Run } from './run';
import { EXECUTORS, type Executor, type StepContext } from './steps';

/**
 * Runs one step: its `when` guard, its executor, its `result:`, and its progress entry. Every
 * failure leaves here as a FlowFailure naming the step, so `catch` and the saga see DSL errors.
 */
export async function runStep(step: CompiledStep, run: Run, frame: Frame): Promise<unknown> {
  const id = instanceId(step, frame);
  if (CancellationScope.current().consideredCancelled) {
    throw new FlowFailure({ type: ERROR_TYPES.cancelled, message: 'cancelled', step: id });
  }
  if (run.hooks.beforeStep) await run.hooks.beforeStep(step);
  const progress = run.progress;
  try {
    run.history.check(id);
  } catch (err) {
    progress.start(id, step, frame.iteration);
    progress.end(id, 'failed', (err as FlowFailure).error);
    throw err;
  }
  if (step.when !== undefined) {
    let go: boolean;
    try {
      go = conditionHolds(await resolveExpression(step.when, run.root(frame), id));
    } catch (err) {
      const failure = toFlowFailure(err, id);
      progress.start(id, step, frame.iteration);
      progress.end(id, 'failed', failure.error);
      throw failure;
    }
    if (!go) {
      progress.skip(id, step, frame.iteration);
      return undefined;
    }
  }
  progress.start(id, step, frame.iteration);
  const ctx: StepContext = { run, frame, id, runSteps: (steps, f) => runSteps(steps, run, f) };
  try {
    const value = await (EXECUTORS[step.kind] as Executor<typeof step.kind>)(step as never, ctx);
    if (step.result) run.store(step.result, value, id);
    progress.end(id, 'completed');
    return value;
  } catch (err) {
    if (err instanceof ReturnSignal) {
      progress.end(id, 'completed');
      throw err;
    }
    if (err instanceof ContinueAsNew) throw err;
    const failure = toFlowFailure(err, id);
    const cancelled = failure.error.type === ERROR_TYPES.cancelled;
    progress.end(id, cancelled ? 'cancelled' : 'failed', failure.error);
    throw failure;
  }
}

/** Runs steps in order; resolves to the last step's value. Nested frames are never top level. */
export async function runSteps(steps: CompiledStep[], run: Run, frame: Frame): Promise<unknown> {
  const inner: Frame = frame.top === undefined ? frame : { ...frame, top: undefined };
  let last: unknown;
  for (const step of steps) last = await runStep(step, run, inner);
  return last;
}
