import { parseDuration, suggestDuration } from '../duration';
import type { Report } from '../report';
import { isExpressionString, isRecord, type Rule } from './context';
import { activityOptionSites, retrySites } from './option-sites';

const TIMEOUT_KEYS = ['startToClose', 'scheduleToClose', 'scheduleToStart', 'heartbeat'];
const WORKFLOW_TIMEOUT_KEYS = ['executionTimeout', 'runTimeout', 'taskTimeout'];
const RETRY_INTERVAL_KEYS = ['initialInterval', 'maximumInterval'];
const FORMS = 'use 500ms, 30s, 5m, 2h, 7d or a number of milliseconds';

function checkDuration(value: unknown, pointer: string, label: string, report: Report): void {
  if (value === undefined || parseDuration(value) !== undefined) return;
  const guess = suggestDuration(value);
  report(
    'WEFT020',
    pointer,
    `${label}: ${JSON.stringify(value)} is not a duration.${guess ? ` Did you mean "${guess}"?` : ''}`,
    { hint: FORMS },
  );
}

function checkKeys(holder: unknown, keys: string[], pointer: string, report: Report): void {
  if (!isRecord(holder)) return;
  for (const k of keys) checkDuration(holder[k], `${pointer}/${k}`, k, report);
}

/** Every duration in the flow must parse: timeouts, retry intervals, sleeps, wait timeouts. */
export const durations: Rule = {
  name: 'durations',
  check(ctx) {
    const { report } = ctx;
    for (const site of activityOptionSites(ctx)) {
      checkKeys(site.holder.timeouts, TIMEOUT_KEYS, `${site.pointer}/timeouts`, report);
    }
    for (const site of retrySites(ctx)) {
      checkKeys(site.holder, RETRY_INTERVAL_KEYS, site.pointer, report);
    }
    for (const f of ctx.flows) {
      checkKeys(f.body.options, WORKFLOW_TIMEOUT_KEYS, `${f.pointer}/options`, report);
    }
    for (const s of ctx.steps) {
      if (s.kind === 'wait' && isRecord(s.value.wait)) {
        checkDuration(s.value.wait.timeout, `${s.pointer}/wait/timeout`, 'timeout', report);
      }
      if (s.kind !== 'sleep') continue;
      const sleep = s.value.sleep;
      if (isExpressionString(sleep)) continue;
      if (isRecord(sleep)) {
        const keys = Object.keys(sleep);
        if (keys.length === 1 && keys[0] === 'until' && isExpressionString(sleep.until)) continue;
        report(
          'WEFT020',
          `${s.pointer}/sleep`,
          `sleep takes a duration (5m), an expression giving one, or { until: "\${ <ISO timestamp> }" }`,
        );
        continue;
      }
      checkDuration(sleep, `${s.pointer}/sleep`, 'sleep', report);
    }
  },
};
