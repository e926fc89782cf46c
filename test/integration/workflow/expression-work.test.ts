// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

/** Each expression in a `try` whose `catch` sleeps: which ones failed shows in the timers. */
function tried(cases: Record<string, string>) {
  return {
    flow: 'expression-work',
    vars: {},
    steps: Object.entries(cases).map(([name, text], i) => ({
      try: [{ id: name, set: { [name]: `\${ ${text} }` } }],
      catch: [
        {
          steps: [
            { id: `${name}Over`, set: { [name]: '${ error.details.code }' } },
            { id: `${name}Nap`, sleep: `${i + 1}ms` },
          ],
        },
      ],
    })),
    output: '${ vars }',
  };
}

describe('one expression work budget on a real worker', () => {
  it('recorded run: expressions whose outcome depended on the evaluation path', async () => {
    const handle = await harness().start(
      tried({
        // The synchronous path: inside its own old budget, past the one budget.
        filtered: '$count([1..90000][$ > 0])',
        mapped: '$count($map([1..20000], function($v){ $v }))',
        // JSONata's evaluator ($sort is not on the synchronous path): past its own old budget.
        sorted: '$count($sort($map([1..300], function($v){ $v })))',
      }),
    );
    const outcome = await outcomeOf(handle);
    await recordHistory(handle, 'expression-work');
    expect(outcome).toEqual({
      status: 'completed',
      output: { filtered: 'WEFT01', mapped: 'WEFT01', sorted: 300 },
    });
  });

  it('$sort-wrapped $map of 60000 behaves like the unwrapped one', async () => {
    const outcome = await harness().run(
      tried({
        unwrapped: '$count($map([1..60000], function($x){ $x }))',
        wrapped: '$count($sort($map([1..60000], function($x){ $x })))',
      }),
    );
    expect(outcome.status).toBe('completed');
    const vars = (outcome as { output: { unwrapped: unknown; wrapped: unknown } }).output;
    expect(vars.wrapped).toEqual(vars.unwrapped);
  });
});
