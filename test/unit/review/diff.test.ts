import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFlowText } from '../../../interpreter/dsl';
import {
  diffFlows,
  type FlowSide,
  formatDiffText,
  reviewFlowFile,
} from '../../../interpreter/review';

/** `weft diff`: two versions of a flow in, the changes a reviewer wants out. */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = 'test/fixtures/review';

function side(file: string): FlowSide {
  const flow = reviewFlowFile(file);
  if (!flow.ok) throw new Error(`${file} is invalid`);
  return flow;
}

function fromText(text: string, file: string): FlowSide {
  const parsed = parseFlowText(text, file);
  return { file, value: parsed.value, sourceMap: parsed.sourceMap };
}

describe('weft diff', () => {
  it('order v1 -> v2: added, removed, moved, changed, settings, new activities (golden)', () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const diff = diffFlows(
        side(`${FIXTURES}/order-v1.flow.yaml`),
        side(`${FIXTURES}/order-v2.flow.yaml`),
      );
      expect(diff.steps.map((s) => [s.change, s.step, s.where])).toEqual([
        ['added', 'fraud-check', 'steps #2'],
        ['moved', 'steps.3', 'steps #4'],
        ['changed', 'ship', 'steps #6'],
        ['removed', 'steps.5', 'steps #6'],
      ]);
      expect(diff.steps[1]).toMatchObject({ label: 'set status', from: 'steps #2' });
      expect(diff.steps[2]!.fields).toEqual([
        { path: ['timeouts', 'startToClose'], before: '5s', after: '20s' },
      ]);
      expect(diff.settings.map((s) => s.path.join('.'))).toEqual([
        'version',
        'defaults.retry.maximumAttempts',
      ]);
      expect(diff.newActivities).toEqual(['payment.check']);
      expect(diff.runningFlows).toMatch(/^Running flows are not affected/);
      const golden = join(ROOT, FIXTURES, 'order-v1-v2.diff.txt');
      const text = formatDiffText(diff);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('comments and formatting only: identical, and nothing listed', () => {
    const a = fromText('flow: x\nsteps:\n  - log: hi\n', 'a.yaml');
    const b = fromText('# a comment\nflow: x\nsteps: [ { log: hi } ]\n', 'b.yaml');
    const diff = diffFlows(a, b);
    expect(diff.identical).toBe(true);
    expect(diff.steps).toEqual([]);
    expect(formatDiffText(diff)).toContain('no change to the flow');
  });

  it('inserting a step does not report the unnamed steps after it as changed', () => {
    const a = fromText('flow: x\nsteps:\n  - log: one\n  - log: two\n', 'a.yaml');
    const b = fromText('flow: x\nsteps:\n  - log: zero\n  - log: one\n  - log: two\n', 'b.yaml');
    expect(diffFlows(a, b).steps.map((s) => [s.change, s.label])).toEqual([['added', 'log zero']]);
  });

  it('a step moved into another branch is moved, with where it was', () => {
    const a = fromText(
      'flow: x\nsteps:\n  - id: pay\n    log: pay\n  - id: check\n    if: "${ true }"\n    then: []\n',
      'a.yaml',
    );
    const b = fromText(
      'flow: x\nsteps:\n  - id: check\n    if: "${ true }"\n    then:\n      - id: pay\n        log: pay\n',
      'b.yaml',
    );
    expect(diffFlows(a, b).steps).toMatchObject([
      {
        change: 'moved',
        step: 'pay',
        from: 'steps #1',
        where: 'then of check #1',
        line: 6,
        col: 9,
      },
    ]);
  });

  it("a renamed flow says what happens to the old name's runs", () => {
    const a = fromText('flow: x\nsteps: [ { log: hi } ]\n', 'a.yaml');
    const b = fromText('flow: y\nsteps: [ { log: hi } ]\n', 'b.yaml');
    expect(diffFlows(a, b).runningFlows).toContain(
      "The flow's name changed (x → y): new runs start under workflow type y, and runs of x keep their type.",
    );
  });
});

describe('weft diff: child flows', () => {
  it('steps of a child flow are compared within it; a new child flow is one setting', () => {
    const a = fromText(
      'flow: x\nsteps: [ { flow: ship } ]\nflows:\n  ship:\n    steps:\n      - log: packed\n',
      'a.yaml',
    );
    const b = fromText(
      'flow: x\nsteps: [ { flow: ship } ]\nflows:\n  ship:\n    steps:\n      - log: packed\n      - log: sent\n  audit:\n    steps: [ { log: audited } ]\n',
      'b.yaml',
    );
    const diff = diffFlows(a, b);
    expect(diff.steps).toMatchObject([
      { change: 'added', label: 'log sent', where: 'flows.ship: steps #2', line: 7, col: 9 },
    ]);
    expect(diff.settings).toMatchObject([{ path: ['flows', 'audit'], after: 'child flow audit' }]);
  });
});
