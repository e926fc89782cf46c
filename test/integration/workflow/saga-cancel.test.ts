// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

const step = (id: string) => ({
  id,
  activity: 'test.echo',
  input: id,
  result: id,
  compensate: {
    activity: 'test.echo',
    input: "${ 'undo ' & vars." + id + ' }',
    retry: { maximumAttempts: 2 },
  },
});

describe('saga and cancellation', () => {
  it('on an uncaught failure, runs compensations newest first, then fails with the original error', async () => {
    const handle = await harness().start({
      flow: 'saga',
      steps: [
        step('reserve'),
        step('charge'),
        {
          id: 'ship',
          activity: 'test.fail',
          input: { type: 'ShippingFailed', message: 'no courier' },
        },
      ],
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'failed',
      error: {
        type: 'ShippingFailed',
        message: 'no courier',
        step: 'ship',
        retryState: 'NON_RETRYABLE_FAILURE',
      },
    });
    const undo = t.calls
      .filter((c) => c.activityId.endsWith(':compensate'))
      .map((c) => [c.activityId, c.input]);
    expect(undo).toEqual([
      ['charge:compensate', 'undo charge'],
      ['reserve:compensate', 'undo reserve'],
    ]);
    await recordHistory(handle, 'saga');
  });

  it('does not compensate when the failure is caught', async () => {
    const before = t.calls.length;
    const out = await harness().run({
      flow: 'saga-caught',
      steps: [step('hold'), { try: [{ id: 'x', fail: { error: 'X' } }], catch: [{ steps: [] }] }],
      output: 'ok',
    });
    expect(out).toEqual({ status: 'completed', output: 'ok' });
    expect(t.calls.slice(before).some((c) => c.activityId.endsWith(':compensate'))).toBe(false);
  });

  it('on cancellation, runs onCancel (non-cancellable) then compensations, and ends Cancelled', async () => {
    const before = t.calls.length;
    const handle = await harness().start({
      flow: 'cancellable',
      onCancel: [{ id: 'notify', activity: 'test.echo', input: 'cancelled by ${ workflow.type }' }],
      steps: [
        step('book'),
        {
          id: 'long',
          activity: 'test.slow',
          input: { ms: 60_000 },
          timeouts: { startToClose: '2m', heartbeat: '1s' },
        },
      ],
    });
    for (
      let i = 0;
      i < 100 && !t.calls.slice(before).some((c) => c.activity === 'test.slow');
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await handle.cancel();
    expect(await outcomeOf(handle)).toEqual({ status: 'cancelled' });
    const after = t.calls
      .slice(before)
      .filter((c) => c.activity === 'test.echo')
      .map((c) => [c.activityId, c.input]);
    expect(after).toEqual([
      ['book', 'book'],
      ['notify', 'cancelled by cancellable'],
      ['book:compensate', 'undo book'],
    ]);
    await recordHistory(handle, 'cancel');
  });
});
