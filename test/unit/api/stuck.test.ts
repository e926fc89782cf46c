import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { HistoryMapper } from '../../../interpreter/api/events';
import {
  runStatusOf,
  visibilityStatusOf,
  workflowTaskProblemOf,
} from '../../../interpreter/client';

/** Just enough history for the mapper: ids, and one attribute object per event. */
type HistoryEvent = Parameters<HistoryMapper['apply']>[0];
const ev = (eventId: number, attrs: Record<string, unknown>) =>
  ({ eventId, ...attrs }) as unknown as HistoryEvent;

const started = ev(1, { workflowExecutionStartedEventAttributes: { workflowType: { name: 'f' } } });
const taskFailed = (id: number, cause: number, message: string) =>
  ev(id, { workflowTaskFailedEventAttributes: { cause, failure: { message } } });

describe('stuck runs in the event stream (issue 12, item 5)', () => {
  it('a failing workflow task makes the run stuck; a completed one makes it running again', () => {
    const m = new HistoryMapper(defaultPayloadConverter, 'wf', 'run');
    expect(m.apply(started)).toMatchObject({ event: 'run', data: { status: 'running' } });
    const stuck = m.apply(
      taskFailed(2, 14, 'Script execution timed out after 5000ms\n    at evaluate'),
    );
    expect(stuck).toMatchObject({
      event: 'run',
      data: {
        status: 'stuck',
        flow: 'f',
        taskFailures: 1,
        error: { type: 'WorkflowTaskFailed', message: 'Script execution timed out after 5000ms' },
      },
    });
    expect(m.needsPolling()).toBe(true);
    // The retries show only in describe(): attempt 4 means three failures in a row.
    expect(m.applyPendingTask({ attempt: 4 })).toMatchObject({ status: 'stuck', taskFailures: 3 });
    expect(m.applyPendingTask({ attempt: 4 })).toBeUndefined();
    expect(m.apply(ev(3, { workflowTaskCompletedEventAttributes: {} }))).toMatchObject({
      event: 'run',
      data: { status: 'running' },
    });
    expect(m.needsPolling()).toBe(false);
    expect(m.apply(ev(4, { workflowTaskCompletedEventAttributes: {} }))).toBeUndefined();
  });

  it('routine task failures (a signal raced the completion, a sticky reset) are not stuck', () => {
    const m = new HistoryMapper(defaultPayloadConverter, 'wf', 'run');
    m.apply(started);
    expect(m.apply(taskFailed(2, 1, 'UnhandledCommand'))).toBeUndefined();
    expect(m.apply(taskFailed(3, 13, 'reset sticky'))).toBeUndefined();
    expect(m.needsPolling()).toBe(false);
  });
});

describe('one stuck-run detector for describeFlow, GET /api/runs/:id and the event stream', () => {
  const failedEvent = (cause: number, message: string) => ({
    eventType: 9, // EVENT_TYPE_WORKFLOW_TASK_FAILED
    workflowTaskFailedEventAttributes: { cause, failure: { message } },
  });

  it('describeFlow reads the first line of the newest failure and the count from the attempt', () => {
    expect(workflowTaskProblemOf(3, [failedEvent(14, 'Script timed out\n    at x')])).toEqual({
      kind: 'failed',
      message: 'Script timed out',
      cause: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
      failures: 2,
    });
  });

  it('a streak that began with a routine failure is not stuck there either', () => {
    expect(workflowTaskProblemOf(3, [failedEvent(13, 'reset sticky')])).toBeUndefined();
    expect(workflowTaskProblemOf(3, [failedEvent(1, 'UnhandledCommand')])).toBeUndefined();
  });
});

describe("run statuses from Temporal's names, in one place", () => {
  it('maps every execution status; a name it does not know is unknown', () => {
    expect(
      ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'].map(runStatusOf),
    ).toEqual(['running', 'completed', 'failed', 'cancelled', 'terminated', 'timedOut']);
    expect(runStatusOf('CONTINUED_AS_NEW')).toBe('continuedAsNew');
    expect(runStatusOf('PAUSED')).toBe('paused');
    expect(runStatusOf('UNSPECIFIED')).toBe('unknown');
  });

  it('spells the visibility filter the way the server does; stuck cannot be filtered', () => {
    expect(visibilityStatusOf('cancelled')).toBe('Canceled');
    expect(visibilityStatusOf('timedOut')).toBe('TimedOut');
    expect(visibilityStatusOf('stuck')).toBeUndefined();
    expect(visibilityStatusOf('toString')).toBeUndefined();
  });
});
