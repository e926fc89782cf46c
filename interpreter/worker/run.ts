import type { Worker } from '@temporalio/worker';
import { createWeftWorker, type WeftWorkerOptions } from './worker';

export interface RunWorkersOptions extends Omit<WeftWorkerOptions, 'taskQueue'> {
  /** Every queue to serve; duplicates are ignored. */
  taskQueues: string[];
}

/** Several workers that run and stop together. */
export interface WorkerGroup {
  workers: Worker[];
  taskQueues: string[];
  /** Settles when every worker has stopped; rejects if one of them failed. */
  done: Promise<void>;
  /** Graceful: in-flight tasks finish (within shutdownGraceTime), then `done` settles. */
  shutdown(): Promise<void>;
}

/**
 * Starts one worker per task queue, each serving the interpreter and every registered activity,
 * so a flow runs whichever queue its steps name. One failing worker stops the others.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<WorkerGroup> {
  const taskQueues = [...new Set(options.taskQueues)];
  const workers: Worker[] = [];
  for (const taskQueue of taskQueues) {
    workers.push(await createWeftWorker({ ...options, taskQueue }));
  }
  const stopAll = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  const done = Promise.all(
    workers.map((w) =>
      w.run().catch((err: unknown) => {
        stopAll();
        throw err;
      }),
    ),
  ).then(() => undefined);
  // A rejection surfaces through `done`; keep it from being reported as unhandled meanwhile.
  done.catch(() => undefined);
  return {
    workers,
    taskQueues,
    done,
    async shutdown() {
      stopAll();
      await done.catch(() => undefined);
    },
  };
}
