import type { Side } from './bundles';
import type { BenchEnv } from './env';
import { type HistoryFacts, historyOf, type RunRecord, runSide, type Workload } from './runs';
import { interleaved, median, round } from './stats';

export interface SideComparison {
  /** Every timed run, A B A B: `a` the interpreter, `b` the hand-written workflow. */
  samples: { a: RunRecord[]; b: RunRecord[] };
  last: Record<Side, RunRecord>;
  /** The history of each side's last run. */
  history: Record<Side, HistoryFacts>;
  wallMs: Record<Side, number>;
  cpuMs: Record<Side, number>;
}

/**
 * The measurement every section shares: one untimed run per side on `warm` (bundles loaded,
 * caches and connections warm), then `runs` interleaved runs of `work` per side, their medians,
 * and the histories of the last runs.
 */
export async function compareSides(
  env: BenchEnv,
  label: string,
  work: Workload,
  runs: number,
  warm: Workload = work,
): Promise<SideComparison> {
  await runSide(env, 'interpreter', warm);
  await runSide(env, 'handwritten', warm);
  const samples = await interleaved(
    runs,
    () => runSide(env, 'interpreter', work),
    () => runSide(env, 'handwritten', work),
  );
  const lastI = samples.a.at(-1);
  const lastH = samples.b.at(-1);
  if (!lastI || !lastH) throw new Error(`${label} bench: no runs`);
  const [hi, hh] = await Promise.all([
    historyOf(env.client, lastI.workflowId),
    historyOf(env.client, lastH.workflowId),
  ]);
  const medianOf = (records: RunRecord[], pick: (r: RunRecord) => number) =>
    round(median(records.map(pick)), 1);
  return {
    samples,
    last: { interpreter: lastI, handwritten: lastH },
    history: { interpreter: hi, handwritten: hh },
    wallMs: {
      interpreter: medianOf(samples.a, (r) => r.ms),
      handwritten: medianOf(samples.b, (r) => r.ms),
    },
    cpuMs: {
      interpreter: medianOf(samples.a, (r) => r.cpuMs),
      handwritten: medianOf(samples.b, (r) => r.cpuMs),
    },
  };
}
