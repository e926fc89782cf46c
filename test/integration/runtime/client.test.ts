import { google, temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import {
  ClientError,
  checkJsonDepth,
  describeFlow,
  exportHistory,
  flowOutcome,
  flowTaskQueues,
  isolateTaskQueues,
  listFlows,
  MAX_JSON_DEPTH,
  parseHistory,
  signalFlow,
  startFlow,
  watchProgress,
  workflowTaskProblemOf,
} from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { CompiledFlow } from '../../../interpreter/model';
import type { FlowProgress } from '../../../interpreter/model/progress';
import { replayHistory, type WorkerGroup } from '../../../interpreter/worker';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import {
  runTestWorkers,
  testClient,
  testServer,
  uniqueTaskQueue,
  uniqueWorkflowId,
} from '../../helpers';

const FLOW = new URL('./fixtures/heartbeat.flow.yaml', import.meta.url).pathname;
const GPU = 'runtime-test-gpu';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let registry: Registry;
let workers: WorkerGroup;
let flow: CompiledFlow;
let taskQueue: string;

beforeAll(async () => {
  const client = await testClient();
  // The flow's search attribute, registered once on the shared test server (idempotent).
  await client.connection.operatorService
    .addSearchAttributes({
      namespace: testServer().namespace,
      searchAttributes: {
        WeftTier: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      },
    })
    .catch((err: { message?: string }) => {
      if (!err.message?.includes('already')) throw err;
    });
  registry = await loadPlugins([TEST_ACTIVITIES]);
  const loaded = loadFlowFile(FLOW, { manifest: registry.manifest() });
  if (!loaded.compiled) throw new Error('heartbeat.flow.yaml does not compile');
  flow = loaded.compiled;
  taskQueue = uniqueTaskQueue('runtime');
  workers = await runTestWorkers(registry, flowTaskQueues(flow, taskQueue));
});

afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
});

describe('client library and worker', () => {
  it('serves every task queue the flow uses', () => {
    expect(flowTaskQueues(flow, taskQueue)).toEqual([taskQueue, GPU]);
    expect(workers.taskQueues).toEqual([taskQueue, GPU]);
  });

  it('starts with memo, search attributes, live progress and pending-activity details', async () => {
    const client = await testClient();
    const workflowId = uniqueWorkflowId('runtime');
    const { handle } = await startFlow(
      client,
      flow,
      { tier: 'gold', team: 'pay' },
      {
        taskQueue,
        workflowId,
      },
    );

    const snapshots: FlowProgress[] = [];
    const watcher = watchProgress(client, workflowId, (p) => snapshots.push(p), {
      intervalMs: 150,
    });
    // Heartbeat details and attempts come from describe(), while the activity runs.
    let sawHeartbeat = false;
    while (!sawHeartbeat) {
      const d = await describeFlow(client, workflowId);
      const nap = d.pendingActivities.find((p) => p.activityId === 'nap');
      if (nap?.heartbeatDetails !== undefined) {
        expect(nap).toMatchObject({ activityType: 'test.sleep', attempt: 1, state: 'started' });
        expect(Object.keys(nap.heartbeatDetails as object)).toEqual(['slept', 'of']);
        sawHeartbeat = true;
      } else await pause(100);
    }
    const outcome = await flowOutcome(handle);
    await watcher.stop();
    expect(outcome).toEqual({
      status: 'completed',
      output: { flaky: 'recovered', nap: 'rested', crunchOnMain: false },
    });

    // The watcher saw the retry of `flaky` and a heartbeat of `nap`, and ended with every step done.
    const steps = snapshots.flatMap((s) => s.steps);
    expect(steps.some((s) => s.id === 'flaky' && s.status === 'retrying' && s.attempts === 2)).toBe(
      true,
    );
    expect(steps.some((s) => s.id === 'nap' && s.heartbeat !== undefined)).toBe(true);
    const final = await watcher.poll();
    expect(final?.steps.map((s) => [s.id, s.status])).toEqual([
      ['flaky', 'completed'],
      ['nap', 'completed'],
      ['crunch', 'completed'],
    ]);
    expect(final?.steps.find((s) => s.id === 'flaky')?.attempts).toBe(2);

    const d = await describeFlow(client, workflowId);
    expect(d).toMatchObject({
      workflowId,
      flow: 'runtime-heartbeat',
      status: 'COMPLETED',
      taskQueue,
      weftHash: flow.hash,
      memo: { team: 'team-pay', weftHash: flow.hash },
      pendingActivities: [],
    });
    expect(d.searchAttributes).toMatchObject({ WeftFlow: 'runtime-heartbeat', WeftTier: 'gold' });
  });

  it('lists runs by flow name, and exports a history that replays', async () => {
    const client = await testClient();
    const workflowId = uniqueWorkflowId('runtime');
    const { handle } = await startFlow(client, flow, { tier: 'silver' }, { taskQueue, workflowId });
    expect((await flowOutcome(handle)).status).toBe('completed');

    // Visibility is eventually consistent: wait until the run shows up.
    let listed: Awaited<ReturnType<typeof listFlows>> = [];
    while (!listed.some((r) => r.workflowId === workflowId)) {
      listed = await listFlows(client, { flow: 'runtime-heartbeat', query: 'WeftTier = "silver"' });
      if (!listed.some((r) => r.workflowId === workflowId)) await pause(100);
    }
    expect(listed.find((r) => r.workflowId === workflowId)).toMatchObject({
      flow: 'runtime-heartbeat',
      status: 'COMPLETED',
    });

    const history = parseHistory(await exportHistory(client, workflowId));
    expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe(
      'runtime-heartbeat',
    );
    await expect(replayHistory(history, workflowId)).resolves.toBeUndefined();
  });

  it('passes options.executionTimeout to the server, and maps the timeout to Timeout', async () => {
    const client = await testClient();
    const file = new URL('./fixtures/execution-timeout.flow.yaml', import.meta.url).pathname;
    const { compiled } = loadFlowFile(file, { manifest: registry.manifest() });
    if (!compiled) throw new Error('execution-timeout.flow.yaml does not compile');
    const { handle } = await startFlow(client, compiled, {}, { taskQueue });
    expect(await flowOutcome(handle)).toEqual({
      status: 'timedOut',
      error: { type: 'Timeout', message: 'flow timed out (START_TO_CLOSE)' },
    });
  });
});

describe('client library: limits and routing', () => {
  const nested = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('refuses an input nested deeper than MAX_JSON_DEPTH before the start (the API path)', async () => {
    const client = await testClient();
    const workflowId = uniqueWorkflowId('runtime-deep');
    const refused = startFlow(client, flow, nested(10_000), { taskQueue, workflowId });
    await expect(refused).rejects.toBeInstanceOf(ClientError);
    await expect(refused).rejects.toMatchObject({
      code: 'WEFT_INPUT_TOO_DEEP',
      details: { limit: MAX_JSON_DEPTH, pointer: '/a/a/a/a/a/a/a/a/…' },
    });
    await expect(client.workflow.getHandle(workflowId).describe()).rejects.toThrow(/not found/i);
    // Signal and update payloads are held to the same limit.
    await expect(signalFlow(client, workflowId, 'go', nested(200))).rejects.toMatchObject({
      code: 'WEFT_INPUT_TOO_DEEP',
    });
  });

  it('counts depth exactly: MAX_JSON_DEPTH levels pass, one more does not', () => {
    expect(() => checkJsonDepth(nested(MAX_JSON_DEPTH), 'x')).not.toThrow();
    expect(() => checkJsonDepth([[[]]], 'x', 3)).not.toThrow();
    expect(() => checkJsonDepth([[[[]]]], 'x', 3)).toThrow(
      'x nests objects and arrays deeper than 3 levels (at /0/0/0)',
    );
    expect(() => checkJsonDepth({ a: [{ 'b/c': {} }] }, 'x', 3)).toThrow('(at /a/0/b~1c)');
  });

  it('isolateTaskQueues moves every named queue under the private one, and only those', () => {
    const { flow: isolated, queues } = isolateTaskQueues(flow, 'weft-run-test');
    expect([...queues]).toEqual([[GPU, `weft-run-test/${GPU}`]]);
    expect(flowTaskQueues(isolated, 'weft-run-test')).toEqual([
      'weft-run-test',
      `weft-run-test/${GPU}`,
    ]);
    // The original is untouched and the definition hash is the same.
    expect(flowTaskQueues(flow, taskQueue)).toEqual([taskQueue, GPU]);
    expect(isolated.hash).toBe(flow.hash);
  });

  it('reads a workflow-task problem from the pending attempt and the newest events', () => {
    const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
    const failed: temporal.api.history.v1.IHistoryEvent = {
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
      eventTime: google.protobuf.Timestamp.fromObject({ seconds: 1_700_000_000 }),
      workflowTaskFailedEventAttributes: {
        cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_WORKER_UNHANDLED_FAILURE,
        failure: { message: 'Script execution timed out after 5000ms' },
      },
    };
    const completed = { eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED };
    expect(workflowTaskProblemOf(1, [failed])).toBeUndefined();
    expect(workflowTaskProblemOf(4, [failed, completed])).toEqual({
      kind: 'failed',
      message: 'Script execution timed out after 5000ms',
      cause: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
      failures: 3,
      failedAt: '2023-11-14T22:13:20.000Z',
    });
    // A completed task newer than the failure: the failure is not this streak's.
    expect(workflowTaskProblemOf(2, [completed, failed])).toMatchObject({
      message: 'the workflow task has failed 1 times',
    });
  });
});
