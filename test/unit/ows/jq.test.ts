import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { JqError, jqToJsonata } from '../../../interpreter/ows';

/**
 * The jq subset, as the README lists it: each row is a jq expression, the data it reads as `.`,
 * and what jq gives; the translation must give the same through JSONata.
 */

const scope = {
  dot: 'vars.data',
  vars: { input: 'vars.data', item: 'item', index: 'index', context: 'vars.context' },
};

async function evaluate(jq: string, data: unknown, extra: Record<string, unknown> = {}) {
  const expr = jsonata(jqToJsonata(jq, scope));
  return expr.evaluate({ vars: { data, context: { user: 'ann' } }, ...extra });
}

const ROWS: [string, unknown, unknown][] = [
  ['.', { a: 1 }, { a: 1 }],
  ['.a.b', { a: { b: 2 } }, 2],
  ['.["a-b"]', { 'a-b': 3 }, 3],
  ['."a-b"', { 'a-b': 3 }, 3],
  ['.xs[1]', { xs: [1, 2, 3] }, 2],
  ['.xs[-1]', { xs: [1, 2, 3] }, 3],
  ['.a?', {}, undefined],
  ['.colors + ["red"]', {}, ['red']],
  ['.colors + ["red"]', { colors: ['blue'] }, ['blue', 'red']],
  ['.a + .b', { a: 1, b: 2 }, 3],
  ['.a + .b', { a: 'x', b: 'y' }, 'xy'],
  ['.a + .b', { a: { x: 1 }, b: { y: 2 } }, { x: 1, y: 2 }],
  ['.a + .b', { a: [1], b: [2] }, [1, 2]],
  ['.a + .b', { b: 2 }, 2],
  ['.a - .b * 2 / 4 % 3', { a: 10, b: 4 }, 8],
  ['-.a', { a: 1 }, -1],
  ['.a == "x" and .b != 2', { a: 'x', b: 3 }, true],
  ['.a < 2 or .a >= 5', { a: 3 }, false],
  ['.a | not', { a: false }, true],
  ['.a | not', { a: 0 }, false],
  ['.a | not', {}, true],
  ['.a // "fallback"', { a: null }, 'fallback'],
  ['.a // "fallback"', { a: 0 }, 0],
  ['if .n > 1 then "big" elif .n == 1 then "one" else "small" end', { n: 1 }, 'one'],
  ['if .n > 1 then "big" end', { n: 0 }, { n: 0 }],
  ['"Hello \\(.name), \\(.n)!"', { name: 'Ann', n: 2 }, 'Hello Ann, 2!'],
  [
    '{ name, id: .n, "k": 1, (.key): true, $item }',
    { name: 'a', n: 1, key: 'dyn' },
    { name: 'a', id: 1, k: 1, dyn: true, item: 'I' },
  ],
  ['[.a, .b, 3]', { a: 1, b: 'x' }, [1, 'x', 3]],
  ['[.a, .b, .c]', { a: [1, 2], b: [3] }, [[1, 2], [3], null]],
  ['[.a]', { a: [1] }, [[1]]],
  ['[.xs[] | . * 2]', { xs: [1, 2] }, [2, 4]],
  ['.xs | map(.id)', { xs: [{ id: 1 }, { id: 2 }] }, [1, 2]],
  ['.xs | map(select(.ok))', { xs: [{ ok: true }, { ok: false }] }, [{ ok: true }]],
  ['.xs | length', { xs: [1, 2, 3] }, 3],
  ['.s | length', { s: 'abcd' }, 4],
  ['length', { a: 1, b: 2 }, 2],
  ['keys', { b: 1, a: 2 }, ['a', 'b']],
  ['has("a")', { a: null }, true],
  ['.xs | add', { xs: [1, 2, 3] }, 6],
  ['.xs | add', { xs: ['a', 'b'] }, 'ab'],
  ['.xs | first', { xs: [4, 5] }, 4],
  ['.xs | last', { xs: [4, 5] }, 5],
  ['.xs | sort | reverse', { xs: [2, 3, 1] }, [3, 2, 1]],
  ['.xs | unique', { xs: [2, 1, 2] }, [1, 2]],
  ['.xs | min', { xs: [2, 1] }, 1],
  ['.xs | join("-")', { xs: ['a', 'b'] }, 'a-b'],
  ['.s | split(",")', { s: 'a,b' }, ['a', 'b']],
  ['.s | ascii_upcase', { s: 'ab' }, 'AB'],
  ['.s | startswith("ab")', { s: 'abc' }, true],
  ['.s | endswith("bc")', { s: 'abc' }, true],
  ['.s | contains("b")', { s: 'abc' }, true],
  ['.n | tostring', { n: 1 }, '1'],
  ['.s | tonumber', { s: '2' }, 2],
  ['.x | type', { x: [1] }, 'array'],
  ['.o | to_entries', { o: { a: 1 } }, [{ key: 'a', value: 1 }]],
  ['.xs | any(. > 2)', { xs: [1, 3] }, true],
  ['.xs | all(. > 2)', { xs: [1, 3] }, false],
  ['$input.a', { a: 7 }, 7],
  ['$context.user', {}, 'ann'],
  ['[$item, $index]', {}, ['I', 0]],
];

describe('jq to JSONata', () => {
  for (const [jq, data, expected] of ROWS) {
    it(`${jq}  on ${JSON.stringify(data)}`, async () => {
      expect(await evaluate(jq, data, { item: 'I', index: 0 })).toEqual(expected);
    });
  }
});

const REFUSED: [string, number, RegExp][] = [
  ['reduce .[] as $x (0; . + $x)', 0, /`reduce` is outside/],
  ['.a as $x | $x', 3, /variable binding/],
  ['.a, .b', 2, /several results/],
  ['.xs[]', 3, /several results/],
  ['..', 0, /recursive descent/],
  ['.a |= 1', 3, /`\|=`/],
  ['now', 0, /`now` is outside/],
  ['$secrets.key', 0, /unknown variable \$secrets/],
  ['.xs[1:2]', 5, /slices/],
  ['"unclosed', 0, /unclosed string/],
];

describe('outside the subset: an error at the offending offset', () => {
  for (const [jq, offset, message] of REFUSED) {
    it(jq, () => {
      let error: unknown;
      try {
        jqToJsonata(jq, scope);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(JqError);
      expect((error as JqError).message).toMatch(message);
      expect((error as JqError).offset).toBe(offset);
    });
  }
});
