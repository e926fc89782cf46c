// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { testActivities } from '../../fixtures/activities';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

describe('while', () => {
  it('repeats while the condition holds', async () => {
    const handle = await harness().start({
      flow: 'loop',
      vars: { i: 0, seen: [] },
      steps: [
        {
          id: 'loop',
          while: '${ vars.i < 3 }',
          steps: [
            { id: 'inc', activity: 'test.add', input: { a: '${ vars.i }', b: 1 }, result: 'i' },
            { id: 'keep', set: { seen: '${ $append(vars.seen, [vars.i]) }' } },
          ],
        },
      ],
      output: '${ vars.seen }',
    });
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: [1, 2, 3] });
    await recordHistory(handle, 'while');
  });

  it('fails with MaxIterationsExceeded beyond maxIterations', async () => {
    const out = await harness().run({
      flow: 'loop-max',
      vars: { i: 0 },
      steps: [
        {
          id: 'forever',
          while: '${ true }',
          maxIterations: 5,
          steps: [{ set: { i: '${ vars.i + 1 }' } }],
        },
      ],
    });
    expect(out).toEqual({
      status: 'failed',
      error: {
        type: 'MaxIterationsExceeded',
        message: "step 'forever': while loop exceeded maxIterations (5)",
        step: 'forever',
      },
    });
  });
});
