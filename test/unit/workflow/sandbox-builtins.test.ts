import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64decode, base64encode } from '../../../interpreter/workflow/expressions/builtins';

/**
 * JSONata's $base64encode/$base64decode use Buffer, which the workflow sandbox lacks; the
 * interpreter's own versions must give what JSONata gives on Node (issue 12, item 11).
 */
describe('sandbox-safe base64 builtins', () => {
  it('encode as Buffer.from(str, "binary") does, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(base64encode(s)).toBe(Buffer.from(s, 'binary').toString('base64'));
      }),
      { numRuns: 300 },
    );
  });

  it('decode as Buffer.from(str, "base64") does, padded, unpadded, URL-safe or noisy', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(4), (s, variant) => {
        let b64 = Buffer.from(s, 'binary').toString('base64');
        if (variant === 1) b64 = b64.replace(/=+$/, '');
        if (variant === 2) b64 = b64.replace(/\+/g, '-').replace(/\//g, '_');
        if (variant === 3) b64 = b64.replace(/(.{4})/g, '$1\n ');
        expect(base64decode(b64)).toBe(Buffer.from(b64, 'base64').toString('binary'));
      }),
      { numRuns: 300 },
    );
  });

  it('keep undefined as undefined', () => {
    expect(base64encode(undefined)).toBeUndefined();
    expect(base64decode(undefined)).toBeUndefined();
  });
});
