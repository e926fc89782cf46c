import { durationMs, loadPlugins, onAbandoned } from '../activities';
import { DEFAULT_TASK_QUEUE, LOCAL_SERVER } from '../client';
import { installTracing, parseHostPort } from '../observability';
import { installRuntime } from '../observability/runtime';
import { connectionOptionsFromEnv, connectWorker } from '../temporal';
import { exitSoon, runWorkers, type WorkerProcessMessage } from '../worker';
import { ALLOW_HTTP_OPTION, ALLOW_HTTP_USAGE, allowHttpRules } from './allow-http-args';
import { parseCommand } from './client-args';
import { type Command, EXIT, UsageError } from './command';
import { takePlugins } from './plugin-args';

/** The IPC channel to a supervising parent, when there is one; a no-op otherwise. */
function reportToParent(onGone: () => void) {
  const send = (m: WorkerProcessMessage) => {
    if (process.connected) process.send?.(m);
  };
  if (!process.send) return { send, close: () => undefined };
  const stopForwarding = onAbandoned((activity) => send({ type: 'weft.abandoned', activity }));
  process.once('disconnect', onGone);
  return {
    send,
    close: () => {
      stopForwarding();
      process.off('disconnect', onGone);
      if (process.connected) process.disconnect();
    },
  };
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer`);
  return n;
}

const command: Command = {
  summary:
    'Run a worker: the interpreter workflow plus the built-in and --plugins activities, on one or more task queues. Stops gracefully on SIGINT/SIGTERM.',
  usage: `weft worker [--plugins <module>…] [--task-queue <queue>]… [--max-cached-workflows n] [--max-concurrent-activities n] [--sticky-timeout <duration>] [--metrics host:port] [--activities-only] [--shutdown-grace <duration>] ${ALLOW_HTTP_USAGE}`,
  async run(args) {
    const { rest, plugins } = takePlugins(args);
    const { values } = parseCommand({
      args: rest,
      options: {
        'task-queue': { type: 'string', multiple: true },
        'max-cached-workflows': { type: 'string' },
        'max-concurrent-activities': { type: 'string' },
        'sticky-timeout': { type: 'string' },
        metrics: { type: 'string' },
        'activities-only': { type: 'boolean', default: false },
        'shutdown-grace': { type: 'string' },
        ...ALLOW_HTTP_OPTION,
      },
    });
    if (values.metrics !== undefined) {
      try {
        parseHostPort(values.metrics);
      } catch (err) {
        throw new UsageError(`--metrics: ${(err as Error).message}`);
      }
    }
    const maxCachedWorkflows = count(values['max-cached-workflows'], '--max-cached-workflows');
    const maxConcurrentActivityTaskExecutions = count(
      values['max-concurrent-activities'],
      '--max-concurrent-activities',
    );
    const taskQueues = values['task-queue'] ?? [DEFAULT_TASK_QUEUE];
    const allowHttp = allowHttpRules(values);
    const grace = values['shutdown-grace'];
    if (grace !== undefined) {
      try {
        durationMs(grace);
      } catch {
        throw new UsageError(`--shutdown-grace: expected a duration such as 10s, got '${grace}'`);
      }
    }

    // Plugins before the Temporal Runtime: a module that throws at import must end the process
    // with its error, and once the Runtime exists it would keep the process alive.
    const registry = await loadPlugins(plugins, process.cwd(), { allowHttp });
    installRuntime({ metrics: values.metrics });
    // Activity spans, as `weft serve` sends them (its worker is this command in a child process).
    const traces = installTracing();
    const settings = connectionOptionsFromEnv() ?? LOCAL_SERVER;
    const connection = await connectWorker(settings);
    const group = await runWorkers({
      connection,
      namespace: settings.namespace,
      taskQueues,
      registry,
      workflows: !values['activities-only'],
      maxCachedWorkflows,
      maxConcurrentActivityTaskExecutions,
      stickyQueueScheduleToStartTimeout: values['sticky-timeout'],
      ...(grace === undefined ? {} : { shutdownGraceTime: grace }),
    });
    const stop = (signal: string) => {
      console.error(`weft worker: ${signal}: finishing in-flight tasks, then stopping`);
      void group.shutdown();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Supervised by `weft serve`/`weft dev` (WorkerSupervisor): report to the parent over IPC,
    // and stop when it is gone.
    const parent = reportToParent(() => stop('parent process gone'));
    console.error(
      `weft worker: serving ${registry.names().length} activities on ${taskQueues.join(', ')} at ${settings.address} (namespace ${settings.namespace})`,
    );
    parent.send({ type: 'weft.worker.ready' });
    try {
      await group.done;
    } finally {
      parent.close();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await connection.close().catch(() => undefined);
      await registry.close();
      await traces?.processor.forceFlush().catch(() => undefined);
    }
    console.error('weft worker: stopped');
    // An abandoned plugin (one that ignored cancellation) may still hold a timer or a socket,
    // which would keep the process alive after the worker stopped: exit anyway.
    exitSoon(EXIT.ok);
    return EXIT.ok;
  },
};
export default command;
