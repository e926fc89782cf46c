// biome-ignore-all lint/suspicious/noTemplateCurlyInString: DSL expressions are `${ }` strings
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../../interpreter/workflow/expressions/segments';
import { checkSchema } from '../../../interpreter/workflow/schema';

describe('template segments', () => {
  it('a whole-string expression is typed, surrounding blanks allowed', () => {
    expect(parseTemplate('${ input.x }')).toEqual({ typed: true, segments: [{ expr: 'input.x' }] });
    expect(parseTemplate('  ${ 1 }  ')).toEqual({ typed: true, segments: [{ expr: '1' }] });
  });

  it('text around or between expressions is interpolated', () => {
    expect(parseTemplate('a ${ x } b ${ y }')).toEqual({
      typed: false,
      segments: [{ text: 'a ' }, { expr: 'x' }, { text: ' b ' }, { expr: 'y' }],
    });
    expect(parseTemplate('${ x }${ y }').typed).toBe(false);
  });

  it('balances braces of object constructors and skips braces inside string literals', () => {
    expect(parseTemplate("${ { 'a': '}' } }")).toEqual({
      typed: true,
      segments: [{ expr: "{ 'a': '}' }" }],
    });
    expect(parseTemplate('${ {"k": {"n": 1}} } tail').segments).toEqual([
      { expr: '{"k": {"n": 1}}' },
      { text: ' tail' },
    ]);
  });

  it('leaves an unclosed `${` as text', () => {
    expect(parseTemplate('cost ${ 5')).toEqual({ typed: false, segments: [{ text: 'cost ${ 5' }] });
  });
});

describe('payload schema subset', () => {
  const schema = {
    type: 'object',
    required: ['qty'],
    properties: {
      qty: { type: 'integer', minimum: 1 },
      tags: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: false,
  };

  it('accepts a fitting payload and names the first problem otherwise', () => {
    expect(checkSchema(schema, { qty: 2, tags: ['a'] })).toBeUndefined();
    expect(checkSchema(schema, {})).toBe("/ must have property 'qty'");
    expect(checkSchema(schema, { qty: 0 })).toBe('/qty must be >= 1');
    expect(checkSchema(schema, { qty: 1, tags: [1] })).toBe('/tags/0 must be string');
    expect(checkSchema(schema, { qty: 1, extra: true })).toBe("/ must not have property 'extra'");
    expect(checkSchema(schema, 'x')).toBe('/ must be object');
  });
});
