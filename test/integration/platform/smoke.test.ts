import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker, testClient, uniqueWorkflowId } from '../../helpers';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

describe('the embedded dev server', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker({
      workflowsPath,
      taskQueuePrefix: 'smoke',
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
  });
  afterAll(() => worker?.stop());

  it('runs a workflow with an activity end to end', async () => {
    const client = await testClient();
    const handle = await client.workflow.start('greeting', {
      taskQueue: worker.taskQueue,
      workflowId: uniqueWorkflowId('smoke'),
      args: ['weft'],
    });
    expect(await handle.result()).toBe('hello, weft');
    const history = await handle.fetchHistory();
    // One activity step: 6 events for it plus 5 for the workflow itself.
    expect(history.events?.length).toBe(11);
  });
});
