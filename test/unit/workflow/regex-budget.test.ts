// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL templates are `${ }` strings
import { describe, expect, it } from 'vitest';
import { resolveStartTemplate } from '../../../interpreter/client';
import {
  meteredJsonata,
  REGEX_STEPS_PER_UNIT,
  regexUnits,
  STANDALONE_REGEX_LIMIT,
} from '../../../interpreter/model/regex-meter';
import { matchValue } from '../../../interpreter/testing/expect';
import { FlowFailure } from '../../../interpreter/workflow/errors';
import { Budget, EXPRESSION_BUDGET } from '../../../interpreter/workflow/expressions/budget';
import { evaluateOnJsonata } from '../../../interpreter/workflow/expressions/evaluate';
import type { ExpressionRoot } from '../../../interpreter/workflow/expressions/root';

/**
 * A regex that can backtrack polynomially (regexDegree d > 1) runs for minutes on a few hundred
 * thousand characters inside one RegExp exec, which no budget can interrupt once it started. So
 * its worst case, n^d / REGEX_STEPS_PER_UNIT units for a string of n characters, is charged
 * before it scans, and over the work budget the expression fails with WEFT01 without scanning.
 */
const root = (s: string): ExpressionRoot => ({
  input: { s },
  vars: {},
  workflow: { id: 'w', runId: 'r', type: 't', taskQueue: 'q', now: '', startTime: '' },
});

async function failure(text: string, s: string): Promise<{ message: string; code?: unknown }> {
  try {
    await evaluateOnJsonata(text, root(s), 'calc');
  } catch (err) {
    expect(err).toBeInstanceOf(FlowFailure);
    const e = (err as FlowFailure).error;
    expect(e.type).toBe('ExpressionError');
    return { message: e.message, code: (e.details as { code?: unknown }).code };
  }
  throw new Error(`${text} did not fail`);
}

// /\s*\s*$/ scans 300 001 characters in about n^3 steps: hours, if it ran.
const spaces = `${' '.repeat(300_000)}x`;

describe('the worst case of a polynomial regex counts against the work budget', () => {
  it('sizes the charge so that ordinary strings pass and a megabyte does not', () => {
    expect(REGEX_STEPS_PER_UNIT).toBe(256);
    expect(regexUnits(1, 1_000_000)).toBe(0);
    expect(regexUnits(2, 4096)).toBeLessThan(EXPRESSION_BUDGET.work / 5);
    expect(regexUnits(2, 11_000)).toBeLessThan(EXPRESSION_BUDGET.work);
    expect(regexUnits(2, 1_000_000)).toBeGreaterThan(EXPRESSION_BUDGET.work);
    expect(regexUnits(3, 600)).toBeGreaterThan(EXPRESSION_BUDGET.work);
    expect(STANDALONE_REGEX_LIMIT).toBe(EXPRESSION_BUDGET.work);
  });

  it.each([
    ['$match(input.s, /\\s*\\s*$/)'],
    ['input.s ~> $match(/\\s*\\s*$/)'],
    ['$replace(input.s, /\\s*\\s*$/, "")'],
    ['$split(input.s, /\\s*\\s*$/)'],
    ['$contains(input.s, /\\s*\\s*$/)'],
    // A regex applied directly is one exec too.
    ['input.s ~> /\\s*\\s*$/'],
    ['$map([input.s], /\\s*\\s*$/)'],
    ['$map([input.s], function($v){ $match($v, /\\s*\\s*$/) })'],
  ])('%s fails with WEFT01 naming the regex, without scanning', async (text) => {
    const f = await failure(text, spaces);
    expect(f.code).toBe('WEFT01');
    expect(f.message).toContain(
      'regex /\\s*\\s*$/ on a string of 300001 characters can backtrack for about n^3 steps',
    );
  });

  it('charges degree-1 patterns nothing more, whatever the length', async () => {
    const long = 'a'.repeat(200_000);
    expect(await evaluateOnJsonata('$contains(input.s, /^[a-z]+$/)', root(long), 'calc')).toBe(
      true,
    );
    expect(await evaluateOnJsonata('$contains(input.s, /(ab)+/)', root(long), 'calc')).toBe(false);
  });

  it('lets a degree-2 pattern scan a few KB', async () => {
    const text = `${' '.repeat(4000)}x`;
    expect(await evaluateOnJsonata('$replace(input.s, /\\s+$/, "")', root(text), 'calc')).toBe(
      text,
    );
    expect((await failure('$replace(input.s, /\\s+$/, "")', spaces)).code).toBe('WEFT01');
  });

  it('adds the charges of one evaluation together', async () => {
    // 8 000 characters at degree 2 is 250 000 units: one scan fits, two more do not.
    const s = 'y'.repeat(8000);
    expect(await evaluateOnJsonata('$contains(input.s, /^\\w+\\s?\\w+$/)', root(s), 'calc')).toBe(
      true,
    );
    const f = await failure('[1, 2, 3].$contains($$.input.s, /^\\w+\\s?\\w+$/)', s);
    expect(f.code).toBe('WEFT01');
  });
});

describe('runs recorded before PATCHES.regexBudget', () => {
  it('are asked only once the charge would trip, and then count as they did', () => {
    let asked = 0;
    const budget = new Budget(EXPRESSION_BUDGET.work, undefined, undefined, () => {
      asked++;
      return false;
    });
    budget.regex('\\s*\\s*$', 2, 4000);
    expect(asked).toBe(0);
    budget.regex('\\s*\\s*$', 3, 300_001);
    expect(asked).toBe(1);
    // Over, but not counted: the old run went on, and so do later charges.
    budget.regex('\\s*\\s*$', 3, 300_001);
    budget.charge(1000);
    expect(asked).toBe(1);
    expect(budget.regexWork).toBe(0);
  });

  it('a later charge that trips only because of regex work asks too', () => {
    let asked = 0;
    const budget = new Budget(EXPRESSION_BUDGET.work, undefined, undefined, () => {
      asked++;
      return true;
    });
    budget.regex('\\s+$', 2, 10_000);
    expect(asked).toBe(0);
    expect(() => budget.charge(200_000)).toThrow(/regex \/\\s\+\$\/ on a string of 10000/);
    expect(asked).toBe(1);
  });
});

describe('outside the workflow, where nothing else bounds an expression', () => {
  it('a start template refuses the scan (the API server runs it)', async () => {
    await expect(
      resolveStartTemplate('${ $match(input.s, /\\s*\\s*$/) }', { input: { s: spaces } }),
    ).rejects.toThrow('regex /\\s*\\s*$/ on a string of 300001 characters');
    expect(
      await resolveStartTemplate('${ $contains(input.s, /\\s+$/) }', { input: { s: 'a ' } }),
    ).toBe(true);
  });

  it("a weft test expectation reports the refusal as that expectation's failure", async () => {
    expect(await matchValue('${ $contains($, /\\s*\\s*$/) }', spaces, 'output')).toEqual([
      expect.stringContaining('regex /\\s*\\s*$/ on a string of 300001 characters'),
    ]);
    expect(await matchValue('${ $contains($, /\\s*\\s*$/) }', 'a  ', 'output')).toEqual([]);
  });

  it('one evaluation of metered JSONata adds its scans together', async () => {
    // About 256 000 units a scan: one fits in 500 000, two do not.
    const s = 'y'.repeat(8100);
    const twice = '$contains($, /^\\w+\\s?\\w+$/) and $contains($ & "", /^\\w+\\s?\\w+$/)';
    await expect(meteredJsonata('$contains($, /^\\w+\\s?\\w+$/)').evaluate(s)).resolves.toBe(true);
    await expect(meteredJsonata(twice).evaluate(s)).rejects.toMatchObject({ code: 'WEFT01' });
  });
});
