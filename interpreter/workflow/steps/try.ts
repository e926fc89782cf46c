import { CancellationScope, ContinueAsNew } from '@temporalio/workflow';
import type { CompiledStep } from '../../model/types';
import { ReturnSignal, toFlowFailure } from '../errors';
import type { Frame } from '../run';
import type { Executor, StepContext } from './types';

/**
 * try/catch/finally. A catch clause matches on the error's type (no `errors`: any type) and binds
 * `{type, message, details, step}` under its `as` name. A cancellation of the flow itself is not
 * caught (it must reach onCancel and the saga), and `finally` then runs in a non-cancellable
 * scope so its cleanup can still call activities.
 */
export const tryStep: Executor<'try'> = async (step, ctx) => {
  const { frame, id, runSteps } = ctx;
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await runSteps(step.try, frame) };
  } catch (err) {
    outcome = { error: err };
    const caught = isControlFlow(err) ? undefined : toFlowFailure(err, id);
    if (caught && !CancellationScope.current().consideredCancelled) {
      const clause = step.catch.find((c) => !c.errors || c.errors.includes(caught.error.type));
      if (clause) {
        const bound: Frame = {
          ...frame,
          bindings: { ...frame.bindings, [clause.as]: { ...caught.error } },
        };
        try {
          outcome = { value: await runSteps(clause.steps, bound) };
        } catch (inner) {
          outcome = { error: inner };
        }
      }
    }
  }
  if (step.finally.length > 0) await runFinally(step.finally, ctx);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
};

function isControlFlow(err: unknown): boolean {
  return err instanceof ReturnSignal || err instanceof ContinueAsNew;
}

async function runFinally(steps: CompiledStep[], { frame, runSteps }: StepContext): Promise<void> {
  if (CancellationScope.current().consideredCancelled) {
    await CancellationScope.nonCancellable(() => runSteps(steps, frame));
  } else {
    await runSteps(steps, frame);
  }
}
