import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { compensatedBy, HistoryMapper, stepIdOf } from '../../../interpreter/api/events';
import { historyFromObject } from '../../helpers/flows';

/**
 * HistoryMapper is a pure state machine over one run's history, so the recorded histories of
 * test/histories pin what GET /api/runs/:id/events streams for them, without a server. The replay
 * test runs them with the file name as workflow id, and so does this one: child flow ids derive
 * from it.
 */
const dir = fileURLToPath(new URL('../../histories/', import.meta.url));

function mapHistory(name: string): { mapper: HistoryMapper; lines: string[] } {
  const history = historyFromObject(JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')));
  const mapper = new HistoryMapper(defaultPayloadConverter, name, 'run-1');
  const lines: string[] = [];
  for (const event of history.events ?? []) {
    const out = mapper.apply(event);
    if (out === undefined) continue;
    if (out.event === 'continued') lines.push('continued');
    else if (out.event === 'run') {
      const { status, error, output } = out.data;
      lines.push(
        `run ${status}${error ? ` ${JSON.stringify(error)}` : ''}${output === undefined ? '' : ` -> ${JSON.stringify(output)}`}`,
      );
    } else {
      const { status, instanceId, activity, attempt, error } = out.data;
      lines.push(
        `${status} ${instanceId} ${activity} #${attempt}${error ? ` ${JSON.stringify(error)}` : ''}`,
      );
    }
  }
  return { mapper, lines };
}

describe('HistoryMapper on recorded histories', () => {
  it('an activity sequence: each step scheduled, started and completed, then the output', () => {
    const { mapper, lines } = mapHistory('activity-sequence');
    expect(lines).toEqual([
      'run running',
      'scheduled first test.add #1',
      'started first test.add #1',
      'completed first test.add #1',
      'scheduled second test.echo #1',
      'started second test.echo #1',
      'completed second test.echo #1',
      'scheduled typed test.echo #1',
      'started typed test.echo #1',
      'completed typed test.echo #1',
      'run completed -> {"sum":42,"text":"sum is 42","pair":[42,42]}',
    ]);
    expect(mapper.flow).toBe('seq');
    expect(mapper.closed).toBe(true);
    expect(mapper.needsPolling()).toBe(false);
  });

  it("every event carries the step, its name, the activity, the history time, and the run's and the activity's input and output", () => {
    const history = historyFromObject(
      JSON.parse(readFileSync(`${dir}activity-sequence.json`, 'utf8')),
    );
    const mapper = new HistoryMapper(defaultPayloadConverter, 'activity-sequence', 'run-1');
    const [started, scheduled, , completed] = (history.events ?? [])
      .map((e) => mapper.apply(e))
      .filter((out) => out !== undefined);
    expect(started).toEqual({
      event: 'run',
      data: {
        status: 'running',
        workflowId: 'activity-sequence',
        runId: 'run-1',
        flow: 'seq',
        input: { x: 40 },
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(scheduled).toEqual({
      event: 'step',
      data: {
        stepId: 'first',
        instanceId: 'first',
        name: 'first',
        activity: 'test.add',
        status: 'scheduled',
        attempt: 1,
        input: expect.anything(),
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(completed).toMatchObject({ event: 'step', data: { status: 'completed', output: 42 } });
  });

  it("retries: the history holds only the last attempt, and the run's error keeps retryState and attempts", () => {
    expect(mapHistory('activity-retry-state').lines).toEqual([
      'run running',
      'scheduled caught test.flaky #1',
      'started caught test.flaky #2',
      'failed caught test.flaky #2 {"type":"Flaky","message":"attempt 2 failed"}',
      'scheduled flaky test.flaky #1',
      'started flaky test.flaky #3',
      'failed flaky test.flaky #3 {"type":"Flaky","message":"attempt 3 failed"}',
      'run failed {"type":"Flaky","message":"attempt 3 failed","step":"flaky","attempts":3,"retryState":"MAXIMUM_ATTEMPTS_REACHED"}',
    ]);
  });

  it('a saga: the failed step, then the compensations newest first, then the original error', () => {
    expect(mapHistory('saga').lines).toEqual([
      'run running',
      'scheduled reserve test.echo #1',
      'started reserve test.echo #1',
      'completed reserve test.echo #1',
      'scheduled charge test.echo #1',
      'started charge test.echo #1',
      'completed charge test.echo #1',
      'scheduled ship test.fail #1',
      'started ship test.fail #1',
      'failed ship test.fail #1 {"type":"ShippingFailed","message":"no courier"}',
      'scheduled charge:compensate test.echo #1',
      'started charge:compensate test.echo #1',
      'completed charge:compensate test.echo #1',
      'scheduled reserve:compensate test.echo #1',
      'started reserve:compensate test.echo #1',
      'completed reserve:compensate test.echo #1',
      'run failed {"type":"ShippingFailed","message":"no courier","step":"ship"}',
    ]);
  });

  it('a cancel: the running activity is cancelled when the flow asks, then onCancel and compensation run', () => {
    expect(mapHistory('cancel').lines).toEqual([
      'run running',
      'scheduled book test.echo #1',
      'started book test.echo #1',
      'completed book test.echo #1',
      'scheduled long test.slow #1',
      'cancelled long test.slow #1',
      'scheduled notify test.echo #1',
      'started notify test.echo #1',
      'completed notify test.echo #1',
      'scheduled book:compensate test.echo #1',
      'started book:compensate test.echo #1',
      'completed book:compensate test.echo #1',
      'run cancelled',
    ]);
  });

  it('a child flow named after its step is a step (the child flow name as its activity)', () => {
    expect(mapHistory('example-order-batch').lines).toEqual([
      'run running',
      'scheduled invoice invoice #1',
      'started invoice invoice #1',
      'completed invoice invoice #1',
      'run completed -> {"shipments":[{"orderId":"B1-1","trackingId":"trk-B1-1"},{"orderId":"B1-2","trackingId":"trk-B1-2"}],"invoice":{"batchId":"B-1795686283879","shipments":2,"mailed":true}}',
    ]);
  });

  it('a child flow with its own `workflowId:` cannot be tied to a step, so it sends no step events', () => {
    expect(mapHistory('child-flow').lines).toEqual([
      'run running',
      'run completed -> "shipped A-1795686374300"',
    ]);
  });

  it('forEach: one instance per item (`work#i`), in the order the server saw them', () => {
    expect(mapHistory('for-each').lines).toEqual([
      'run running',
      'scheduled work#0 test.slow #1',
      'scheduled work#1 test.slow #1',
      'scheduled work#2 test.slow #1',
      'started work#2 test.slow #1',
      'completed work#2 test.slow #1',
      'scheduled work#3 test.slow #1',
      'started work#1 test.slow #1',
      'completed work#1 test.slow #1',
      'started work#3 test.slow #1',
      'completed work#3 test.slow #1',
      'started work#0 test.slow #1',
      'completed work#0 test.slow #1',
      'run completed -> ["a@0","b@1","c@2","d@3"]',
    ]);
  });

  it('a run that continues as new ends with `continued` (the stream follows the next run)', () => {
    const { mapper, lines } = mapHistory('for-each-continue-as-new-1');
    expect(lines.at(-1)).toBe('continued');
    expect(lines.filter((l) => l.startsWith('completed double#'))).toHaveLength(6);
    expect(mapper.closed).toBe(true);
  });

  it('a fail step and a caught failure: the DSL error with its details and step', () => {
    expect(mapHistory('fail').lines).toEqual([
      'run running',
      'run failed {"type":"Rejected","message":"order A1 rejected","details":{"id":"A1"},"step":"reject"}',
    ]);
    expect(mapHistory('try').lines).toEqual([
      'run running',
      'scheduled pay test.fail #1',
      'started pay test.fail #1',
      'failed pay test.fail #1 {"type":"PaymentDeclined","message":"card declined","details":{"code":51}}',
      'scheduled cleanup test.echo #1',
      'started cleanup test.echo #1',
      'completed cleanup test.echo #1',
      'run completed -> {"caught":{"type":"PaymentDeclined","message":"card declined","details":{"code":51},"step":"pay"},"cleaned":"cleanup"}',
    ]);
  });

  it('the other step kinds start with `running` and end with how the run ended', () => {
    const files = ['messages', 'parallel-all', 'parallel-race-sets', 'while', 'wait-timeout'];
    for (const name of files) {
      const { lines } = mapHistory(name);
      expect(lines[0], name).toBe('run running');
      expect(lines.at(-1), name).toMatch(/^run (completed|failed|cancelled)|^continued$/);
    }
  });
});

describe('compensations on the stream', () => {
  it('a compensation is its own step (`<step>:compensate`) and names the instance it undoes', () => {
    const history = historyFromObject(JSON.parse(readFileSync(`${dir}saga.json`, 'utf8')));
    const mapper = new HistoryMapper(defaultPayloadConverter, 'saga', 'run-1');
    const undo = (history.events ?? [])
      .map((e) => mapper.apply(e))
      .flatMap((out) => (out?.event === 'step' && out.data.compensates ? [out.data] : []))
      .map((d) => `${d.status} ${d.stepId} undoes ${d.compensates}`);
    expect(undo).toEqual([
      'scheduled charge:compensate undoes charge',
      'started charge:compensate undoes charge',
      'completed charge:compensate undoes charge',
      'scheduled reserve:compensate undoes reserve',
      'started reserve:compensate undoes reserve',
      'completed reserve:compensate undoes reserve',
    ]);
  });

  it('a compensation inside a loop keeps its suffix, so it never paints the step it undoes', () => {
    expect(stepIdOf('charge#2:compensate')).toBe('charge:compensate');
    expect(stepIdOf('charge#1.0:compensate')).toBe('charge:compensate');
    expect(compensatedBy('charge#2:compensate')).toBe('charge#2');
    expect(stepIdOf('charge#2')).toBe('charge');
    expect(compensatedBy('charge#2')).toBeUndefined();
  });
});
