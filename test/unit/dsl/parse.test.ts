import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, parseFlowText } from '../../../interpreter/dsl';

describe('parseFlowText', () => {
  it('returns the value and a source map from JSON pointer to line and column', () => {
    const text = 'flow: a\nsteps:\n  - log: hi\n  - activity: x\n    input: { qty: 2 }\n';
    const parsed = parseFlowText(text, 'a.yaml');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({
      flow: 'a',
      steps: [{ log: 'hi' }, { activity: 'x', input: { qty: 2 } }],
    });
    expect(parsed.sourceMap.position('/steps/0/log')).toEqual({ line: 3, col: 10 });
    expect(parsed.sourceMap.position('/steps/1')).toEqual({ line: 4, col: 5 });
    expect(parsed.sourceMap.position('/steps/1/input/qty')).toEqual({ line: 5, col: 19 });
    expect(parsed.sourceMap.position('/steps/1/input', 'key')).toEqual({ line: 5, col: 5 });
  });

  it('falls back to the nearest parent for pointers without an entry', () => {
    const parsed = parseFlowText('flow: a\nsteps:\n  - log: hi\n');
    expect(parsed.sourceMap.position('/steps/0/missing/deeper')).toEqual({ line: 3, col: 5 });
    expect(parsed.sourceMap.position('/nothing')).toEqual({ line: 1, col: 1 });
  });

  it('reads JSON with the same positions, tabs included', () => {
    const text = '{\n\t"flow": "j",\n\t"steps": [\n\t\t{ "log": "x" }\n\t]\n}\n';
    const parsed = parseFlowText(text);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({ flow: 'j', steps: [{ log: 'x' }] });
    expect(parsed.sourceMap.position('/steps/0/log').line).toBe(4);
  });

  it('reports syntax errors at the unclosed opener', () => {
    const parsed = parseFlowText('flow: a\nsteps:\n  - log: [oops\n  - log: b\n');
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT001', 3]]);
  });

  it('rejects duplicate keys, in YAML and in JSON', () => {
    const yaml = parseFlowText('flow: a\nflow: b\nsteps: []\n');
    expect(yaml.diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT004', 2]]);
    const json = parseFlowText('{"flow": "a",\n "flow": "b", "steps": []}');
    expect(json.diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT004', 2]]);
  });

  it('refuses an alias bomb before it expands', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const parsed = parseFlowText(`${levels.join('\n')}\n`);
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['WEFT003']);
  });

  it('accepts a few aliases', () => {
    const parsed = parseFlowText('flow: a\nx: &r { maximumAttempts: 2 }\ny: *r\nsteps: []\n');
    expect(parsed.diagnostics).toEqual([]);
    expect((parsed.value as { y: unknown }).y).toEqual({ maximumAttempts: 2 });
  });

  it('refuses documents over 5 MB without parsing them', () => {
    const text = `flow: big\nsteps: []\n#${'x'.repeat(MAX_DOCUMENT_BYTES)}\n`;
    const parsed = parseFlowText(text);
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics).toMatchObject([{ code: 'WEFT002', line: 1, col: 1 }]);
    expect(parsed.diagnostics[0]?.message).toMatch(/5 MB/);
  });

  it('counts bytes, not characters, against the limit', () => {
    const text = `# ${'é'.repeat(MAX_DOCUMENT_BYTES / 2 + 10)}\nflow: a\nsteps: []\n`;
    expect(text.length).toBeLessThan(MAX_DOCUMENT_BYTES);
    expect(parseFlowText(text).diagnostics.map((d) => d.code)).toEqual(['WEFT002']);
  });

  it('refuses empty documents, several documents and non-mapping roots', () => {
    expect(parseFlowText('').diagnostics.map((d) => d.code)).toEqual(['WEFT005']);
    expect(parseFlowText('- a\n').diagnostics.map((d) => d.code)).toEqual(['WEFT005']);
    expect(parseFlowText('"just text"').diagnostics.map((d) => d.code)).toEqual(['WEFT005']);
    expect(parseFlowText('a: 1\n---\nb: 2\n').diagnostics.map((d) => d.code)).toEqual(['WEFT001']);
  });
});

describe('parseFlowText on large documents', () => {
  it('leaves process.env as it found it', () => {
    const env = process.env;
    const steps = Array.from({ length: 3000 }, (_, i) => `  - log: step ${i}`).join('\n');
    const parsed = parseFlowText(`flow: big\nsteps:\n${steps}\n`);
    expect(parsed.diagnostics).toEqual([]);
    expect((parsed.value as { steps: unknown[] }).steps).toHaveLength(3000);
    expect(process.env).toBe(env);
  });
});

describe('JSON flows: JSON.parse, positions from the YAML parser', () => {
  const allPointers = (value: unknown, pointer = ''): string[] => {
    const out = [pointer];
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) out.push(...allPointers(v, `${pointer}/${i}`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        out.push(...allPointers(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
      }
    }
    return out;
  };

  it('agrees with the YAML reader on values and positions', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = JSON.stringify({ flow: 'f', steps: [], data: value }, null, indent);
        const fast = parseFlowText(text);
        const slow = parseFlowText(text, undefined, { fastJson: false });
        expect(fast.diagnostics).toEqual(slow.diagnostics);
        expect(fast.value).toEqual(slow.value);
        for (const p of allPointers(fast.value)) {
          expect(fast.sourceMap.position(p), p).toEqual(slow.sourceMap.position(p));
          expect(fast.sourceMap.position(p, 'key'), p).toEqual(slow.sourceMap.position(p, 'key'));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('falls back to the YAML reader for JSON-like YAML', () => {
    const parsed = parseFlowText('{ flow: a, steps: [ { log: x } ] }');
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.value).toEqual({ flow: 'a', steps: [{ log: 'x' }] });
  });

  it('reports a duplicate key at the second one', () => {
    const parsed = parseFlowText('{\n  "flow": "a",\n  "steps": [],\n  "flow": "b"\n}');
    expect(parsed.diagnostics).toMatchObject([{ code: 'WEFT004', line: 4, col: 3 }]);
  });

  it('finds duplicate keys among keys and strings with colons in them', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const key = fc.constantFrom('flow', 'a:b', 'data', 'x');
    fc.assert(
      fc.property(key, json, key, json, fc.boolean(), (k1, v1, k2, v2, duplicate) => {
        const pairs = [
          `"flow": "f"`,
          `"steps": []`,
          `${JSON.stringify(k1)}: ${JSON.stringify(v1)}`,
          `${JSON.stringify(duplicate ? k1 : k2)}: ${JSON.stringify(v2)}`,
        ];
        const text = `{\n${pairs.join(',\n')}\n}`;
        const fast = parseFlowText(text);
        const slow = parseFlowText(text, undefined, { fastJson: false });
        expect(fast.diagnostics).toEqual(slow.diagnostics);
        expect(fast.value).toEqual(slow.value);
      }),
      { numRuns: 200 },
    );
  });

  it('is not fooled by an escaped colon standing in for a dropped duplicate', () => {
    const parsed = parseFlowText('{"flow": "a", "flow": "b", "steps": [], "x": "\\u003a"}');
    expect(parsed.diagnostics).toMatchObject([{ code: 'WEFT004', line: 1, col: 15 }]);
  });

  it('finds positions only when asked, with the same answers', () => {
    const text = '{\n  "flow": "a",\n  "steps": [\n    { "log": "x:y" }\n  ]\n}\n';
    const parsed = parseFlowText(text);
    expect(parsed.sourceMap.position('/steps/0/log')).toEqual({ line: 4, col: 14 });
    expect(parsed.sourceMap.position('/steps/0/log', 'key')).toEqual({ line: 4, col: 7 });
    expect(parsed.sourceMap.has('/steps/0')).toBe(true);
    expect(parsed.sourceMap.has('/steps/1')).toBe(false);
  });
});
