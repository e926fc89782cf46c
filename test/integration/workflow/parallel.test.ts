// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { eventTypes, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

const slow = (id: string, ms: number, value: unknown) => ({
  id,
  activity: 'test.slow',
  input: { ms, value },
  timeouts: { startToClose: '30s', heartbeat: '2s' },
});

describe('parallel', () => {
  it('all: waits for every branch and returns each branch value; branches share vars', async () => {
    const handle = await harness().start({
      flow: 'par-all',
      steps: [
        {
          id: 'fan',
          parallel: {
            mode: 'all',
            branches: {
              a: [{ ...slow('a1', 50, 'A'), result: 'a' }],
              b: [{ id: 'b1', activity: 'test.echo', input: 'B', result: 'b' }],
            },
          },
          result: 'both',
        },
      ],
      output: "${ { 'both': vars.both, 'a': vars.a, 'b': vars.b } }",
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { both: { a: 'A', b: 'B' }, a: 'A', b: 'B' },
    });
    await recordHistory(handle, 'parallel-all');
  });

  it('all: the first failure fails the step and cancels the other branches', async () => {
    const handle = await harness().start({
      flow: 'par-all-fail',
      steps: [
        {
          id: 'fan',
          parallel: {
            branches: {
              slow: [slow('long', 20_000, 'never')],
              bad: [{ id: 'bad', activity: 'test.fail', input: { type: 'Broken' } }],
            },
          },
        },
      ],
    });
    const out = await outcomeOf(handle);
    expect(out.status === 'failed' && out.error.type).toBe('Broken');
    expect(await eventTypes(handle)).toContain('ACTIVITY_TASK_CANCEL_REQUESTED');
  });

  it('any: the first success wins even when another branch fails first', async () => {
    const out = await harness().run({
      flow: 'par-any',
      steps: [
        {
          id: 'fan',
          parallel: {
            mode: 'any',
            branches: {
              bad: [{ id: 'bad', activity: 'test.fail', input: { type: 'Broken' } }],
              ok: [slow('ok', 100, 'winner')],
              late: [slow('late', 20_000, 'loser')],
            },
          },
          result: 'winner',
        },
      ],
      output: '${ vars.winner }',
    });
    expect(out).toEqual({ status: 'completed', output: 'winner' });
  });

  it('any: fails with the first failure when every branch fails', async () => {
    const out = await harness().run({
      flow: 'par-any-fail',
      steps: [
        {
          parallel: {
            mode: 'any',
            branches: {
              one: [{ id: 'one', activity: 'test.fail', input: { type: 'One' } }],
              two: [
                { id: 'two', sleep: '200ms' },
                { id: 'two-fail', fail: { error: 'Two' } },
              ],
            },
          },
        },
      ],
    });
    expect(out.status === 'failed' && out.error.type).toBe('One');
  });

  it('race: the first branch to finish wins, even a failure; losers are cancelled', async () => {
    const win = await harness().run({
      flow: 'par-race',
      steps: [
        {
          parallel: {
            mode: 'race',
            branches: { fast: [slow('fast', 50, 'fast')], slow: [slow('slow', 20_000, 'slow')] },
          },
          result: 'r',
        },
      ],
      output: '${ vars.r }',
    });
    expect(win).toEqual({ status: 'completed', output: 'fast' });
    const lose = await harness().run({
      flow: 'par-race-fail',
      steps: [
        {
          parallel: {
            mode: 'race',
            branches: {
              bad: [{ id: 'bad', fail: { error: 'Lost', message: 'first to finish' } }],
              slow: [slow('slow', 20_000, 'slow')],
            },
          },
        },
      ],
    });
    expect(lose).toEqual({
      status: 'failed',
      error: { type: 'Lost', message: 'first to finish', step: 'bad' },
    });
  });

  it('race: branches that finish without waiting: the first wins and the others never run (fork compete)', async () => {
    const handle = await harness().start({
      flow: 'par-race-sets',
      vars: { ran: [] },
      steps: [
        {
          id: 'compete',
          parallel: {
            mode: 'race',
            branches: {
              a: [{ set: { ran: '${ $append(vars.ran, "a") }' } }, { set: { winner: 'a' } }],
              b: [{ set: { ran: '${ $append(vars.ran, "b") }' } }, { set: { winner: 'b' } }],
              c: [{ set: { ran: '${ $append(vars.ran, "c") }' } }, { set: { winner: 'c' } }],
            },
          },
          result: 'value',
        },
      ],
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { ran: ['a'], winner: 'a', value: { winner: 'a' } },
    });
    await recordHistory(handle, 'parallel-race-sets');
  });

  it('race: a branch that finishes without waiting beats one waiting on an activity, which is cancelled', async () => {
    const before = t.calls.length;
    const out = await harness().run({
      flow: 'par-race-mixed',
      steps: [
        {
          parallel: {
            mode: 'race',
            branches: {
              slow: [slow('waiting', 20_000, 'slow'), { set: { late: true } }],
              quick: [{ log: 'quick' }, { set: { quick: true } }],
              never: [{ id: 'never', activity: 'test.echo', input: 'never' }],
            },
          },
          result: 'r',
        },
      ],
      output: '${ vars }',
    });
    expect(out).toEqual({ status: 'completed', output: { quick: true, r: { quick: true } } });
    // The branch after the winner never started: no activity of its ran.
    expect(t.calls.slice(before).map((c) => c.activityId)).not.toContain('never');
  });
});
