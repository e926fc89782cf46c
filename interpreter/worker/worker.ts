import {
  type ActivityInterceptorsFactory,
  type NativeConnection,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { type ActivityFunction, durationMs, type Registry } from '../activities';
import { DEFAULT_TASK_QUEUE } from '../client';
import { weftWorkerInterceptors } from '../observability';
import { workflowBundle } from './bundle';

export interface WeftWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  /** The activities this worker serves (the built-ins plus loaded plugins). */
  registry: Registry;
  /** Serve the interpreter workflow on this queue (default true); false: activities only. */
  workflows?: boolean;
  /** Serve activities on this queue (default true). */
  activities?: boolean;
  /**
   * The activity functions to serve in place of the registry's own, by name (`weft test` serves
   * mocks under the plugins' names, so the workflow schedules exactly what it would for real).
   */
  activityFunctions?: Record<string, ActivityFunction>;
  /** Sticky cache size: workflows kept in memory between tasks. */
  maxCachedWorkflows?: number;
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** How long a sticky task waits for this worker before going to any worker (e.g. `5s`). */
  stickyQueueScheduleToStartTimeout?: string | number;
  /**
   * How long in-flight activities get to finish on shutdown (default 10s). Then they are
   * cancelled, and an attempt whose plugin ignores that ends anyway (see AttemptGuard).
   */
  shutdownGraceTime?: string | number;
  identity?: string;
  /** Activity interceptors of the embedding application, run after Weft's own. */
  activityInterceptors?: ActivityInterceptorsFactory[];
  /** Its workflow interceptor modules (absolute paths), bundled after Weft's own. */
  workflowInterceptorModules?: string[];
}

/**
 * A Weft worker on one task queue: the interpreter workflow (bundled once per process) and the
 * registry's activities. Returns it created, not running: call `run()` (or use runWorkers).
 */
export async function createWeftWorker(options: WeftWorkerOptions): Promise<Worker> {
  const interceptors = weftWorkerInterceptors();
  const serveWorkflows = options.workflows ?? true;
  const serveActivities = options.activities ?? true;
  const grace = options.shutdownGraceTime ?? '10s';
  const opts: WorkerOptions = {
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    shutdownGraceTime: grace,
    // A backstop past the grace period: whatever still holds the worker then (it should be
    // nothing, activities end when cancelled), shutdown fails instead of draining for ever.
    shutdownForceTime: durationMs(grace) + 10_000,
    interceptors: { activity: [...interceptors.activity, ...(options.activityInterceptors ?? [])] },
  };
  if (serveWorkflows)
    opts.workflowBundle = await workflowBundle(options.workflowInterceptorModules ?? []);
  if (serveActivities) {
    opts.activities = options.activityFunctions ?? options.registry.activities();
  }
  if (options.identity !== undefined) opts.identity = options.identity;
  if (options.maxCachedWorkflows !== undefined)
    opts.maxCachedWorkflows = options.maxCachedWorkflows;
  if (options.maxConcurrentActivityTaskExecutions !== undefined) {
    opts.maxConcurrentActivityTaskExecutions = options.maxConcurrentActivityTaskExecutions;
  }
  if (options.maxConcurrentWorkflowTaskExecutions !== undefined) {
    opts.maxConcurrentWorkflowTaskExecutions = options.maxConcurrentWorkflowTaskExecutions;
  }
  if (options.stickyQueueScheduleToStartTimeout !== undefined) {
    opts.stickyQueueScheduleToStartTimeout = options.stickyQueueScheduleToStartTimeout as never;
  }
  return Worker.create(opts);
}
