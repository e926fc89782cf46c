import { describe, expect, it } from 'vitest';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('fail and return', () => {
  it('fail raises its type with an interpolated message and details', async () => {
    const handle = await harness().start(
      {
        flow: 'rejecter',
        steps: [
          {
            id: 'reject',
            fail: {
              error: 'Rejected',
              message: "${ 'order ' & input.orderId & ' rejected' }",
              details: { id: '${ input.orderId }' },
            },
          },
        ],
      },
      { orderId: 'A1' },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'failed',
      error: {
        type: 'Rejected',
        message: 'order A1 rejected',
        details: { id: 'A1' },
        step: 'reject',
      },
    });
    await recordHistory(handle, 'fail');
  });

  it('return ends the flow at once, ignoring `output`', async () => {
    const out = await harness().run(
      {
        flow: 'early',
        steps: [
          { if: '${ input.skip }', then: [{ return: "${ { 'early': true } }" }] },
          { set: { late: true } },
        ],
        output: 'late',
      },
      { skip: true },
    );
    expect(out).toEqual({ status: 'completed', output: { early: true } });
  });
});
