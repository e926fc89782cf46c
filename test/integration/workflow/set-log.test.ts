// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('set and log', () => {
  it('sets dotted paths in order, so later keys read earlier ones, and logs', async () => {
    const handle = await harness().start(
      {
        flow: 'set-log',
        vars: { items: [{ price: 2 }, { price: 3 }] },
        steps: [
          {
            id: 'totals',
            set: { total: '${ $sum(vars.items.price) }', 'order.total': '${ vars.total * 2 }' },
          },
          { id: 'say', log: 'total is ${ vars.total } for ${ input.who }' },
        ],
      },
      { who: 'ann' },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { items: [{ price: 2 }, { price: 3 }], total: 5, order: { total: 10 } },
    });
    await recordHistory(handle, 'set-log');
  });
});
