// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

const flow = {
  flow: 'branching',
  steps: [
    {
      id: 'big',
      if: '${ input.total > 1000 }',
      then: [{ id: 'review', activity: 'test.echo', input: 'review', result: 'path' }],
      else: [{ id: 'auto', set: { path: 'auto' } }],
    },
    {
      id: 'tier',
      switch: '${ input.tier }',
      cases: {
        gold: [{ id: 'gold', set: { perk: 'lounge' } }],
        silver: [{ id: 'silver', set: { perk: 'priority' } }],
      },
      default: [{ id: 'none', set: { perk: 'none' } }],
    },
    { id: 'guarded', when: '${ input.total > 5000 }', set: { huge: true } },
  ],
  output: "${ { 'path': vars.path, 'perk': vars.perk, 'huge': vars.huge ? true : false } }",
};

describe('if and switch', () => {
  it('takes then, a matching case, and skips a false `when`', async () => {
    const handle = await harness().start(flow, { total: 2000, tier: 'gold' });
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { path: 'review', perk: 'lounge', huge: false },
    });
    await recordHistory(handle, 'if-switch');
  });

  it('takes else and the default case', async () => {
    expect(await harness().run(flow, { total: 10, tier: 'bronze' })).toEqual({
      status: 'completed',
      output: { path: 'auto', perk: 'none', huge: false },
    });
  });

  it('matches non-string switch values by their JSON text', async () => {
    const out = await harness().run(
      {
        flow: 'switch-number',
        steps: [
          {
            switch: '${ input.n }',
            cases: { '2': [{ return: 'two' }] },
            default: [{ return: 'other' }],
          },
        ],
      },
      { n: 2 },
    );
    expect(out).toEqual({ status: 'completed', output: 'two' });
  });
});
