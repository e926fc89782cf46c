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
  /**
   * Median replay time per history, scaled to 1,000 steps. Measured between consecutive
   * histories of one replay worker, so the worker's start-up is not in it.
   */
  msPer1000Steps: Record<Side, number>;
  ratio: number;
  /** Median time from creating the replay worker to its first history replayed (bundle load). */
  startupMs: Record<Side, number>;
}

interface ReplaySample {
  /** ms per history, after the first. */
  perHistory: number;
  startup: number;
}

/** One replay worker over `copies` + 1 copies of the history. */
async function replayOnce(side: Side, history: History, copies: number): Promise<ReplaySample> {
  const workflowBundle = await bundleFor(side);
  const histories = Array.from({ length: copies + 1 }, (_, i) => ({
    workflowId: `replay-${side}-${i}`,
    history,
  }));
  const t0 = performance.now();
  let first: number | undefined;
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (result.error) throw new Error(`replay of the ${side} history failed: ${result.error}`);
    first ??= performance.now();
  }
  const end = performance.now();
  const firstAt = first ?? end;
  return { perHistory: (end - firstAt) / copies, startup: firstAt - t0 };
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
  const per = (xs: ReplaySample[]) => round(median(xs.map((x) => x.perHistory)) * scale, 1);
  const startup = (xs: ReplaySample[]) => round(median(xs.map((x) => x.startup)), 1);
  const msPer1000Steps = { interpreter: per(samples.a), handwritten: per(samples.b) };
  return {
    steps,
    runs,
    copies,
    msPer1000Steps,
    ratio: ratio(msPer1000Steps.interpreter, msPer1000Steps.handwritten),
    startupMs: { interpreter: startup(samples.a), handwritten: startup(samples.b) },
  };
}
