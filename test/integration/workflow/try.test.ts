// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

describe('try/catch/finally', () => {
  it('catches a non-retryable failure by type, binds the error, and runs finally', async () => {
    const handle = await harness().start({
      flow: 'try-catch',
      steps: [
        {
          id: 'guarded',
          try: [
            {
              id: 'pay',
              activity: 'test.fail',
              input: { type: 'PaymentDeclined', message: 'card declined', details: { code: 51 } },
            },
          ],
          catch: [
            { errors: ['Other'], steps: [{ set: { wrong: true } }] },
            {
              errors: ['PaymentDeclined'],
              as: 'err',
              steps: [{ id: 'note', set: { caught: '${ err }' } }],
            },
          ],
          finally: [{ id: 'cleanup', activity: 'test.echo', input: 'cleanup', result: 'cleaned' }],
        },
      ],
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: {
        caught: {
          type: 'PaymentDeclined',
          message: 'card declined',
          details: { code: 51 },
          step: 'pay',
          retryState: 'NON_RETRYABLE_FAILURE',
        },
        cleaned: 'cleanup',
      },
    });
    expect(t.count('test.fail')).toBe(1);
    await recordHistory(handle, 'try');
  });

  it('rethrows an unmatched error after finally; the default `as` is error', async () => {
    const out = await harness().run({
      flow: 'try-unmatched',
      steps: [
        {
          try: [
            {
              try: [{ id: 'boom', fail: { error: 'Boom', message: 'boom' } }],
              catch: [{ errors: ['Other'], steps: [] }],
              finally: [{ id: 'fin', set: { finallyRan: true } }],
            },
          ],
          catch: [
            {
              steps: [{ return: "${ error.type & ' after finally=' & $string(vars.finallyRan) }" }],
            },
          ],
        },
      ],
    });
    expect(out).toEqual({ status: 'completed', output: 'Boom after finally=true' });
  });

  it('runs finally on an early return', async () => {
    const out = await harness().run({
      flow: 'try-return',
      steps: [
        {
          try: [{ return: 'early' }],
          finally: [{ id: 'audit', activity: 'test.echo', input: 'audit' }],
        },
        { id: 'never', set: { reached: true } },
      ],
    });
    expect(out).toEqual({ status: 'completed', output: 'early' });
    expect(t.calls.some((c) => c.activityId === 'audit')).toBe(true);
  });
});
