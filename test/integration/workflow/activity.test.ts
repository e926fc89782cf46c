import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { HistoryMapper } from '../../../interpreter/api/events';
import { flowOutcome } from '../../../interpreter/client/result';
import type { FlowProgress } from '../../../interpreter/model/progress';
import { testActivities } from '../../fixtures/activities';
import { eventTypes, harnessPerFile, outcomeOf, recordHistory } from '../../helpers/flows';

const t = testActivities();
const harness = harnessPerFile({ activities: t.activities });

describe('activity steps', () => {
  it('runs a sequence with typed and interpolated expressions and returns the output', async () => {
    const handle = await harness().start(
      {
        flow: 'seq',
        steps: [
          { id: 'first', activity: 'test.add', input: { a: '${ input.x }', b: 2 }, result: 'sum' },
          { id: 'second', activity: 'test.echo', input: 'sum is ${ vars.sum }', result: 'text' },
          {
            id: 'typed',
            activity: 'test.echo',
            input: '${ [vars.sum, vars.sum] }',
            result: 'pair',
          },
        ],
        output: "${ { 'sum': vars.sum, 'text': vars.text, 'pair': vars.pair } }",
      },
      { x: 40 },
    );
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { sum: 42, text: 'sum is 42', pair: [42, 42] },
    });
    await recordHistory(handle, 'activity-sequence');
  });

  it('costs exactly 6 events per sequential activity step: 6N+5', async () => {
    const n = 4;
    const steps = Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      activity: 'test.echo',
      input: '${ vars.n }',
      result: 'n',
    }));
    const handle = await harness().start({
      flow: 'cost',
      vars: { n: 1 },
      steps,
      output: '${ vars.n }',
    });
    expect(await outcomeOf(handle)).toEqual({ status: 'completed', output: 1 });
    const events = await eventTypes(handle);
    expect(events).toHaveLength(6 * n + 5);
    expect(events.filter((e) => e === 'ACTIVITY_TASK_SCHEDULED')).toHaveLength(n);
    for (const banned of [
      'TIMER_STARTED',
      'MARKER_RECORDED',
      'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
    ]) {
      expect(events).not.toContain(banned);
    }
  });

  it('uses the step id as activityId and the step name as the summary, with all options', async () => {
    const handle = await harness().start({
      flow: 'options',
      steps: [
        {
          id: 'charge',
          name: 'Charge the card',
          activity: 'test.echo',
          input: 1,
          timeouts: {
            startToClose: '10s',
            scheduleToClose: '2m',
            scheduleToStart: '1m',
            heartbeat: '5s',
          },
          retry: {
            initialInterval: '2s',
            backoffCoefficient: 3,
            maximumInterval: '30s',
            maximumAttempts: 4,
            nonRetryableErrorTypes: ['OutOfStock'],
          },
        },
      ],
    });
    await outcomeOf(handle);
    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    const attrs = scheduled?.activityTaskScheduledEventAttributes;
    expect(attrs?.activityId).toBe('charge');
    expect(attrs?.startToCloseTimeout?.seconds?.toString()).toBe('10');
    expect(attrs?.scheduleToCloseTimeout?.seconds?.toString()).toBe('120');
    expect(attrs?.scheduleToStartTimeout?.seconds?.toString()).toBe('60');
    expect(attrs?.heartbeatTimeout?.seconds?.toString()).toBe('5');
    expect(attrs?.retryPolicy?.initialInterval?.seconds?.toString()).toBe('2');
    expect(attrs?.retryPolicy?.backoffCoefficient).toBe(3);
    expect(attrs?.retryPolicy?.maximumInterval?.seconds?.toString()).toBe('30');
    expect(attrs?.retryPolicy?.maximumAttempts).toBe(4);
    expect(attrs?.retryPolicy?.nonRetryableErrorTypes).toEqual(['OutOfStock']);
    const summary = scheduled?.userMetadata?.summary?.data;
    expect(summary && Buffer.from(summary).toString()).toBe('"Charge the card"');
  });

  it('retries until success', async () => {
    const before = t.count('test.flaky');
    const out = await harness().run({
      flow: 'retry',
      steps: [
        {
          id: 'flaky',
          activity: 'test.flaky',
          input: { succeedOn: 3 },
          retry: { initialInterval: '10ms', backoffCoefficient: 1, maximumAttempts: 5 },
        },
      ],
      output: '${ vars }',
    });
    expect(out).toEqual({ status: 'completed', output: {} });
    expect(t.count('test.flaky') - before).toBe(3);
  });

  it('maps an ApplicationFailure to its type and original message', async () => {
    const out = await harness().run({
      flow: 'app-failure',
      steps: [
        {
          id: 'boom',
          activity: 'test.fail',
          input: { type: 'OutOfStock', message: 'no stock for A1' },
        },
      ],
    });
    expect(out).toEqual({
      status: 'failed',
      error: {
        type: 'OutOfStock',
        message: 'no stock for A1',
        step: 'boom',
        retryState: 'NON_RETRYABLE_FAILURE',
      },
    });
  });

  it('a failed activity error carries its attempts and retry state, for catch, the client and the API', async () => {
    const before = t.count('test.flaky');
    const flow = {
      flow: 'retry-exhausted',
      steps: [
        {
          try: [
            {
              id: 'caught',
              activity: 'test.flaky',
              input: { succeedOn: 10 },
              retry: { initialInterval: '10ms', backoffCoefficient: 1, maximumAttempts: 2 },
            },
          ],
          catch: [{ as: 'err', steps: [{ set: { seen: '${ err }' } }] }],
        },
        {
          id: 'flaky',
          activity: 'test.flaky',
          input: { succeedOn: 10 },
          retry: { initialInterval: '10ms', backoffCoefficient: 1, maximumAttempts: 3 },
        },
      ],
    };
    const handle = await harness().start(flow);
    const outcome = await flowOutcome(handle);
    expect(outcome).toEqual({
      status: 'failed',
      error: {
        type: 'Flaky',
        message: 'attempt 3 failed',
        step: 'flaky',
        attempts: 3,
        retryState: 'MAXIMUM_ATTEMPTS_REACHED',
      },
    });
    expect(t.count('test.flaky') - before).toBe(5);
    await recordHistory(handle, 'activity-retry-state');
    const progress = await handle.query<FlowProgress>('weft.progress');
    expect(progress.vars.seen).toBeDefined();
    const seen = await harness().run({ ...flow, flow: 'retry-caught', steps: [flow.steps[0]] });
    expect(seen).toEqual({
      status: 'completed',
      output: {
        seen: {
          type: 'Flaky',
          message: 'attempt 2 failed',
          step: 'caught',
          attempts: 2,
          retryState: 'MAXIMUM_ATTEMPTS_REACHED',
        },
      },
    });
    const events = new HistoryMapper(defaultPayloadConverter, handle.workflowId, '').failure(
      (await handle.fetchHistory()).events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure,
    );
    expect(events).toMatchObject({ attempts: 3, retryState: 'MAXIMUM_ATTEMPTS_REACHED' });
  });

  it('maps a startToClose timeout to Timeout', async () => {
    const out = await harness().run({
      flow: 'timeout',
      steps: [
        {
          id: 'slow',
          activity: 'test.slow',
          input: { ms: 3000 },
          timeouts: { startToClose: '300ms' },
          retry: { maximumAttempts: 1 },
        },
      ],
    });
    expect(out.status).toBe('failed');
    expect(out.status === 'failed' && out.error.type).toBe('Timeout');
    expect(out.status === 'failed' && out.error.step).toBe('slow');
  });
});
