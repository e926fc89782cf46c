/**
 * `weft/worker`: a Weft worker inside the application's own Node process, serving the interpreter
 * workflow and the application's plugins. The CLI's `weft worker` is the same thing with flags.
 */
import { resolve } from 'node:path';
import type { ActivityInterceptorsFactory, NativeConnection } from '@temporalio/worker';
import { loadPlugins } from '../activities/load';
import type { Registry } from '../activities/registry';
import type { Plugin } from '../activities/types';
import { DEFAULT_TASK_QUEUE, LOCAL_SERVER } from '../client';
import { connectionOptionsFromEnv, connectWorker } from '../temporal';
import { runWorkers } from '../worker/run';

export interface StartWorkerOptions {
  /**
   * Plugins to serve besides the built-ins: plugin objects, or module specifiers loaded as
   * `--plugins` loads them (a `.ts`, `.mts`, `.js` or `.mjs` path relative to `cwd`, or a package
   * name). A `runIn: 'thread'` activity must come from a module specifier: threads import it.
   */
  plugins?: (Plugin | string)[];
  /** Where relative plugin paths resolve (default: the current directory). */
  cwd?: string;
  /** Queues to serve, one worker each (default: `weft`, the queue `weft run` starts flows on). */
  taskQueues?: string[];
  /**
   * The server; defaults to TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE (with their TLS and API key
   * variables), else localhost:7233 and `default`. Ignored when `connection` is given.
   */
  address?: string;
  namespace?: string;
  /** A connection the application already holds; it stays open after the worker stops. */
  connection?: NativeConnection;
  /** Private hosts the built-in HTTP activities may reach (as `--allow-http`). */
  allowHttp?: string[];
  /** The application's activity interceptors, run after Weft's own. */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /**
   * The application's workflow interceptor modules (paths relative to `cwd`), as in Temporal's
   * `interceptors.workflowModules`: the interpreter is then bundled with them when the worker
   * starts (seconds, once per process) instead of loaded prebuilt.
   */
  workflowInterceptorModules?: string[];
  /** false: serve activities only (another worker runs the interpreter workflow). */
  workflows?: boolean;
  maxCachedWorkflows?: number;
  maxConcurrentActivityTaskExecutions?: number;
  /** How long in-flight activities get on shutdown (default `10s`). */
  shutdownGraceTime?: string | number;
  identity?: string;
}

export interface WeftWorker {
  taskQueues: string[];
  /** Every activity name served, built-ins included. */
  activities: string[];
  /** Settles when every queue's worker has stopped; rejects with the first failure. */
  done: Promise<void>;
  /** Graceful: in-flight tasks finish within the grace time, then `done` settles. */
  shutdown(): Promise<void>;
}

/** Registers plugin objects and imports plugin modules, in the order given. */
async function registryOf(plugins: (Plugin | string)[], options: StartWorkerOptions) {
  const modules = plugins.filter((p): p is string => typeof p === 'string');
  const registry: Registry = await loadPlugins(modules, options.cwd, {
    allowHttp: options.allowHttp,
  });
  for (const p of plugins) if (typeof p !== 'string') registry.add(p);
  return registry;
}

/** Loads the plugins, connects, and starts polling; stop it with `shutdown()`. */
export async function startWorker(options: StartWorkerOptions = {}): Promise<WeftWorker> {
  const registry = await registryOf(options.plugins ?? [], options);
  const settings = { ...(connectionOptionsFromEnv() ?? LOCAL_SERVER) };
  if (options.address) settings.address = options.address;
  if (options.namespace) settings.namespace = options.namespace;
  const owned = options.connection ? undefined : await connectWorker(settings);
  const connection = options.connection ?? (owned as NativeConnection);
  let group: Awaited<ReturnType<typeof runWorkers>>;
  try {
    group = await runWorkers({
      connection,
      namespace: options.namespace ?? settings.namespace,
      taskQueues: options.taskQueues ?? [DEFAULT_TASK_QUEUE],
      registry,
      workflows: options.workflows,
      maxCachedWorkflows: options.maxCachedWorkflows,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivityTaskExecutions,
      shutdownGraceTime: options.shutdownGraceTime,
      identity: options.identity,
      activityInterceptors: options.activityInterceptors,
      workflowInterceptorModules: (options.workflowInterceptorModules ?? []).map((m) =>
        resolve(options.cwd ?? process.cwd(), m),
      ),
    });
  } catch (err) {
    await owned?.close().catch(() => undefined);
    await registry.close();
    throw err;
  }
  const done = group.done.finally(async () => {
    await owned?.close().catch(() => undefined);
    await registry.close();
  });
  done.catch(() => undefined);
  return {
    taskQueues: group.taskQueues,
    activities: registry.names(),
    done,
    async shutdown() {
      await group.shutdown();
      await done.catch(() => undefined);
    },
  };
}

export { loadPlugins } from '../activities/load';
export { Registry } from '../activities/registry';
export { createWeftWorker, type WeftWorkerOptions } from '../worker/worker';
export type { ActivityInterceptorsFactory, NativeConnection };
