import { Worker } from '@temporalio/worker';
import { bundleFor, type Side } from '../bundles';
import type { History } from '../runs';
import { interleaved, median, ratio, round } from '../stats';

export interface ReplayResult {
  /** Steps in each replayed history. */
  steps: number;
  runs: number;
  /** Histories replayed per measurement (one replay worker each time). */
  copies: number;
  /** Median replay time per history, scaled to 1,000 steps. */
  msPer1000Steps: Record<Side, number>;
  ratio: number;
}

async function replayOnce(side: Side, history: History, copies: number): Promise<number> {
  const workflowBundle = await bundleFor(side);
  const histories = Array.from({ length: copies }, (_, i) => ({
    workflowId: `replay-${side}-${i}`,
    history,
  }));
  const t0 = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (result.error) throw new Error(`replay of the ${side} history failed: ${result.error}`);
  }
  return (performance.now() - t0) / copies;
}

/** Worker.runReplayHistories over the recorded histories of each side, interleaved. */
export async function benchReplay(
  histories: Record<Side, History>,
  steps: number,
  runs: number,
  copies: number,
): Promise<ReplayResult> {
  await replayOnce('interpreter', histories.interpreter, 1);
  await replayOnce('handwritten', histories.handwritten, 1);
  const samples = await interleaved(
    runs,
    () => replayOnce('interpreter', histories.interpreter, copies),
    () => replayOnce('handwritten', histories.handwritten, copies),
  );
  const scale = 1000 / steps;
  const msPer1000Steps = {
    interpreter: round(median(samples.a) * scale, 1),
    handwritten: round(median(samples.b) * scale, 1),
  };
  return {
    steps,
    runs,
    copies,
    msPer1000Steps,
    ratio: ratio(msPer1000Steps.interpreter, msPer1000Steps.handwritten),
  };
}
