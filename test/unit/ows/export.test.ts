import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { compileFlow, formatDiagnostic, parseFlowText } from '../../../interpreter/dsl';
import { jqToJsonata } from '../../../interpreter/ows';
import { exportOws, jsonataToJq } from '../../../interpreter/ows/export';
import { compileOwsText } from '../../../interpreter/ows/node';

/**
 * The round trip: every example (and a few fixtures) exports to Serverless Workflow 1.0
 * (`weft export --to ows`), the export validates against the OWS schema, and importing it
 * compiles. The compiled hash is never the same (the importer's data model adds `vars.data`), so
 * each flow's list of differences is asserted exactly, and every difference is documented in
 * interpreter/ows/README.md: a new difference, or a new refusal, fails here.
 */

const ROOT = resolve(__dirname, '../../..');
const SCHEMA = resolve(
  ROOT,
  process.env.WEFT_OWS_SCHEMA ?? '../shared/ows-ctk/workflow.schema.yaml',
);
const sha256 = (d: Uint8Array) => createHash('sha256').update(d).digest('hex');

const validate = existsSync(SCHEMA)
  ? (() => {
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      return ajv.compile(parse(readFileSync(SCHEMA, 'utf8')) as object);
    })()
  : undefined;
if (!validate) {
  console.warn(
    `OWS schema checks skipped: ${SCHEMA} is missing (the serverlessworkflow/specification repository's schema/workflow.yaml; set WEFT_OWS_SCHEMA).`,
  );
}

/** Activity names in document order: what the flow calls must survive the trip. */
function activities(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) activities(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'activity' && typeof x === 'string') out.push(x);
      else activities(x, out);
    }
  }
  return out;
}

type Outcome =
  | { outcome: 'same hash' }
  | { outcome: 'documented differences'; differences: string[] }
  | { outcome: 'refused'; errors: string[] };

function roundTrip(text: string, file: string): Outcome {
  const parsed = parseFlowText(text, file);
  const original = compileFlow(parsed, { file, sha256, readFile: (p) => readFileSync(p, 'utf8') });
  expect(original.compiled, `${file} compiles`).toBeDefined();
  const result = exportOws(parsed.value, parsed.sourceMap, text);
  if (!result.document) {
    return {
      outcome: 'refused',
      errors: result.diagnostics.map((d) => formatDiagnostic(d, file).replace(`${file}:`, '')),
    };
  }
  if (validate && !validate(result.document)) {
    throw new Error(
      `${file}: the export is not valid OWS: ${JSON.stringify(validate.errors?.slice(0, 3))}`,
    );
  }
  const back = compileOwsText(stringify(result.document), `${file}.sw.yaml`);
  expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(back.compiled).toBeDefined();
  expect(activities(back.compiled?.steps)).toEqual(activities(original.compiled?.steps));
  if (back.compiled?.hash === original.compiled?.hash) return { outcome: 'same hash' };
  return { outcome: 'documented differences', differences: result.differences };
}

const EXAMPLES: Record<string, Outcome> = {
  'approval.flow.yaml': {
    outcome: 'refused',
    errors: [
      "29:7  error  WEFT085  a signal's `set` has no Serverless Workflow form",
      '32:3  error  WEFT085  `queries` has no Serverless Workflow form',
      '34:3  error  WEFT085  `updates` has no Serverless Workflow form',
      '47:17  error  WEFT085  a `return` step has no Serverless Workflow form',
      "59:16  error  WEFT085  a signal wait's `timeout` has no OWS form (the importer's listen takes no timeout or condition)",
      "61:9  error  WEFT085  a signal wait's `onTimeout` has no OWS form (the importer's listen takes no timeout or condition)",
    ],
  },
  'gpu-routing.flow.yaml': {
    outcome: 'documented differences',
    differences: [
      'data-model',
      'defaults',
      'names',
      'step-ids',
      'task-queue',
      'timeouts',
      'truthiness',
    ],
  },
  'order-batch.flow.yaml': {
    outcome: 'refused',
    errors: [
      '15:3  error  WEFT085  `flows` has no Serverless Workflow form',
      '33:15  error  WEFT085  a `flow` step has no Serverless Workflow form',
      '39:11  error  WEFT085  a `flow` step has no Serverless Workflow form',
    ],
  },
  'order-fulfilment.flow.yaml': {
    outcome: 'refused',
    errors: [
      '32:3  error  WEFT085  `options` has no Serverless Workflow form',
      '35:3  error  WEFT085  `queries` has no Serverless Workflow form',
      '45:7  error  WEFT085  `compensate` has no Serverless Workflow form',
      '58:7  error  WEFT085  `compensate` has no Serverless Workflow form',
    ],
  },
  'retries-and-timeouts.flow.yaml': {
    outcome: 'refused',
    errors: [
      '39:17  error  WEFT085  a catch filter on Weft error types has no OWS form (an imported call fails with the runtime error type); only [Timeout] maps',
      '55:7  error  WEFT085  `finally` has no OWS form',
      '62:17  error  WEFT085  a catch filter on Weft error types has no OWS form (an imported call fails with the runtime error type); only [Timeout] maps',
    ],
  },
  'thumbnails.flow.yaml': {
    outcome: 'documented differences',
    differences: [
      'concurrency',
      'data-model',
      'log-as-emit',
      'names',
      'retry',
      'step-ids',
      'truthiness',
    ],
  },
  'children/ship-order.flow.yaml': {
    outcome: 'documented differences',
    differences: ['data-model', 'defaults', 'step-ids', 'truthiness'],
  },
  'polyglot/polyglot.flow.yaml': {
    outcome: 'documented differences',
    differences: ['data-model', 'names', 'step-ids'],
  },
};

const README = readFileSync(resolve(ROOT, 'interpreter/ows/README.md'), 'utf8');

describe('weft export --to ows: every example', () => {
  for (const [file, expected] of Object.entries(EXAMPLES)) {
    it(`${file}: ${expected.outcome}`, () => {
      const path = resolve(ROOT, 'examples', file);
      const got = roundTrip(readFileSync(path, 'utf8'), path);
      expect(got).toEqual(expected);
      const listed =
        got.outcome === 'documented differences' ? `: ${got.differences.join(', ')}` : '';
      expect(README).toContain(`| \`${file}\` | ${got.outcome}${listed}`);
      if (got.outcome === 'documented differences') {
        for (const d of got.differences) expect(README).toContain(`| \`${d}\` |`);
      }
    });
  }
});

const CONSTRUCTS = `flow: constructs
input: { type: object }
vars: { n: 0, seen: [] }
signals:
  approve: { input: { type: object } }
steps:
  - id: first
    set: { n: 1 }
  - id: choose
    if: "\${ vars.n > 0 }"
    then:
      - log: "n is \${ vars.n }"
    else:
      - sleep: 1s
  - id: both
    parallel:
      mode: any
      branches:
        a: [ { activity: demo.a, result: a } ]
        b: [ { sleep: 10ms } ]
  - id: guarded
    try:
      - activity: demo.slow
        input: { n: "\${ vars.n }" }
    catch:
      - errors: [Timeout]
        as: err
        steps:
          - set: { seen: "\${ $append(vars.seen, [err.type]) }" }
  - id: approve
    wait: { signal: approve }
    result: approval
  - id: stop
    when: "\${ $not(vars.approval.ok) }"
    fail: { error: Rejected, message: "rejected by \${ vars.approval.by }" }
output: "\${ { 'n': vars.n, 'seen': vars.seen } }"
`;

describe('weft export --to ows: fixtures', () => {
  it('each construct with an OWS form exports, validates and imports', () => {
    expect(roundTrip(CONSTRUCTS, 'constructs.flow.yaml')).toEqual({
      outcome: 'documented differences',
      differences: [
        'data-model',
        'error-types',
        'log-as-emit',
        'signals',
        'step-ids',
        'truthiness',
      ],
    });
  });

  it('the export reads as OWS: names, jq, a switch for if/else, listen for a signal', () => {
    const parsed = parseFlowText(CONSTRUCTS, 'constructs.flow.yaml');
    const doc = exportOws(parsed.value, parsed.sourceMap, CONSTRUCTS).document;
    expect(doc?.do).toEqual([
      { 'weft-vars': { set: '${ . }', export: { as: '${ {"n":0,"seen":[]} }' } } },
      { first: { set: { n: 1 }, export: { as: '${ $context + . }' } } },
      {
        choose: {
          switch: [
            { then: { when: '${ ($context.n > 0) }', then: 'choose-then' } },
            { default: { then: 'choose-default' } },
          ],
        },
      },
      {
        'choose-then': {
          do: [
            {
              'log-3': {
                emit: {
                  event: {
                    with: {
                      source: 'weft://log',
                      type: 'weft.log',
                      data: '${ "n is \\($context.n)" }',
                    },
                  },
                },
              },
            },
          ],
          then: 'choose-end',
        },
      },
      { 'choose-default': { do: [{ 'sleep-4': { wait: { milliseconds: 1000 } } }] } },
      { 'choose-end': { set: '${ . }' } },
      {
        both: {
          fork: {
            branches: [
              {
                a: {
                  do: [
                    { 'call-5': { call: 'demo.a', export: { as: '${ $context + {"a": .} }' } } },
                  ],
                },
              },
              { b: { do: [{ 'sleep-6': { wait: { milliseconds: 10 } } }] } },
            ],
            compete: true,
          },
        },
      },
      {
        guarded: {
          try: [{ 'call-10': { call: 'demo.slow', with: { n: '${ $context.n }' } } }],
          catch: {
            as: 'err',
            errors: { with: { type: 'https://serverlessworkflow.io/spec/1.0.0/errors/timeout' } },
            do: [
              {
                'set-8': {
                  set: { seen: '${ ($context.seen + [$err.type]) }' },
                  export: { as: '${ $context + . }' },
                },
              },
            ],
          },
        },
      },
      {
        approve: {
          listen: { to: { one: { with: { type: 'approve' } } } },
          export: { as: '${ $context + {"approval": .[0]} }' },
        },
      },
      {
        stop: {
          if: '${ ($context.approval.ok | not) }',
          raise: {
            error: {
              type: 'weft://errors/Rejected',
              status: 500,
              title: '${ "rejected by \\($context.approval.by)" }',
            },
          },
        },
      },
    ]);
  });

  it('a JSONata expression outside the subset is refused at its column', () => {
    const text = `flow: mapped
steps:
  - set: { doubled: "\${ $map(input.xs, function($v) { $v * 2 }) }" }
`;
    const parsed = parseFlowText(text, 'mapped.flow.yaml');
    const result = exportOws(parsed.value, parsed.sourceMap, text);
    expect(result.document).toBeUndefined();
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'mapped.flow.yaml'))).toEqual([
      'mapped.flow.yaml:3:25  error  WEFT086  expression "$map(input.xs, function($v) { $v * 2 })": the function $map (with these arguments) has no jq form here',
    ]);
  });

  it('the CLI prints refusals positioned and exits 1; an unknown target is a usage error', () => {
    const run = (...args: string[]) => {
      try {
        execFileSync(process.execPath, [resolve(ROOT, 'bin/weft.mjs'), ...args], {
          cwd: ROOT,
          stdio: 'pipe',
        });
        return { status: 0, stderr: '' };
      } catch (err) {
        const e = err as { status: number; stderr: Buffer };
        return { status: e.status, stderr: e.stderr.toString() };
      }
    };
    const refused = run('export', '--to', 'ows', 'examples/order-batch.flow.yaml');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'examples/order-batch.flow.yaml:15:3  error  WEFT085  `flows` has no Serverless Workflow form',
    );
    const target = run('export', '--to', 'bpmn', 'examples/thumbnails.flow.yaml');
    expect(target.status).toBe(2);
    expect(target.stderr).toContain('--to wants ows, got bpmn');
  });
});

describe('weft export --to ows: nothing is dropped silently', () => {
  it('a step kind, a key and a result with no OWS form are each refused at their key', () => {
    const text = `flow: lossy
steps:
  - id: loop
    while: "\${ true }"
    steps: [ { sleep: 1s } ]
  - id: pick
    if: "\${ input.x = 1 }"
    then: [ { log: one } ]
    result: picked
  - activity: demo.a
    compensate: { activity: demo.undo }
`;
    const parsed = parseFlowText(text, 'lossy.flow.yaml');
    const result = exportOws(parsed.value, parsed.sourceMap, text);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'lossy.flow.yaml'))).toEqual([
      'lossy.flow.yaml:4:12  error  WEFT085  a `while` step has no Serverless Workflow form',
      'lossy.flow.yaml:9:13  error  WEFT085  a `result` on this step has no OWS form (only calls, loops and signal waits keep one)',
      'lossy.flow.yaml:11:17  error  WEFT085  `compensate` has no Serverless Workflow form',
    ]);
  });
});

/**
 * Each JSONata form the exporter translates: the jq it writes gives Weft's result, both through
 * the importer (jq → JSONata again) and, where the machine has it, through jq itself.
 */
const INPUT = { a: 2, name: 'ann', flag: true, items: [{ sku: 'x' }, { sku: 'y' }], none: null };
const VARS = { n: 3, xs: [1, 2], m: { k: 'v' }, s: 'hi' };
const EXPRESSIONS: [string, unknown][] = [
  ['input.name', 'ann'],
  ['vars.m.k', 'v'],
  ['vars.xs[1]', 2],
  ["'a' & vars.n", 'a3'],
  ['input.a + vars.n * 2 - 1', 7],
  ['vars.n % 2 = 1 and input.flag', true],
  ['input.a > 5 or vars.n <= 3', true],
  ['input.flag ? vars.s : 0', 'hi'],
  ["{ 'x': input.a, 'y': [vars.n, 'z'] }", { x: 2, y: [3, 'z'] }],
  ['-vars.n', -3],
  ['$count(vars.xs)', 2],
  ['$length(vars.s)', 2],
  ['$exists(input.name)', true],
  ['$string(vars.n)', '3'],
  ['$not(input.flag)', false],
  ['$sum(vars.xs)', 3],
  ["$join(['a', 'b'], '-')", 'a-b'],
  ['$append(vars.xs, [9])', [1, 2, 9]],
  ['$keys(vars.m)', 'refused: a one-key object gives a string in JSONata, an array in jq'],
  ['(vars.n)', 3],
];

function hasJq(): boolean {
  try {
    execFileSync('jq', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const JQ = hasJq();
if (!JQ)
  console.warn(
    'jq is not installed: the exported expressions are checked through the importer only',
  );

describe('weft export --to ows: JSONata to jq', () => {
  for (const [src, expected] of EXPRESSIONS) {
    it(`${src} → ${JSON.stringify(expected)}`, async () => {
      if (typeof expected === 'string' && expected.startsWith('refused')) {
        expect(() => jsonataToJq(src, new Set())).toThrow(/has no jq form/);
        return;
      }
      expect(await jsonata(src).evaluate({ input: INPUT, vars: VARS })).toEqual(expected);
      const jq = jsonataToJq(src, new Set());
      const back = jqToJsonata(jq, {
        dot: 'vars.data',
        vars: { workflow: '{"input": input}', context: 'vars' },
      });
      expect(await jsonata(back).evaluate({ input: INPUT, vars: VARS })).toEqual(expected);
      if (JQ) {
        const out = execFileSync(
          'jq',
          [
            '-c',
            '-n',
            '--argjson',
            'workflow',
            JSON.stringify({ input: INPUT }),
            '--argjson',
            'context',
            JSON.stringify(VARS),
            jq,
          ],
          { stdio: 'pipe' },
        );
        expect(JSON.parse(out.toString())).toEqual(expected);
      }
    });
  }
});

describe('weft export --to ows: templates', () => {
  it('a template becomes a jq string with \\( ) parts; quotes and backslashes stay literal', () => {
    const text = `flow: tpl
vars: { n: 3 }
steps:
  - log: 'say "hi" \\( \${ vars.n } times'
`;
    const parsed = parseFlowText(text, 'tpl.flow.yaml');
    const doc = exportOws(parsed.value, parsed.sourceMap, text).document;
    const task = (
      (doc ? doc.do : []) as Record<string, { emit: { event: { with: { data: string } } } }>[]
    )[1];
    const data = task?.['log-1']?.emit.event.with.data ?? '';
    expect(data).toBe('${ "say \\"hi\\" \\\\( \\($context.n) times" }');
    if (JQ) {
      const body = data.slice(2, -1).trim();
      const out = execFileSync('jq', ['-c', '-n', '--argjson', 'context', '{"n":3}', body]);
      expect(JSON.parse(out.toString())).toBe('say "hi" \\( 3 times');
    }
  });
});
