import { describe, expect, it } from 'vitest';
import { checkFlowText, formatDiagnostic } from '../../../interpreter/dsl';
import { cronProblem } from '../../../interpreter/dsl/cron';

/** The diagnostics of a flow with these `schedules:`, as `weft validate` prints them. */
function check(schedules: string): string[] {
  const text = `flow: nightly\nschedules:\n${schedules}steps:\n  - return: done\n`;
  return checkFlowText(text).diagnostics.map((d) => formatDiagnostic(d, 'nightly.flow.yaml'));
}

describe('schedules: in a flow', () => {
  it('accepts crons, intervals and every option Temporal takes', () => {
    expect(
      check(`  - id: morning
    cron: ["0 9 * * mon-fri", "30 7 * * sat,sun"]
    timezone: Europe/Paris
    input: { report: daily }
    jitter: 5m
    overlap: bufferOne
    catchupWindow: 1h
    pauseOnFailure: true
    paused: true
    note: waiting for the data team
  - id: tick
    every: 1h
    offset: 15m
`),
    ).toEqual([]);
  });

  it('points at a cron expression that does not parse, with the reason', () => {
    expect(check('  - id: a\n    cron: "0 9 * *"\n')).toEqual([
      'nightly.flow.yaml:4:11  error  WEFT096  cron "0 9 * *" does not parse: it has 4 fields; give 5 (minute hour day-of-month month day-of-week), 6 (… year) or 7 (second … year) (e.g. "0 9 * * mon-fri" or "@daily")',
    ]);
    expect(check('  - id: a\n    cron: ["@daily", "0 25 * * *"]\n')).toEqual([
      'nightly.flow.yaml:4:22  error  WEFT096  cron "0 25 * * *" does not parse: hour field "25": 25 is outside 0-23 (e.g. "0 9 * * mon-fri" or "@daily")',
    ]);
  });

  it('refuses duplicate ids, schedules that never run, bad durations and unknown time zones', () => {
    expect(
      check(`  - id: a
    every: 1 hour
    timezone: Mars/Olympus
  - id: a
    offset: 5m
  - id: fast
    every: 200ms
`),
    ).toEqual([
      'nightly.flow.yaml:4:12  error  WEFT020  every: "1 hour" is not a duration. (use 500ms, 30s, 5m, 2h, 7d or a number of milliseconds)',
      'nightly.flow.yaml:5:15  error  WEFT099  "Mars/Olympus" is not an IANA time zone (e.g. UTC, Europe/Paris, America/New_York)',
      'nightly.flow.yaml:6:5  error  WEFT098  schedule "a" never runs: give it `cron:` or `every:`',
      'nightly.flow.yaml:6:9  error  WEFT097  duplicate schedule id "a": the schedule at line 3 already has it',
      'nightly.flow.yaml:7:13  error  WEFT098  `offset` shifts an interval: it needs `every:`',
      'nightly.flow.yaml:9:12  error  WEFT098  Temporal runs schedules at most once a second: `every` must be 1s or more',
    ]);
  });

  it('refuses unknown schedule options by the schema', () => {
    const out = check('  - id: a\n    every: 1h\n    overlap: queue\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^nightly\.flow\.yaml:5:14 {2}error {2}WEFT013 /);
  });
});

describe('the cron syntax Temporal accepts', () => {
  it.each([
    '* * * * *',
    '*/15 9-17 * * 1-5',
    '0 0 1 jan,jul *',
    '0 0 1 January *',
    '0 12 * * MON-FRI 2027',
    '30 0 12 * * * *',
    'CRON_TZ=America/New_York 0 9 * * *',
    '@hourly',
    '@every 90m',
    '@every 1h/15m',
    '0 0 * * 7',
  ])('%s parses', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    ['', 'the expression is empty'],
    ['* * * *', 'it has 4 fields'],
    ['60 * * * *', 'minute field "60": 60 is outside 0-59'],
    ['0 0 32 * *', 'day-of-month field "32": 32 is outside 1-31'],
    ['0 0 * 13 *', 'month field "13": 13 is outside 1-12'],
    ['0 0 * foo *', 'month field "foo": "foo" is not a number or a name'],
    ['0 0 * * 8', 'day-of-week field "8": 8 is outside 0-7'],
    ['*/0 * * * *', 'the step in "*/0" is not a positive number'],
    ['5-1 * * * *', 'the range "5-1" runs backwards'],
    ['1,,2 * * * *', 'an empty list item'],
    ['? * * * *', 'minute field "?": "?" is not a number'],
    ['0 0 1 jan ?', 'day-of-week field "?": "?" is not a number or a name'],
    ['@sometimes', 'is not a known name'],
    ['@every soon', '"soon" is not a duration'],
  ])('%j does not: %s', (cron, reason) => {
    expect(cronProblem(cron)).toContain(reason);
  });
});
