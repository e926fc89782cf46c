import { describe, expect, it } from 'vitest';
import {
  checkFlowText,
  compileFlow,
  MAX_NESTING_DEPTH,
  MAX_STEPS,
  parseFlowText,
  validateFlow,
} from '../../../interpreter/dsl';
import {
  describeOverLimit,
  formatBytes,
  jsonBytes,
  PAYLOAD_LIMIT_BYTES,
  PAYLOAD_OVERHEAD_BYTES,
  utf8Bytes,
} from '../../../interpreter/model';

const codes = (text: string) => {
  const parsed = parseFlowText(text, 'limits.flow.yaml');
  return compileFlow(parsed).diagnostics.map((d) => [d.code, d.line, d.col]);
};

/** A flow-style YAML flow whose `set` value nests `depth` levels below the document's 4. */
const nested = (depth: number) =>
  `flow: deep\nsteps:\n  - set:\n      x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;

describe('nesting depth (WEFT060)', () => {
  it('a 10,000-deep flow is refused with WEFT060 at the level that passes the limit, not a stack overflow', () => {
    for (const text of [
      nested(10_000),
      JSON.stringify({ flow: 'deep', steps: [{ set: { x: 0 } }] }).replace(
        '0',
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
      ),
    ]) {
      const { diagnostics, value } = parseFlowText(text);
      expect(value).toBeUndefined();
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]?.code).toBe('WEFT060');
      expect(diagnostics[0]?.message).not.toMatch(/call stack/);
    }
    // Root mapping, steps, the step, its `set`: the 197th bracket is level 201.
    expect(codes(nested(10_000))).toEqual([['WEFT060', 4, 10 + 196]]);
  });

  it('accepts exactly the limit and refuses one more, in every reader', () => {
    const atLimit = MAX_NESTING_DEPTH - 4;
    for (const options of [{}, { fastYaml: false }]) {
      expect(parseFlowText(nested(atLimit), undefined, options).diagnostics).toEqual([]);
      const over = parseFlowText(nested(atLimit + 1), undefined, options).diagnostics;
      expect(over.map((d) => [d.code, d.line, d.pointer.split('/').length - 1])).toEqual([
        ['WEFT060', 4, MAX_NESTING_DEPTH],
      ]);
    }
  });

  it('block-style nesting is refused at the value that passes the limit', () => {
    let text = 'flow: deep\nvars:\n';
    for (let i = 0; i < 300; i++) text += `${' '.repeat(i + 1)}k:\n`;
    text += `${' '.repeat(301)}v\nsteps:\n  - log: hi\n`;
    const { diagnostics } = parseFlowText(text);
    // vars is level 2, so the 199th nested `k` holds level 201; its value starts a line below.
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT060', 202]]);
  });
});

describe('step count (WEFT062)', () => {
  it('refuses more than MAX_STEPS steps before checking them, at the first step over', () => {
    const text = `flow: many\nsteps:\n${'  - log: x\n'.repeat(MAX_STEPS + 5)}`;
    const diagnostics = validateFlow(parseFlowText(text));
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT062', MAX_STEPS + 3]]);
    expect(diagnostics[0]?.message).toBe(
      'the document has 50,005 steps; flows are limited to 50,000 (this is step 50,001)',
    );
  });

  it('counts child flows under flows: too', () => {
    const half = '  - log: x\n'.repeat(MAX_STEPS / 2 + 1);
    const text = `flow: many\nsteps:\n${half}flows:\n  child:\n    steps:\n${half.replace(/^/gm, '    ')}`;
    expect(validateFlow(parseFlowText(text)).map((d) => d.code)).toEqual(['WEFT062']);
  });
});

describe('compiled size (WEFT061)', () => {
  it('a flow that compiles over the payload limit is refused at compile time, with its size', () => {
    // 49,000 one-line steps: about 590 KB of source, over 2 MB once each has its id and kind.
    const text = `flow: wide\nsteps:\n${'  - log: x\n'.repeat(49_000)}`;
    const parsed = parseFlowText(text);
    expect(validateFlow(parsed)).toEqual([]);
    const { compiled, diagnostics } = compileFlow(parsed);
    expect(compiled).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['WEFT061', 1, 1]]);
    expect(diagnostics[0]?.message).toMatch(
      /^the compiled flow is 2\.\d+ MB; the server accepts 2 MB: it travels in the workflow input/,
    );
  });

  it('measures the compiled flow exactly as the payload converter will (JSON, UTF-8, hash included)', () => {
    // Just under the limit: multi-byte text, so characters and bytes differ.
    const budget = PAYLOAD_LIMIT_BYTES - PAYLOAD_OVERHEAD_BYTES;
    const small = compileFlow(parseFlowText('flow: s\nsteps:\n  - log: é\n')).compiled;
    const rest = budget - jsonBytes(small) + 2; // the é's own 2 bytes are replaced
    const fits = `flow: s\nsteps:\n  - log: ${'é'.repeat(Math.floor(rest / 2))}\n`;
    const ok = compileFlow(parseFlowText(fits));
    expect(ok.diagnostics).toEqual([]);
    const bytes = jsonBytes(ok.compiled);
    expect(bytes).toBeLessThanOrEqual(budget);
    expect(bytes).toBeGreaterThan(budget - 2);
    const over = `flow: s\nsteps:\n  - log: ${'é'.repeat(Math.floor(rest / 2) + 1)}\n`;
    expect(compileFlow(parseFlowText(over)).diagnostics.map((d) => d.code)).toEqual(['WEFT061']);
  });

  it('a document whose own JSON is over the limit is refused by checkFlowText (the designer, the API save: no compile)', () => {
    const text = `flow: huge\nvars:\n  blob: ${'x'.repeat(PAYLOAD_LIMIT_BYTES)}\nsteps:\n  - log: hi\n`;
    const { diagnostics } = checkFlowText(text);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT061', 1]]);
    expect(diagnostics[0]?.message).toMatch(/^the flow is 2(\.\d+)? MB/);
  });
});

describe('byte counting', () => {
  it('counts UTF-8 bytes like an encoder, surrogate pairs included', () => {
    for (const text of ['', 'abc', 'é', '€', '😀', 'a😀é€\u0000']) {
      expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length);
    }
    expect(jsonBytes({ a: 'é' })).toBe(new TextEncoder().encode('{"a":"é"}').length);
    expect(jsonBytes(undefined)).toBe(0);
  });

  it('formats sizes the way messages print them', () => {
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(512 * 1024)).toBe('512 KB');
    expect(formatBytes(2.1 * 1024 * 1024)).toBe('2.1 MB');
    expect(describeOverLimit(2 * 1024 * 1024 + 1, 2 * 1024 * 1024)).toBe(
      '2 MB (2097153 bytes); the server accepts 2 MB (2097152 bytes)',
    );
  });
});
