import { CancellationScope } from '@temporalio/workflow';
import { resolveExpression } from '../expressions';
import type { Frame } from '../run';
import type { Executor } from './types';

/**
 * Runs the steps once per item, at most `concurrency` at a time. Each iteration sees the item
 * under `as` and its position under `index`, and its step ids get the `#index` suffix. Value:
 * each iteration's last value, in item order. The first failure cancels the running iterations.
 */
export const forEach: Executor<'forEach'> = async (step, { run, frame, id, runSteps }) => {
  const value = await resolveExpression(step.forEach, run.root(frame), id);
  const items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  const results: unknown[] = new Array(items.length).fill(null);
  const iterate = async (index: number) => {
    const inner: Frame = {
      bindings: { ...frame.bindings, [step.as]: items[index], index },
      iteration: [...frame.iteration, index],
      payload: frame.payload,
    };
    results[index] = (await runSteps(step.steps, inner)) ?? null;
  };
  const limit = Math.max(1, Math.min(step.concurrency || 1, items.length));
  if (limit === 1) {
    for (let i = 0; i < items.length; i++) await iterate(i);
    return results;
  }
  const scope = new CancellationScope();
  let next = 0;
  const lane = async () => {
    while (next < items.length) await iterate(next++);
  };
  await scope.run(async () => {
    const lanes = Array.from({ length: limit }, lane);
    for (const l of lanes) l.catch(() => undefined);
    try {
      await Promise.all(lanes);
    } catch (err) {
      next = items.length;
      scope.cancel();
      // Let the cancelled iterations stop (and register compensations) before failing.
      await Promise.allSettled(lanes);
      throw err;
    }
  });
  return results;
};
