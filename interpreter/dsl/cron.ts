/**
 * A check of cron expressions in the syntax Temporal's Schedules accept, so a typo is a positioned
 * diagnostic at validate time instead of a server error at `weft schedule apply`. It only says
 * whether an expression parses: Temporal computes the times (no scheduler here).
 *
 * Accepted, as the server reads `cron_string`: an optional `CRON_TZ=<zone>` or `TZ=<zone>` prefix,
 * then `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`,
 * `@every <duration>[/<offset>]`, or 5 fields (minute hour day-of-month month day-of-week), 6 (…
 * year) or 7 (second … year). A field is a comma list of `*`, `n`, `n-m`, each with an optional
 * `/step`; months and week days may be names (`jan`, `mon`). The server refuses `?` (checked on
 * the dev server, with every accepted and refused example of test/unit/dsl/schedules.test.ts).
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** The first name's number (months count from 1, week days from 0). */
  nameBase?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const SECOND: Field = { name: 'second', min: 0, max: 59 };
const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: Field = { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 };
// 7 is Sunday too, as in most crons.
const DAY_OF_WEEK: Field = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  names: DAYS,
  nameBase: 0,
};
const YEAR: Field = { name: 'year', min: 1970, max: 2999 };

const LAYOUTS: Record<number, readonly Field[]> = {
  5: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK],
  6: [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
  7: [SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR],
};

const NAMED = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

// Go's time.ParseDuration units, which the server uses for `@every`.
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

function value(text: string, f: Field): number | string {
  if (/^[0-9]+$/.test(text)) {
    const n = Number(text);
    return n < f.min || n > f.max ? `${text} is outside ${f.min}-${f.max}` : n;
  }
  // Full names work too (January, Monday): the first three letters decide.
  const i = f.names?.indexOf(text.slice(0, 3).toLowerCase()) ?? -1;
  if (i >= 0 && /^[a-z]+$/i.test(text)) return i + (f.nameBase ?? 0);
  return `"${text}" is not a number${f.names ? ' or a name' : ''}`;
}

function checkItem(item: string, f: Field): string | undefined {
  const [range = '', step, extra] = item.split('/');
  if (extra !== undefined) return `"${item}" has two steps`;
  if (step !== undefined && !/^[1-9][0-9]*$/.test(step)) {
    return `the step in "${item}" is not a positive number`;
  }
  if (range === '*') return undefined;
  const [from = '', to, more] = range.split('-');
  if (more !== undefined) return `"${range}" is not a range`;
  const a = value(from, f);
  if (typeof a === 'string') return a;
  if (to === undefined) return undefined;
  const b = value(to, f);
  if (typeof b === 'string') return b;
  return a > b ? `the range "${range}" runs backwards` : undefined;
}

/** Why a cron expression does not parse, or undefined when it does. */
export function cronProblem(expression: string): string | undefined {
  let text = expression.trim();
  const tz = /^(CRON_TZ|TZ)=(\S*)\s*/.exec(text);
  if (tz) {
    if (!tz[2]) return `${tz[1]}= names no time zone`;
    text = text.slice(tz[0].length);
  }
  if (text === '') return 'the expression is empty';
  if (text.startsWith('@')) {
    if (NAMED.has(text.toLowerCase())) return undefined;
    const every = /^@every\s+(\S+?)(?:\/(\S+))?$/.exec(text);
    if (!every)
      return `"${text}" is not a known name (@hourly, @daily, @weekly, @monthly, @yearly or @every <duration>)`;
    for (const d of [every[1], every[2]]) {
      if (d !== undefined && !GO_DURATION.test(d))
        return `"${d}" is not a duration (like 90s, 15m or 1h30m)`;
    }
    return undefined;
  }
  const fields = text.split(/\s+/);
  const layout = LAYOUTS[fields.length];
  if (!layout) {
    return `it has ${fields.length} field${fields.length === 1 ? '' : 's'}; give 5 (minute hour day-of-month month day-of-week), 6 (… year) or 7 (second … year)`;
  }
  for (const [i, field] of fields.entries()) {
    const f = layout[i]!;
    for (const item of field.split(',')) {
      const problem = item === '' ? 'an empty list item' : checkItem(item, f);
      if (problem) return `${f.name} field "${field}": ${problem}`;
    }
  }
  return undefined;
}
