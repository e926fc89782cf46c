/**
 * The hand-written baselines: what a Temporal user would write by hand for the bench's flows.
 * This folder is bundled into Temporal's sandbox like interpreter/workflow, so it imports only
 * @temporalio/workflow. Every export here is registered as a workflow type.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

type Echo = (input?: unknown) => Promise<unknown>;

// The compiler's default startToClose ('1m'), so both sides schedule identical activities.
const { 'test.echo': echo } = proxyActivities<{ 'test.echo': Echo }>({
  startToCloseTimeout: '1m',
});

/** N no-op activities, one after another. */
export async function sequential(steps: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < steps; i++) await echo();
  return {};
}

/** One activity per item, at most `concurrency` running at a time; results in item order. */
export async function fanOut(items: unknown[], concurrency: number): Promise<unknown[]> {
  const results: unknown[] = new Array(items.length).fill(null);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = (await echo(items[index])) ?? null;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

export const release = defineSignal('release');

/** Waits for the `release` signal; the memory bench keeps many of these in the worker cache. */
export async function blocked(): Promise<Record<string, unknown>> {
  let released = false;
  setHandler(release, () => {
    released = true;
  });
  await condition(() => released);
  return {};
}
