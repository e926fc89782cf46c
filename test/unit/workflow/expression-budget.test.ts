import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { FlowFailure } from '../../../interpreter/workflow/errors';
import {
  BudgetExceeded,
  EXPRESSION_BUDGET,
  NODE_UNITS,
} from '../../../interpreter/workflow/expressions/budget';
import { evaluateExpression } from '../../../interpreter/workflow/expressions/evaluate';
import {
  evaluateFast,
  fastBudget,
  UNSUPPORTED,
} from '../../../interpreter/workflow/expressions/fast';
import type { ExpressionRoot } from '../../../interpreter/workflow/expressions/root';
import { resolveTemplateSync } from '../../../interpreter/workflow/expressions/sync';
import { resolveTemplate } from '../../../interpreter/workflow/expressions/template';

/**
 * Expressions that would build huge strings or arrays, or do a lot of work inside builtins,
 * end in an ExpressionError naming the budget before the memory is taken (issue 12, items 2
 * and 5). Outside a workflow the budget always applies; in one it is behind a patch.
 */
const root: ExpressionRoot = {
  input: { words: ['a', 'b'] },
  vars: {},
  workflow: { id: 'w', runId: 'r', type: 't', taskQueue: 'q', now: '', startTime: '' },
};

async function failure(text: string): Promise<{ message: string; code?: unknown }> {
  try {
    await evaluateExpression(text, root, 'calc');
  } catch (err) {
    expect(err).toBeInstanceOf(FlowFailure);
    const e = (err as FlowFailure).error;
    expect(e.type).toBe('ExpressionError');
    expect(e.step).toBe('calc');
    return { message: e.message, code: (e.details as { code?: unknown }).code };
  }
  throw new Error(`${text} did not fail`);
}

// A lambda with a signature is not on the fast path: these run on JSONata's own evaluator.
const onJsonata = (body: string, params = '$s, $n', sig = 'sn:s') =>
  `function(${params})<${sig}>{ ${body} }`;

describe('expression memory budget', () => {
  it('refuses $pad wider than a string may be, before padding (the serve-killer repro)', async () => {
    const f = await failure("$length($pad('x', 400000000))");
    expect(f.code).toBe('WEFT04');
    expect(f.message).toContain('$pad() would build a string of 400000000 characters');
    expect(f.message).toContain('memory budget');
  });

  it('refuses a range over the item budget with the error JSONata raises, before allocating it, on either path', async () => {
    // JSONata raises its sequence error before allocating; the fast path hands the range to it.
    const f = await failure('$count([1..200000])');
    expect(f.code).toBe('D2015');
    expect(f.message).toContain('maximum sequence length');
    expect(() => evaluateFast(jsonata('$count([1..200000])'), root, fastBudget())).toThrow();
  });

  it('refuses a range over the item budget on JSONata too', async () => {
    const f = await failure(`(${onJsonata('$count([1..$n])', '$n', 'n:n')})(200000)`);
    expect(f.message).toMatch(/200000|range/);
  });

  for (const [path, fn, start, size] of [
    ['fast path', 'function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }', "'x'", 16777216],
    // JSONata's evaluator has few nodes to spare: start long, so memory ends it, not work.
    ['JSONata', onJsonata('$n = 0 ? $s : $f($s & $s, $n - 1)'), "$pad('', 100000, 'x')", 12800000],
  ] as const) {
    it(`stops a string doubled with & in a recursive function (${path})`, async () => {
      const f = await failure(`($f := ${fn}; $length($f(${start}, 28)))`);
      expect(f.code).toBe('WEFT04');
      expect(f.message).toContain(`the & operator would build a string of ${size} characters`);
    });
  }

  // Doubling reaches the item budget in a few calls, well inside the work budget on both paths.
  for (const [path, fn] of [
    ['fast path', 'function($a, $n){ $n = 0 ? $a : $f($append($a, $a), $n - 1) }'],
    ['JSONata', onJsonata('$n = 0 ? $a : $f($append($a, $a), $n - 1)', '$a, $n', 'an:a')],
  ] as const) {
    it(`stops an array doubled with $append (${path})`, async () => {
      const f = await failure(`($f := ${fn}; $count($f([1..1000], 40)))`);
      expect(f.code).toBe('WEFT04');
      expect(f.message).toContain('$append() would build 128000 items');
    });
  }

  /** An array of 2^n copies of a string of `chars` characters, built by doubling in n calls. */
  const doubled = (chars: number, n: number) =>
    `$t := $join($map([1..${chars / 10}], function($v){ 'xxxxxxxxxx' })); $f := function($a, $n){ $n = 0 ? $a : $f($append($a, $a), $n - 1) }; $a := $f([$t], ${n})`;

  it('refuses a $join longer than a string may be, before joining (fast path)', async () => {
    const f = await failure(`(${doubled(600, 15)}; $join($a))`);
    expect(f.code).toBe('WEFT04');
    expect(f.message).toContain('$join() would build a string of 19660800 characters');
  });

  it('refuses a $join longer than a string may be, before joining (JSONata)', async () => {
    const f = await failure("($s := $pad('', 5000000, 'x'); $join([$s, $s, $s]))");
    expect(f.code).toBe('WEFT04');
    expect(f.message).toContain('$join() would build a string of 15000000 characters');
  });

  it('sizes $string and & of a value before writing it as JSON', async () => {
    for (const text of [`(${doubled(1000, 14)}; $string($a))`, `(${doubled(1000, 14)}; $a & '')`]) {
      const f = await failure(text);
      expect(f.code).toBe('WEFT04');
      expect(f.message).toContain('would build a string of 10486284 characters');
    }
    // Even unwritten, a result is stored as JSON: its JSON length is within the budget too.
    const f = await failure(
      `($s := $pad('', 1000000, 'x'); $map([1..40], ${onJsonata('$s', '$v', 'n:s')}))`,
    );
    expect(f.code).toBe('WEFT04');
  });

  it('counts every string built toward a total', async () => {
    // Each string is under the per-string budget; together they are not.
    const f = await failure(
      "($s := $pad('', 9000000, 'x'); [$s & 'a', $s & 'b', $s & 'c', $s & 'd'])",
    );
    expect(f.code).toBe('WEFT04');
    expect(f.message).toContain('in all');
  });

  it('checks the text a template interpolates, each value being inside the budget', async () => {
    const big = { ...root, input: { big: 'x'.repeat(6_000_000) } };
    const template = '${ input.big }-${ input.big }';
    for (const resolve of [
      () => resolveTemplate(template, big, 'calc'),
      async () => resolveTemplateSync(template, big, 'calc'),
    ]) {
      const err = await resolve().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlowFailure);
      expect((err as FlowFailure).error.type).toBe('ExpressionError');
      expect((err as FlowFailure).error.message).toContain(
        'the template would build a string of 12000001 characters',
      );
    }
  });

  it('stops $split and $match at the item budget instead of building the whole array', async () => {
    const s = "$pad('', 200000, 'x')";
    expect((await failure(`$count($split(${s}, ''))`)).message).toContain(
      '$split() would build 100001 items',
    );
    // $match awaits per match: the work budget (a node a match) stops it well before the items.
    expect((await failure(`$count($match(${s}, /x/))`)).message).toContain('work budget');
  });
});

describe('expression work budget', () => {
  it('stops the isolate-timeout repro with a clear budget error (fast path, no fallback)', async () => {
    const text = '$sum($map([1..100000], function($v){ $sum([1..100000]) }))';
    const f = await failure(text);
    expect(f.code).toBe('WEFT01');
    expect(f.message).toContain(`work budget of ${EXPRESSION_BUDGET.work} units`);
    expect(() => evaluateFast(jsonata(text), root, fastBudget())).toThrow(BudgetExceeded);
  });

  it('counts native work on JSONata in proportion (a sort of many items)', async () => {
    const f = await failure('$count($sort([1..100000], function($a, $b){ $a > $b }))');
    expect(f.code).toBe('WEFT01');
    expect(f.message).toContain(`work budget of ${EXPRESSION_BUDGET.work} units`);
  });

  it('counts regex matches on JSONata, where each match awaits (a node a match)', async () => {
    const matches = Math.ceil(EXPRESSION_BUDGET.work / NODE_UNITS);
    expect(
      await evaluateExpression(`$count($match($pad('', ${matches / 2}, 'a'), /a/))`, root, 's'),
    ).toBe(matches / 2);
    const f = await failure(`$count($match($pad('', ${matches}, 'a'), /a/))`);
    expect(f.code).toBe('WEFT01');
  });

  it('refuses a regex no budget could interrupt before either path runs it, lambdas included', async () => {
    // One exec of /(a+)+$/ on 40 a's and a '!' takes 2^40 steps inside a single builtin call.
    const bomb = `$match('${'a'.repeat(40)}!', /(a+)+$/)`;
    const f = await failure(bomb);
    expect(f.code).toBe('WEFT100');
    expect(f.message).toContain('has a nested quantifier `(a+)+`');
    expect((await failure(`$map([1, 2], function($v){ ${bomb} })`)).code).toBe('WEFT100');
    expect(await evaluateExpression("$count($match('aab', /a+b/))", root, 'calc')).toBe(1);
  });

  it('counts deep equality by the size it compares', async () => {
    const f = await failure(
      '($a := [1..50000]; $b := [1..50000]; $count($map([1..100], function($v){ $a = $b })[$]))',
    );
    expect(f.code).toBe('WEFT01');
  });
});

describe('budgeted builtins behave as JSONata', () => {
  // The JSONata path runs every builtin through a checking wrapper: partial application, arity
  // for $map, regexes, context defaulting and limits must work exactly as in JSONata.
  const same = [
    "$pad(?, 5)('ab')",
    "$map(['a', 'b'], $uppercase)",
    '$map([1, 2], $string)',
    "$split('a1b2c', /[0-9]/)",
    "$split('a,b,c', ',', 2)",
    "$match('abcabc', /b/).index",
    "$replace('a-b-c', '-', '+', 1)",
    'input.words.$uppercase()',
    "['b', 'a'] ~> $sort",
    '$sort([3, 1, 2], function($a, $b){ $a > $b })',
    "$each({'a': 1}, function($v, $k){ $k & $v })",
    "$sift({'a': 1, 'b': 2}, function($v){ $v > 1 })",
    '$zip([1, 2], [3, 4])',
    "$formatNumber(1234.5, '#,##0.00')",
    '$distinct([1, 1, 2])',
    "$string({'a': [1, 2]}, true)",
    "$keys([{'a': 1}, {'b': 2, 'a': 3}])",
    '$reduce([1, 2, 3], function($a, $b){ $a + $b })',
  ];
  for (const text of same) {
    it(text, async () => {
      const expected = await jsonata(text).evaluate(root);
      const value = await evaluateExpression(text, root, 's');
      expect(value).toEqual(JSON.parse(JSON.stringify(expected)));
    });
  }

  it('still hands unsupported expressions to JSONata', () => {
    expect(() => evaluateFast(jsonata("$pad('x', 3)"), root, fastBudget())).toThrow();
    try {
      evaluateFast(jsonata("$pad('x', 3)"), root, fastBudget());
    } catch (err) {
      expect(err).toBe(UNSUPPORTED);
    }
  });
});

describe('what the budget leaves alone', () => {
  it('hands on a large input whole (a 2 MB payload of small values)', async () => {
    const input = { list: Array.from({ length: 1_000_000 }, () => 0) };
    const value = await evaluateExpression('input.list', { ...root, input }, 's');
    expect((value as unknown[]).length).toBe(1_000_000);
  });
});
