import { Worker } from '@temporalio/worker';
import { bundleFor, type Side } from '../bundles';
import { cpuMs, type History } from '../runs';
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
  /** The same in CPU ms of this process (replay threads included): steadier on a busy machine. */
  cpuMsPer1000Steps: Record<Side, number>;
  cpuRatio: number;
  /** Median time from creating the replay worker to its first history replayed (bundle load). */
  startupMs: Record<Side, number>;
}

interface ReplaySample {
  /** ms per history, after the first. */
  perHistory: number;
  cpuPerHistory: number;
  startup: number;
}

/**
 * One replay worker over `copies` + 1 copies of the execution (every run of its chain when it
 * continued as new, so both sides replay all their steps).
 */
async function replayOnce(side: Side, chain: History[], copies: number): Promise<ReplaySample> {
  const workflowBundle = await bundleFor(side);
  const histories = Array.from({ length: copies + 1 }, (_, i) =>
    chain.map((history, run) => ({ workflowId: `replay-${side}-${i}-${run}`, history })),
  ).flat();
  const t0 = performance.now();
  let first: number | undefined;
  let cpu0: NodeJS.CpuUsage | undefined;
  let done = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
    if (result.error) throw new Error(`replay of the ${side} history failed: ${result.error}`);
    done += 1;
    if (done === chain.length) {
      first = performance.now();
      cpu0 = process.cpuUsage();
    }
  }
  const end = performance.now();
  const cpu = cpu0 ? cpuMs(cpu0) : 0;
  const firstAt = first ?? end;
  return {
    perHistory: (end - firstAt) / copies,
    cpuPerHistory: cpu / copies,
    startup: firstAt - t0,
  };
}

/** Worker.runReplayHistories over the recorded histories of each side, interleaved. */
export async function benchReplay(
  histories: Record<Side, History[]>,
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
  const cpu = (xs: ReplaySample[]) => round(median(xs.map((x) => x.cpuPerHistory)) * scale, 1);
  const cpuMsPer1000Steps = { interpreter: cpu(samples.a), handwritten: cpu(samples.b) };
  return {
    steps,
    runs,
    copies,
    msPer1000Steps,
    ratio: ratio(msPer1000Steps.interpreter, msPer1000Steps.handwritten),
    cpuMsPer1000Steps,
    cpuRatio: ratio(cpuMsPer1000Steps.interpreter, cpuMsPer1000Steps.handwritten),
    startupMs: { interpreter: startup(samples.a), handwritten: startup(samples.b) },
  };
}
