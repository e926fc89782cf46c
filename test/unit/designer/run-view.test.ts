import { describe, expect, it } from 'vitest';
import { declaredMessages, payloadSkeleton } from '../../../designer/src/run/messages';
import { eventLabel, spansAt, stepSpans } from '../../../designer/src/run/timeline';
import { type RunEvent, statusesAt, statusesFromProgress } from '../../../designer/src/store';

/** A saga that failed at ship: the events the API streams for it, compensations last. */
const T = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
const step = (
  stepId: string,
  status: string,
  time: number,
  more: Record<string, unknown> = {},
): RunEvent =>
  ({
    event: 'step',
    data: { stepId, instanceId: stepId, status, attempt: 1, time: T(time), ...more },
  }) as RunEvent;

const SAGA: RunEvent[] = [
  { event: 'run', data: { status: 'running', input: { orderId: 'A1' }, time: T(0) } },
  step('charge', 'scheduled', 1, { input: { amount: 5 } }),
  step('charge', 'completed', 2, { output: { chargeId: 'c1' } }),
  step('ship', 'scheduled', 3),
  step('ship', 'failed', 4, { error: { type: 'AddressInvalid', message: 'no' } }),
  step('charge:compensate', 'scheduled', 5, { compensates: 'charge' }),
  step('charge:compensate', 'completed', 7, { compensates: 'charge' }),
  { event: 'run', data: { status: 'failed', time: T(8) } },
];

describe('the run on the graph', () => {
  it('a compensation paints an undo badge on the step it undoes, never a node of its own', () => {
    expect(statusesAt(SAGA, 5).get('charge')).toEqual({ status: 'completed', attempt: 1 });
    expect(statusesAt(SAGA, 6).get('charge')?.compensation).toEqual({ status: 'running' });
    expect(statusesAt(SAGA, 7).get('charge')).toEqual({
      status: 'completed',
      attempt: 1,
      compensation: { status: 'completed' },
    });
    expect(statusesAt(SAGA, 7).has('charge:compensate')).toBe(false);
  });

  it('timedOut, skipped and the branch taken come through from events and from progress', () => {
    const events = [
      step('approve', 'timedOut', 1, { kind: 'wait' }),
      step('gate', 'completed', 2, { kind: 'if', branch: 'else' }),
    ];
    const at = statusesAt(events, 2);
    expect(at.get('approve')?.status).toBe('timedOut');
    expect(at.get('gate')?.branch).toBe('else');
    const progress = statusesFromProgress([
      { stepId: 'charge', status: 'completed' },
      { stepId: 'charge:compensate', status: 'failed', error: { message: 'refund down' } },
      { stepId: 'late', status: 'timedOut' },
    ]);
    expect(progress.get('charge')?.compensation).toEqual({
      status: 'failed',
      error: 'refund down',
    });
    expect(progress.get('late')?.status).toBe('timedOut');
  });

  it('per instance: input, output, error, times and the undo, up to the scrubber', () => {
    const spans = spansAt(SAGA, SAGA.length);
    expect(stepSpans(spans, 'charge')).toEqual([
      expect.objectContaining({
        instanceId: 'charge',
        status: 'completed',
        input: { amount: 5 },
        output: { chargeId: 'c1' },
        start: T(1),
        end: T(2),
      }),
      expect.objectContaining({
        instanceId: 'charge:compensate',
        compensates: 'charge',
        start: T(5),
        end: T(7),
      }),
    ]);
    const early = spansAt(SAGA, 6).find((s) => s.instanceId === 'charge:compensate');
    expect(early?.status).toBe('running');
    expect(early?.end).toBeUndefined();
    expect(eventLabel(SAGA, 0)).toBe('start');
    expect(eventLabel(SAGA, 7)).toMatch(/^charge:compensate completed at /);
    expect(eventLabel(SAGA, 8)).toMatch(/^run failed at /);
  });

  it("the flow's messages, with a payload of their input schema's shape", () => {
    expect(
      payloadSkeleton({
        type: 'object',
        required: ['approved', 'who', 'tags', 'n'],
        properties: {
          approved: { type: 'boolean' },
          who: { type: 'string' },
          tags: { type: 'array' },
          n: { type: 'integer' },
          optional: { type: 'string' },
        },
      }),
    ).toEqual({ approved: false, who: '', tags: [], n: 0 });
    expect(
      declaredMessages({
        signals: { decide: { input: { type: 'object', required: ['ok'] } } },
        updates: { note: {} },
        queries: { status: '${ vars.status }' },
      }),
    ).toEqual([
      { kind: 'signal', name: 'decide', skeleton: { ok: '' } },
      { kind: 'update', name: 'note', skeleton: undefined },
      { kind: 'query', name: 'status', skeleton: undefined },
    ]);
  });
});
