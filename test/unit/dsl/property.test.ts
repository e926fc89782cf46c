import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  CATALOG,
  checkFlowText,
  compileFlow,
  type Diagnostic,
  hasErrors,
  parseFlowText,
} from '../../../interpreter/dsl';
import { STEP_KINDS } from '../../../interpreter/model';

/**
 * Property-based: whatever text comes in (random, token soup, random flows, mutated real flows),
 * the validator and the compiler never throw, and every diagnostic they return is positioned
 * inside the text with a catalogued code. Run counts stay small so the suite stays fast; the
 * per-test timeout bounds the time any one input may take.
 */

const CODES = new Set(Object.keys(CATALOG));
const root = fileURLToPath(new URL('../../../', import.meta.url));

function corpus(): string[] {
  const texts: string[] = [];
  for (const dir of ['examples', 'test/fixtures/valid', 'test/fixtures/invalid']) {
    for (const f of readdirSync(join(root, dir))) {
      if (/\.(ya?ml|json)$/.test(f) && !f.endsWith('.expected.json')) {
        texts.push(readFileSync(join(root, dir, f), 'utf8'));
      }
    }
  }
  return texts;
}

function expectWellFormed(text: string, diagnostics: Diagnostic[]): void {
  const lines = text.split(/\r\n|\r|\n/).length;
  for (const d of diagnostics) {
    expect(CODES.has(d.code), d.code).toBe(true);
    expect(['error', 'warning']).toContain(d.severity);
    expect(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines + 1, `line ${d.line}`).toBe(
      true,
    );
    expect(Number.isInteger(d.col) && d.col >= 1, `col ${d.col}`).toBe(true);
    expect(d.pointer === '' || d.pointer.startsWith('/')).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/internal error|too deeply nested/);
  }
}

function checkEverything(text: string): void {
  const checked = checkFlowText(text);
  expectWellFormed(text, checked.diagnostics);
  const { compiled, diagnostics } = compileFlow(parseFlowText(text));
  expectWellFormed(text, diagnostics);
  if (compiled) {
    expect(hasErrors(diagnostics)).toBe(false);
    expect(JSON.parse(JSON.stringify(compiled))).toEqual(compiled);
  } else {
    expect(hasErrors(diagnostics)).toBe(true);
  }
}

const TOKENS = [
  'flow: f',
  'steps:',
  '- ',
  '  ',
  '\n',
  '[',
  ']',
  '{',
  '}',
  ': ',
  ', ',
  '&a ',
  '*a',
  '"',
  "'",
  '${ ',
  ' }',
  '#',
  '\t',
  '---',
  '? ',
  '|',
  'activity: x.y',
  'log: hi',
  'if: "${ vars.a }"',
  'then:',
  'sleep: 5m',
  'wait: { signal: s }',
  'retry: { maximumAttempts: -1 }',
  'id: a',
  '$eval',
  '1e999',
  '~',
  'null',
];

const template = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '${ vars.x }',
    '${ 1 + }',
    'a ${ b } c',
    '${',
    '${ $eval("1") }',
    '5m',
    '2 hours',
  ),
  fc.integer(),
  fc.boolean(),
);

/** A random, often almost valid, step: up to two kind keys, random common keys and values. */
function stepOf(
  nested: fc.Arbitrary<Record<string, unknown>[]>,
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        kinds: fc.subarray([...STEP_KINDS], { minLength: 0, maxLength: 2 }),
        id: fc.constantFrom('a', 'b', 'steps.0'),
        when: template,
        nested,
        value: template,
      },
      { requiredKeys: ['kinds', 'nested', 'value'] },
    )
    .map(({ kinds, id, when, nested, value }) => {
      const s: Record<string, unknown> = {};
      if (id !== undefined) s.id = id;
      if (when !== undefined) s.when = when;
      for (const k of kinds) {
        if (k === 'if') Object.assign(s, { if: value, then: nested });
        else if (k === 'forEach' || k === 'while') Object.assign(s, { [k]: value, steps: nested });
        else if (k === 'try') Object.assign(s, { try: nested, catch: [{ steps: nested }] });
        else if (k === 'parallel') s.parallel = { branches: { a: nested } };
        else if (k === 'wait') s.wait = { signal: value, onTimeout: nested };
        else if (k === 'activity')
          Object.assign(s, { activity: 'x.y', retry: { maximumAttempts: value } });
        else s[k] = value;
      }
      return s;
    });
}

// Three levels of nesting, built bottom-up (a recursive arbitrary would need depth biasing).
const leaf = stepOf(fc.constant([]));
const middle = stepOf(fc.array(leaf, { maxLength: 2 }));
const step = stepOf(fc.array(middle, { maxLength: 2 }));

describe('validator properties', () => {
  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => checkEverything(text)),
      {
        numRuns: 300,
      },
    );
  });

  it('never throws on YAML token soup (aliases, anchors, brackets, tabs)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (tokens) =>
        checkEverything(tokens.join('')),
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on random JSON documents', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => checkEverything(JSON.stringify(value))),
      { numRuns: 200 },
    );
  });

  it('never throws on random flows with random steps', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 6 }),
        fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.constant({})), { nil: undefined }),
        (steps, signals) => {
          const doc: Record<string, unknown> = { flow: 'random', steps };
          if (signals) doc.signals = signals;
          checkEverything(stringify(doc));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never throws on mutated real flows', () => {
    const texts = corpus();
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat(20) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        token: fc.constantFrom(...TOKENS),
      }),
      fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
      fc.record({
        kind: fc.constant('indent' as const),
        line: fc.nat(),
        by: fc.integer({ min: -2, max: 2 }),
      }),
    );
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (index, mutations) => {
          let text = texts[index]!;
          for (const m of mutations) {
            if (m.kind === 'delete') {
              const at = m.at % (text.length + 1);
              text = text.slice(0, at) + text.slice(at + m.length);
            } else if (m.kind === 'insert') {
              const at = m.at % (text.length + 1);
              text = text.slice(0, at) + m.token + text.slice(at);
            } else {
              const lines = text.split('\n');
              if (m.kind === 'swapLines') {
                const a = m.a % lines.length;
                const b = m.b % lines.length;
                [lines[a], lines[b]] = [lines[b]!, lines[a]!];
              } else {
                const i = m.line % lines.length;
                const line = lines[i]!;
                lines[i] =
                  m.by > 0
                    ? ' '.repeat(m.by) + line
                    : line.slice(Math.min(-m.by, line.search(/\S|$/)));
              }
              text = lines.join('\n');
            }
          }
          checkEverything(text);
        },
      ),
      { numRuns: 200 },
    );
  });
});
