import type { Side } from '../bundles';
import { compareSides } from '../compare';
import type { BenchEnv } from '../env';
import { compileText, sequentialFlowText } from '../flows';
import { eventTypes, type History, type Workload } from '../runs';
import { ratio, round } from '../stats';

export interface SequentialResult {
  steps: number;
  runs: number;
  events: Record<Side, number>;
  /** 6N+5: what both sides must write (DESIGN.md, "History cost"). */
  expectedEvents: number;
  wallMs: Record<Side, number>;
  /** Median CPU ms of the bench process per run: workers, activities and client. */
  cpuMs: Record<Side, number>;
  historyBytes: Record<Side, number>;
  /** Every run's wall time, in run order, for the curious. */
  samplesMs: Record<Side, number[]>;
  ratios: { events: number; wall: number; cpu: number; historyBytes: number };
  /** Continue-as-new count of the last execution: the server suggests it past ~4,000 events. */
  continuedAsNew: Record<Side, number>;
  /** Set when a side's event types differ from the other's: the first differing position. */
  eventDiff?: { index: number; interpreter: string; handwritten: string };
}

export interface SequentialOutcome {
  result: SequentialResult;
  /** The last execution's histories (every run of its chain) of each side, for replay. */
  histories: Record<Side, History[]>;
}

export function sequentialWorkload(steps: number): Workload {
  return {
    flow: compileText(sequentialFlowText(steps)),
    handwritten: { type: 'sequential', args: [steps] },
  };
}

export async function benchSequential(
  env: BenchEnv,
  steps: number,
  runs: number,
): Promise<SequentialOutcome> {
  const work = sequentialWorkload(steps);
  // One untimed run per side: bundles loaded, caches and connections warm. A long flow warms
  // up on a short one: the code paths are the same, and a 1,000-step warm-up costs a minute.
  const warm = steps > 100 ? sequentialWorkload(10) : work;
  const { samples, history, wallMs, cpuMs } = await compareSides(
    env,
    'sequential',
    work,
    runs,
    warm,
  );
  const { interpreter: hi, handwritten: hh } = history;
  const samplesMs = {
    interpreter: samples.a.map((r) => round(r.ms, 1)),
    handwritten: samples.b.map((r) => round(r.ms, 1)),
  };
  const result: SequentialResult = {
    steps,
    runs,
    events: { interpreter: hi.events, handwritten: hh.events },
    expectedEvents: 6 * steps + 5,
    wallMs,
    cpuMs,
    historyBytes: { interpreter: hi.bytes, handwritten: hh.bytes },
    continuedAsNew: { interpreter: hi.runs - 1, handwritten: hh.runs - 1 },
    samplesMs,
    ratios: {
      events: ratio(hi.events, hh.events),
      wall: ratio(wallMs.interpreter, wallMs.handwritten),
      cpu: ratio(cpuMs.interpreter, cpuMs.handwritten),
      historyBytes: ratio(hi.bytes, hh.bytes),
    },
  };
  const ti = hi.histories.flatMap(eventTypes);
  const th = hh.histories.flatMap(eventTypes);
  const index = ti.findIndex((t, i) => t !== th[i]);
  if (index >= 0 || ti.length !== th.length) {
    const at = index >= 0 ? index : Math.min(ti.length, th.length);
    result.eventDiff = {
      index: at,
      interpreter: ti[at] ?? '(end)',
      handwritten: th[at] ?? '(end)',
    };
  }
  return { result, histories: { interpreter: hi.histories, handwritten: hh.histories } };
}
