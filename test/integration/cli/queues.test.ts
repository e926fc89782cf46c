import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { type SpawnedWeft, spawnWeft, weft } from './weft';

const json = (p: SpawnedWeft) => JSON.parse(p.stdout().trim().split('\n').at(-1) ?? 'null');

// Issue 12, item 8: with `weft dev` (a worker on the default queue) running, every `weft run`
// failed with "… is not registered on this Worker": the dev worker took its tasks.
describe('weft run on a private task queue', () => {
  let thief: SpawnedWeft;
  beforeAll(async () => {
    // A worker without the shop plugin on the default queue and on the flow's named queue.
    thief = spawnWeft(['worker', '--task-queue', 'weft', '--task-queue', 'cli-gpu']);
    await thief.waitFor('weft worker: serving');
  });
  afterAll(async () => {
    await thief?.stop();
  });

  it('is never served by another worker on the default or a named queue', async () => {
    const ids = [1, 2, 3].map(() => uniqueWorkflowId('cli-queues'));
    const results = await Promise.all(
      ids.map((id) =>
        weft([
          'run',
          'queues.flow.yaml',
          '--plugins',
          'shop.plugin.mjs',
          '--workflow-id',
          id,
          '--json',
        ]),
      ),
    );
    for (const r of results) {
      expect([r.code, r.last()]).toEqual([0, { status: 'completed', output: 13 }]);
      expect(r.stderr).not.toContain('not registered');
    }
    // The workflow ran on weft-run-<id>, the gpu step on weft-run-<id>/cli-gpu.
    const history = await (await testClient()).workflow.getHandle(ids[0]!).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const queue = started?.taskQueue?.name ?? '';
    expect(queue).toMatch(/^weft-run-[0-9a-f]{12}$/);
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a !== null && a !== undefined)
      .map((a) => [a.activityId, a.taskQueue?.name]);
    expect(scheduled).toEqual([
      ['here', queue],
      ['gpu', `${queue}/cli-gpu`],
    ]);
  });

  it('--task-queue keeps the named queue (shared workers may serve it)', async () => {
    const taskQueue = uniqueTaskQueue('cli-named');
    const id = uniqueWorkflowId('cli-named');
    const r = await weft([
      'run',
      'add.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      '--input',
      '{"a":1}',
      '--task-queue',
      taskQueue,
      '--workflow-id',
      id,
      '--json',
    ]);
    expect([r.code, r.last()]).toEqual([0, { status: 'completed', output: 3 }]);
    const d = await (await testClient()).workflow.getHandle(id).describe();
    expect(d.taskQueue).toBe(taskQueue);
  });
});

// Issue 12, item 11: `weft run --no-worker` printed the result, then never exited and ignored
// SIGTERM (killed after 11 minutes), on success and on failure.
describe('weft run --no-worker against a separate weft worker', () => {
  const taskQueue = uniqueTaskQueue('cli-no-worker');
  let worker: SpawnedWeft;
  beforeAll(async () => {
    worker = spawnWeft(['worker', '--plugins', 'shop.plugin.mjs', '--task-queue', taskQueue]);
    await worker.waitFor('weft worker: serving');
  });
  afterAll(async () => {
    await worker?.stop();
  });

  const noWorker = (flow: string, input: unknown, ...extra: string[]) =>
    spawnWeft([
      'run',
      flow,
      '--plugins',
      'shop.plugin.mjs',
      '--no-worker',
      '--task-queue',
      taskQueue,
      '--input',
      JSON.stringify(input),
      '--json',
      ...extra,
    ]);

  it('prints the output and exits 0', async () => {
    const p = noWorker('add.flow.yaml', { a: 40 });
    expect(await p.exitWithin(30_000)).toBe(0);
    expect(json(p)).toEqual({ status: 'completed', output: 42 });
  });

  it('prints the failure and exits 1', async () => {
    const p = noWorker('declined.flow.yaml', {});
    expect(await p.exitWithin(30_000)).toBe(1);
    expect(json(p)).toMatchObject({
      status: 'failed',
      error: { type: 'PaymentDeclined', message: 'card declined for 500' },
    });
  });

  it('SIGTERM cancels the flow, the worker runs its cleanup, and the command exits 1', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weft-no-worker-')), 'cancel.log');
    const id = uniqueWorkflowId('cli-no-worker');
    const p = noWorker('cancellable.flow.yaml', { log }, '--workflow-id', id);
    await p.waitFor('▶ wait  running');
    p.child.kill('SIGTERM');
    expect(await p.exitWithin(30_000)).toBe(1);
    expect(json(p)).toMatchObject({ status: 'failed', error: { type: 'Cancelled' } });
    expect(readFileSync(log, 'utf8')).toBe('onCancel\n');
    // The worker is still healthy and serves the next flow.
    const next = noWorker('add.flow.yaml', { a: 1 });
    expect(await next.exitWithin(30_000)).toBe(0);
    expect(json(next)).toEqual({ status: 'completed', output: 3 });
  });
});
