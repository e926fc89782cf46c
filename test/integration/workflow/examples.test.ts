import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { flowTaskQueues } from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { CompiledFlow } from '../../../interpreter/model';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { type Outcome, outcomeOf, recordHistory } from '../../helpers/flows';

/**
 * Every example in examples/ runs for real with the inputs its header suggests, through the
 * worker library and the example plugins; its history is kept as a replay fixture.
 */
const at = (path: string) => fileURLToPath(new URL(`../../../examples/${path}`, import.meta.url));

let registry: Registry;
const groups: WorkerGroup[] = [];

beforeAll(async () => {
  registry = await loadPlugins([at('plugins/shop.mjs'), at('plugins/compute.mjs')]);
});

afterAll(async () => {
  for (const group of groups) await group.shutdown();
});

async function compile(file: string): Promise<CompiledFlow> {
  const { compiled, diagnostics } = loadFlowFile(at(file), { manifest: registry.manifest() });
  if (!compiled) throw new Error(`${file} does not compile: ${JSON.stringify(diagnostics)}`);
  return compiled;
}

/**
 * The workflow id is the history file's name (minus .json), which test/replay passes back when
 * replaying: default child ids are derived from it (`<parent id>/<step id>`).
 */
async function start(file: string, input: unknown, name: string): Promise<WorkflowHandle> {
  const flow = await compile(file);
  const taskQueue = uniqueTaskQueue('example');
  groups.push(await runTestWorkers(registry, flowTaskQueues(flow, taskQueue)));
  const client = await testClient();
  return client.workflow.start(flow.flow, {
    taskQueue,
    workflowId:
      process.env.WEFT_RECORD_HISTORIES === '1' ? `example-${name}` : uniqueWorkflowId(name),
    args: [{ flow, input }],
    memo: { weftHash: flow.hash },
  });
}

async function runExample(file: string, input: unknown, name: string): Promise<Outcome> {
  const handle = await start(file, input, name);
  const outcome = await outcomeOf(handle);
  await recordHistory(handle, `example-${name}`);
  return outcome;
}

describe('examples', () => {
  it('order-fulfilment completes, and its saga compensates a failed shipment', async () => {
    const items = [{ sku: 'apple', qty: 2 }];
    const ok = await runExample(
      'order-fulfilment.flow.yaml',
      { orderId: 'A1', items, amount: 19.5, email: 'ann@example.com' },
      'order-fulfilment',
    );
    expect(ok.status).toBe('completed');
    const failed = await runExample(
      'order-fulfilment.flow.yaml',
      { orderId: 'A2', items, amount: 19.5, email: 'ann@example.com', address: { country: 'XX' } },
      'order-fulfilment-saga',
    );
    expect(failed.status).toBe('failed');
  });

  it('order-batch runs file and inline child flows', async () => {
    const out = await runExample(
      'order-batch.flow.yaml',
      {
        batchId: `B-${Date.now()}`,
        orders: [{ orderId: 'B1-1', address: { country: 'NL' } }, { orderId: 'B1-2' }],
      },
      'order-batch',
    );
    expect(out.status).toBe('completed');
  });

  it('thumbnails fans out with limited concurrency', async () => {
    const images = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'];
    const out = await runExample('thumbnails.flow.yaml', { images }, 'thumbnails');
    expect(out.status).toBe('completed');
  });

  it('gpu-routing routes steps to their task queues', async () => {
    const out = await runExample('gpu-routing.flow.yaml', { text: 'hello world' }, 'gpu-routing');
    expect(out.status).toBe('completed');
  });

  it('retries-and-timeouts completes', async () => {
    const out = await runExample('retries-and-timeouts.flow.yaml', {}, 'retries-and-timeouts');
    expect(out.status).toBe('completed');
  });

  it('approval waits for the decide signal', async () => {
    const handle = await start('approval.flow.yaml', { requestId: 'R7', amount: 250 }, 'approval');
    await handle.signal('decide', { approved: true, approver: 'maria' });
    const out = await outcomeOf(handle);
    await recordHistory(handle, 'example-approval');
    expect(out).toEqual({
      status: 'completed',
      output: { requestId: 'R7', decision: 'approved', approver: 'maria', notes: [] },
    });
  });
});
