import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { Registry } from '../../interpreter/activities';
import { runWorkers, type WorkerGroup } from '../../interpreter/worker';
import { interpreterBundle } from './bundle';
import { testConnection, testServer, uniqueTaskQueue } from './temporal';

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  /** Shuts the worker down and waits until it has stopped. */
  stop(): Promise<void>;
}

/**
 * Starts a real worker on the test server, running the interpreter (unless `workflowsPath` or
 * `workflowBundle` says otherwise) and the given activities, on a fresh task queue.
 */
export async function startTestWorker(
  options: Partial<WorkerOptions> & { taskQueuePrefix?: string } = {},
): Promise<TestWorker> {
  const { taskQueuePrefix, ...rest } = options;
  const taskQueue = rest.taskQueue ?? uniqueTaskQueue(taskQueuePrefix ?? 'test');
  const workflowSource =
    rest.workflowsPath || rest.workflowBundle ? {} : { workflowBundle: await interpreterBundle() };
  const worker = await Worker.create({
    connection: await testConnection(),
    namespace: testServer().namespace,
    ...workflowSource,
    ...rest,
    taskQueue,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/** Weft's own workers (`runWorkers`, as `weft worker` starts them) on the test server. */
export async function runTestWorkers(
  registry: Registry,
  taskQueues: string[],
): Promise<WorkerGroup> {
  return runWorkers({
    connection: await testConnection(),
    namespace: testServer().namespace,
    taskQueues,
    registry,
  });
}

/** Reads a file next to the caller, for fixtures. */
export function readFixture(url: URL): string {
  return readFileSync(fileURLToPath(url), 'utf8');
}
