import { describe, expect, it } from 'vitest';
import { checkFlowText, formatDiagnostic } from '../../../interpreter/dsl';
import { checkRegex, REGEX_MAX_LENGTH } from '../../../interpreter/model/regex-safety';

/**
 * WEFT100: one `$match(input.s, /(a+)+$/)` and an input of 40 `a` then `!` would hold a worker's
 * thread for hours inside a single RegExp exec, where the expression budget cannot stop it. Every
 * regex a flow can run is a literal in its source, so validation refuses the ones that can
 * backtrack catastrophically.
 */

/** The diagnostics of a flow whose only step sets `x` to this expression, as `weft validate` prints them. */
function check(expression: string): string[] {
  const text = `flow: f\nsteps:\n  - set:\n      x: ${JSON.stringify(`\${ ${expression} }`)}\n`;
  return checkFlowText(text).diagnostics.map((d) => formatDiagnostic(d, 'f.flow.yaml'));
}

describe('WEFT100: regex literals that backtrack catastrophically', () => {
  it('points at the expression and names the nested quantifier', () => {
    expect(check('$match(input.s, /(a+)+$/)')).toEqual([
      'f.flow.yaml:4:10  error  WEFT100  regex /(a+)+$/ has a nested quantifier `(a+)+` that can match the same text in many ways, so an input of a few dozen characters that almost matches keeps the worker busy for hours (quantify once: `(a+)+` is `a+`; or end each repetition with a character the inner part cannot match, as in `(a+,)+`)',
    ]);
  });

  it('names a quantified group whose alternatives overlap', () => {
    const [line] = check('$contains(input.s, /^(a|a)*$/)');
    expect(line).toMatch(
      /^f\.flow\.yaml:4:10 {2}error {2}WEFT100 {2}regex \/\^\(a\|a\)\*\$\/ has a quantified group whose alternatives overlap `\(a\|a\)\*`/,
    );
  });

  it.each([
    ['$match(input.s, /(a*)*$/)', 'nested-quantifier', '(a*)*'],
    ['$replace(input.s, /(\\w+\\s?)+$/, "")', 'nested-quantifier', '(\\w+\\s?)+'],
    ['$split(input.s, /(a+a)+b/)', 'nested-quantifier', '(a+a)+'],
    ['input.s ~> $match(/^([a-zA-Z0-9]{2,4})+$/)', 'nested-quantifier', '([a-zA-Z0-9]{2,4})+'],
    ['$match(input.s, /(\\w+){1,10}!/)', 'nested-quantifier', '(\\w+){1,10}'],
    ['$match(input.s, /x(?=(a+)+$)/)', 'nested-quantifier', '(a+)+'],
    ['$match(input.s, /(a|aa)+$/)', 'overlapping-alternatives', '(a|aa)+'],
    ['$match(input.s, /(\\w|\\d)+$/)', 'overlapping-alternatives', '(\\w|\\d)+'],
    ['$match(input.s, /(a|b|ab)*c/)', 'overlapping-alternatives', '(a|b|ab)*'],
    ['$match(input.s, /([a-z]|X)+$/i)', 'overlapping-alternatives', '([a-z]|X)+'],
    ['$match(input.s, /(a?a)+$/)', 'ambiguous-repetition', '(a?a)+'],
  ])('refuses %s (%s %s)', (expression, kind, part) => {
    expect(check(expression)).toEqual([
      expect.stringMatching(/^f\.flow\.yaml:4:10 {2}error {2}WEFT100 /),
    ]);
    const pattern = /\/(.*)\/(i?)/.exec(expression)!;
    expect(checkRegex(pattern[1]!, pattern[2])).toEqual({ kind, part });
  });

  it.each([
    '^[a-z]+$',
    '\\d{3}-\\d{4}',
    '(ab)+',
    '(a+b)+$',
    '(\\d+\\.)+',
    '^(\\w+\\s)*\\w+$',
    '(?:[a-z0-9]+\\.)*[a-z0-9]+',
    '^\\s*(.*?)\\s*$',
    '^(\\d{1,3}\\.){3}\\d{1,3}$',
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
    '^(?<user>[^@\\s]+)@(?<host>[^@\\s]+)$',
    '(\\w)(.*?)\\1',
    '[^,]+(,[^,]+)*',
    '(a|ab)*c',
    '([a-z]|[A-Z])+$',
    '\\{\\{(\\w+)\\}\\}',
    '[\\]\\/]+',
    '[0-9]',
    '-',
  ])('accepts /%s/', (pattern) => {
    expect(checkRegex(pattern)).toBeNull();
    expect(check(`$match(input.s, /${pattern}/)`)).toEqual([]);
  });

  it('reads a brace that starts no count as the character, as JavaScript does', () => {
    // Templates cannot hold an unbalanced `{`, but the analysis must not misread one either.
    expect(checkRegex('a{,')).toBeNull();
    expect(checkRegex('(a{)+$')).toBeNull();
    expect(checkRegex('(a{|a{)+$')).toEqual({
      kind: 'overlapping-alternatives',
      part: '(a{|a{)+',
    });
  });

  it(`refuses a regex literal over ${REGEX_MAX_LENGTH} characters, and one too complex to prove safe`, () => {
    expect(checkRegex('x'.repeat(REGEX_MAX_LENGTH))).toBeNull();
    expect(checkRegex('x'.repeat(REGEX_MAX_LENGTH + 1))).toEqual({
      kind: 'too-long',
      length: REGEX_MAX_LENGTH + 1,
    });
    expect(check(`$match(input.s, /${'x'.repeat(REGEX_MAX_LENGTH + 1)}/)`)[0]).toContain(
      `is ${REGEX_MAX_LENGTH + 1} characters long, over the ${REGEX_MAX_LENGTH}-character limit`,
    );
    // 100 runs of [a-z]* under one loop: more steps to analyse than its length allows.
    expect(checkRegex(`(${'[a-z]*'.repeat(100)})*`)).toEqual({ kind: 'too-complex' });
    // Runs of single characters alone have no loop to be ambiguous in, so length is no problem.
    expect(checkRegex('[a-z]*'.repeat(150))).toBeNull();
  });

  it('reports the first unsafe regex of an expression once, beside its other problems', () => {
    const text = [
      'flow: f',
      'steps:',
      '  - log: "${ $match(input.s, /(a+)+$/) & $match(input.s, /(b+)+$/) }"',
      '  - set: { ok: "${ $match(input.s, /^[a-z]+$/) }", bad: "${ $split(input.s, /(x|x)*y/) }" }',
      '',
    ].join('\n');
    const found = checkFlowText(text).diagnostics.map((d) => [d.code, d.line, d.col]);
    expect(found).toEqual([
      ['WEFT100', 3, 10],
      ['WEFT100', 4, 57],
    ]);
  });
});
