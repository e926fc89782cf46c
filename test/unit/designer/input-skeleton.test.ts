import { describe, expect, it } from 'vitest';
import { inputSkeleton } from '../../../designer/src/components/input-skeleton';

describe('the input a palette insert starts with', () => {
  it('is an empty object when the schema requires no key, so the fresh step is valid', () => {
    expect(inputSkeleton({ type: 'object', properties: { orderId: { type: 'string' } } })).toEqual(
      {},
    );
  });

  it('has every required key, with a placeholder of its type', () => {
    const schema = {
      type: 'object',
      required: ['orderId', 'qty', 'express', 'items', 'mode', 'address', 'ref'],
      properties: {
        orderId: { type: 'string' },
        qty: { type: 'integer', minimum: 1 },
        express: { type: 'boolean' },
        items: { type: 'array' },
        mode: { enum: ['fast', 'slow'] },
        address: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } },
        ref: { $ref: '#/$defs/currency' },
        optional: { type: 'string' },
      },
      $defs: { currency: { type: 'string', default: 'EUR' } },
    };
    expect(inputSkeleton(schema)).toEqual({
      orderId: '<orderId>',
      qty: 1,
      express: false,
      items: [],
      mode: 'fast',
      address: { city: '<city>' },
      ref: 'EUR',
    });
  });

  it('is absent when the activity declares no input schema', () => {
    expect(inputSkeleton(undefined)).toBeUndefined();
    expect(inputSkeleton({})).toBeUndefined();
  });
});
