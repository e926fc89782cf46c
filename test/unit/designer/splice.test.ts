/**
 * "Edit only what the user changed": a structural edit rewrites the lines of the nodes it
 * touched and leaves every other byte of the file as it was, on every example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Document, isNode, parseDocument } from 'yaml';
import {
  deleteStep,
  insertStep,
  moveStep,
  setField,
  type WrapKind,
  wrapSteps,
  yamlPath,
} from '../../../designer/src/convert';
import { diffLines } from '../../../designer/src/convert/line-diff';
import { spliceEdit } from '../../../designer/src/convert/splice';
import { flowToGraph } from '../../../designer/src/graph/graph';

const EXAMPLES = new URL('../../../examples/', import.meta.url);
const files = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.flow.yaml'))
    .map((f) => new URL(f, EXAMPLES)),
  ...readdirSync(new URL('children/', EXAMPLES))
    .filter((f) => f.endsWith('.flow.yaml'))
    .map((f) => new URL(`children/${f}`, EXAMPLES)),
];

/** The 1-based line numbers of the step at `pointer`, from its comments before to its end. */
function stepLines(text: string, pointer: string): [number, number] {
  const doc = parseDocument(text);
  const node = doc.getIn(yamlPath(pointer), true);
  if (!isNode(node) || !node.range) throw new Error(`no step at ${pointer}`);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  let first = lineOf(node.range[0]);
  const lines = text.split('\n');
  // Comment lines just above the step belong to it.
  while (first > 1 && /^\s*#/.test(lines[first - 2] ?? '')) first--;
  // The end offset sits at the start of the next line when the node ends with a newline.
  let end = lineOf(Math.max(node.range[0], node.range[2] - 1));
  // So do the blank lines after it: which of two equal blank lines goes is a matter of taste.
  while (end < lines.length && (lines[end] ?? '').trim() === '') end++;
  return [first, end];
}

interface Touched {
  /** 1-based lines of the original that were removed or replaced. */
  removed: number[];
  /** How many lines were added, and at which original line they went in. */
  added: number;
  addedAt: number[];
}

function touched(before: string, after: string): Touched {
  const ops = diffLines(before.split('\n'), after.split('\n')) ?? [];
  const t: Touched = { removed: [], added: 0, addedAt: [] };
  let line = 1;
  for (const o of ops) {
    if (o.op === 'same') line = o.a + 2;
    else if (o.op === 'del') {
      t.removed.push(o.a + 1);
      line = o.a + 2;
    } else {
      t.added++;
      t.addedAt.push(line);
    }
  }
  return t;
}

function edited(text: string, fn: (doc: Document) => void): string {
  const doc = parseDocument(text);
  fn(doc);
  const out = spliceEdit(text, doc);
  // The spliced text means what the edited Document means.
  expect(parseDocument(out).toJS()).toEqual(doc.toJS());
  return out;
}

const within = (lines: number[], [from, to]: [number, number]) =>
  lines.every((l) => l >= from && l <= to);

describe.each(files.map((f) => [f.pathname.split('/examples/')[1] ?? '', f] as const))(
  'edits of %s change only the edited lines',
  (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const steps = (parseDocument(text).toJS() as { steps: unknown[] }).steps;

    it('insert: only the new step is added, in block style, and nothing else moves', () => {
      const out = edited(text, (doc) =>
        insertStep(doc, '/steps', 1, { activity: 'x.y', input: { a: 1 }, name: 'New one' }),
      );
      const t = touched(text, out);
      expect(t.removed).toEqual([]);
      expect(t.added).toBe(4);
      expect(out).toMatch(
        /\n( *)- activity: x\.y\n\1 {2}input:\n\1 {4}a: 1\n\1 {2}name: New one\n/,
      );
    });

    it('delete: only the lines of the step go', () => {
      const out = edited(text, (doc) => deleteStep(doc, '/steps/1'));
      const t = touched(text, out);
      expect(t.added).toBe(0);
      expect(t.removed.length).toBeGreaterThan(0);
      expect(within(t.removed, stepLines(text, '/steps/1'))).toBe(true);
    });

    it('move: only the lines of the two steps that swap places change', () => {
      const out = edited(text, (doc) => moveStep(doc, '/steps/0', 1));
      const t = touched(text, out);
      const [from] = stepLines(text, '/steps/0');
      const [, to] = stepLines(text, '/steps/1');
      expect(within(t.removed, [from, to])).toBe(true);
      expect(within(t.addedAt, [from, to + 1])).toBe(true);
    });

    it('edit a field: only lines inside the step change', () => {
      const out = edited(text, (doc) => setField(doc, '/steps/0', ['name'], 'Renamed step'));
      const t = touched(text, out);
      const range = stepLines(text, '/steps/0');
      expect(within(t.removed, range)).toBe(true);
      expect(within(t.addedAt, [range[0], range[1] + 1])).toBe(true);
      expect(t.added).toBeLessThanOrEqual(1);
      expect(steps.length).toBeGreaterThan(1);
    });
  },
);

/**
 * The text a wrap must give: the wrapped steps' lines exactly as written, each indented deeper,
 * under the wrapper's own new lines; every other line as it was.
 */
function wrappedByHand(text: string, pointer: string, count: number, kind: WrapKind): string {
  const doc = parseDocument(text);
  const list = pointer.slice(0, pointer.lastIndexOf('/'));
  const index = Number(pointer.slice(pointer.lastIndexOf('/') + 1));
  const lastPointer = `${list}/${index + count - 1}`;
  const lines = text.split('\n');
  const node = (p: string) => {
    const n = doc.getIn(yamlPath(p), true);
    if (!isNode(n) || !n.range) throw new Error(`no step at ${p}`);
    return n.range;
  };
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  let first = lineOf(node(pointer)[0]);
  while (first > 0 && /^\s*#/.test(lines[first - 1] ?? '')) first--;
  let last = lineOf(node(lastPointer)[1] - 1);
  while ((lines[last] ?? '').trim() === '') last--;
  const c = ' '.repeat((lines[lineOf(node(pointer)[0])] ?? '').indexOf('-'));
  const head =
    kind === 'parallel' ? [`${c}- parallel:`, `${c}    branches:`, `${c}      a:`] : [`${c}- try:`];
  const tail = kind === 'parallel' ? [] : [`${c}  catch:`, `${c}    - steps: []`];
  const depth = kind === 'parallel' ? 8 : 4;
  const moved = lines
    .slice(first, last + 1)
    .map((l) => (l.trim() === '' ? l : ' '.repeat(depth) + l));
  return [...lines.slice(0, first), ...head, ...moved, ...tail, ...lines.slice(last + 1)].join(
    '\n',
  );
}

/** The first step inside a container (a branch, a loop body, a try), if the flow has one. */
function firstNestedStep(text: string): string | undefined {
  const graph = flowToGraph(parseDocument(text).toJS());
  return graph.nodes.find((n) => n.type === 'step' && n.parent !== undefined)?.pointer;
}

describe.each(files.map((f) => [f.pathname.split('/examples/')[1] ?? '', f] as const))(
  'wrapping steps of %s changes only the wrapped lines, re-indented',
  (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const count = (parseDocument(text).toJS() as { steps: unknown[] }).steps.length;
    const cases: [string, number][] = [
      ['/steps/1', 1],
      ['/steps/0', Math.min(2, count)],
    ];
    const nested = firstNestedStep(text);
    if (nested !== undefined) cases.push([nested, 1]);

    it.each(
      cases.flatMap(([pointer, n]) =>
        (['parallel', 'try'] as const).map((kind) => [kind, pointer, n] as const),
      ),
    )('wrap in %s: %s and the %i step(s) from it', (kind, pointer, n) => {
      const out = edited(text, (doc) => {
        expect(wrapSteps(doc, pointer, n, kind)).toBe(pointer);
      });
      expect(out).toBe(wrappedByHand(text, pointer, n, kind));
      const value = parseDocument(out).getIn([...yamlPath(pointer), kind], true);
      expect(value).toBeDefined();
    });
  },
);

describe('wrapping keeps what it moves as written', () => {
  const text = [
    'flow: wrap',
    'steps:',
    '  - log: before',
    '',
    '  # the two to wrap',
    '  - set: {a:   1, b: [x,y]}  # odd spacing',
    '  - activity: x.y',
    '    input:',
    '      long: "${ input.a }    and a long line that the printer would fold at eighty columns, but must not"',
    '  - log: after',
    '',
  ].join('\n');

  it('carries comments, flow spacing and long lines into a try, and the blank line stays before it', () => {
    const out = edited(text, (doc) => wrapSteps(doc, '/steps/1', 2, 'try'));
    expect(out).toBe(
      [
        'flow: wrap',
        'steps:',
        '  - log: before',
        '',
        '  - try:',
        '      # the two to wrap',
        '      - set: {a:   1, b: [x,y]}  # odd spacing',
        '      - activity: x.y',
        '        input:',
        '          long: "${ input.a }    and a long line that the printer would fold at eighty columns, but must not"',
        '    catch:',
        '      - steps: []',
        '  - log: after',
        '',
      ].join('\n'),
    );
  });

  it('refuses a run that is not all steps of one list', () => {
    const doc = parseDocument(text);
    expect(() => wrapSteps(doc, '/steps/2', 3, 'parallel')).toThrow(/no run of 3/);
    expect(() => wrapSteps(doc, '/flow', 1, 'try')).toThrow();
  });
});

describe('a file indented otherwise than the printer indents', () => {
  const four = [
    'flow: four',
    'steps:',
    '    - id: a',
    '      log: x',
    '    - if: ${ true }',
    '      then:',
    '      - log: t',
    '    - id: b',
    '      log: y',
    '',
  ].join('\n');

  it('inserts a step indented like its siblings, its keys below it', () => {
    const out = edited(four, (doc) =>
      insertStep(doc, '/steps', 1, { activity: 'x.y', input: { a: 1 } }),
    );
    expect(out).toBe(
      four.replace(
        '    - if:',
        ['    - activity: x.y', '      input:', '        a: 1', '    - if:'].join('\n'),
      ),
    );
    const first = edited(four, (doc) => insertStep(doc, '/steps/1/then', 0, { log: 's' }));
    expect(first).toBe(four.replace('      - log: t', '      - log: s\n      - log: t'));
  });

  it('wraps in a try and a parallel indented like the file', () => {
    expect(edited(four, (doc) => wrapSteps(doc, '/steps/0', 1, 'try'))).toBe(
      four.replace(
        '    - id: a\n      log: x\n',
        [
          '    - try:',
          '        - id: a',
          '          log: x',
          '      catch:',
          '        - steps: []',
          '',
        ].join('\n'),
      ),
    );
    edited(four, (doc) => wrapSteps(doc, '/steps/1/then/0', 1, 'parallel'));
    edited(four, (doc) => wrapSteps(doc, '/steps/1', 2, 'parallel'));
  });

  it('moves a step into a branch and back out', () => {
    let out = edited(four, (doc) => {
      const [moved] = (doc.getIn(['steps'], true) as { items: unknown[] }).items.splice(2, 1);
      insertStep(doc, '/steps/1/then', 1, moved);
    });
    out = edited(out, (doc) => deleteStep(doc, '/steps/0'));
    expect(parseDocument(out).toJS()).toEqual({
      flow: 'four',
      steps: [{ if: '${ true }', then: [{ log: 't' }, { id: 'b', log: 'y' }] }],
    });
  });
});

describe.each(
  files.flatMap((f) =>
    [
      { indent: 4, indentSeq: true },
      { indent: 2, indentSeq: false },
    ].map((o) => [f.pathname.split('/examples/')[1] ?? '', o, f] as const),
  ),
)('%s written with %o: every edit keeps the file valid and meaning what it should', (_n, o, f) => {
  const text = parseDocument(readFileSync(f, 'utf8')).toString({ ...o, lineWidth: 0 });
  const nested = firstNestedStep(text);
  const edits: [string, (doc: Document) => unknown][] = [
    ['insert', (doc) => insertStep(doc, '/steps', 1, { activity: 'x.y', input: { a: [1] } })],
    ['insert first', (doc) => insertStep(doc, '/steps', 0, { log: 'first' })],
    ['delete', (doc) => deleteStep(doc, '/steps/1')],
    ['move', (doc) => moveStep(doc, '/steps/0', 1)],
    ['field', (doc) => setField(doc, '/steps/0', ['retry'], { maximumAttempts: 2 })],
    ['wrap in try', (doc) => wrapSteps(doc, '/steps/0', 2, 'try')],
    ['wrap in parallel', (doc) => wrapSteps(doc, '/steps/1', 1, 'parallel')],
  ];
  if (nested !== undefined) {
    edits.push(['wrap nested', (doc) => wrapSteps(doc, nested, 1, 'try')]);
    edits.push([
      'insert nested',
      (doc) => insertStep(doc, nested.slice(0, nested.lastIndexOf('/')), 0, { log: 'in' }),
    ]);
  }
  it.each(edits)('%s', (_e, fn) => {
    // edited() checks the spliced text parses to what the edited Document holds.
    const out = edited(text, (doc) => {
      fn(doc);
    });
    expect(parseDocument(out).errors).toEqual([]);
  });
});

describe('edits one after another, each from the text the last one wrote', () => {
  it.each(files.map((f) => [f.pathname.split('/examples/')[1] ?? '', f] as const))(
    '%s: every text means what its Document means, and untouched lines stay',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      let out = edited(text, (doc) => insertStep(doc, '/steps', 0, { log: 'first' }));
      out = edited(out, (doc) => moveStep(doc, '/steps/0', 1));
      out = edited(out, (doc) => setField(doc, '/steps/1', ['name'], 'Named'));
      out = edited(out, (doc) => deleteStep(doc, '/steps/0'));
      out = edited(out, (doc) => deleteStep(doc, '/steps/0'));
      // Only the steps the edits went through differ from the original.
      const t = touched(text, out);
      const [, end] = stepLines(text, '/steps/0');
      expect(within(t.removed, [1, end])).toBe(true);
    },
  );
});

describe('what a canvas edit used to reformat', () => {
  it('keeps `[requestId, amount]`, `{ type: string }` and long lines as written', () => {
    const text = readFileSync(new URL('approval.flow.yaml', EXAMPLES), 'utf8');
    const out = edited(text, (doc) => insertStep(doc, '/steps', 0, { log: 'hi' }));
    expect(out).toContain('required: [requestId, amount]');
    expect(out).toContain('requestId: { type: string }');
    expect(out.replace('  - log: hi\n', '')).toBe(text);
  });

  it('writes a flow built from nothing in block style, nested lists included', () => {
    let text = 'flow: untitled\nsteps: []\n';
    text = edited(text, (doc) =>
      insertStep(doc, '/steps', 0, { if: '${ true }', then: [], else: [] }),
    );
    text = edited(text, (doc) => insertStep(doc, '/steps/0/then', 0, { log: 'yes' }));
    text = edited(text, (doc) => insertStep(doc, '/steps', 1, { activity: 'x.y', input: {} }));
    expect(text).toBe(
      [
        'flow: untitled',
        'steps:',
        '  - if: ${ true }',
        '    then:',
        '      - log: yes',
        '    else: []',
        '  - activity: x.y',
        '    input: {}',
        '',
      ].join('\n'),
    );
  });
});

describe('a flow with schedules', () => {
  const SCHEDULES = [
    'schedules:',
    '  - id: hourly # the reports run on the hour',
    '    every: 1h',
    '    input: { who: cron }',
    '  - id: weekday-mornings',
    '    cron: "0 9 * * mon-fri"',
    '    timezone: Europe/Paris',
    '    paused: true',
    '',
  ].join('\n');
  const text = `flow: scheduled\n${SCHEDULES}steps:\n  - id: hello\n    log: hi\n`;

  it('keeps its `schedules:` byte for byte through step edits', () => {
    let out = edited(text, (doc) => insertStep(doc, '/steps', 1, { log: 'second' }));
    out = edited(out, (doc) => setField(doc, '/steps/0', ['name'], 'Hello'));
    out = edited(out, (doc) => moveStep(doc, '/steps/1', -1));
    out = edited(out, (doc) => deleteStep(doc, '/steps/1'));
    expect(out).toContain(`flow: scheduled\n${SCHEDULES}steps:\n`);
    expect(parseDocument(out).toJS().schedules).toEqual(parseDocument(text).toJS().schedules);
  });
});
