import { cronProblem } from '../cron';
import { parseDuration } from '../duration';
import { isRecord, type Rule } from './context';

const DURATION_KEYS = ['every', 'offset', 'jitter', 'catchupWindow'] as const;

function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `schedules:` become Temporal Schedules at `weft schedule apply`; what the server would refuse
 * (a cron that does not parse, an unknown time zone, nothing to run on) is refused here first.
 */
export const schedules: Rule = {
  name: 'schedules',
  check({ doc, report, lineOf }) {
    if (!Array.isArray(doc.schedules)) return;
    const ids = new Map<string, string>();
    for (const [i, s] of doc.schedules.entries()) {
      const pointer = `/schedules/${i}`;
      if (!isRecord(s)) continue;
      if (typeof s.id === 'string') {
        const first = ids.get(s.id);
        if (first === undefined) ids.set(s.id, pointer);
        else {
          report(
            'WEFT097',
            `${pointer}/id`,
            `duplicate schedule id "${s.id}": the schedule at line ${lineOf(first)} already has it`,
          );
        }
      }
      const crons = typeof s.cron === 'string' ? [s.cron] : Array.isArray(s.cron) ? s.cron : [];
      for (const [j, c] of crons.entries()) {
        if (typeof c !== 'string') continue;
        const problem = cronProblem(c);
        if (problem === undefined) continue;
        report(
          'WEFT096',
          typeof s.cron === 'string' ? `${pointer}/cron` : `${pointer}/cron/${j}`,
          `cron ${JSON.stringify(c)} does not parse: ${problem}`,
          { hint: 'e.g. "0 9 * * mon-fri" or "@daily"' },
        );
      }
      if (s.cron === undefined && s.every === undefined) {
        report(
          'WEFT098',
          pointer,
          `schedule "${String(s.id)}" never runs: give it \`cron:\` or \`every:\``,
        );
      }
      if (s.offset !== undefined && s.every === undefined) {
        report('WEFT098', `${pointer}/offset`, '`offset` shifts an interval: it needs `every:`');
      }
      for (const k of DURATION_KEYS) {
        if (s[k] === undefined || parseDuration(s[k]) !== undefined) continue;
        report('WEFT020', `${pointer}/${k}`, `${k}: ${JSON.stringify(s[k])} is not a duration.`, {
          hint: 'use 500ms, 30s, 5m, 2h, 7d or a number of milliseconds',
        });
      }
      if (s.every !== undefined && (parseDuration(s.every) ?? Number.POSITIVE_INFINITY) < 1000) {
        report(
          'WEFT098',
          `${pointer}/every`,
          'Temporal runs schedules at most once a second: `every` must be 1s or more',
        );
      }
      if (typeof s.timezone === 'string' && !knownTimeZone(s.timezone)) {
        report('WEFT099', `${pointer}/timezone`, `"${s.timezone}" is not an IANA time zone`, {
          hint: 'e.g. UTC, Europe/Paris, America/New_York',
        });
      }
    }
  },
};
