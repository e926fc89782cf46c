// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL templates are `${ }` strings
import { describe, expect, it } from 'vitest';
import { resolveStartTemplate } from '../../../interpreter/client';
import { resolveTemplate, resolveTemplateSync } from '../../../interpreter/workflow/expressions';
import type { ExpressionRoot } from '../../../interpreter/workflow/expressions/root';

/**
 * The template rules of schema/README.md (Templates), pinned once for every resolver: the client
 * (memo and search attributes at start), the workflow's resolveTemplate (fast path, falling back
 * to JSONata's evaluator) and its synchronous resolver (queries, validators, wait conditions).
 * Before model/template.ts the client disagreed on every row marked `decided`. toStrictEqual, as
 * a key holding undefined is not the same as no key.
 */
const input = { n: 5, o: { a: 1 }, 'odd}key': 7, s: 'text' };

const root: ExpressionRoot = {
  input,
  vars: {},
  workflow: {
    id: 'wf',
    runId: 'run',
    type: 'f',
    taskQueue: 'q',
    now: '2026-12-01T00:00:00.000Z',
    startTime: '2026-12-01T00:00:00.000Z',
  },
};

interface Case {
  rule: string;
  template: unknown;
  expected: unknown;
  /** Needs JSONata's asynchronous evaluator, which the synchronous resolver refuses. */
  asyncOnly?: boolean;
}

const CASES: Case[] = [
  { rule: 'a whole-string expression keeps its type', template: '${ input.n }', expected: 5 },
  {
    rule: 'decided: blanks around one expression still keep its type',
    template: ' ${ input.n } ',
    expected: 5,
  },
  {
    rule: 'decided: a brace inside a backtick name does not close the expression',
    template: '${ input.`odd}key` }',
    expected: 7,
  },
  {
    rule: 'decided: an object key whose value is undefined is dropped',
    template: { gone: '${ input.missing }', kept: 1 },
    expected: { kept: 1 },
  },
  {
    rule: 'an array item that is undefined stays in its place',
    template: ['${ input.missing }', 1],
    expected: [undefined, 1],
  },
  {
    rule: 'text around an expression is interpolated',
    template: 'n=${ input.n }',
    expected: 'n=5',
  },
  { rule: 'a string value is interpolated as is', template: '<${ input.s }>', expected: '<text>' },
  {
    rule: 'objects and arrays are interpolated as JSON',
    template: 'o=${ input.o } l=${ [1, 2] }',
    expected: 'o={"a":1} l=[1,2]',
  },
  {
    rule: 'decided: undefined and null are interpolated as nothing',
    template: 'a${ input.missing }b${ null }c',
    expected: 'abc',
  },
  { rule: 'two expressions are text', template: '${ input.n }${ input.n }', expected: '55' },
  {
    rule: 'braces inside string literals do not close the expression',
    template: "${ {'a': '}'} }",
    expected: { a: '}' },
  },
  { rule: 'an unclosed `${` is text', template: 'cost ${ 5', expected: 'cost ${ 5' },
  {
    rule: 'templates resolve at any depth, other values pass through',
    template: { list: ['${ input.n + 1 }', true, null, 3], plain: 'no expression' },
    expected: { list: [6, true, null, 3], plain: 'no expression' },
  },
  {
    rule: "JSONata's evaluator gives the same typing",
    template: '${ $sort([3, 1, 2]) }',
    expected: [1, 2, 3],
    asyncOnly: true,
  },
  {
    rule: "JSONata's evaluator gives the same interpolation",
    template: 'sorted: ${ $sort([3, 1, 2]) }',
    expected: 'sorted: [1,2,3]',
    asyncOnly: true,
  },
];

/** Plain arrays and objects (JSONata builds its own kinds), keeping keys that hold undefined. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from(value, plain);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('one set of template rules for the client and the workflow', () => {
  it.each(CASES)('$rule', async ({ template, expected, asyncOnly }) => {
    expect(plain(await resolveStartTemplate(template, { input })), 'client').toStrictEqual(
      expected,
    );
    expect(plain(await resolveTemplate(template, root, 'step')), 'workflow').toStrictEqual(
      expected,
    );
    if (!asyncOnly)
      expect(
        plain(resolveTemplateSync(template, root, 'step')),
        'workflow, synchronous',
      ).toStrictEqual(expected);
  });
});

describe('a regex that backtracks catastrophically (WEFT100)', () => {
  // A compiled flow built by hand skips validation: every resolver refuses it before it runs.
  const bomb = `\${ $match('${'a'.repeat(40)}!', /(a+)+$/) }`;

  it('is refused by the client and by both workflow resolvers', async () => {
    await expect(resolveStartTemplate(bomb, { input })).rejects.toThrow(
      'regex /(a+)+$/ has a nested quantifier `(a+)+`',
    );
    await expect(resolveTemplate(bomb, root, 'step')).rejects.toMatchObject({
      error: { type: 'ExpressionError', details: { code: 'WEFT100' } },
    });
    expect(() => resolveTemplateSync(bomb, root, 'step')).toThrow(
      'regex /(a+)+$/ has a nested quantifier `(a+)+`',
    );
  });
});
