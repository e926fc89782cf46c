import { describe, expect, it } from 'vitest';
import { checkFlowText, parseDuration } from '../../../interpreter/dsl';
import type { ActivityManifest } from '../../../interpreter/model';

const manifest: ActivityManifest = {
  activities: [{ name: 'inventory.reserve' }, { name: 'inventory.release' }],
};

function messages(text: string): string[] {
  return checkFlowText(text, { manifest }).diagnostics.map((d) => `${d.code} ${d.message}`);
}

describe('messages say what is wrong and how to fix it', () => {
  it('suggests the key that was meant', () => {
    expect(messages('flow: f\nsteps:\n  - activity: inventory.reserve\n    retyr: {}\n')).toEqual([
      'WEFT010 unknown key "retyr". Did you mean "retry"?',
    ]);
  });

  it('suggests the step kind that was meant', () => {
    expect(messages('flow: f\nsteps:\n  - forEch: "${ [] }"\n    steps: []\n')).toEqual([
      'WEFT014 unknown step kind "forEch". Did you mean "forEach"?',
    ]);
  });

  it('suggests activity, signal and child flow names', () => {
    const out = messages(`flow: f
signals: { approve: {} }
flows: { shipping: { steps: [ { log: x } ] } }
steps:
  - activity: inventory.reserv
  - wait: { signal: aprove }
  - flow: shiping
`);
    expect(out[0]).toMatch(/^WEFT023 .*Did you mean "inventory\.reserve"\?/);
    expect(out[1]).toMatch(/^WEFT025 .*Did you mean "approve"\?/);
    expect(out[2]).toMatch(/^WEFT026 .*Did you mean "shipping"\?/);
  });

  it('suggests the duration that was meant', () => {
    expect(messages('flow: f\nsteps:\n  - sleep: 10 minutes\n')[0]).toMatch(
      /^WEFT020 sleep: "10 minutes" is not a duration\. Did you mean "10m"\?/,
    );
  });

  it('offers no guess when nothing is close', () => {
    expect(messages('flow: f\nsteps:\n  - activity: billing.invoice\n')[0]).toBe(
      'WEFT023 unknown activity "billing.invoice": no loaded plugin provides it.',
    );
  });
});

describe('parseDuration', () => {
  it('reads the DSL forms in milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration(250)).toBe(250);
  });

  it('rejects everything else', () => {
    for (const bad of ['5 m', '5min', '1w', '-1s', '', '${ x }', -5, Number.NaN, null]) {
      expect(parseDuration(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('where expressions are checked', () => {
  it('skips the JSON Schemas and prose of flows and handlers, and nothing else', () => {
    const text = `flow: f
description: "costs \${ oops"
input: { type: object, description: "\${ not checked" }
signals:
  go: { input: { description: "\${ nor this" }, description: "\${ nor this" }
flows:
  child: { input: { description: "\${ nor this" }, steps: [ { log: x } ] }
steps:
  - activity: inventory.reserve
    input: { note: "\${ but this is" }
`;
    expect(checkFlowText(text, { manifest }).diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['WEFT030', '/steps/0/input/note'],
    ]);
  });
});
