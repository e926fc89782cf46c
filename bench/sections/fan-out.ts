import type { Side } from '../bundles';
import type { BenchEnv } from '../env';
import { compileText, fanOutFlowText } from '../flows';
import { historyOf, runSide, type Workload } from '../runs';
import { interleaved, median, ratio, round } from '../stats';

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
  await runSide(env, 'interpreter', work);
  await runSide(env, 'handwritten', work);
  const samples = await interleaved(
    runs,
    () => runSide(env, 'interpreter', work),
    () => runSide(env, 'handwritten', work),
  );
  const lastI = samples.a.at(-1);
  const lastH = samples.b.at(-1);
  if (!lastI || !lastH) throw new Error('fan-out bench: no runs');
  if (JSON.stringify(lastI.result) !== JSON.stringify(lastH.result)) {
    throw new Error('fan-out bench: the two sides returned different results');
  }
  const [hi, hh] = await Promise.all([
    historyOf(env.client, lastI.workflowId),
    historyOf(env.client, lastH.workflowId),
  ]);
  const wallMs = {
    interpreter: round(median(samples.a.map((r) => r.ms)), 1),
    handwritten: round(median(samples.b.map((r) => r.ms)), 1),
  };
  const cpu = {
    interpreter: round(median(samples.a.map((r) => r.cpuMs)), 1),
    handwritten: round(median(samples.b.map((r) => r.cpuMs)), 1),
  };
  return {
    items,
    concurrency,
    runs,
    events: { interpreter: hi.events, handwritten: hh.events },
    wallMs,
    cpuMs: cpu,
    historyBytes: { interpreter: hi.bytes, handwritten: hh.bytes },
    ratios: {
      events: ratio(hi.events, hh.events),
      wall: ratio(wallMs.interpreter, wallMs.handwritten),
      cpu: ratio(cpu.interpreter, cpu.handwritten),
      historyBytes: ratio(hi.bytes, hh.bytes),
    },
  };
}
