import { describe, expect, it } from 'vitest';
import { ProgressEvents } from '../../../interpreter/api/events';
import type { FlowProgress, StepProgress } from '../../../interpreter/model/progress';

/**
 * The stream's step events for what the history does not record come from `weft.progress`
 * snapshots; ProgressEvents turns successive snapshots into the new events only.
 */
function snapshot(steps: StepProgress[]): FlowProgress {
  return {
    flow: 'f',
    hash: 'h',
    status: 'running',
    current: [],
    steps,
    vars: {},
    continuedAsNew: 0,
  };
}

const lines = (events: ReturnType<ProgressEvents['apply']>) =>
  events.map(
    (e) =>
      `${e.status} ${e.instanceId} ${e.kind}${e.branch ? ` branch=${e.branch}` : ''}${e.compensates ? ` undoes=${e.compensates}` : ''}${e.error ? ` ${e.error.type}` : ''}`,
  );

const T = (s: number) => `2026-01-01T00:00:0${s}.000Z`;

describe('ProgressEvents', () => {
  it('control steps start and end; the if says which branch ran and the other branch is skipped', () => {
    const events = new ProgressEvents().apply(
      snapshot([
        {
          id: 'init',
          stepId: 'init',
          kind: 'set',
          status: 'completed',
          startedAt: T(1),
          endedAt: T(1),
        },
        {
          id: 'check',
          stepId: 'check',
          kind: 'if',
          status: 'completed',
          branch: 'else',
          startedAt: T(2),
          endedAt: T(4),
        },
        {
          id: 'steps.1.then.0',
          stepId: 'steps.1.then.0',
          kind: 'activity',
          status: 'skipped',
          endedAt: T(2),
        },
        {
          id: 'reject',
          stepId: 'reject',
          kind: 'log',
          status: 'completed',
          startedAt: T(3),
          endedAt: T(3),
        },
      ]),
    );
    expect(lines(events)).toEqual([
      'started init set',
      'completed init set',
      'started check if',
      'skipped steps.1.then.0 activity',
      'started reject log',
      'completed reject log',
      'completed check if branch=else',
    ]);
  });

  it('activities and compensations come from the history: only their skipping is added', () => {
    const events = new ProgressEvents().apply(
      snapshot([
        {
          id: 'charge',
          stepId: 'charge',
          kind: 'activity',
          status: 'completed',
          startedAt: T(1),
          endedAt: T(2),
        },
        { id: 'ship', stepId: 'ship', kind: 'activity', status: 'skipped', endedAt: T(3) },
        {
          id: 'charge:compensate',
          stepId: 'charge:compensate',
          kind: 'activity',
          status: 'completed',
          compensates: 'charge',
          startedAt: T(4),
          endedAt: T(5),
        },
      ]),
    );
    expect(lines(events)).toEqual(['skipped ship activity']);
  });

  it('a timed-out wait ends timedOut; a later snapshot sends only what is new', () => {
    const stream = new ProgressEvents();
    const running = { id: 'approve', stepId: 'approve', kind: 'wait', startedAt: T(1) } as const;
    expect(lines(stream.apply(snapshot([{ ...running, status: 'running' }])))).toEqual([
      'started approve wait',
    ]);
    expect(lines(stream.apply(snapshot([{ ...running, status: 'running' }])))).toEqual([]);
    const ended = stream.apply(
      snapshot([
        {
          ...running,
          status: 'timedOut',
          endedAt: T(6),
          error: { type: 'Timeout', message: 'no signal' },
        },
      ]),
    );
    expect(lines(ended)).toEqual(['timedOut approve wait Timeout']);
    expect(ended[0]?.time).toBe(T(6));
  });
});
