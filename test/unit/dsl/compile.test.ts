import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  COMPILE_DEFAULTS,
  canonicalJson,
  compileFlow,
  parseFlowText,
  sha256Hex,
} from '../../../interpreter/dsl';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { ActivityManifest, CompiledFlow, CompiledStepOf } from '../../../interpreter/model';

const manifest: ActivityManifest = {
  activities: [
    {
      name: 'p.work',
      taskQueue: 'plugin-queue',
      defaults: {
        timeouts: { startToClose: '1s', heartbeat: '2s' },
        retry: { maximumAttempts: 9, initialInterval: '100ms' },
      },
    },
    { name: 'p.undo' },
  ],
};

function compile(text: string, m: ActivityManifest = manifest): CompiledFlow {
  const { compiled, diagnostics } = compileFlow(parseFlowText(text), { manifest: m });
  expect(diagnostics).toEqual([]);
  return compiled!;
}

const tmp = mkdtempSync(join(tmpdir(), 'weft-compile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('compileFlow', () => {
  it('merges activity options per key: plugin defaults, then flow defaults, then the step', () => {
    const flow = compile(`
flow: merge
defaults:
  timeouts: { startToClose: 30s }
  retry: { maximumAttempts: 5 }
steps:
  - activity: p.work
    retry: { backoffCoefficient: 3 }
    taskQueue: gpu
    compensate: { activity: p.undo, timeouts: { scheduleToClose: 1m } }
  - activity: p.work
`);
    const [a, b] = flow.steps as CompiledStepOf<'activity'>[];
    expect(a?.options).toEqual({
      taskQueue: 'gpu',
      timeouts: { startToClose: '30s', heartbeat: '2s' },
      retry: { maximumAttempts: 5, initialInterval: '100ms', backoffCoefficient: 3 },
    });
    expect(b?.options.taskQueue).toBe('plugin-queue');
    expect(a?.compensate).toEqual({
      activity: 'p.undo',
      options: {
        timeouts: { startToClose: '30s', scheduleToClose: '1m' },
        retry: { maximumAttempts: 5 },
      },
    });
  });

  it('gives every activity a startToClose when no layer sets a close timeout', () => {
    const flow = compile('flow: t\nsteps:\n  - activity: p.undo\n', {
      activities: [{ name: 'p.undo' }],
    });
    const step = flow.steps[0] as CompiledStepOf<'activity'>;
    expect(step.options).toEqual({ timeouts: { startToClose: COMPILE_DEFAULTS.startToClose } });
  });

  it('fills in every default, so the interpreter never guesses', () => {
    const flow = compile(`
flow: defaults
steps:
  - if: "\${ true }"
    then: [ { log: t } ]
  - switch: "\${ 1 }"
    cases: { "1": [ { log: one } ] }
  - parallel: { branches: { a: [ { log: a } ] } }
  - forEach: "\${ [1, 2] }"
    steps: [ { log: "\${ item }" } ]
  - while: "\${ false }"
    steps: [ { log: w } ]
  - try: [ { log: x } ]
    catch: [ { steps: [ { log: "\${ error.message }" } ] } ]
  - flow: child
  - sleep: 5m
  - sleep: { until: "\${ input.at }" }
  - fail: { error: Nope }
flows:
  child: { steps: [ { return: 1 } ] }
`);
    const kinds = flow.steps.map((s) => s.kind);
    expect(kinds).toEqual([
      'if',
      'switch',
      'parallel',
      'forEach',
      'while',
      'try',
      'flow',
      'sleep',
      'sleep',
      'fail',
    ]);
    const [ifs, sw, par, fe, wh, tr, fl, sl, until, fail] = flow.steps;
    expect(ifs).toMatchObject({ id: 'steps.0', else: [] });
    expect(sw).toMatchObject({ default: [] });
    expect(par).toMatchObject({ mode: COMPILE_DEFAULTS.parallelMode });
    expect(fe).toMatchObject({ as: 'item', concurrency: COMPILE_DEFAULTS.concurrency });
    expect(wh).toMatchObject({ maxIterations: COMPILE_DEFAULTS.maxIterations });
    expect(tr).toMatchObject({ catch: [{ as: 'error' }], finally: [] });
    expect(fl).toMatchObject({ flow: 'child', parentClosePolicy: 'terminate' });
    expect(sl).toMatchObject({ duration: '5m' });
    expect(until).toMatchObject({ until: '${ input.at }' });
    expect(fail).toEqual({ id: 'steps.9', kind: 'fail', error: 'Nope' });
    expect(flow.flows.child?.steps).toEqual([{ id: 'steps.0', kind: 'return', return: 1 }]);
  });

  it('is plain JSON with no undefined members', () => {
    const flow = compile('flow: plain\nsteps:\n  - log: x\n  - activity: p.work\n');
    expect(JSON.parse(JSON.stringify(flow))).toEqual(flow);
    expect(canonicalJson(flow)).not.toContain('undefined');
  });

  it('hashes content, not formatting: YAML and JSON of the same flow agree', () => {
    const yaml = compile('flow: h\nsteps:\n  - log: x   # a comment\n');
    const json = compile('{ "steps": [ { "log": "x" } ], "flow": "h" }');
    expect(yaml.hash).toBe(json.hash);
    expect(compile('flow: h\nsteps:\n  - log: y\n').hash).not.toBe(yaml.hash);
    const { hash, ...rest } = yaml;
    expect(hash).toBe(`sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`);
  });

  it('computes SHA-256 like node:crypto', () => {
    for (const text of ['', 'abc', 'x'.repeat(55), 'x'.repeat(64), 'ünïcödé'.repeat(100)]) {
      const bytes = new TextEncoder().encode(text);
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('returns no compiled flow when there are errors', () => {
    const result = compileFlow(parseFlowText('flow: bad\nsteps:\n  - sleep: soon\n'));
    expect(result.compiled).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['WEFT020']);
  });

  it('flattens child flow files into the root map, keyed by normalised relative path', async () => {
    mkdirSync(join(tmp, 'sub'), { recursive: true });
    writeFileSync(
      join(tmp, 'root.flow.yaml'),
      'flow: root\nflows:\n  inline: { steps: [ { log: inline } ] }\nsteps:\n  - flow: ./sub/child.flow.yaml\n  - flow: inline\n',
    );
    writeFileSync(
      join(tmp, 'sub', 'child.flow.yaml'),
      'flow: child\nflows:\n  inline: { steps: [ { log: other } ] }\nsteps:\n  - flow: inline\n  - flow: ../leaf.flow.yaml\n',
    );
    writeFileSync(
      join(tmp, 'leaf.flow.yaml'),
      'flow: leaf\nsteps:\n  - flow: ./sub/child.flow.yaml\n',
    );
    const { compiled, diagnostics } = loadFlowFile(join(tmp, 'root.flow.yaml'));
    expect(diagnostics).toEqual([]);
    expect(Object.keys(compiled!.flows).sort()).toEqual([
      'inline',
      'leaf.flow.yaml',
      'sub/child.flow.yaml',
      'sub/child.flow.yaml#inline',
    ]);
    const child = compiled!.flows['sub/child.flow.yaml']!;
    expect(child.flow).toBe('child');
    expect(child.flows).toEqual({});
    expect(child.steps.map((s) => (s as CompiledStepOf<'flow'>).flow)).toEqual([
      'sub/child.flow.yaml#inline',
      'leaf.flow.yaml',
    ]);
    expect(compiled!.flows['sub/child.flow.yaml#inline']?.flow).toBe('inline');
    const leaf = compiled!.flows['leaf.flow.yaml']!;
    expect((leaf.steps[0] as CompiledStepOf<'flow'>).flow).toBe('sub/child.flow.yaml');
  });

  it('reports a missing child file at the step, and cannot resolve files without file access', async () => {
    writeFileSync(
      join(tmp, 'lonely.flow.yaml'),
      'flow: lonely\nsteps:\n  - log: a\n  - flow: ./nope.flow.yaml\n',
    );
    const { diagnostics } = loadFlowFile(join(tmp, 'lonely.flow.yaml'));
    expect(diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['WEFT027', 4, 11]]);
    const browser = compileFlow(parseFlowText('flow: b\nsteps:\n  - flow: ./x.flow.yaml\n'));
    expect(browser.diagnostics.map((d) => d.code)).toEqual(['WEFT027']);
    expect(browser.diagnostics[0]?.message).toMatch(/cannot be resolved here/);
  });

  it('reports an unreadable flow file as WEFT050', async () => {
    const { diagnostics, text } = loadFlowFile(join(tmp, 'missing.flow.yaml'));
    expect(text).toBe('');
    expect(diagnostics).toMatchObject([{ code: 'WEFT050', line: 1, col: 1 }]);
  });
});
