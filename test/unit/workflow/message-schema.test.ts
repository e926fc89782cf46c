import { Ajv2020 } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { ENFORCED_KEYWORDS, unenforcedKeywords } from '../../../interpreter/model/message-schema';
import type { JsonSchema } from '../../../interpreter/model/types';
import { checkSchema } from '../../../interpreter/workflow/schema';
import { checkSchemaSubset } from '../../../interpreter/workflow/schema-subset';

/** The client's validator: the sandbox must agree with it on every enforced keyword. */
const ajv = new Ajv2020({ allErrors: true, strict: false });

interface Case {
  keyword: (typeof ENFORCED_KEYWORDS)[number];
  schema: JsonSchema;
  valid: unknown[];
  invalid: unknown[];
}

/** One row per enforced keyword: payloads it accepts and payloads it refuses. */
const CASES: Case[] = [
  { keyword: 'type', schema: { type: ['integer', 'null'] }, valid: [3, null], invalid: [3.5, '3'] },
  {
    keyword: 'enum',
    schema: { enum: ['a', { k: 1, j: 2 }] },
    valid: ['a', { j: 2, k: 1 }],
    invalid: ['b', { k: 1 }],
  },
  {
    keyword: 'const',
    schema: { const: [1, { a: true }] },
    valid: [[1, { a: true }]],
    invalid: [[1], [1, { a: false }]],
  },
  { keyword: 'multipleOf', schema: { multipleOf: 0.5 }, valid: [1.5, 4, 'text'], invalid: [1.2] },
  { keyword: 'minimum', schema: { minimum: 2 }, valid: [2, 9], invalid: [1.9] },
  { keyword: 'maximum', schema: { maximum: 2 }, valid: [2, -1], invalid: [2.1] },
  { keyword: 'exclusiveMinimum', schema: { exclusiveMinimum: 2 }, valid: [2.01], invalid: [2, 1] },
  { keyword: 'exclusiveMaximum', schema: { exclusiveMaximum: 2 }, valid: [1.99], invalid: [2, 3] },
  { keyword: 'minLength', schema: { minLength: 2 }, valid: ['ab', 7], invalid: ['a', '😀'] },
  { keyword: 'maxLength', schema: { maxLength: 2 }, valid: ['ab', '😀😀'], invalid: ['abc'] },
  {
    keyword: 'pattern',
    schema: { pattern: '^[A-Z]{3}$' },
    valid: ['ABC', 12],
    invalid: ['AB', 'abc'],
  },
  {
    keyword: 'items',
    schema: { items: { type: 'string' } },
    valid: [[], ['a']],
    invalid: [['a', 1]],
  },
  {
    keyword: 'prefixItems',
    schema: { prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
    valid: [['a', 1], ['a']],
    invalid: [
      [1, 'a'],
      ['a', 1, 2],
    ],
  },
  { keyword: 'minItems', schema: { minItems: 1 }, valid: [[0]], invalid: [[]] },
  { keyword: 'maxItems', schema: { maxItems: 1 }, valid: [[], [0]], invalid: [[0, 1]] },
  {
    keyword: 'uniqueItems',
    schema: { uniqueItems: true },
    valid: [[1, '1', { a: 1 }, { a: 2 }]],
    invalid: [
      [1, 1],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
    ],
  },
  {
    keyword: 'contains',
    schema: { contains: { const: 'x' } },
    valid: [['a', 'x']],
    invalid: [['a'], []],
  },
  {
    keyword: 'minContains',
    schema: { contains: { const: 'x' }, minContains: 2 },
    valid: [['x', 'x']],
    invalid: [['x', 'a']],
  },
  {
    keyword: 'maxContains',
    schema: { contains: { const: 'x' }, maxContains: 1 },
    valid: [['x', 'a']],
    invalid: [['x', 'x']],
  },
  {
    keyword: 'required',
    schema: { required: ['id'] },
    valid: [{ id: 0 }, 'not an object'],
    invalid: [{}],
  },
  {
    keyword: 'properties',
    schema: { properties: { 'a/b': { type: 'number' } } },
    valid: [{ 'a/b': 1 }, {}],
    invalid: [{ 'a/b': '1' }],
  },
  {
    keyword: 'patternProperties',
    schema: { patternProperties: { '^n_': { type: 'number' } } },
    valid: [{ n_a: 1, s: 'x' }],
    invalid: [{ n_a: 'x' }],
  },
  {
    keyword: 'additionalProperties',
    schema: { properties: { a: true }, additionalProperties: { type: 'boolean' } },
    valid: [{ a: 'x', b: true }],
    invalid: [{ a: 1, b: 'x' }],
  },
  {
    keyword: 'propertyNames',
    schema: { propertyNames: { pattern: '^[a-z]+$' } },
    valid: [{ ab: 1 }],
    invalid: [{ Ab: 1 }],
  },
  { keyword: 'minProperties', schema: { minProperties: 1 }, valid: [{ a: 1 }], invalid: [{}] },
  {
    keyword: 'maxProperties',
    schema: { maxProperties: 1 },
    valid: [{ a: 1 }],
    invalid: [{ a: 1, b: 2 }],
  },
  {
    keyword: 'dependentRequired',
    schema: { dependentRequired: { card: ['cvv'] } },
    valid: [{ card: 1, cvv: 2 }, { cvv: 2 }],
    invalid: [{ card: 1 }],
  },
  {
    keyword: 'allOf',
    schema: { allOf: [{ type: 'number' }, { minimum: 1 }] },
    valid: [1],
    invalid: [0, '1'],
  },
  {
    keyword: 'anyOf',
    schema: { anyOf: [{ type: 'number' }, { type: 'string', minLength: 2 }] },
    valid: [0, 'ab'],
    invalid: ['a', null],
  },
  {
    keyword: 'oneOf',
    schema: { oneOf: [{ type: 'integer' }, { type: 'number', minimum: 1 }] },
    valid: [0, 1.5],
    invalid: [2, 0.5],
  },
  { keyword: 'not', schema: { not: { type: 'string' } }, valid: [1], invalid: ['a'] },
  {
    keyword: 'if',
    schema: { if: { required: ['kind'] }, then: { required: ['id'] } },
    valid: [{}, { kind: 1, id: 2 }],
    invalid: [{ kind: 1 }],
  },
  {
    keyword: 'then',
    schema: { if: { type: 'string' }, then: { minLength: 3 } },
    valid: ['abc', 1],
    invalid: ['ab'],
  },
  {
    keyword: 'else',
    schema: { if: { type: 'string' }, else: { type: 'number' } },
    valid: ['a', 1],
    invalid: [true],
  },
];

describe('the sandbox payload check', () => {
  it('has a case for every keyword it enforces', () => {
    expect(new Set(CASES.map((c) => c.keyword))).toEqual(new Set(ENFORCED_KEYWORDS));
  });

  describe.each(CASES)('$keyword', ({ schema, valid, invalid }) => {
    it('accepts what ajv accepts', () => {
      for (const value of valid) {
        expect(ajv.validate(schema, value), JSON.stringify(value)).toBe(true);
        expect(checkSchema(schema, value), JSON.stringify(value)).toBeUndefined();
      }
    });
    it('refuses what ajv refuses, saying where', () => {
      for (const value of invalid) {
        expect(ajv.validate(schema, value), JSON.stringify(value)).toBe(false);
        expect(checkSchema(schema, value), JSON.stringify(value)).toMatch(/^\//);
      }
    });
  });

  it('names the nested place that is wrong', () => {
    const schema = {
      type: 'object',
      properties: { lines: { type: 'array', items: { properties: { qty: { minimum: 1 } } } } },
    };
    expect(checkSchema(schema, { lines: [{ qty: 1 }, { qty: 0 }] })).toBe(
      '/lines/1/qty must be >= 1',
    );
  });

  it('fails every value on a pattern that does not compile, as ajv refuses to compile it', () => {
    expect(checkSchema({ pattern: '(' }, 'anything')).toMatch(/must match pattern/);
  });

  it('closes the gap of the old subset, where pattern, oneOf and minItems passed silently', () => {
    const gaps: [JsonSchema, unknown][] = [
      [{ pattern: '^a' }, 'b'],
      [{ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1],
      [{ minItems: 1 }, []],
    ];
    for (const [schema, value] of gaps) {
      expect(checkSchemaSubset(schema, value)).toBeUndefined();
      expect(checkSchema(schema, value)).toBeDefined();
    }
  });
});

describe('unenforcedKeywords', () => {
  it('finds keywords the sandbox cannot enforce, at any depth, with their pointer', () => {
    const schema = {
      type: 'object',
      title: 'annotations are fine',
      properties: {
        format: { type: 'string', format: 'email' },
        list: { items: { $ref: '#/$defs/x' }, prefixItems: [{ unevaluatedProperties: false }] },
      },
      default: { format: 'not a keyword: annotation values are not schemas' },
    };
    expect(unenforcedKeywords(schema, '/signals/s/input')).toEqual([
      { pointer: '/signals/s/input/properties/format', keyword: 'format' },
      { pointer: '/signals/s/input/properties/list/items', keyword: '$ref' },
      {
        pointer: '/signals/s/input/properties/list/prefixItems/0',
        keyword: 'unevaluatedProperties',
      },
    ]);
  });

  it('accepts every enforced keyword', () => {
    for (const { schema } of CASES) expect(unenforcedKeywords(schema)).toEqual([]);
  });
});
