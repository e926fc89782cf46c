import { describe, expect, it } from 'vitest';
import type { CompiledStep } from '../../../interpreter/model/types';
import { ProgressTracker } from '../../../interpreter/workflow/progress';

/** Progress lives in workflow memory only: these are the statuses the `weft.progress` query serves. */
const step = (id: string, kind: CompiledStep['kind'], more: object = {}) =>
  ({ id, kind, ...more }) as CompiledStep;

const statuses = (t: ProgressTracker) =>
  Object.fromEntries(t.snapshot({}).steps.map((s) => [s.id, [s.status, s.branch ?? '']]));

describe('ProgressTracker', () => {
  it('an if records the branch it took and skips every step of the other, nested ones too', () => {
    const inner = step('deep', 'log');
    const elseSteps = [step('other', 'try', { try: [inner], catch: [] }), step('last', 'set')];
    const t = new ProgressTracker('f', 'h', 0);
    t.start('gate', step('gate', 'if'), []);
    t.branch('gate', 'then', [elseSteps], []);
    t.end('gate', 'completed');
    expect(statuses(t)).toEqual({
      gate: ['completed', 'then'],
      other: ['skipped', ''],
      deep: ['skipped', ''],
      last: ['skipped', ''],
    });
  });

  it('inside a loop, the skipped steps carry the iteration suffix', () => {
    const t = new ProgressTracker('f', 'h', 0);
    t.start('pick#2', step('pick', 'switch'), [2]);
    t.branch('pick#2', 'cases.b', [[step('a1', 'log')], [step('d1', 'log')]], [2]);
    expect(t.snapshot({}).steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      'pick#2 running',
      'a1#2 skipped',
      'd1#2 skipped',
    ]);
  });

  it('a wait that timed out ends timedOut, whether its onTimeout steps ran or it failed', () => {
    const t = new ProgressTracker('f', 'h', 0);
    t.start('w1', step('w1', 'wait'), []);
    t.timedOut('w1');
    t.end('w1', 'completed');
    t.start('w2', step('w2', 'wait'), []);
    t.timedOut('w2');
    t.end('w2', 'failed', { type: 'Timeout', message: 'no signal' });
    t.start('w3', step('w3', 'wait'), []);
    t.end('w3', 'completed');
    const steps = t.snapshot({}).steps;
    expect(steps.map((s) => `${s.id} ${s.status}`)).toEqual([
      'w1 timedOut',
      'w2 timedOut',
      'w3 completed',
    ]);
    expect(steps[1]?.error?.type).toBe('Timeout');
  });

  it('a compensation names the instance it undoes', () => {
    const t = new ProgressTracker('f', 'h', 0);
    t.start('charge#1:compensate', step('charge#1:compensate', 'activity'), [], {
      compensates: 'charge#1',
    });
    expect(t.snapshot({}).steps[0]?.compensates).toBe('charge#1');
  });
});
