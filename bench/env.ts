import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  type NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { builtinPlugins, Registry } from '../interpreter/activities';
import { weftWorkerInterceptors } from '../interpreter/observability';
import {
  connectClient,
  connectWorker,
  ensureServer,
  type TemporalServer,
} from '../interpreter/temporal';
import testActivities, { TEST_ACTIVITIES } from '../test/fixtures/plugins/test-activities';
import { bundleFor, type Side } from './bundles';

/** Worker settings both sides share; only the bundle differs. */
export const WORKER_SETTINGS = {
  maxCachedWorkflows: 1000,
  maxConcurrentWorkflowTaskExecutions: 10,
  maxConcurrentActivityTaskExecutions: 100,
} as const;

/**
 * One partition per task queue: with the dev server's default of four, a task written to one
 * partition waits for a poller forwarded from another, which adds tens of milliseconds to every
 * step on both sides alike and buries the interpreter's own cost in noise.
 */
export const SERVER_CONFIG = {
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
  'system.enableActivityEagerExecution': true,
};

/** Installs a quiet Temporal Runtime (warnings only) before any connection exists. */
export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process: keep it.
  }
}

/** The built-ins plus the test activities (test.echo), which are never built in. */
export function benchRegistry(): Registry {
  const registry = new Registry();
  for (const { plugin, source } of builtinPlugins()) registry.add(plugin, source);
  registry.add(testActivities, pathToFileURL(TEST_ACTIVITIES).href);
  return registry;
}

/** Worker options for one side: the same activities, interceptors and limits on both. */
export async function workerOptions(
  side: Side,
  connection: NativeConnection,
  namespace: string,
  taskQueue: string,
  registry: Registry,
): Promise<WorkerOptions> {
  const interceptors = weftWorkerInterceptors();
  return {
    connection,
    namespace,
    taskQueue,
    workflowBundle: await bundleFor(side),
    activities: registry.activities(),
    interceptors: { activity: interceptors.activity },
    shutdownGraceTime: '2s',
    ...WORKER_SETTINGS,
  };
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startWorker(
  side: Side,
  connection: NativeConnection,
  namespace: string,
  registry: Registry,
): Promise<RunningWorker> {
  const taskQueue = `bench-${side}-${randomUUID().slice(0, 8)}`;
  const worker = await Worker.create(
    await workerOptions(side, connection, namespace, taskQueue, registry),
  );
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

/** The server, a client and one running worker per side, on their own task queues. */
export interface BenchEnv {
  server: TemporalServer;
  client: Client;
  workers: Record<Side, RunningWorker>;
  close(): Promise<void>;
}

export async function openEnv(log: (line: string) => void): Promise<BenchEnv> {
  quietRuntime();
  const server = await ensureServer({ ui: false, onProgress: log, dynamicConfig: SERVER_CONFIG });
  let connection: Connection | undefined;
  let native: NativeConnection | undefined;
  const started: RunningWorker[] = [];
  try {
    const c = await connectClient(server);
    connection = c.connection;
    native = await connectWorker(server);
    const registry = benchRegistry();
    const interpreter = await startWorker('interpreter', native, server.namespace, registry);
    started.push(interpreter);
    const handwritten = await startWorker('handwritten', native, server.namespace, registry);
    started.push(handwritten);
    const nativeConn = native;
    const clientConn = connection;
    return {
      server,
      client: c.client,
      workers: { interpreter, handwritten },
      async close() {
        await Promise.all(started.map((w) => w.stop()));
        await nativeConn.close();
        await clientConn.close();
        await server.stop();
      },
    };
  } catch (err) {
    await Promise.all(started.map((w) => w.stop().catch(() => undefined)));
    await native?.close().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}
