import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { largeFlowText } from '../../../bench/flows';
import { parseFlowText } from '../../../interpreter/dsl';
import { parseYamlSubset } from '../../../interpreter/dsl/yaml-fast';
import { escapeSegment } from '../../../interpreter/model';

// The fast reader must agree with the `yaml` package whenever it does not give up: same value,
// no diagnostics (every error falls back) and the same position for every value and key.

const slow = (text: string) => parseFlowText(text, undefined, { fastYaml: false });

function pointers(value: unknown, pointer = ''): string[] {
  const out = [pointer];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pointers(v, `${pointer}/${i}`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...pointers(v, `${pointer}/${escapeSegment(k)}`));
    }
  }
  return out;
}

/** True when the fast reader took the text; throws when it took it and disagrees. */
function agrees(text: string): boolean {
  const fast = parseYamlSubset(text);
  if (!fast) return false;
  const fastFlow = parseFlowText(text);
  const slowFlow = slow(text);
  expect(slowFlow.diagnostics, text).toEqual([]);
  expect(fastFlow.diagnostics).toEqual([]);
  expect(fastFlow.value, text).toStrictEqual(slowFlow.value);
  expect(fast.value).toStrictEqual(slowFlow.value);
  for (const p of [...pointers(slowFlow.value), '/missing', '/missing/deeper']) {
    expect(fastFlow.sourceMap.position(p), `${p} in ${JSON.stringify(text)}`).toEqual(
      slowFlow.sourceMap.position(p),
    );
    expect(fastFlow.sourceMap.position(p, 'key'), `key of ${p}`).toEqual(
      slowFlow.sourceMap.position(p, 'key'),
    );
  }
  return true;
}

// ---- values printed by the `yaml` package ----

const awkwardString = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'a b',
    '${ input.x }',
    '${ vars.count + 1 }',
    "${ input.card ? input.card : '4242' }",
    'a: b',
    'a #b',
    'a#b',
    '- x',
    '-1',
    '0x1F',
    '0o17',
    '1e3',
    '.inf',
    '-.INF',
    '.NaN',
    '~',
    'null',
    'True',
    'FALSE',
    'yes',
    '1_000',
    '012',
    '12:30',
    '"quoted"',
    "it's",
    'back\\slash',
    'tab\there',
    'line\nbreak',
    'two\n\nbreaks\n',
    'trailing\n\n',
    ' leading space',
    'trailing space ',
    '[x]',
    '{y}',
    '@at',
    '`tick',
    '%pct',
    '&anchor',
    '*alias',
    '!tag',
    '? q',
    'é ü 中文 😀',
    '\u0085nel',
    '\ufeffbom',
  ),
);

const key = fc.oneof(
  fc.constantFrom('id', 'name', 'steps', 'a b', 'x-y', '-k', 'on', 'null', '1', '__proto__', 'a:b'),
  awkwardString,
);

const scalar = fc.oneof(
  awkwardString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1.5, 1e21, 2 ** 53 + 2, Number.NaN, Number.POSITIVE_INFINITY),
  fc.boolean(),
  fc.constant(null),
);

const { value: yamlValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
}));

const stringifyOptions = fc.record({
  indent: fc.integer({ min: 1, max: 6 }),
  indentSeq: fc.boolean(),
  collectionStyle: fc.constantFrom('any', 'block', 'block', 'flow') as fc.Arbitrary<
    'any' | 'block' | 'flow'
  >,
  flowCollectionPadding: fc.boolean(),
  defaultStringType: fc.constantFrom(
    'PLAIN',
    'QUOTE_DOUBLE',
    'QUOTE_SINGLE',
    'BLOCK_LITERAL',
    'BLOCK_FOLDED',
  ) as fc.Arbitrary<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED'>,
  defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE') as fc.Arbitrary<
    null | 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
  >,
  doubleQuotedAsJSON: fc.boolean(),
  blockQuote: fc.constantFrom(true, false, 'literal', 'folded') as fc.Arbitrary<
    boolean | 'literal' | 'folded'
  >,
  crlf: fc.boolean(),
});

// ---- hand-written-style texts, from a small grammar ----

interface Style {
  indent: number;
  comment: boolean;
  blankBefore: boolean;
}

type Tree =
  | { kind: 'map'; entries: { key: string; value: Tree; style: Style }[] }
  | { kind: 'seq'; items: { value: Tree; style: Style }[]; sameIndent: boolean; compact: boolean }
  | { kind: 'inline'; text: string }
  | { kind: 'block'; header: string; lines: string[] };

const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  comment: fc.boolean(),
  blankBefore: fc.boolean(),
});

const handKey = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom('id', 'name', 'activity', 'input', 'when', 'steps', 'if', 'then'),
  },
  fc.constantFrom('a b', 'x-y', '"quoted key"', "'single'", '"esc\\tkey"', 'on', 'k#1', 'k/1'),
  fc.constantFrom('tilde~', '__proto__', '"1"', '1', 'true', '"a": x'),
);

const inlineScalar = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'hello',
      'two words',
      'test.echo',
      '${ input.orderId }',
      '"${ vars.count + 1 }"',
      "'${ input.x }'",
      '"Order ${ input.orderId } shipped"',
      '"${ input.card ? input.card : \'4242\' }"',
      "\"${ { 'country': 'NL' } }\"",
      '30s',
      '3',
      'true',
      '[a, "b", 1]',
      '{ n: 1, type: object }',
      '{ count: "${ vars.count + 1 }" }',
      '',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '-1',
      '+2',
      '0x1F',
      '0o17',
      '1.5',
      '1e3',
      '.5',
      '-.inf',
      '.NaN',
      '~',
      'null',
      'NULL',
      'True',
      'false',
      'yes',
      '1_000',
      '12:30',
      'http://x.y/z?q=1#frag',
      'a#b',
      'x]',
      '-x',
      '""',
      "''",
      '"a \\"q\\" \\\\ \\/ \\t \\n \\x41 \\u00e9 \\U0001F600 \\_ \\N \\ "',
      "'it''s'",
      '"\\0\\a\\b\\e\\f\\n\\r\\t\\v\\N\\_\\L\\P\\ \\"\\/\\\\\\\t"',
      'é ü 中文',
      '[]',
      '{}',
      '{ a: [1, { b: c }], "d": \'e\' }',
      '[ -1, -x, 0o7 ]',
      '{ url: http://x }',
    ),
  },
  // Errors, to check that they make the reader give up.
  fc.constantFrom(
    '"bad \\q escape"',
    'a: b',
    '[a, b',
    '[a #b, c]',
    '{ a: b #c }',
    '"open',
    '&a x',
    '*a',
    '!!str 1',
    '{ a }',
    '[a, ]',
  ),
);

const blockLines = fc
  .array(
    fc.constantFrom('text', 'more words', '', '  indented', '# not a comment', '${ x }', 'a: b'),
    { maxLength: 4 },
  )
  .map((lines) => ['first line', ...lines]);

const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constant('inline' as const), text: inlineScalar }),
    fc.record({
      kind: fc.constant('block' as const),
      header: fc.constantFrom('|', '|-', '|+', '>', '>-', '>+', '| # c', '|2', '>1'),
      lines: blockLines,
    }),
    fc.record({
      kind: fc.constant('map' as const),
      entries: fc.uniqueArray(
        fc.record({ key: handKey, value: tie('tree') as fc.Arbitrary<Tree>, style }),
        { minLength: 1, maxLength: 4, selector: (e) => e.key },
      ),
    }),
    fc.record({
      kind: fc.constant('seq' as const),
      items: fc.array(fc.record({ value: tie('tree') as fc.Arbitrary<Tree>, style }), {
        minLength: 1,
        maxLength: 3,
      }),
      sameIndent: fc.boolean(),
      compact: fc.boolean(),
    }),
  ),
}));

/** Lines of `node` as the value after `lead` (`key:` or `-`) on a line indented by `col`. */
function render(node: Tree, col: number, lead: string, s: Style, out: string[]): void {
  const pad = ' '.repeat(col);
  const comment = s.comment ? ' # note' : '';
  if (s.blankBefore) out.push(s.comment ? `${pad}# a comment line` : '');
  if (node.kind === 'inline') {
    out.push(`${pad}${lead}${node.text === '' ? '' : ' '}${node.text}${comment}`);
  } else if (node.kind === 'block') {
    out.push(`${pad}${lead} ${node.header}`);
    for (const line of node.lines)
      out.push(line === '' ? '' : `${pad}${' '.repeat(s.indent)}${line}`);
  } else if (node.kind === 'map') {
    const [first, ...rest] = node.entries;
    if (!first) return;
    if (lead === '-' && s.indent >= 2) {
      // `- key: value`, the other keys under the first.
      const inner: string[] = [];
      const col2 = col + s.indent;
      renderEntry({ ...first, style: { ...first.style, blankBefore: false } }, col2, inner);
      const head = inner[0] ?? '';
      out.push(`${pad}-${' '.repeat(s.indent - 1)}${head.slice(col2)}`, ...inner.slice(1));
      for (const e of rest) renderEntry(e, col2, out);
    } else {
      out.push(`${pad}${lead}${comment}`);
      for (const e of node.entries) renderEntry(e, col + s.indent, out);
    }
  } else {
    const seqCol = lead !== '-' && node.sameIndent ? col : col + s.indent;
    if (lead === '-' && node.compact && s.indent >= 2) {
      const inner: string[] = [];
      const col2 = col + s.indent;
      for (const [i, item] of node.items.entries()) {
        const itemStyle = i === 0 ? { ...item.style, blankBefore: false } : item.style;
        render(item.value, col2, '-', itemStyle, inner);
      }
      const head = inner[0] ?? '';
      out.push(`${pad}-${' '.repeat(s.indent - 1)}${head.slice(col2)}`, ...inner.slice(1));
    } else {
      out.push(`${pad}${lead}${comment}`);
      for (const item of node.items) render(item.value, seqCol, '-', item.style, out);
    }
  }
}

function renderEntry(e: { key: string; value: Tree; style: Style }, col: number, out: string[]) {
  render(e.value, col, `${e.key}:`, e.style, out);
}

const handWritten = fc
  .record({
    entries: fc.uniqueArray(fc.record({ key: handKey, value: tree, style }), {
      minLength: 1,
      maxLength: 5,
      selector: (e) => e.key,
    }),
    rootIndent: fc.constantFrom(0, 0, 0, 2),
    start: fc.constantFrom('', '', '---\n', '# header\n---\n', '--- # c\n', '\n# c\n'),
    crlf: fc.boolean(),
    end: fc.constantFrom('\n', '', '\n\n', '\n# end\n', '  \n'),
    duplicate: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
  })
  .map(({ entries, rootIndent, start, crlf, end, duplicate }) => {
    const out: string[] = [];
    const [first] = entries;
    const all = duplicate && first ? [...entries, { ...first, value: first.value }] : entries;
    for (const e of all) renderEntry(e, rootIndent, out);
    const text = start + out.join('\n') + end;
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

/** Texts near YAML: a valid text with a few YAML-significant characters changed. */
const garbled = fc
  .tuple(
    fc.oneof(
      handWritten,
      fc.tuple(yamlValue, stringifyOptions).map(([v, o]) => print(v, o)),
    ),
    fc.array(
      fc.record({
        at: fc.nat(),
        remove: fc.integer({ min: 0, max: 2 }),
        insert: fc.constantFrom(
          ' ',
          '  ',
          '\t',
          ':',
          ': ',
          '-',
          '- ',
          '#',
          ' #',
          "'",
          '"',
          '\\',
          '\n',
          '\r',
          '\r\n',
          '\n  ',
          '[',
          ']',
          '{',
          '}',
          ',',
          '|',
          '>',
          '&a ',
          '*a',
          '!!str ',
          '? ',
          '%',
          '---',
          '...',
          '\ufeff',
          'x',
          '1',
          '',
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const e of edits) {
      const at = e.at % (out.length + 1);
      out = out.slice(0, at) + e.insert + out.slice(at + e.remove);
    }
    return out;
  });

type PrintOptions = typeof stringifyOptions extends fc.Arbitrary<infer T> ? T : never;

function print(value: unknown, o: PrintOptions): string {
  const { crlf, ...options } = o;
  const text = stringify({ flow: 'f', data: value }, { ...options, lineWidth: 0 });
  return crlf ? text.replace(/\n/g, '\r\n') : text;
}

const runs = Number(process.env.FUZZ_RUNS ?? 300);

describe('the fast YAML reader agrees with the yaml package', () => {
  it('on values printed by the yaml package with many options', () => {
    let taken = 0;
    fc.assert(
      fc.property(yamlValue, stringifyOptions, (value, options) => {
        if (agrees(print(value, options))) taken++;
      }),
      { numRuns: runs },
    );
    // The property says nothing when the reader gives up on everything.
    expect(taken).toBeGreaterThan(runs / 6);
  });

  it('on hand-written-style texts', () => {
    let taken = 0;
    fc.assert(
      fc.property(handWritten, (text) => {
        if (agrees(text)) taken++;
      }),
      { numRuns: runs },
    );
    expect(taken).toBeGreaterThan(runs / 6);
  });

  it('on near-YAML garbage whenever it does not give up', () => {
    fc.assert(
      fc.property(garbled, (text) => {
        agrees(text);
      }),
      { numRuns: runs * 2 },
    );
  });
});

describe('the fast YAML reader reads the flows people write', () => {
  const dirs = [
    'examples',
    'examples/children',
    'test/fixtures/valid',
    'test/fixtures/valid/children',
  ];
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => join(dir, f)),
  );

  it.each(files.filter((f) => !f.endsWith('anchors.yaml')))('%s', (file) => {
    expect(agrees(readFileSync(file, 'utf8'))).toBe(true);
  });

  it('leaves anchors and aliases to the yaml package', () => {
    const text = readFileSync('test/fixtures/valid/anchors.yaml', 'utf8');
    expect(parseYamlSubset(text)).toBeUndefined();
    expect(parseFlowText(text).diagnostics).toEqual([]);
  });

  it('the bench flow', () => {
    expect(agrees(largeFlowText(200))).toBe(true);
  });
});

describe('the fast YAML reader', () => {
  const value = (text: string) => parseYamlSubset(text)?.value;

  it('resolves plain scalars with the core schema', () => {
    const text = [
      'a: ~',
      'b: Null',
      'c: nULL',
      'd: TRUE',
      'e: tRue',
      'f: 0o17',
      'g: 0x1F',
      'h: 012',
      'i: -0',
      'j: 1_000',
      'k: -.inf',
      'l: .NaN',
      'm: 1.',
      'n: 1e3',
      'o: 12:30',
      'p: +12',
      '',
    ].join('\n');
    expect(value(text)).toStrictEqual({
      a: null,
      b: null,
      c: 'nULL',
      d: true,
      e: 'tRue',
      f: 15,
      g: 31,
      h: 12,
      i: -0,
      j: '1_000',
      k: Number.NEGATIVE_INFINITY,
      l: Number.NaN,
      m: 1,
      n: 1000,
      o: '12:30',
      p: 12,
    });
    expect(agrees(text)).toBe(true);
  });

  it('reads expressions plain, quoted and inside one-line flow collections', () => {
    const text = [
      'a: ${ input.x }',
      'b: "${ vars.count + 1 }"',
      "c: '${ input.card ? input.card : ''4242'' }'",
      'd: { count: "${ vars.count + 1 }", n: 1 }',
      'e: [a, "b", ${x}]',
      '',
    ].join('\n');
    // `${x}` in a flow sequence is a flow mapping for YAML: an error the yaml package reports.
    expect(value(text)).toBeUndefined();
    const ok = text.replace(', ${x}]', ']');
    expect(value(ok)).toStrictEqual({
      a: '${ input.x }',
      b: '${ vars.count + 1 }',
      c: "${ input.card ? input.card : '4242' }",
      d: { count: '${ vars.count + 1 }', n: 1 },
      e: ['a', 'b'],
    });
    expect(agrees(ok)).toBe(true);
  });

  it('points an empty value after its key, at a trailing comment when there is one', () => {
    const text = 'a:\nb:   \nc: # note\nd:\n  # a comment line\ne:\n- \n-\n';
    expect(value(text)).toStrictEqual({ a: null, b: null, c: null, d: null, e: [null, null] });
    expect(agrees(text)).toBe(true);
    const positions = parseFlowText(text).sourceMap;
    expect(positions.position('/a')).toEqual({ line: 1, col: 3 });
    expect(positions.position('/b')).toEqual({ line: 2, col: 6 });
    expect(positions.position('/c')).toEqual({ line: 3, col: 4 });
  });

  it('reads a sequence at its key indentation, compact entries and nested sequences', () => {
    const text = 'steps:\n- id: a\n  activity: x\n-   id: b\n    then:\n    - - 1\n      - 2\n';
    expect(value(text)).toStrictEqual({
      steps: [
        { id: 'a', activity: 'x' },
        { id: 'b', then: [[1, 2]] },
      ],
    });
    expect(agrees(text)).toBe(true);
  });

  it('reads literal and folded block scalars with every chomping', () => {
    const text = [
      'a: |',
      '  x',
      '   y',
      '',
      'b: |-',
      '  x',
      '',
      'c: |+',
      '  x',
      '',
      '',
      'd: >',
      '  folded',
      '  line',
      '',
      '  para',
      'e: >-',
      '  x',
      '# a comment ends it',
      'f: | # note',
      '  # not a comment',
      'g: |',
      '  at the end',
    ].join('\n');
    expect(value(text)).toStrictEqual({
      a: 'x\n y\n',
      b: 'x',
      c: 'x\n\n\n',
      d: 'folded line\npara\n',
      e: 'x',
      f: '# not a comment\n',
      g: 'at the end\n',
    });
    expect(agrees(text)).toBe(true);
  });

  it('keeps no extra line for spaces that end the text without a line break (|+ and >+)', () => {
    // Found by the garbage property: the last line "  " had no line break, yet counted as one.
    for (const text of ['a: |+\n  x\n  ', 'a: |+\n  x\n\n  ', 'a: >+\n  x\n\n  ']) {
      expect(agrees(text), JSON.stringify(text)).toBe(true);
    }
    expect(value('a: |+\n  x\n\n  ')).toStrictEqual({ a: 'x\n\n' });
  });

  it('reads CRLF line ends, a leading --- and an empty collection on its own line', () => {
    const text = '# head\r\n--- # doc\r\nflow: a\r\nsteps:\r\n  []\r\nvars: |\r\n  x\r\n';
    expect(value(text)).toStrictEqual({ flow: 'a', steps: [], vars: 'x\n' });
    expect(agrees(text)).toBe(true);
  });

  it('makes __proto__ an own key, as the yaml package does', () => {
    const read = value('__proto__: { polluted: true }\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.keys(read)).toEqual(['__proto__']);
    expect(agrees('__proto__: { polluted: true }\n')).toBe(true);
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key, once quoted', 'a: 1\n"a": 2\n'],
    ['a key that is a number', '1: a\n'],
    ['a key that is a boolean', 'true: a\n'],
    ['a key that is null', 'null: a\n'],
    ['a merge key', '<<: { a: 1 }\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a complex key', '? a\n: b\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['a tab after a colon', 'a:\t1\n'],
    ['a byte-order mark', '\ufeffa: 1\n'],
    ['a lone carriage return', 'a: 1\rb: 2\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a multi-line quoted scalar', 'a: "b\n  c"\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['a trailing comma in a flow collection', 'a: [1, 2, ]\n'],
    ['a flow entry without a value', 'a: { b }\n'],
    ['an explicit indentation indicator', 'a: |2\n   x\n'],
    ['a more-indented line in a folded scalar', 'a: >\n  x\n    y\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['a root sequence', '- a\n'],
    ['a root scalar', 'just text\n'],
    ['an empty document', '# only a comment\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['an escape it does not know', 'a: "\\q"\n'],
    ['a comment without a space before it', 'a: [1]# c\n'],
    ['a value on the line after its key', 'a:\n  just text\n'],
    ['a dash at the end of a value', 'a: -\n'],
  ])('gives up on %s', (_name, text) => {
    expect(parseYamlSubset(text)).toBeUndefined();
  });

  it('leaves every error to the yaml package, so the diagnostics do not change', () => {
    for (const text of ['a: 1\na: 2\n', 'a: [oops\nb: 1\n', 'a:\n\tb: 1\n', '- a\n', '']) {
      const [fast, yaml] = [parseFlowText(text), slow(text)];
      expect(fast.diagnostics.length).toBeGreaterThan(0);
      expect(fast.diagnostics).toEqual(yaml.diagnostics);
      expect(fast.value).toBeUndefined();
    }
  });
});
