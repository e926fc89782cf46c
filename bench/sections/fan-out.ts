import type { Side } from '../bundles';
import { compareSides } from '../compare';
import type { BenchEnv } from '../env';
import { compileText, fanOutFlowText } from '../flows';
import type { Workload } from '../runs';
import { ratio } from '../stats';

export interface FanOutResult {
  items: number;
  concurrency: number;
  runs: number;
  events: Record<Side, number>;
  wallMs: Record<Side, number>;
  cpuMs: Record<Side, number>;
  historyBytes: Record<Side, number>;
  ratios: { events: number; wall: number; cpu: number; historyBytes: number };
}

/** forEach over `items` with `concurrency`, against a hand-written Promise.all with a lane limit. */
export async function benchFanOut(
  env: BenchEnv,
  items: number,
  concurrency: number,
  runs: number,
): Promise<FanOutResult> {
  const list = Array.from({ length: items }, (_, i) => ({ n: i }));
  const work: Workload = {
    flow: compileText(fanOutFlowText(concurrency)),
    input: { items: list },
    handwritten: { type: 'fanOut', args: [list, concurrency] },
  };
  const { last, history, wallMs, cpuMs } = await compareSides(env, 'fan-out', work, runs);
  if (JSON.stringify(last.interpreter.result) !== JSON.stringify(last.handwritten.result)) {
    throw new Error('fan-out bench: the two sides returned different results');
  }
  const { interpreter: hi, handwritten: hh } = history;
  return {
    items,
    concurrency,
    runs,
    events: { interpreter: hi.events, handwritten: hh.events },
    wallMs,
    cpuMs,
    historyBytes: { interpreter: hi.bytes, handwritten: hh.bytes },
    ratios: {
      events: ratio(hi.events, hh.events),
      wall: ratio(wallMs.interpreter, wallMs.handwritten),
      cpu: ratio(cpuMs.interpreter, cpuMs.handwritten),
      historyBytes: ratio(hi.bytes, hh.bytes),
    },
  };
}
