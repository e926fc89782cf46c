import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFlow } from '../../interpreter/client';
import {
  interpreterBundle,
  startTestWorker,
  type TestWorker,
  testClient,
  testServer,
  uniqueTaskQueue,
  uniqueWorkflowId,
} from '../helpers';
import { type SpawnedWeft, spawnWeft, weft } from '../integration/cli/weft';

// Issue 12, item 5: a run whose workflow tasks keep failing (an expression that times out the
// isolate, an input the interpreter cannot read) showed "started"/"running" for ever; the
// failure was visible only in the raw history. The client now reads it (describe's pending
// workflow task attempt + the last WorkflowTaskFailed event), `weft describe` shows it as
// `stuck`, and `weft run` prints it while it keeps watching.
const FIXTURES = fileURLToPath(new URL('./fixtures/cli/', import.meta.url));
const PLUGIN = join(FIXTURES, 'cli-faults.plugin.mjs');
const UNREADABLE = 'weft/unreadable';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a flow-typed workflow whose input no data converter can decode. */
async function startUnreadable(taskQueue: string, workflowId: string) {
  const client = await testClient();
  const bytes = (s: string) => new TextEncoder().encode(s);
  await client.workflowService.startWorkflowExecution({
    namespace: testServer().namespace,
    workflowId,
    workflowType: { name: 'cli-fault-healthy' },
    taskQueue: { name: taskQueue },
    requestId: randomUUID(),
    input: { payloads: [{ metadata: { encoding: bytes(UNREADABLE) }, data: bytes('{}') }] },
  });
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(250);
  }
}

describe('a run whose workflow tasks keep failing', () => {
  const taskQueue = uniqueTaskQueue('cli-stuck');
  let worker: SpawnedWeft;
  beforeAll(async () => {
    worker = spawnWeft(['worker', '--plugins', PLUGIN, '--task-queue', taskQueue]);
    await worker.waitFor('weft worker: serving');
  });
  afterAll(async () => {
    await worker?.stop();
  });

  it('weft describe shows it stuck, with the failure message and count', async () => {
    const id = uniqueWorkflowId('cli-stuck');
    await startUnreadable(taskQueue, id);
    const client = await testClient();
    try {
      const stuck = await until('the client to see the run stuck', async () => {
        return (await describeFlow(client, id)).stuck;
      });
      expect(stuck).toMatchObject({
        kind: 'failed',
        cause: 'WORKFLOW_WORKER_UNHANDLED_FAILURE',
      });
      expect(stuck.message).toContain(`Unknown encoding: ${UNREADABLE}`);
      expect(stuck.failures).toBeGreaterThanOrEqual(1);

      const r = await weft(['describe', id]);
      expect(r.code).toBe(0);
      const described = JSON.parse(r.stdout) as { status: string; stuck?: { message: string } };
      expect(described.status).toBe('RUNNING');
      expect(described.stuck?.message).toContain(`Unknown encoding: ${UNREADABLE}`);
      expect(r.stderr).toMatch(
        new RegExp(
          `weft describe: ${id} stuck: the workflow task failed (once|\\d+ times): Unknown encoding`,
        ),
      );
    } finally {
      await client.workflow.getHandle(id).terminate('test over');
    }
    // The worker that failed those tasks still serves a healthy flow.
    const healthy = await weft([
      'run',
      join(FIXTURES, 'healthy.flow.yaml'),
      '--plugins',
      PLUGIN,
      '--no-worker',
      '--task-queue',
      taskQueue,
      '--json',
    ]);
    expect([healthy.code, healthy.last()]).toEqual([0, { status: 'completed', output: 42 }]);
  });
});

describe('weft run of a run that gets stuck', () => {
  let broken: TestWorker;
  beforeAll(async () => {
    // The real interpreter behind a codec that cannot read any payload: every workflow task of
    // every run on this queue fails, deterministically, the way an unreadable input does.
    broken = await startTestWorker({
      taskQueuePrefix: 'cli-stuck-run',
      workflowBundle: await interpreterBundle(),
      dataConverter: {
        payloadCodecs: [
          {
            encode: async (payloads) => payloads,
            decode: async () => {
              throw new Error('this worker cannot read the flow input');
            },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await broken?.stop();
  });

  it('prints that it is stuck with the message and count, keeps watching, quits on the second signal', async () => {
    const id = uniqueWorkflowId('cli-stuck-run');
    const p = spawnWeft([
      'run',
      join(FIXTURES, 'healthy.flow.yaml'),
      '--plugins',
      PLUGIN,
      '--no-worker',
      '--task-queue',
      broken.taskQueue,
      '--workflow-id',
      id,
    ]);
    try {
      await p.waitFor('stuck: the workflow task failed', 'stdout');
      expect(p.stdout()).toMatch(
        /⚠ cli-fault-healthy stuck: the workflow task failed (once|\d+ times): this worker cannot read the flow input/,
      );
      // Still watching: it has not exited on its own.
      await pause(1000);
      expect(p.child.exitCode).toBe(null);
      p.child.kill('SIGINT');
      await p.waitFor('cancelling the flow', 'stdout');
      // The cancellation cannot be processed either; the second signal quits at once.
      p.child.kill('SIGINT');
      expect(await p.exitWithin(10_000)).toBe(130);
      expect(p.stdout()).toContain(`${id} goes on without this process`);
    } finally {
      await p.stop();
      await (await testClient()).workflow.getHandle(id).terminate('test over');
    }
    const healthy = await weft([
      'run',
      join(FIXTURES, 'healthy.flow.yaml'),
      '--plugins',
      PLUGIN,
      '--json',
    ]);
    expect([healthy.code, healthy.last()]).toEqual([0, { status: 'completed', output: 42 }]);
  });
});
