// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { truthy } from '../../../interpreter/model/truthiness';
import { FlowFailure } from '../../../interpreter/workflow/errors';
import {
  conditionHolds,
  resolveBoolean,
  resolveExpression,
  resolveExpressionSync,
} from '../../../interpreter/workflow/expressions';
import { evaluateFast, fastBudget } from '../../../interpreter/workflow/expressions/fast';
import type { ExpressionRoot } from '../../../interpreter/workflow/expressions/root';

/**
 * The one truthiness rule (model/truthiness.ts, schema/README.md Truthiness): JSONata's boolean
 * cast. Each case is an expression text (a function cannot be written as JSON) and what it
 * decides. if/while/when read a condition as resolveExpression + conditionHolds, `${ }`
 * conditions as resolveBoolean; wait conditions and update validators as resolveExpressionSync +
 * truthy. test/integration/workflow/truthiness.test.ts runs the same cases through the steps.
 */
const CASES: [text: string, truthy: boolean][] = [
  ['true', true],
  ['false', false],
  ['0', false],
  ['-1', true],
  ['0.5', true],
  ["''", false],
  ["' '", true],
  ["'false'", true],
  ['null', false],
  ['input.missing', false],
  ['[]', false],
  ['[0]', false],
  ['[1]', true],
  ['[0, "", null, false]', false],
  ['[[], [0], {}]', false],
  ['[0, 1]', true],
  ['[[0, [1]]]', true],
  ['{}', false],
  ["{ 'a': null }", true],
  ["{ 'a': false }", true],
  ['$uppercase', false],
  ['function($x){ $x }', false],
  ['[$uppercase, 0]', false],
];

const root: ExpressionRoot = {
  input: {},
  vars: {},
  workflow: { id: 'w', runId: 'r', type: 't', taskQueue: 'q', now: '', startTime: '' },
};

const isFunctionText = (text: string) => text.includes('$uppercase') || text.includes('function');

describe('one truthiness rule', () => {
  for (const [text, expected] of CASES) {
    it(`${text} is ${expected} everywhere`, async () => {
      // JSONata's own cast, on its own evaluator (a missing value stays missing).
      expect((await jsonata(`$boolean(${text})`).evaluate({})) ?? false).toBe(expected);
      // The rule, on the value JSONata's evaluator hands back.
      expect(truthy(await jsonata(text).evaluate({}))).toBe(expected);
      // if, while and when: a bare condition and a `${ }` one.
      expect(conditionHolds(await resolveExpression(text, root, 'c'))).toBe(expected);
      expect(await resolveBoolean(`\${ ${text} }`, root, 'c')).toBe(expected);
      // Inside an expression (`? :`, filters, and/or), on the synchronous path too.
      if (!isFunctionText(text)) {
        const cast = `(${text}) ? true : false`;
        expect(evaluateFast(jsonata(cast), root, fastBudget())).toBe(expected);
      }
    });
  }

  it('wait conditions and update validators decide alike, and refuse a function (WEFT03)', () => {
    for (const [text, expected] of CASES) {
      if (isFunctionText(text)) {
        let thrown: unknown;
        try {
          resolveExpressionSync(`\${ ${text} }`, root, 'c');
        } catch (err) {
          thrown = err;
        }
        expect(thrown, text).toBeInstanceOf(FlowFailure);
        expect((thrown as FlowFailure).error.details, text).toMatchObject({ code: 'WEFT03' });
      } else {
        expect(truthy(resolveExpressionSync(`\${ ${text} }`, root, 'c')), text).toBe(expected);
      }
    }
  });

  it('NaN and a function are false; JSON values follow the cast', () => {
    expect(truthy(Number.NaN)).toBe(false);
    expect(truthy(() => 1)).toBe(false);
    expect(truthy({ _jsonata_lambda: true, body: {} })).toBe(false);
    expect(truthy({ f: () => 1 })).toBe(true);
    expect(truthy(undefined)).toBe(false);
  });
});
