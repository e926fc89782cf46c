import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { abandonedActivities, loadPlugins } from '../../interpreter/activities';
import { describeFlow, flowOutcome, startFlow } from '../../interpreter/client';
import { freePort } from '../../interpreter/temporal';
import { TEST_ACTIVITIES } from '../fixtures/plugins/test-activities';
import { runTestWorkers, testClient, uniqueTaskQueue, uniqueWorkflowId } from '../helpers';
import { bounded, compiledFixture, eventually, startWeft } from './processes';

const HANG = fileURLToPath(new URL('../fixtures/plugins/hang.mjs', import.meta.url));

const compiled = compiledFixture;

// Issue 12, item 3: a plugin whose run never resolves, 100 steps with startToClose 1s and the
// default retry: within 20 s every activity slot was held, and a plain echo flow stayed
// "scheduled" for good; SIGTERM left the worker DRAINING.
describe('a hanging activity', () => {
  it('120 hanging steps (startToClose 1s, default retry) do not starve the worker: an echo flow on it completes', async () => {
    const registry = await loadPlugins([HANG, TEST_ACTIVITIES]);
    const taskQueue = uniqueTaskQueue('hang');
    // The SDK's default: 100 activity slots.
    const workers = await runTestWorkers(registry, [taskQueue]);
    const client = await testClient();
    let hang: WorkflowHandle | undefined;
    try {
      const before = abandonedActivities().byActivity['hang.forever'] ?? 0;
      const items = Array.from({ length: 120 }, (_, i) => i);
      const started = await startFlow(
        client,
        await compiled('hang-many.flow.yaml', [HANG]),
        { items },
        { taskQueue, workflowId: uniqueWorkflowId('hang-many') },
      );
      hang = started.handle;
      // Every slot has been taken by a hanging attempt (and given back) at least once.
      await eventually('110 abandoned attempts', 120_000, async () =>
        (abandonedActivities().byActivity['hang.forever'] ?? 0) - before >= 110 ? true : undefined,
      );
      const echo = await startFlow(
        client,
        await compiled('echo.flow.yaml', [TEST_ACTIVITIES]),
        { ping: 1 },
        { taskQueue, workflowId: uniqueWorkflowId('echo') },
      );
      expect(await bounded(flowOutcome(echo.handle), 60_000, 'the echo flow')).toEqual({
        status: 'completed',
        output: { ping: 1 },
      });
      // `weft describe` shows why the hanging steps keep retrying: once a plugin has been
      // abandoned, the worker ends its attempts just before the deadline and says so.
      const said = await eventually('a pending attempt that says why', 30_000, async () => {
        const d = await describeFlow(client, started.workflowId);
        return d.pendingActivities.find((p) =>
          p.lastFailure?.message.includes('hang.forever: the plugin ignores cancellation'),
        );
      });
      expect(said.lastFailure?.type).toBe('Timeout');
    } finally {
      await hang?.terminate().catch(() => undefined);
      await workers.shutdown();
      await registry.close();
    }
  }, 300_000);

  it('weft worker with a hanging activity exits on the first SIGTERM within its grace period', async () => {
    const taskQueue = uniqueTaskQueue('hang-term');
    const worker = startWeft([
      'worker',
      '--plugins',
      HANG,
      '--task-queue',
      taskQueue,
      '--shutdown-grace',
      '2s',
    ]);
    const client = await testClient();
    let hang: WorkflowHandle | undefined;
    try {
      await worker.waitFor('weft worker: serving', 60_000);
      const started = await startFlow(
        client,
        await compiled('hang-one.flow.yaml', [HANG]),
        {},
        {
          taskQueue,
          workflowId: uniqueWorkflowId('hang-one'),
        },
      );
      hang = started.handle;
      await eventually('the hanging attempt started', 60_000, async () => {
        const d = await describeFlow(client, started.workflowId);
        return d.pendingActivities.find((p) => p.state === 'started');
      });
      worker.child.kill('SIGTERM');
      // The grace period (2s) plus the time to close connections; never the hour the step allows.
      const r = await worker.exited(20_000);
      expect(r.killed).toBe(false);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('weft worker: stopped');
    } finally {
      await hang?.terminate().catch(() => undefined);
      worker.child.kill('SIGKILL');
    }
  }, 180_000);

  it('weft serve counts abandoned attempts of its worker process on /api/health, and with a hanging activity exits on the first SIGTERM within its grace period', async () => {
    const taskQueue = uniqueTaskQueue('hang-serve');
    const flows = mkdtempSync(join(tmpdir(), 'weft-faults-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const serve = startWeft([
      'serve',
      '--port',
      String(port),
      '--flows',
      flows,
      '--plugins',
      HANG,
      '--task-queue',
      taskQueue,
    ]);
    const client = await testClient();
    let hang: WorkflowHandle | undefined;
    try {
      await serve.waitFor('weft serve: http://', 120_000);
      const started = await startFlow(
        client,
        await compiled('hang-one.flow.yaml', [HANG]),
        {},
        {
          taskQueue,
          workflowId: uniqueWorkflowId('hang-serve'),
        },
      );
      hang = started.handle;
      await eventually('the hanging attempt started', 90_000, async () => {
        const d = await describeFlow(client, started.workflowId);
        return d.pendingActivities.find((p) => p.state === 'started');
      });
      // Abandoned attempts happen in the worker process; the server's health route counts them.
      const few = await startFlow(
        client,
        await compiled('hang-many.flow.yaml', [HANG]),
        { items: [1, 2, 3] },
        { taskQueue, workflowId: uniqueWorkflowId('hang-few') },
      );
      try {
        const counted = await eventually('abandoned attempts on /api/health', 60_000, async () => {
          const body = (await (await fetch(`${url}/api/health`)).json()) as {
            abandonedActivities?: { total: number; byActivity: Record<string, number> };
          };
          const n = body.abandonedActivities?.byActivity['hang.forever'] ?? 0;
          return n >= 3 ? body.abandonedActivities : undefined;
        });
        expect(counted?.total).toBeGreaterThanOrEqual(3);
      } finally {
        await few.handle.terminate().catch(() => undefined);
      }
      serve.child.kill('SIGTERM');
      // The worker's default grace period (10s), then the worker process and the server stop.
      const r = await serve.exited(40_000);
      expect(r.killed).toBe(false);
      expect(r.code).toBe(0);
    } finally {
      await hang?.terminate().catch(() => undefined);
      serve.child.kill('SIGKILL');
    }
  }, 240_000);
});
