import { describe, expect, it } from 'vitest';
import { FlowFailure } from '../../../interpreter/workflow/errors';
import { Budget, EXPRESSION_BUDGET } from '../../../interpreter/workflow/expressions/budget';
import {
  evaluateExpression,
  evaluateNow,
  evaluateOnJsonata,
} from '../../../interpreter/workflow/expressions/evaluate';
import { fastBudget, UNSUPPORTED } from '../../../interpreter/workflow/expressions/fast';
import type { ExpressionRoot } from '../../../interpreter/workflow/expressions/root';
import { Generator } from './expression-generator';

/**
 * Determinism cannot depend on the evaluation path (issue 13, item 4): wherever the synchronous
 * fast path answers, JSONata's own evaluator gives the same value, or an error with the same
 * code. Random expressions from fixed seeds, over random inputs, with sizes around the work and
 * item budgets and recursion around the depth limit.
 */

type Outcome = { value: unknown } | { code: unknown; message: string } | 'unsupported';

const workflow = { id: 'w', runId: 'r', type: 't', taskQueue: 'q', now: '', startTime: '' };

function failed(err: unknown): Outcome {
  if (!(err instanceof FlowFailure)) throw err;
  const { details, message } = err.error;
  return { code: (details as { code?: unknown } | undefined)?.code, message };
}

function fast(text: string, root: ExpressionRoot, budget?: Budget): Outcome {
  try {
    return { value: evaluateNow(text, root, 'calc', budget) };
  } catch (err) {
    return err === UNSUPPORTED ? 'unsupported' : failed(err);
  }
}

async function reference(text: string, root: ExpressionRoot, budget?: Budget): Promise<Outcome> {
  try {
    return { value: await evaluateOnJsonata(text, root, 'calc', budget) };
  } catch (err) {
    return failed(err);
  }
}

/** JSON text that tells an absent value from null, keeping key order (it is persisted too). */
const canonical = (value: unknown): string =>
  JSON.stringify(value === undefined ? { undefined: true } : { value });

const agree = (a: Outcome, b: Outcome): boolean =>
  typeof a === 'object' && typeof b === 'object' && 'value' in a && 'value' in b
    ? canonical(a.value) === canonical(b.value)
    : typeof a === 'object' && typeof b === 'object' && 'code' in a && 'code' in b
      ? a.code === b.code
      : false;

/** One random case: the seed decides the input and the expression. */
function randomCase(seed: number): { text: string; root: ExpressionRoot } {
  const gen = new Generator(seed);
  const input = gen.input();
  return { text: gen.expression(), root: { input, vars: {}, workflow } };
}

const SEEDS = Array.from({ length: 600 }, (_, i) => i + 1);

describe('the fast path and JSONata agree on random expressions', () => {
  it(`gives the same value or error code on both paths (seeds ${SEEDS[0]} to ${SEEDS.at(-1)})`, async () => {
    const disagreements: string[] = [];
    let values = 0;
    let errors = 0;
    for (const seed of SEEDS) {
      const { text, root } = randomCase(seed);
      const onFast = fast(text, root);
      if (onFast === 'unsupported') continue;
      const onJsonata = await reference(text, root);
      if ('value' in onFast) values++;
      else errors++;
      if (!agree(onFast, onJsonata)) {
        disagreements.push(
          `seed ${seed}: ${text}\n  fast:    ${JSON.stringify(onFast).slice(0, 300)}\n  jsonata: ${JSON.stringify(onJsonata).slice(0, 300)}`,
        );
      }
    }
    expect(disagreements.join('\n')).toBe('');
    // The generator must mostly reach the fast path and mostly give values, or the test proves
    // little: these floors fail if it drifts into expressions only JSONata evaluates.
    console.log({ values, errors });
    expect(values).toBeGreaterThan(SEEDS.length / 3);
    expect(errors).toBeGreaterThan(10);
  });
});

/**
 * Expressions whose work both paths must count to the unit: an expression near the budget then
 * trips on both or on neither. A lone value where a builtin wants an array is charged as the
 * one-item array JSONata's signature makes of it (`$sum(1)` was a unit short on the fast path).
 */
const COUNTED = [
  '$sum(1)',
  '$count(input.o)',
  '$sum(input.items[0].qty)',
  '$sum(input.items.qty)',
  'input.items[qty > 1].qty',
  '$map([1..100], function($x){ $x * 2 })',
  '$filter(input.items, function($v){ $v.qty > 1 })',
  '$reduce([1..50], function($a, $b){ $a + $b }, 0)',
  "$join(['a', 'b'], ',') & $string(input.items)",
  '($f := function($n, $acc){ $n <= 0 ? $acc : $f($n - 1, $acc + 1) }; $f(20, 0))',
  "{'a': [1..10], 'b': input.items = input.items}",
  '$merge([input.o, {"b": 2}])',
  '$keys(input.o) & $uppercase("x") & $length("abc")',
];

describe('both paths count the same work', () => {
  const root: ExpressionRoot = {
    input: { items: [{ qty: 1 }, { qty: 2 }, { qty: 3 }], o: { a: 1 } },
    vars: {},
    workflow,
  };
  for (const text of COUNTED) {
    it(text, async () => {
      const fastMeter = fastBudget();
      const onFast = fast(text, root, fastMeter);
      expect(onFast).not.toBe('unsupported');
      const jsonataMeter = new Budget(EXPRESSION_BUDGET.work);
      expect(await reference(text, root, jsonataMeter)).toEqual(onFast);
      expect(fastMeter.work).toBe(jsonataMeter.work);
    });
  }
});

describe('regressions the random cases found', () => {
  const nest = (n: number): unknown => (n === 0 ? [0] : [n, nest(n - 1)]);
  const root: ExpressionRoot = { input: { deep: nest(90), items: [] }, vars: {}, workflow };
  /** What a workflow gets (fast path first, JSONata if it defers), and JSONata's own answer. */
  async function outcomes(text: string): Promise<[Outcome, Outcome]> {
    let run: Outcome;
    try {
      run = { value: await evaluateExpression(text, root, 'calc') };
    } catch (err) {
      run = failed(err);
    }
    return [run, await reference(text, root)];
  }
  const cases: [string, string, Outcome][] = [
    // The fast path nested tail calls and failed past depth 250; JSONata runs them in a loop.
    ['a tail-recursive walk 90 levels down succeeds as on JSONata', '($f := function($l){ $l[1] ? $f($l[1]) : $l[0] }; $f(input.deep))', { value: 1 }],
    // Real nesting past depth 250 fails with JSONata's own error on both paths.
    ['nesting past depth 250 fails with D1011 on both paths', `$count(${'['.repeat(251)}1${']'.repeat(251)})`, { code: 'D1011' } as Outcome],
    // A comparison with an absent operand is absent, not false.
    ['a comparison with a missing value is undefined', '{"a": input.items[0].qty > 1}', { value: {} }],
    ['$not of a comparison with a missing value is undefined', '$not(input.missing < 1)', { value: undefined }],
    // A tail-called builtin's empty result reaches $map as JSONata's trampoline returns it.
    ['a tail-called builtin hands $map its raw result', '[$boolean($map([1], function($v){ $keys({}) })), false]', { value: [false, false] }],
    // JSONata's array constructor raises D2015 past its sequence length.
    ['an array constructor past the sequence length fails with D2015', '($a := [1..60000]; $count([$a, $a]))', { code: 'D2015' } as Outcome],
  ]; // biome-ignore format: one table
  for (const [name, text, expected] of cases) {
    it(name, async () => {
      const [run, onJsonata] = await outcomes(text);
      expect(agree(run, onJsonata), JSON.stringify([run, onJsonata])).toBe(true);
      expect(agree(run, expected), JSON.stringify(run)).toBe(true);
    });
  }
});
