import { log, proxyActivities } from '@temporalio/workflow';
import type { CompiledStep } from '../model/types';
import { toFlowFailure } from './errors';
import { checkPayload } from './limits';
import type { PendingCompensation, Run } from './run';
import { callArguments, toActivityOptions } from './steps';

type AnyActivity = (...args: unknown[]) => Promise<unknown>;

/**
 * Runs the registered compensations newest first, each with its own activity options. A failing
 * compensation is logged and the others still run: the flow then fails with its original error.
 * The caller runs this in a non-cancellable scope.
 */
export async function compensate(run: Run): Promise<void> {
  while (run.compensations.length > 0) {
    const c = run.compensations.pop() as PendingCompensation;
    const id = `${c.step}:compensate`;
    const pseudo = {
      id,
      kind: 'activity',
      activity: c.activity,
      options: c.options,
    } as CompiledStep;
    if (c.name !== undefined) pseudo.name = c.name;
    run.progress.start(id, pseudo, [], { compensates: c.step });
    try {
      const call = proxyActivities<Record<string, AnyActivity>>(
        toActivityOptions(c.options, id, c.name),
      )[c.activity] as AnyActivity;
      checkPayload(c.input, 'input', id, `the input of compensation ${c.activity} (${id})`);
      await call(...callArguments(c.input, c.input !== undefined, c.args));
      run.progress.end(id, 'completed');
    } catch (err) {
      const failure = toFlowFailure(err, id);
      run.progress.end(id, 'failed', failure.error);
      log.warn(`compensation ${id} failed: ${failure.message}`, { step: id });
    }
  }
}
