import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import {
  evaluateFast,
  fastBudget,
  UNSUPPORTED,
} from '../../../interpreter/workflow/expressions/fast';

/**
 * The interpreter evaluates JSONata synchronously first (interpreter/workflow/expressions/fast.ts)
 * and falls back to the real, asynchronous JSONata for anything it does not cover. These cases
 * prove the two agree wherever the fast path answers, and that the common forms stay fast.
 */
const root = {
  input: {
    orderId: 'A1',
    qty: 3,
    tier: 'gold',
    total: 1234.5,
    tags: ['a', 'b'],
    one: [5],
    lines: [
      { sku: 'x', qty: 2, price: 10, opts: [1, 2] },
      { sku: 'y', qty: 0, price: 3.3, opts: [3] },
      { sku: 'z', qty: 5, price: 1, opts: [] },
    ],
    nested: { a: { b: { c: 42 } }, list: [[1, 2], [3]] },
    flag: false,
    nothing: null,
  },
  vars: { items: [], approved: true, count: 0, text: '  hello   world ', n: 7 },
  payload: { approved: true, qty: 2 },
  workflow: { id: 'wf-1', type: 'order', now: '2026-01-02T03:04:05.000Z' },
  line: { sku: 'x' },
  index: 2,
};

const mustBeFast = [
  'input.orderId',
  'vars.items',
  '{ "empty": vars.items }',
  'vars.items.x',
  'input.lines[qty > 100]',
  'input.qty > 0',
  'input.qty * 2 + 1',
  "'order ' & input.orderId & ' rejected'",
  "{ 'sum': input.qty, 'tier': input.tier }",
  '[input.qty, vars.n]',
  'vars.approved and input.qty > 1',
  'vars.approved or false',
  'input.missing',
  'input.missing + 1',
  'input.missing = 1',
  'input.tier = "gold" ? "lounge" : "none"',
  'input.lines.sku',
  'input.lines.price',
  'input.lines[qty > 0].sku',
  'input.lines[0]',
  'input.lines[-1].sku',
  'input.lines.opts',
  'input.one',
  'input.nested.a.b.c',
  'input.nested.list',
  'input.nested.list[0]',
  '$sum(input.lines.price)',
  '$count(input.lines)',
  '$count(input.missing)',
  '$max(input.lines.qty)',
  '$min(input.lines.qty)',
  '$average(input.lines.qty)',
  '$exists(input.missing)',
  '$not(vars.approved)',
  '$boolean(input.tags)',
  '$string(input.total)',
  '$string(input.lines[0])',
  '$number("12.5")',
  '$length(input.orderId)',
  '$uppercase(input.tier)',
  '$lowercase("ABC")',
  '$trim(vars.text)',
  '$substring("hello", 1, 3)',
  '$substring("hello", -3)',
  '$contains(input.orderId, "A")',
  '$join(input.tags, ",")',
  '$split("a,b,c", ",")',
  '$append(vars.items, [payload])',
  '$append(input.tags, "c")',
  '$keys(input.lines[0])',
  '$keys({"only": 1})',
  '$lookup(input.lines[0], "sku")',
  '$merge([{"a": 1}, {"b": 2}])',
  '$reverse(input.tags)',
  '$abs(-3)',
  '$floor(2.7)',
  '$ceil(2.1)',
  '$type(input.nothing)',
  '$type(input.lines)',
  '$map(input.lines, function($l) { $l.qty * $l.price })',
  '$map(input.lines, function($l, $i) { $i })',
  '$map([1], function($v) { $v * 2 })',
  '$filter(input.lines, function($l) { $l.qty > 0 }).sku',
  '$reduce([1, 2, 3, 4], function($a, $b) { $a + $b })',
  '$reduce([1, 2, 3], function($a, $b) { $a + $b }, 10)',
  '($x := input.qty; $y := $x * 2; $y + 1)',
  '($f := function($n) { $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))',
  '[1..5]',
  '$sum([1..100])',
  '"b" in input.tags',
  'input.qty in [1, 2, 3]',
  'input.tags[0] != "a"',
  'input.lines[0] = {"sku": "x", "qty": 2, "price": 10, "opts": [1, 2]}',
  'line.sku & "@" & index',
  '$.input.qty',
  'workflow.type',
  'payload.qty > 0',
  '-input.qty',
  '10 % 4',
  '7 / 2',
  '0.1 + 0.2',
  '"n=" & (0.1 + 0.2)',
  '[[1, 2], [3]]',
  '[input.tags, "c"]',
  'input.lines.{ "s": sku }',
  '{ "a": input.missing, "b": 1 }',
  'input.flag ? 1 : 2',
  'input.nothing',
  'true',
  '"text"',
];

const anyPath = [
  ...mustBeFast,
  '$round(2.5)',
  '$now()',
  'input.lines^(price)',
  'input.lines{sku: qty}',
  '$sum(input.tags)',
  'input.orderId + 1',
  '1 / 0',
  'input.tags.$',
  '$string()',
  'input ~> $keys()',
];

async function reference(expression: string): Promise<unknown> {
  const value = await jsonata(expression).evaluate(root);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function fast(expression: string): unknown {
  const value = evaluateFast(jsonata(expression), root);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

describe('synchronous JSONata fast path', () => {
  for (const expression of mustBeFast) {
    it(`answers ${expression} as JSONata does`, async () => {
      expect(fast(expression)).toEqual(await reference(expression));
    });
  }

  for (const expression of anyPath.filter((e) => !mustBeFast.includes(e))) {
    it(`either agrees with JSONata or defers to it: ${expression}`, async () => {
      let value: unknown;
      try {
        value = fast(expression);
      } catch (err) {
        expect(err).toBe(UNSUPPORTED);
        return;
      }
      expect(value).toEqual(await reference(expression));
    });
  }

  it('gives the same answers with the expression budget (which only adds errors)', () => {
    for (const expression of mustBeFast) {
      const budgeted = evaluateFast(jsonata(expression), root, fastBudget());
      expect(budgeted === undefined ? undefined : JSON.parse(JSON.stringify(budgeted))).toEqual(
        fast(expression),
      );
    }
  });

  it('stops endless recursion for good instead of deferring', () => {
    expect(() => evaluateFast(jsonata('($f := function($n) { $f($n + 1) }; $f(0))'), root)).toThrow(
      /nested deeper|steps/,
    );
  });
});

describe('tail calls', () => {
  it('evaluates tail-recursive functions within the depth limit', async () => {
    const expression =
      '($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + $n) }; $loop(20, 0))';
    expect(fast(expression)).toEqual(await reference(expression));
  });
});
