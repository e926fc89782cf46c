import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureJavaTestServer } from '../../../interpreter/temporal';

const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));

describe("Temporal's Java time-skipping test server", () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    const path = await ensureJavaTestServer((line) => console.log(line));
    const start = () =>
      TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    // Core allows the server five seconds to listen. A JVM on a busy two-core machine can miss
    // that once; the second start finds its classes in the page cache.
    env = await start().catch(start);
  });
  afterAll(() => env?.teardown());

  it('sleeps a workflow for an hour of skipped time in seconds of wall time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping',
      workflowsPath,
    });
    const wallStart = Date.now();
    const result = await worker.runUntil(
      env.client.workflow.execute('sleeper', {
        taskQueue: 'time-skipping',
        workflowId: 'sleeper-1h',
        args: ['1h'],
      }),
    );
    expect(result).toBe('slept 1h');
    // The server's clock moved an hour; ours did not. Both are measured, nothing is asserted on speed.
    const skippedMs = (await env.currentTimeMs()) - wallStart;
    expect(skippedMs).toBeGreaterThanOrEqual(60 * 60 * 1000);
  });
});
