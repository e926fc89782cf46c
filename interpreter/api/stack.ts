import { resolve } from 'node:path';
import { Client } from '@temporalio/client';
import { loadPlugins, type Registry } from '../activities';
import { DEFAULT_TASK_QUEUE, FLOW_SEARCH_ATTRIBUTE } from '../client';
import { formatDiagnostic } from '../dsl';
import { manifestWithActivitiesFile } from '../dsl/node';
import {
  installTracing,
  JsonLogger,
  type Logger,
  tracingClientInterceptors,
} from '../observability';
import {
  type ConnectionSettings,
  connectClient,
  connectWorker,
  ensureServer,
  type TemporalServer,
} from '../temporal';
import type { WorkerGroup } from '../worker';
// The supervisor alone: the worker package loads only where this process runs a worker itself.
import { WorkerSupervisor } from '../worker/supervisor';
import { createApp } from './app';
import type { ApiDeps } from './context';
import { FlowsDir } from './flows-dir';
import { QueueFollower, servedQueues } from './queue-follower';
import { flowSearchAttributes } from './search-attributes';
import { isLoopback } from './security';
import { listen } from './server';

export interface ServeOptions {
  host?: string;
  port?: number;
  flowsDir?: string;
  plugins?: string[];
  /** Loopback/private hosts, host:port pairs or CIDR blocks the HTTP activities may reach. */
  allowHttp?: string[];
  /** Plugin specifiers resolve from here (default: the process's cwd). */
  cwd?: string;
  token?: string;
  /** Run an in-process worker for the plugins (default true). */
  worker?: boolean;
  /**
   * Run that worker as a supervised child process with a heap limit (WorkerSupervisor) instead
   * of in this process, so no flow can take the server down; `weft serve` and `weft dev` do.
   */
  workerProcess?: boolean;
  /**
   * Task queues the in-process worker serves. Default: the flow queue, the plugins' queues and
   * every queue that the flows under flowsDir name, followed as the folder changes (a fixed
   * list given here is not).
   */
  taskQueues?: string[];
  /** The queue flows start on (default `weft`). */
  taskQueue?: string;
  /** A server to use; default: TEMPORAL_ADDRESS or the embedded dev server (ensureServer). */
  temporal?: ConnectionSettings & { uiUrl?: string };
  /** Options for the embedded dev server, when one is started. */
  devServer?: {
    dbFile?: string;
    /** Extra search attributes (name -> type) to register, besides WeftFlow. */
    searchAttributes?: Record<string, string>;
    onProgress?: (line: string) => void;
  };
  /** Prometheus exporter `host:port` for worker and Weft metrics. */
  metrics?: string;
  corsOrigins?: string[];
  /** Host names accepted besides loopback names and the bound address (`--allowed-host`). */
  allowedHosts?: string[];
  bodyLimit?: number;
  designerDir?: string;
  logger?: Logger;
  sse?: ApiDeps['sse'];
}

export interface RunningServe {
  url: string;
  port: number;
  temporal: { address: string; namespace: string; uiUrl?: string; external: boolean };
  client: Client;
  registry: Registry;
  workers?: WorkerGroup;
  /** What the start found wrong but served around (an activities file that keeps flows out). */
  warnings: string[];
  /** Stops HTTP, then workers, then the embedded server (if this process started one). */
  close(): Promise<void>;
}

/** `weft worker` as a supervised child process, on this server and these queues. */
function superviseWorker(
  options: ServeOptions,
  server: { address: string; namespace: string },
  taskQueues: string[],
  log: Logger,
): WorkerSupervisor {
  const args = taskQueues.flatMap((q) => ['--task-queue', q]);
  if (options.plugins?.length) args.push('--plugins', ...options.plugins);
  for (const rule of options.allowHttp ?? []) args.push('--allow-http', rule);
  if (options.metrics !== undefined) args.push('--metrics', options.metrics);
  return new WorkerSupervisor({
    args,
    env: { ...process.env, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace },
    cwd: options.cwd ?? process.cwd(),
    taskQueues,
    log,
  });
}

/** Refuses a public bind without a token: everything else would be an open door. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && (token === undefined || token === ''))
    throw new Error(
      `binding to ${host} exposes the API beyond this machine: give --token (or WEFT_TOKEN), or bind to 127.0.0.1`,
    );
}

/**
 * Registers `WeftFlow` (Keyword) on the namespace so runs can be listed by flow. Idempotent; a
 * server that refuses (no operator permission, Temporal Cloud) only loses that convenience.
 */
export async function registerSearchAttributes(client: Client, log: Logger): Promise<void> {
  try {
    const res = await client.connection.operatorService.listSearchAttributes({
      namespace: client.options.namespace,
    });
    if (res.customAttributes?.[FLOW_SEARCH_ATTRIBUTE] !== undefined) return;
    await client.connection.operatorService.addSearchAttributes({
      namespace: client.options.namespace,
      searchAttributes: { [FLOW_SEARCH_ATTRIBUTE]: 2 }, // INDEXED_VALUE_TYPE_KEYWORD
    });
    log.info('registered search attribute', { name: FLOW_SEARCH_ATTRIBUTE });
  } catch (err) {
    const code = (err as { code?: number }).code;
    if (code === 6) return; // ALREADY_EXISTS: a concurrent start won the race.
    log.warn('could not register search attribute', {
      name: FLOW_SEARCH_ATTRIBUTE,
      error: (err as Error).message,
    });
  }
}

/**
 * Everything `weft serve` runs: a Temporal server (given, from the environment, or embedded), a
 * client, the plugins, an in-process worker, and the HTTP API. Shared by serve, dev and tests.
 */
export async function startServe(options: ServeOptions = {}): Promise<RunningServe> {
  const host = options.host ?? '127.0.0.1';
  checkBind(host, options.token);
  // Plugins first: one that throws at import fails the start before anything (the Temporal
  // Runtime, a dev server) exists that would keep the process alive.
  const registry = await loadPlugins(options.plugins ?? [], options.cwd ?? process.cwd(), {
    allowHttp: options.allowHttp ?? [],
  });
  const logger = options.logger ?? new JsonLogger();
  // The Temporal Runtime lives as long as native workers and connections do; installed without
  // any (--no-worker), it would keep the process alive after shutdown, and it would serve no
  // metrics anyway.
  const inProcessWorker = (options.worker ?? true) && !options.workerProcess;
  const log = inProcessWorker
    ? (await import('../observability/runtime')).installRuntime({
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
        logger,
      })
    : logger;
  const flowsDir = resolve(options.flowsDir ?? '.');
  const cleanups: (() => Promise<void>)[] = [];
  // The registry owns the thread pool of `runIn: thread` activities.
  cleanups.push(() => registry.close());
  const traces = installTracing();
  if (traces) {
    log.info('tracing to OTLP', { endpoint: traces.endpoint });
    // Flush what is buffered; the provider stays registered for the life of the process.
    cleanups.push(() => traces.processor.forceFlush());
  }
  const closeAll = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn('shutdown step failed', { error: (err as Error).message });
      }
    }
  };
  try {
    let server: TemporalServer | (ConnectionSettings & { uiUrl?: string; external: true });
    if (options.temporal) server = { ...options.temporal, external: true };
    else {
      server = await ensureServer({
        ...(options.devServer?.dbFile === undefined ? {} : { dbFile: options.devServer.dbFile }),
        // The names flows use in options.searchAttributes, so starting them cannot fail.
        searchAttributes:
          options.devServer?.searchAttributes ?? (await flowSearchAttributes(flowsDir)),
        ...(options.devServer?.onProgress === undefined
          ? {}
          : { onProgress: options.devServer.onProgress }),
        output: 'ignore',
      });
      const started = server;
      cleanups.push(() => started.stop());
    }
    const connected = await connectClient(server);
    const connection = connected.connection;
    cleanups.push(() => connection.close());
    const client = traces
      ? new Client({
          connection,
          namespace: server.namespace,
          interceptors: { workflow: tracingClientInterceptors() },
        })
      : connected.client;
    await registerSearchAttributes(client, log);

    const taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
    // Plugins plus the external activities that the flows folder's activities file declares:
    // validation, /api/activities and the designer's palette see both alike.
    const manifest = () =>
      manifestWithActivitiesFile(registry.manifest(), flowsDir).manifest ?? registry.manifest();
    const activitiesFileDiagnostics = () =>
      manifestWithActivitiesFile(registry.manifest(), flowsDir).diagnostics;
    for (const d of manifestWithActivitiesFile(registry.manifest(), flowsDir).diagnostics) {
      log.warn(`activities file: ${formatDiagnostic(d)}`);
    }
    let workers: WorkerGroup | undefined;
    let follower: QueueFollower | undefined;
    const warnings: string[] = [];
    if (options.worker ?? true) {
      const pluginQueues = registry
        .manifest()
        .activities.flatMap((a) => (a.taskQueue === undefined ? [] : [a.taskQueue]));
      const flowsQueues = () =>
        servedQueues(
          { flows: new FlowsDir(flowsDir), manifest, activitiesFileDiagnostics },
          taskQueue,
        );
      let flowQueues: string[] = [];
      if (!options.taskQueues) {
        const served = await flowsQueues();
        flowQueues = [...served.queues.keys()];
        for (const warning of served.warnings) {
          warnings.push(warning);
          log.warn(warning);
        }
      }
      const taskQueues = [
        ...new Set(options.taskQueues ?? [taskQueue, ...pluginQueues, ...flowQueues]),
      ];
      let startWorkers: (queues: string[]) => Promise<WorkerGroup>;
      if (options.workerProcess) {
        startWorkers = async (queues) => {
          return superviseWorker(options, server, queues, log);
        };
      } else {
        const { runWorkers } = await import('../worker');
        const nativeConnection = await connectWorker(server);
        cleanups.push(() => nativeConnection.close());
        startWorkers = async (queues) => {
          const group = await runWorkers({
            connection: nativeConnection,
            namespace: server.namespace,
            registry,
            taskQueues: queues,
          });
          group.done.catch((err: unknown) => log.error('worker stopped', { error: err }));
          return group;
        };
      }
      const first = await startWorkers(taskQueues);
      if (options.taskQueues) {
        workers = first;
        cleanups.push(() => first.shutdown());
      } else {
        // The flows folder decides the queues: follow it as flows are saved or edited on disk.
        // New queues get a worker of their own beside the running one, never a restart of it.
        const followed = new QueueFollower({
          polled: first,
          compute: flowsQueues,
          startWorkers,
          log,
          warned: warnings,
        });
        // It stops every worker it started, the first one included.
        cleanups.push(() => followed.shutdown());
        followed.watch(flowsDir);
        follower = followed;
        workers = followed;
      }
    }

    const temporal = {
      address: server.address,
      namespace: server.namespace,
      ...(server.uiUrl === undefined ? {} : { uiUrl: server.uiUrl }),
    };
    const app = createApp({
      flowsDir,
      client,
      temporal,
      manifest,
      activitiesFileDiagnostics,
      taskQueue,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
      ...(options.corsOrigins === undefined ? {} : { corsOrigins: options.corsOrigins }),
      boundHost: host,
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
      ...(options.designerDir === undefined ? {} : { designerDir: options.designerDir }),
      ...(options.sse === undefined ? {} : { sse: options.sse }),
      ...(follower === undefined ? {} : { onFlowSaved: () => void follower?.refresh() }),
      log,
    });
    const http = await listen(app, host, options.port ?? 8787);
    cleanups.push(() => http.close());
    return {
      url: http.url,
      port: http.port,
      temporal: { ...temporal, external: server.external },
      client,
      registry,
      ...(workers === undefined ? {} : { workers }),
      warnings,
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
