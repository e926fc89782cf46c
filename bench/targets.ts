import type { BenchResults, TargetCheck } from './results';
import { DESIGNER_TARGETS, designerTarget } from './sections/designer-targets';

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
  if (r.cli) {
    out.push(check('weft --version (idle machine)', r.cli.versionMs, 'max', 150, 'ms'));
    out.push(check('weft validate, small flow (idle)', r.cli.validateMs, 'max', 350, 'ms'));
  }
  if (r.weftTest) {
    out.push(check('weft test, 20 cases, 30-day sleep', r.weftTest.sleepMs, 'below', 5000, 'ms'));
  }
  if (r.package) {
    out.push(
      check('installed weft --version (idle machine)', r.package.versionMs, 'max', 150, 'ms'),
    );
  }
  if (r.validationCli) {
    // Issue 13, item 7: parse, validate and compile as the CLI does, with the reader it ships;
    // the yaml package alone is held to the same line, to show by how much it misses.
    const v = r.validationCli;
    const steps = v.steps.toLocaleString('en');
    out.push(check(`validation, ${steps} steps (CLI)`, v.coldMs.shipped, 'below', 250, 'ms'));
    out.push(
      check(
        `validation, ${steps} steps (CLI), yaml package alone`,
        v.coldMs.yaml,
        'below',
        250,
        'ms',
      ),
    );
  }
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
  if (r.designer) {
    // Issue 14, item 5: the designer at 300 and 1,000 steps.
    for (const z of r.designer.sizes) {
      const at = `${z.steps.toLocaleString('en')} steps`;
      for (const key of ['keystrokeMs', 'canvasEditMs', 'navigateMs'] as const) {
        const name = {
          keystrokeMs: 'keystroke',
          canvasEditMs: 'canvas edit',
          navigateMs: 'navigate',
        }[key];
        out.push(
          check(`designer ${name}, ${at}`, z[key], 'below', designerTarget(key, z.steps), 'ms'),
        );
      }
      out.push(
        check(
          `designer pan frame median, ${at}`,
          z.panFrameMs.median,
          'max',
          DESIGNER_TARGETS.panMedianMs,
          'ms',
        ),
        check(
          `designer pan frame p95, ${at}`,
          z.panFrameMs.p95,
          'max',
          DESIGNER_TARGETS.panP95Ms,
          'ms',
        ),
      );
    }
  }
  return out;
}
