import { createHash } from 'node:crypto';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { JSONATA_BUILTINS } from '../../../interpreter/workflow/expressions/evaluate';
import {
  evaluateFast,
  FAST_COVERAGE,
  fastBudget,
  UNSUPPORTED,
} from '../../../interpreter/workflow/expressions/fast';
import { PATCHES } from '../../../interpreter/workflow/patches';

/**
 * Which path evaluates an expression decides its work budget and its promise turns (the order
 * parallel branches issue commands in), so widening or narrowing the fast path changes how a
 * recorded run replays. The rule: a change of FAST_COVERAGE comes with a new patch id in
 * interpreter/workflow/patches.ts that guards it, and a new line here pinning the new coverage
 * to that patch. Each line is one version of the coverage, oldest first.
 */
const PINNED: readonly { patch: string; fingerprint: string }[] = [
  // The coverage as it was when the expression budget (the last change of the fast path) landed.
  {
    patch: PATCHES.expressionBudget,
    fingerprint: 'da0c21eebbbca7b7',
  },
];

const fingerprint = (coverage: unknown) =>
  createHash('sha256').update(JSON.stringify(coverage)).digest('hex').slice(0, 16);

const fast = (text: string) => evaluateFast(jsonata(text), {}, fastBudget());

describe('a change of fast-path coverage is guarded by a patch id', () => {
  it('the coverage is the one pinned last', () => {
    const last = PINNED[PINNED.length - 1];
    expect(
      fingerprint(FAST_COVERAGE),
      'FAST_COVERAGE changed: guard the change with a new patch id in patches.ts, then add a line to PINNED with that id and this fingerprint',
    ).toBe(last?.fingerprint);
  });

  it('each pinned coverage names its own patch, and the patch exists', () => {
    const ids: string[] = Object.values(PATCHES);
    for (const { patch } of PINNED) expect(ids).toContain(patch);
    expect(new Set(PINNED.map((p) => p.patch)).size).toBe(PINNED.length);
  });

  it('the fingerprint sees a builtin added to or removed from the fast path', () => {
    const widened = { ...FAST_COVERAGE, builtins: [...FAST_COVERAGE.builtins, 'sort'] };
    const narrowed = { ...FAST_COVERAGE, builtins: FAST_COVERAGE.builtins.slice(1) };
    expect(fingerprint(widened)).not.toBe(fingerprint(FAST_COVERAGE));
    expect(fingerprint(narrowed)).not.toBe(fingerprint(FAST_COVERAGE));
  });
});

describe('FAST_COVERAGE is what the fast path evaluates', () => {
  it('lists only JSONata builtins', () => {
    const jsonataNames: readonly string[] = JSONATA_BUILTINS;
    for (const name of FAST_COVERAGE.builtins) expect(jsonataNames).toContain(name);
  });

  it('answers every listed builtin on the fast path', () => {
    const calls: Record<string, string> = {
      abs: '$abs(-1)', append: '$append(1, 2)', average: '$average([1, 2])',
      boolean: '$boolean(1)', ceil: '$ceil(1.5)', contains: '$contains("ab", "b")',
      count: '$count([1])', exists: '$exists(1)', filter: '$filter([1, 2], function($v){ $v > 1 })',
      floor: '$floor(1.5)', join: '$join(["a", "b"])', keys: '$keys({"a": 1})',
      length: '$length("ab")', lookup: '$lookup({"a": 1}, "a")', lowercase: '$lowercase("A")',
      map: '$map([1], function($v){ $v })', max: '$max([1, 2])', merge: '$merge([{"a": 1}])',
      min: '$min([1, 2])', not: '$not(true)', number: '$number("1")',
      reduce: '$reduce([1, 2], function($a, $b){ $a + $b })', reverse: '$reverse([1, 2])',
      split: '$split("a,b", ",")', string: '$string(1)', substring: '$substring("abc", 1)',
      sum: '$sum([1, 2])', trim: '$trim(" a ")', type: '$type(1)', uppercase: '$uppercase("a")',
    }; // biome-ignore format: one table
    expect(Object.keys(calls).sort()).toEqual([...FAST_COVERAGE.builtins]);
    for (const text of Object.values(calls)) expect(() => fast(text), text).not.toThrow();
  });

  it('hands an unlisted node, operator or builtin to JSONata', () => {
    for (const text of [
      '$sort([2, 1])',
      '[1, 2]^($)',
      '$.**',
      '$uppercase ~> $type',
      '"a" ~> $uppercase()',
    ]) {
      let thrown: unknown;
      try {
        fast(text);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, text).toBe(UNSUPPORTED);
    }
  });
});
