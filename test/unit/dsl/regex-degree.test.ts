import { describe, expect, it } from 'vitest';
import { checkRegex, regexDegree } from '../../../interpreter/model/regex-safety';

/**
 * A regex with no exponential ambiguity (WEFT100) can still backtrack polynomially: when k
 * repetitions in a row can match the same text and what follows can fail, the matcher tries every
 * way of splitting the text between them. regexDegree counts how the worst case of one scan grows
 * with the length n of the string (n^degree steps), and the expression budget charges it before
 * the scan runs. Start positions count as one more repetition unless the pattern starts with `^`.
 */
describe('regexDegree: the worst-case backtracking of one scan', () => {
  it.each([
    ['^[a-z]+$', 1],
    ['\\d{3}-\\d{4}', 1],
    ['(ab)+', 1],
    ['^\\d{4}-\\d{2}-\\d{2}$', 1],
    ['\\d{4}-\\d{2}-\\d{2}', 1],
    ['^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$', 1],
    ['^[^@]+@[^@]+$', 1],
    ['^[\\w.+-]+@[\\w-]+\\.[\\w.-]+$', 1],
    ['^([a-z]+,)*[a-z]+$', 1],
    ['foo\\d+x', 1],
    ['^\\s*$', 1],
    ['^(\\d+)(?:\\.(\\d+))?$', 1],
    ['^(?=.*\\d)(?=.*[a-z]).{8,}$', 1],
    ['\\s*\\s*', 1],
  ])('ordinary pattern /%s/ is degree %i', (pattern, degree) => {
    expect(regexDegree(pattern)).toBe(degree);
  });

  it.each([
    // Two loops over the same characters, nothing forced between, something that can fail after.
    ['^\\s*\\s*$', 2],
    ['^\\d+\\d+$', 2],
    ['^\\w+\\s?\\w+$', 2],
    ['^\\d+(,)?\\d+$', 2],
    ['^x{0,100}x{0,100}$', 2],
    ['^a*a*a*b', 3],
    // Unanchored: every start position is tried, one more loop in front.
    ['\\s+$', 2],
    ['^\\s+|\\s+$', 2],
    ['[^@]+@[^@]+', 2],
    ['\\s*,\\s*', 2],
    ['\\s*\\s*$', 3],
    ['\\d+\\d+$', 3],
    ['a*a*b', 3],
    ['.*.*=', 3],
    ['\\d+,?\\d+$', 3],
    ['^\\s*(.*?)\\s*$', 3],
    // A backreference matches any text its group matched.
    ['(\\w+)\\s\\1', 2],
  ])('polynomial pattern /%s/ is degree %i', (pattern, degree) => {
    expect(checkRegex(pattern)).toBeNull();
    expect(regexDegree(pattern)).toBe(degree);
  });

  it('reads `^` as a line start under the m flag, so start positions count again', () => {
    expect(regexDegree('^\\s*\\s*$')).toBe(2);
    expect(regexDegree('^\\s*\\s*$', 'm')).toBe(3);
  });

  it('folds case under the i flag, so [a-z] and [A-Z] overlap', () => {
    expect(regexDegree('^[a-z]+[A-Z]+$')).toBe(1);
    expect(regexDegree('^[a-z]+[A-Z]+$', 'i')).toBe(2);
  });

  it('counts a lookahead where it is tried', () => {
    // At the start of an anchored pattern: once, its own loop only.
    expect(regexDegree('^(?=\\s*\\s*x)')).toBe(2);
    // After a loop: once per path of that loop.
    expect(regexDegree('^a+(?=\\s*\\s*x)')).toBe(3);
  });

  it('overestimates rather than misses: sets, not words, decide what loops share', () => {
    expect(regexDegree('(ab)+(ba)+$')).toBe(3);
  });

  it('analyses a long pattern of ordinary loops', () => {
    expect(regexDegree('\\w+\\s'.repeat(200))).toBe(2);
    expect(regexDegree(`^${'\\w+\\s'.repeat(199)}`)).toBe(1);
  });

  it('gives a pattern too costly to analyse the number of its repetitions, plus the start', () => {
    expect(regexDegree('[a-z]*'.repeat(150))).toBe(151);
  });
});
