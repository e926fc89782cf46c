import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

describe('forEach', () => {
  it('collects results in item order with index, concurrency and #index activity ids', async () => {
    const handle = await harness().start(
      {
        flow: 'fe',
        steps: [
          {
            id: 'lines',
            forEach: '${ input.items }',
            as: 'line',
            concurrency: 3,
            steps: [
              {
                id: 'work',
                activity: 'test.slow',
                // Later items finish first, so order comes from the index, not completion.
                input: { ms: '${ 400 - index * 100 }', value: "${ line & '@' & index }" },
              },
            ],
            result: 'out',
          },
        ],
        output: '${ vars.out }',
      },
      { items: ['a', 'b', 'c', 'd'] },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: ['a@0', 'b@1', 'c@2', 'd@3'],
    });
    const ids = t.calls
      .filter((c) => c.activity === 'test.slow' && c.activityId.startsWith('work#'))
      .map((c) => c.activityId)
      .sort();
    expect(ids).toEqual(['work#0', 'work#1', 'work#2', 'work#3']);
    await recordHistory(handle, 'for-each');
  });

  it('nests loops with i.j suffixes and handles an empty list', async () => {
    const before = t.calls.length;
    const out = await harness().run(
      {
        flow: 'fe-nested',
        steps: [
          {
            forEach: '${ input.rows }',
            as: 'row',
            steps: [
              {
                forEach: '${ row }',
                as: 'cell',
                steps: [{ id: 'cell', activity: 'test.echo', input: '${ cell * 10 }' }],
              },
            ],
            result: 'grid',
          },
          {
            forEach: '${ [] }',
            steps: [{ id: 'never', activity: 'test.echo', input: 1 }],
            result: 'none',
          },
        ],
        output: "${ { 'grid': vars.grid, 'none': vars.none } }",
      },
      { rows: [[1, 2], [3]] },
    );
    expect(out).toEqual({ status: 'completed', output: { grid: [[10, 20], [30]], none: [] } });
    expect(t.calls.slice(before).map((c) => c.activityId)).toEqual([
      'cell#0.0',
      'cell#0.1',
      'cell#1.0',
    ]);
  });

  it('fails on the first failing iteration', async () => {
    const out = await harness().run(
      {
        flow: 'fe-fail',
        steps: [
          {
            forEach: '${ input.items }',
            concurrency: 2,
            steps: [
              {
                id: 'check',
                if: '${ item = 2 }',
                then: [{ id: 'bad', fail: { error: 'BadItem', message: 'item ${ item }' } }],
              },
            ],
          },
        ],
      },
      { items: [1, 2, 3] },
    );
    expect(out).toEqual({
      status: 'failed',
      error: { type: 'BadItem', message: 'item 2', step: 'bad#1' },
    });
  });
});
