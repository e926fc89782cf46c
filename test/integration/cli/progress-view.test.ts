import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../../interpreter/cli/progress-view';
import { formatHeartbeat, formatStep } from '../../../interpreter/client';
import type { FlowProgress, StepProgress } from '../../../interpreter/model/progress';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  const out = {
    isTTY,
    columns: 80,
    write: (s: string) => {
      writes.push(s);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { out, writes };
}

const step = (s: Partial<StepProgress>): StepProgress => ({
  id: 'charge',
  stepId: 'charge',
  kind: 'activity',
  status: 'running',
  ...s,
});

const snapshot = (steps: StepProgress[]): FlowProgress => ({
  flow: 'f',
  hash: 'h',
  status: 'running',
  current: [],
  steps,
  vars: {},
  continuedAsNew: 0,
});

describe('step lines', () => {
  it('say running, retry n with the last failure, heartbeat progress, done and failed', () => {
    expect(formatStep(step({ name: 'Charge card' }))).toBe('▶ charge (Charge card)  running');
    expect(
      formatStep(
        step({ status: 'retrying', attempts: 3, error: { type: 'Declined', message: 'no' } }),
      ),
    ).toBe('↻ charge  retry 2  (last: Declined: no)');
    expect(formatStep(step({ heartbeat: { received: 3, events: [1, 2, 3] } }))).toBe(
      '▶ charge  running  heartbeat received=3',
    );
    expect(
      formatStep(
        step({
          status: 'completed',
          attempts: 2,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: '2026-01-01T00:00:01.500Z',
        }),
      ),
    ).toBe('✓ charge  done 1.5s  after 2 attempts');
    expect(
      formatStep(step({ status: 'failed', error: { type: 'Timeout', message: 'too slow' } })),
    ).toBe('✗ charge  failed  Timeout: too slow');
    expect(formatHeartbeat('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});

describe('ProgressView', () => {
  it('on a terminal, redraws the block of step lines in place', () => {
    const { out, writes } = stream(true);
    const term = process.env.TERM;
    process.env.TERM = 'xterm';
    const view = new ProgressView(out);
    if (term === undefined) delete process.env.TERM;
    else process.env.TERM = term;
    view.show(snapshot([step({})]));
    view.show(snapshot([step({ status: 'completed' }), step({ id: 'ship', stepId: 'ship' })]));
    expect(writes).toEqual([
      '\x1b[2K▶ charge  running\n\x1b[J',
      '\x1b[1F\x1b[2K✓ charge  done\n\x1b[2K▶ ship  running\n\x1b[J',
    ]);
  });

  it('elsewhere, prints a line only when a step line changes', () => {
    const { out, writes } = stream(false);
    const view = new ProgressView(out);
    view.show(snapshot([step({})]));
    view.show(snapshot([step({})]));
    view.show(snapshot([step({ status: 'completed' })]));
    expect(writes).toEqual(['▶ charge  running\n', '✓ charge  done\n']);
  });
});
