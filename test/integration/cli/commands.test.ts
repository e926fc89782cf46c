import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import type { WorkerGroup } from '../../../interpreter/worker';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { runTestWorkers, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { FIXTURES, weft } from './weft';

// The client commands against a flow served by an in-process worker on the test server.
let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('cli-cmd');
const plugin = join(FIXTURES, 'shop.plugin.mjs');

beforeAll(async () => {
  registry = await loadPlugins([plugin]);
  workers = await runTestWorkers(registry, [taskQueue]);
});
afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
});

const json = (text: string) => JSON.parse(text) as unknown;

/** `weft start` of the approval fixture flow on this file's worker queue. */
const startApproval = (id: string, ...extra: string[]) =>
  weft([
    'start',
    'approval.flow.yaml',
    '--plugins',
    'shop.plugin.mjs',
    '--task-queue',
    taskQueue,
    '--workflow-id',
    id,
    ...extra,
  ]);

describe('weft client commands', () => {
  it('start, query, update, describe, signal, result, list, history and replay', async () => {
    const id = uniqueWorkflowId('approval');
    const started = await startApproval(id);
    expect([started.code, started.stdout]).toEqual([0, `${id}\n`]);

    const status = await weft(['query', id, 'status']);
    expect([status.code, json(status.stdout)]).toEqual([0, { approved: false, items: 0 }]);

    const added = await weft(['update', id, 'addItem', '{"sku":"a","qty":2}']);
    expect([added.code, json(added.stdout)]).toEqual([0, 1]);
    const rejected = await weft(['update', id, 'addItem', '{"sku":"b","qty":0}']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('update addItem rejected');

    const described = await weft(['describe', id]);
    expect(described.code).toBe(0);
    expect(json(described.stdout)).toMatchObject({
      workflowId: id,
      flow: 'cli-approval',
      status: 'RUNNING',
      taskQueue,
      searchAttributes: { WeftFlow: 'cli-approval' },
      progress: { flow: 'cli-approval', status: 'running', current: ['approval'] },
    });

    const signalled = await weft(['signal', id, 'approve', '{"by":"kim"}']);
    expect(signalled.code).toBe(0);
    const result = await weft(['result', id, '--json']);
    expect([result.code, result.last()]).toEqual([
      0,
      { status: 'completed', output: { by: 'kim', items: [{ sku: 'a', qty: 2 }], code: 101 } },
    ]);

    // Visibility is eventually consistent; the run shows up within a few polls.
    let listed: { workflowId: string; status: string }[] = [];
    while (!listed.some((r) => r.workflowId === id)) {
      listed = json(
        (await weft(['list', '--flow', 'cli-approval', '--json'])).stdout,
      ) as typeof listed;
    }
    expect(listed.find((r) => r.workflowId === id)?.status).toBe('COMPLETED');

    const file = join(mkdtempSync(join(tmpdir(), 'weft-history-')), 'approval.json');
    expect((await weft(['history', id, '--out', file])).code).toBe(0);
    const events = (json(readFileSync(file, 'utf8')) as { events: { eventType: string }[] }).events;
    expect(events[0]?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    const replayed = await weft(['replay', file]);
    expect([replayed.code, replayed.stdout]).toEqual([
      0,
      `✓ ${id}: ${events.length} events replayed deterministically\n`,
    ]);
    // The same definition file: still deterministic. An edited one: caught.
    const same = await weft(['replay', file, 'approval.flow.yaml', '--plugins', 'shop.plugin.mjs']);
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('is the definition this run started with');
    const changed = await weft([
      'replay',
      file,
      'approval-changed.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      TEST_ACTIVITIES,
    ]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`✗ replay of ${id} failed`);
  }, 300_000);

  it('cancel ends a waiting flow as Cancelled; result exits 1', async () => {
    const id = uniqueWorkflowId('approval');
    const started = await startApproval(id, '--json');
    expect(json(started.stdout)).toMatchObject({ workflowId: id, taskQueue });
    expect((await weft(['cancel', id])).code).toBe(0);
    const result = await weft(['result', id, '--json']);
    expect(result.code).toBe(1);
    expect(result.last()).toMatchObject({ status: 'failed', error: { type: 'Cancelled' } });
  });

  it('manifest prints the built-ins plus the plugins as JSON (no test activities)', async () => {
    const r = await weft(['manifest', '--plugins', 'shop.plugin.mjs']);
    expect(r.code).toBe(0);
    const manifest = json(r.stdout) as { activities: { name: string }[] };
    expect(manifest.activities.map((a) => a.name)).toEqual([
      'http.request',
      'shop.add',
      'shop.charge',
      'shop.flaky',
      'shop.record',
      'shop.slow',
      'sse.consume',
    ]);
    expect(manifest.activities.find((a) => a.name === 'shop.add')).toEqual({
      name: 'shop.add',
      description: 'Adds two numbers',
      input: {
        type: 'object',
        required: ['a', 'b'],
        properties: { a: { type: 'number' }, b: { type: 'number' } },
      },
    });
  });

  it('start exits 2 for an invalid flow and for input that does not match the schema', async () => {
    const invalid = await weft(['start', 'invalid.flow.yaml', '--plugins', 'shop.plugin.mjs']);
    expect(invalid.code).toBe(2);
    const badInput = await weft([
      'start',
      'sequence.flow.yaml',
      '--plugins',
      'shop.plugin.mjs',
      TEST_ACTIVITIES,
    ]);
    expect(badInput.code).toBe(2);
    expect(badInput.stderr).toContain("must have required property 'x'");
  });
});
