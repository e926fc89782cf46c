import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowProgress } from '../../../interpreter/model/progress';
import {
  findTemporalCli,
  type RunningDevServer,
  startDevServer,
} from '../../../interpreter/temporal';
import { testActivities } from '../../fixtures/activities';
import { interpreterBundle, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { compileText, outcomeOf, recordHistory } from '../../helpers/flows';

/**
 * This one test needs its own dev server: continue-as-new is suggested only past the history
 * threshold, which dynamic config lowers here to a few dozen events. The server's hard limit is
 * lowered too (from 51,200 events), so a loop that would be terminated by it fits in test time.
 */
const THRESHOLD = 40;
const EVENT_LIMIT = 300;
const t = testActivities();
let server: RunningDevServer | undefined;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('can');

beforeAll(async () => {
  const cli = await findTemporalCli();
  if (!cli) throw new Error('no temporal CLI for the continue-as-new server');
  server = await startDevServer({
    binary: cli.path,
    ui: false,
    dynamicConfig: {
      'limit.historyCount.suggestContinueAsNew': THRESHOLD,
      'limit.historyCount.error': EVENT_LIMIT,
      'limit.historyCount.warn': EVENT_LIMIT / 2,
    },
  });
  client = new Client({
    connection: await Connection.connect({ address: server.address }),
    namespace: server.namespace,
  });
  worker = await Worker.create({
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: server.namespace,
    taskQueue,
    workflowBundle: await interpreterBundle(),
    activities: t.activities,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await client?.connection.close();
  await server?.stop();
});

const loop = {
  flow: 'long-loop',
  vars: { i: 0, total: 0 },
  steps: [
    { id: 'before', activity: 'test.echo', input: 'start', result: 'started' },
    {
      id: 'loop',
      while: '${ vars.i < input.n }',
      steps: [
        {
          id: 'add',
          activity: 'test.add',
          input: { a: '${ vars.total }', b: '${ vars.i }' },
          result: 'total',
        },
        { id: 'next', set: { i: '${ vars.i + 1 }' } },
      ],
    },
    { id: 'after', activity: 'test.echo', input: '${ vars.total }', result: 'final' },
  ],
  output: "${ { 'total': vars.final, 'i': vars.i, 'started': vars.started } }",
};

describe('continue-as-new', () => {
  it('continues as new at safe points when suggested, and the result does not change', async () => {
    const n = 30;
    const handle = await client.workflow.start('long-loop', {
      taskQueue,
      workflowId: uniqueWorkflowId('can'),
      args: [{ flow: compileText(loop), input: { n } }],
    });
    const expected = (n * (n - 1)) / 2;
    expect(await outcomeOf(handle)).toEqual({
      status: 'completed',
      output: { total: expected, i: n, started: 'start' },
    });
    // Every iteration ran exactly once across the runs, with ids that keep counting.
    const adds = t.calls.filter((c) => c.activity === 'test.add').map((c) => c.activityId);
    expect(adds).toEqual(Array.from({ length: n }, (_, i) => `add#${i}`));
    const progress = await handle.query<FlowProgress>('weft.progress');
    expect(progress.continuedAsNew).toBeGreaterThanOrEqual(2);
    const first = await client.workflow
      .getHandle(handle.workflowId, handle.firstExecutionRunId)
      .describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
  });

  it('carries registered compensations across runs: a failure after continue-as-new still compensates', async () => {
    const before = t.calls.length;
    const flow = compileText({
      flow: 'long-saga',
      vars: { i: 0 },
      steps: [
        {
          id: 'hold',
          activity: 'test.echo',
          input: 'held',
          result: 'held',
          compensate: { activity: 'test.echo', input: "${ 'release ' & vars.held }" },
        },
        {
          id: 'loop',
          while: '${ vars.i < 20 }',
          steps: [
            { id: 'tick', activity: 'test.add', input: { a: '${ vars.i }', b: 1 }, result: 'i' },
          ],
        },
        { id: 'boom', fail: { error: 'LateFailure', message: 'after ${ vars.i } ticks' } },
      ],
    });
    const handle = await client.workflow.start('long-saga', {
      taskQueue,
      workflowId: uniqueWorkflowId('can-saga'),
      args: [{ flow, input: {} }],
    });
    expect(await outcomeOf(handle)).toEqual({
      status: 'failed',
      error: { type: 'LateFailure', message: 'after 20 ticks', step: 'boom' },
    });
    const undo = t.calls.slice(before).filter((c) => c.activityId.endsWith(':compensate'));
    expect(undo.map((c) => [c.activityId, c.input])).toEqual([['hold:compensate', 'release held']]);
    const progress = await handle.query<FlowProgress>('weft.progress');
    expect(progress.continuedAsNew).toBeGreaterThanOrEqual(1);
  });

  it.each([1, 4])(
    'a top-level forEach over more activities than the history limit holds continues as new (concurrency %i)',
    async (concurrency) => {
      const n = 80; // 6 events per activity: about 480 events, over the 300-event limit
      const before = t.calls.length;
      const flow = compileText({
        flow: 'long-for-each',
        vars: { seen: 0 },
        steps: [
          { id: 'before', activity: 'test.echo', input: 'start', result: 'started' },
          {
            id: 'each',
            forEach: '${ [1..input.n] }',
            as: 'x',
            concurrency,
            steps: [
              { id: 'double', activity: 'test.add', input: { a: '${ x }', b: '${ x }' } },
              { id: 'count', set: { seen: '${ vars.seen + 1 }' } },
              { id: 'value', set: { last: '${ x * 2 }' } },
            ],
            result: 'doubled',
          },
          { id: 'after', activity: 'test.echo', input: '${ $sum(vars.doubled.last) }' },
        ],
        output:
          "${ { 'seen': vars.seen, 'sum': $sum(vars.doubled.last), 'n': $count(vars.doubled) } }",
      });
      const handle = await client.workflow.start('long-for-each', {
        taskQueue,
        workflowId: uniqueWorkflowId('can-each'),
        args: [{ flow, input: { n } }],
      });
      expect(await outcomeOf(handle)).toEqual({
        status: 'completed',
        output: { seen: n, sum: n * (n + 1), n },
      });
      // Each iteration ran exactly once across the runs, under its own id.
      const doubles = t.calls
        .slice(before)
        .filter((c) => c.activity === 'test.add')
        .map((c) => c.activityId)
        .sort();
      expect(doubles).toEqual(Array.from({ length: n }, (_, i) => `double#${i}`).sort());
      const progress = await handle.query<FlowProgress>('weft.progress');
      expect(progress.continuedAsNew).toBeGreaterThanOrEqual(2);
      // The first run holds the patch marker and the continue-as-new mid-loop.
      const first = client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      await recordHistory(first, `for-each-continue-as-new-${concurrency}`);
    },
  );

  it('a loop that cannot continue as new (not at the top level) fails with HistoryTooLarge before the server terminates it, and compensates', async () => {
    const before = t.calls.length;
    const flow = compileText({
      flow: 'nested-for-each',
      steps: [
        {
          id: 'hold',
          activity: 'test.echo',
          input: 'held',
          compensate: { activity: 'test.echo', input: 'released' },
        },
        {
          id: 'nested',
          if: '${ true }',
          then: [
            {
              id: 'each',
              forEach: '${ [1..80] }',
              steps: [{ id: 'double', activity: 'test.add', input: { a: '${ item }', b: 1 } }],
            },
          ],
        },
      ],
    });
    // The starter tells the interpreter the server's lowered limit (the server's is 300).
    const limits = { historyEvents: EVENT_LIMIT - 50 };
    const handle = await client.workflow.start('nested-for-each', {
      taskQueue,
      workflowId: uniqueWorkflowId('history-limit'),
      args: [{ flow, input: {}, limits }],
    });
    const outcome = await outcomeOf(handle);
    expect(outcome).toMatchObject({ status: 'failed', error: { type: 'HistoryTooLarge' } });
    if (outcome.status === 'failed') {
      expect(outcome.error.step).toMatch(/^double#\d+$/);
      expect(outcome.error.message).toMatch(/^the run's history has \d+ events/);
    }
    const undo = t.calls.slice(before).filter((c) => c.activityId.endsWith(':compensate'));
    expect(undo.map((c) => c.input)).toEqual(['released']);
  });
});
