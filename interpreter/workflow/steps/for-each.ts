import { CancellationScope, patched, workflowInfo } from '@temporalio/workflow';
import { resolveExpression } from '../expressions';
import { PATCHES } from '../patches';
import type { Frame, LoopState } from '../run';
import type { Executor } from './types';

/**
 * True when a top-level loop should stop starting iterations and continue as new. The patch is
 * asked only when the server suggests it, so runs that never get long record no marker.
 */
function continueSuggested(frame: Frame): boolean {
  return (
    frame.top !== undefined &&
    workflowInfo().continueAsNewSuggested &&
    patched(PATCHES.forEachContinueAsNew)
  );
}

/**
 * Runs the steps once per item, at most `concurrency` at a time. Each iteration sees the item
 * under `as` and its position under `index`, and its step ids get the `#index` suffix. Value:
 * each iteration's last value, in item order. The first failure cancels the running iterations.
 *
 * At the top level of a flow, iteration boundaries are continue-as-new safe points, so a loop
 * over more items than one run's history holds (51,200 events) goes on in new runs: when the
 * server suggests it, no new iteration starts, the running ones finish, and the run continues as
 * new carrying the items (evaluated once), the results so far and the next index. Iterations
 * share `vars` and register compensations in the one saga, which running batches as child flows
 * would not keep.
 */
export const forEach: Executor<'forEach'> = async (step, { run, frame, id, runSteps }) => {
  const resumed = frame.top !== undefined ? run.resumeLoop(frame.top) : undefined;
  let items: unknown[];
  let results: unknown[];
  if (resumed?.loop) {
    items = resumed.loop.items;
    results = resumed.loop.results;
  } else {
    const value = await resolveExpression(step.forEach, run.root(frame), id);
    items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    results = new Array(items.length).fill(null);
  }
  const first = resumed?.loop ? resumed.iteration : 0;
  const carry = (): LoopState => ({ items, results });
  const iterate = async (index: number) => {
    const inner: Frame = {
      bindings: { ...frame.bindings, [step.as]: items[index], index },
      iteration: [...frame.iteration, index],
      payload: frame.payload,
    };
    results[index] = (await runSteps(step.steps, inner)) ?? null;
  };
  const limit = Math.max(1, Math.min(step.concurrency || 1, items.length - first));
  if (limit === 1) {
    for (let i = first; i < items.length; i++) {
      if (i > first && continueSuggested(frame)) {
        await run.safePoint(frame.top as number, i, carry());
      }
      await iterate(i);
    }
    return results;
  }
  let next = first;
  let draining = false;
  const lane = async () => {
    while (next < items.length && !draining) {
      if (next > first && continueSuggested(frame)) {
        draining = true;
        return;
      }
      await iterate(next++);
    }
  };
  for (;;) {
    const scope = new CancellationScope();
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
    if (!draining) return results;
    // Every iteration before `next` has finished: the lanes stopped starting and ran out.
    await run.safePoint(frame.top as number, next, carry());
    // Still here: the server withdrew its suggestion; go on in this run.
    draining = false;
  }
};
