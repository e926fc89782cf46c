import type { BenchResults } from './results';

/** One line of the target table, checked against a run's results. */
export interface TargetCheck {
  measure: string;
  value: number;
  /** Readable target, e.g. "<= 1.10". */
  target: string;
  limit: number;
  /** 'exact': value must equal the limit; 'max': value must not exceed it; 'below': strictly. */
  kind: 'exact' | 'max' | 'below';
  unit: 'ratio' | 'ms';
  met: boolean;
}

function check(
  measure: string,
  value: number,
  kind: TargetCheck['kind'],
  limit: number,
  unit: TargetCheck['unit'],
): TargetCheck {
  const met =
    Number.isFinite(value) &&
    (kind === 'exact' ? value === limit : kind === 'max' ? value <= limit : value < limit);
  const sign = kind === 'exact' ? '=' : kind === 'max' ? '<=' : '<';
  const shown = unit === 'ms' ? `${limit} ms` : limit.toFixed(2);
  return { measure, value, target: `${sign} ${shown}`, limit, kind, unit, met };
}

/** The targets, for the sections this run measured. */
export function checkTargets(r: BenchResults): TargetCheck[] {
  const out: TargetCheck[] = [];
  if (r.sequential) {
    out.push(check('events ratio', r.sequential.ratios.events, 'exact', 1, 'ratio'));
    out.push(
      check(`wall ratio, N = ${r.sequential.steps}`, r.sequential.ratios.wall, 'max', 1.1, 'ratio'),
    );
  }
  if (r.replay) out.push(check('replay ratio', r.replay.ratio, 'max', 1.2, 'ratio'));
  const largest = r.validation?.find((v) => v.steps === 10_000 && v.format === 'yaml');
  if (largest) out.push(check('validation, 10,000 steps', largest.totalMs, 'below', 250, 'ms'));
  if (r.memory) {
    out.push(check('memory ratio (RSS, threads, after GC)', r.memory.ratio, 'max', 1.2, 'ratio'));
  }
  if (r.expressions) {
    // Issue 12, item 5: any in-budget expression finishes well inside Temporal's 5 s task limit.
    for (const path of ['fast', 'jsonata'] as const) {
      const w = r.expressions.worst[path];
      out.push(
        check(
          `largest in-budget expression, ${path}, share of 5 s`,
          w.ratioOfLimit,
          'max',
          0.2,
          'ratio',
        ),
      );
    }
  }
  return out;
}
