import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileFlow, hasErrors, parseFlowText } from '../../../interpreter/dsl';
import { JSONATA_BUILTINS } from '../../../interpreter/workflow/expressions/evaluate';
import { compileText, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const harness = harnessPerFile({ activities: {} });

describe('expressions', () => {
  it('keeps types for whole-string expressions, interpolates text, and sees workflow facts', async () => {
    const handle = await harness().start(
      {
        flow: 'expr',
        vars: { n: 2 },
        steps: [
          {
            set: {
              num: '${ vars.n * 21 }',
              obj: "${ { 'a': input.a } }",
              text: '${ vars.n } and ${ input.a } and ${ { "k": 1 } }',
              type: '${ workflow.type }',
              literal: 'no expression here',
            },
          },
        ],
      },
      { a: 'x' },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: {
        n: 2,
        num: 42,
        obj: { a: 'x' },
        text: '2 and x and {"k":1}',
        type: 'expr',
        literal: 'no expression here',
      },
    });
    await recordHistory(handle, 'expressions');
  });

  for (const [name, expression] of [
    ['$eval', '${ $eval("1+1") }'],
    ['$random', '${ $random() }'],
    ['$now', '${ $now() }'],
  ] as const) {
    it(`disables ${name} with an ExpressionError naming the step`, async () => {
      // The compiler rejects these too; the interpreter must still refuse a hand-made input.
      const flow = compileText({ flow: 'nondet', steps: [{ id: 'bad', set: { x: 1 } }] });
      (flow.steps[0] as { set: Record<string, unknown> }).set.x = expression;
      const out = await harness().run(flow);
      expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
      expect(out.status === 'failed' && out.error.step).toBe('bad');
      expect(out.status === 'failed' && out.error.message).toContain(`step 'bad'`);
    });
  }

  it('stops endless recursion without hanging the workflow task', async () => {
    const out = await harness().run({
      flow: 'endless',
      steps: [{ id: 'loop', set: { x: '${ ($f := function($n) { $f($n + 1) }; $f(0)) }' } }],
    });
    expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
    expect(out.status === 'failed' && out.error.step).toBe('loop');
  });

  it('fails a runtime error with ExpressionError naming the step and the expression', async () => {
    const out = await harness().run({
      flow: 'bad-expr',
      steps: [{ id: 'calc', set: { x: "${ 1 + 'a' }" } }],
    });
    expect(out.status).toBe('failed');
    if (out.status !== 'failed') return;
    expect(out.error.type).toBe('ExpressionError');
    expect(out.error.message).toContain("step 'calc'");
    expect(out.error.message).toContain("1 + 'a'");
  });
});

/** A flow that sets `r` to one expression; compiled by hand so the interpreter sees it as is. */
function oneExpression(name: string, expression: string) {
  const flow = compileText({ flow: name, steps: [{ id: 'calc', set: { r: 1 } }] });
  (flow.steps[0] as { set: Record<string, unknown> }).set.r = `\${ ${expression} }`;
  return flow;
}

describe('expression budgets on a real worker', () => {
  const healthy = { flow: 'healthy', steps: [{ set: { ok: "${ 'still ' & 'serving' }" } }] };

  for (const [name, expression, code, text] of [
    // Issue 12 item 5: passed the old step budget and timed the isolate out on every task.
    ['cpu', '$sum($map([1..100000], function($v){ $sum([1..100000]) }))', 'WEFT01', 'work budget'],
    // Issue 12 item 2: aborted the process ("Fatal JavaScript invalid size error").
    ['pad', "$length($pad('x', 400000000))", 'WEFT04', 'memory budget'],
    // Doubling a string toward 2^28 characters: 1.96 GB before.
    [
      'doubling',
      "($f := function($s, $n){ $n = 0 ? $s : $f($s & $s, $n - 1) }; $length($f('x', 28)))",
      'WEFT04',
      'memory budget',
    ],
  ] as const) {
    it(`fails the run, not the worker, on the ${name} bomb; a healthy flow runs after`, async () => {
      const handle = await harness().start(oneExpression(`bomb-${name}`, expression));
      const out = await outcomeOf(handle);
      expect(out.status).toBe('failed');
      if (out.status !== 'failed') return;
      expect(out.error.type).toBe('ExpressionError');
      expect(out.error.step).toBe('calc');
      expect(out.error.message).toContain(text);
      expect((out.error.details as { code?: string }).code).toBe(code);
      if (name === 'cpu') await recordHistory(handle, 'expression-budget');
      expect(await harness().run(healthy)).toEqual({
        status: 'completed',
        output: { ok: 'still serving' },
      });
    });
  }
});

/**
 * Every JSONata builtin, as JSONata itself binds them (read from its source, so a new JSONata
 * with a new builtin fails here until it has a row).
 */
function jsonataBuiltinNames(): string[] {
  const file = createRequire(import.meta.url).resolve('jsonata');
  const source = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const m of source.matchAll(/(?:staticFrame|environment)\.bind\('(\w+)', defineFunction/g)) {
    names.add(m[1] as string);
  }
  return [...names].sort();
}

/** One call per builtin, with arguments that make it do its work. */
const BUILTIN_CALLS: Record<string, string> = {
  sum: '$sum([1, 2.5])',
  count: '$count([1, 2])',
  max: '$max([1, 3, 2])',
  min: '$min([1, 3, 2])',
  average: '$average([1, 2])',
  string: "$string({'a': [1, true]}, true)",
  substring: "$substring('héllo', 1, 3)",
  substringBefore: "$substringBefore('a-b', '-')",
  substringAfter: "$substringAfter('a-b', '-')",
  lowercase: "$lowercase('ÀB')",
  uppercase: "$uppercase('àb')",
  length: "$length('héllo ☃')",
  trim: "$trim('  a   b ')",
  pad: "$pad('a', -4, '#')",
  match: "$match('a1b22', /[0-9]+/)",
  contains: "$contains('abc', /b/)",
  replace: "$replace('a-b-c', /-/, '+')",
  split: "$split('a1b2c', /[0-9]/)",
  join: "$join(['a', 'b'], '-')",
  formatNumber: "$formatNumber(1234.5, '#,##0.00')",
  formatBase: '$formatBase(255, 16)',
  formatInteger: "$formatInteger(1234, 'w')",
  parseInteger: "$parseInteger('one hundred and two', 'w')",
  number: "$number('1.5e2')",
  floor: '$floor(2.7)',
  ceil: '$ceil(2.1)',
  round: '$round(2.5)',
  abs: '$abs(-2)',
  sqrt: '$sqrt(16)',
  power: '$power(2, 10)',
  random: '$random()',
  boolean: "$boolean('x')",
  not: '$not(0)',
  map: '$map([1, 2], function($v, $i){ $v * 10 + $i })',
  zip: '$zip([1, 2], [3, 4])',
  filter: '$filter([1, 2, 3], function($v){ $v > 1 })',
  single: '$single([1, 2, 3], function($v){ $v = 2 })',
  reduce: '$reduce([1, 2, 3], function($a, $b){ $a + $b })',
  sift: "$sift({'a': 1, 'b': 2}, function($v){ $v > 1 })",
  keys: "$keys({'a': 1, 'b': 2})",
  lookup: "$lookup({'a': 1}, 'a')",
  append: '$append([1], [2, 3])',
  exists: '$exists(1)',
  spread: "$spread({'a': 1, 'b': 2})",
  merge: "$merge([{'a': 1}, {'b': 2}])",
  reverse: '$reverse([1, 2, 3])',
  each: "$each({'a': 1}, function($v, $k){ $k & '=' & $v })",
  error: "$error('boom')",
  assert: "$assert(1 = 1, 'never')",
  type: "$type({'a': 1})",
  sort: "$sort(['b', 'c', 'a'])",
  shuffle: '$shuffle([1, 2, 3])',
  distinct: '$distinct([1, 2, 1])',
  base64encode: "$base64encode('héllo ☃ world')",
  base64decode: "$base64decode('aOlsbG8gAyB3b3JsZA==')",
  encodeUrlComponent: "$encodeUrlComponent('a b&c/ü')",
  encodeUrl: "$encodeUrl('https://x.example/a b?q=ü')",
  decodeUrlComponent: "$decodeUrlComponent('a%20b%26c')",
  decodeUrl: "$decodeUrl('https://x.example/a%20b')",
  eval: "$eval('1 + 1')",
  toMillis: "$toMillis('2026-01-02T03:04:05.678Z')",
  fromMillis: "$fromMillis(1767323045678, '[Y0001]-[M01]-[D01] [H01]:[m01]')",
  clone: "$clone({'a': [1]})",
  now: '$now()',
  millis: '$millis()',
};

/** What JSONata on Node gives: the value, or the message it raises. */
async function reference(expression: string): Promise<{ value?: unknown; error?: string }> {
  try {
    const value = await jsonata(expression).evaluate({});
    return { value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) };
  } catch (err) {
    return { error: (err as { message?: string }).message ?? String(err) };
  }
}

/** The validator's verdict on a flow that calls it: the error codes, none when accepted. */
function validatorCodes(expression: string): string[] {
  const text = JSON.stringify({ flow: 'b', steps: [{ set: { r: `\${ ${expression} }` } }] });
  const { diagnostics } = compileFlow(parseFlowText(text, 'b.flow.json'));
  return hasErrors(diagnostics)
    ? diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)
    : [];
}

describe('every JSONata builtin: the validator and the sandbox agree', () => {
  const names = jsonataBuiltinNames();

  it('has a row for each builtin JSONata binds, and the interpreter budgets each one', () => {
    expect(names.length).toBeGreaterThan(60);
    expect(Object.keys(BUILTIN_CALLS).sort()).toEqual(names);
    const forbidden = ['eval', 'millis', 'now', 'random', 'shuffle'];
    expect([...JSONATA_BUILTINS, ...forbidden].sort()).toEqual(names);
  });

  for (const name of Object.keys(BUILTIN_CALLS)) {
    const expression = BUILTIN_CALLS[name] as string;
    it(`$${name}: ${expression}`, async () => {
      const codes = validatorCodes(expression);
      const handle = await harness().start(oneExpression(`builtin-${name}`, expression));
      const out = await outcomeOf(handle);
      // A run on JSONata's evaluator with the budget (and its patch marker), for replay.
      if (name === 'base64encode') await recordHistory(handle, 'expression-jsonata');
      if (codes.length > 0) {
        // Refused with a code by the validator: the interpreter refuses a hand-made flow too.
        expect(codes).toEqual(['WEFT031']);
        expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
        expect(out.status === 'failed' && out.error.message).toContain('disabled');
        return;
      }
      // Accepted: the sandbox evaluates it as JSONata on Node does (value, or its own error).
      const want = await reference(expression);
      if (want.error !== undefined) {
        expect(out.status === 'failed' && out.error.type).toBe('ExpressionError');
        expect(out.status === 'failed' && out.error.message).toContain(want.error);
        return;
      }
      expect(out).toEqual({
        status: 'completed',
        output: want.value === undefined ? {} : { r: want.value },
      });
    });
  }
});
