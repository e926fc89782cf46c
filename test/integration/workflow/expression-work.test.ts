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

/**
 * test/histories/expression-work-before.json was recorded from `tried` with the cases
 * `filtered: $count([1..90000][$ > 0])`, `mapped: $count($map([1..20000], function($v){ $v }))`
 * and `sorted: $count($sort($map([1..300], function($v){ $v })))`, before the one work budget
 * (PATCHES.oneWorkBudget): the first two passed on the synchronous path and the third failed on
 * JSONata's evaluator, whose old limit was a few hundred nodes. It replays through the old
 * meters; test/histories/expression-work.json is the same run after the change.
 */
describe('one expression work budget on a real worker', () => {
  it('recorded run: expressions whose outcome depended on the evaluation path', async () => {
    // The cases of expression-work-before: past the one budget on whichever path runs them.
    const handle = await harness().start(
      tried({
        filtered: '$count([1..90000][$ > 0])',
        mapped: '$count($map([1..20000], function($v){ $v }))',
        sorted: '$count($sort($map([1..300], function($v){ $v })))',
        // Inside the one budget on JSONata's evaluator, past its old one.
        sortedSmall: '$count($sort($map([1..100], function($v){ $v })))',
      }),
    );
    const outcome = await outcomeOf(handle);
    await recordHistory(handle, 'expression-work');
    expect(outcome).toEqual({
      status: 'completed',
      output: { filtered: 'WEFT01', mapped: 'WEFT01', sorted: 'WEFT01', sortedSmall: 100 },
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
