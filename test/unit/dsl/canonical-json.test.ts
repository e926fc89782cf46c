import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, compileFlow, parseFlowText } from '../../../interpreter/dsl';

/**
 * The definition the hashes were first made with: JSON.stringify, re-creating objects sorted.
 * (The first version assigned keys, which dropped a "__proto__" key from the hash when its
 * object needed sorting; own data properties are the intended definition.)
 */
function reference(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const record = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(record).sort()) {
        Object.defineProperty(out, k, { value: record[k], enumerable: true });
      }
      return out;
    }) ?? 'null'
  );
}

const key = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.nat({ max: 4_294_967_300 }).map(String),
  fc.constantFrom('01', '-1', '1.5', '4294967294', '4294967295', '__proto__'),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom(undefined, Number.NaN, -0, 1e21, () => 1, new Date(0)),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

describe('canonicalJson', () => {
  it('writes what JSON.stringify writes for the same value rebuilt with sorted keys', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the hash of a compiled flow that was hashed before the writer changed', () => {
    const text = [
      'flow: pinned',
      'vars: { "10": 1, "2": 2, b: 3, a: 4 }',
      'steps:',
      '  - id: go',
      '    activity: p.work',
      '    input: { z: 1, y: "${ vars.a }" }',
      '    retry: { maximumAttempts: 2 }',
      '  - if: "${ vars.b > 1 }"',
      '    then: [ { log: yes } ]',
      '',
    ].join('\n');
    expect(compileFlow(parseFlowText(text)).compiled?.hash).toBe(
      'sha256:3661fd0a9d8544c8baf87c508ed23d5f49ac08998269e20273e886a1e72e7541',
    );
  });
});
