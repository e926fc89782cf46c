import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { loadPlugins, PluginError, type Registry } from '../activities';
import {
  ClientError,
  type ClientErrorCode,
  DEFAULT_TASK_QUEUE,
  describePollers,
  externalNeeds,
  type FlowOutcome,
  flowOutcome,
  flowTaskQueues,
  formatWorkflowTaskProblem,
  isolateTaskQueues,
  NO_POLLER,
  privateTaskQueue,
  startFlow,
  watchProgress,
} from '../client';
import { JsonLogger } from '../observability';
import { connectClient, connectWorker, ensureServer, type TemporalServer } from '../temporal';
import type { WorkerGroup } from '../worker';
import { ALLOW_HTTP_OPTION, ALLOW_HTTP_USAGE, allowHttpRules } from './allow-http-args';
import { type Command, EXIT, UsageError } from './command';
import { compileFlowFile, InvalidFlowError, readInput } from './flow-args';
import { Interrupts } from './interrupts';
import { outcomeLine } from './outcome-line';
import { takePlugins } from './plugin-args';
import { ProgressView } from './progress-view';

const usage = `weft run <file> [--input <json> | --input-file <path>] [--plugins <module>…] [--json] [--no-worker] [--workflow-id <id>] [--task-queue <queue>] ${ALLOW_HTTP_USAGE}`;

function parse(args: string[]) {
  const { rest, plugins } = takePlugins(args);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      input: { type: 'string' },
      'input-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      'workflow-id': { type: 'string' },
      'task-queue': { type: 'string' },
      ...ALLOW_HTTP_OPTION,
    },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one flow file');
  return { file: positionals[0]!, plugins, values, allowHttp: allowHttpRules(values) };
}

async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
  const { file, plugins, values, allowHttp } = parsed;
  const json = values.json;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const invalid = (type: string, message: string) => {
    console.error(`weft run: ${message}`);
    if (json) console.log(JSON.stringify({ status: 'invalid', error: { type, message } }));
    return EXIT.usage;
  };

  const input = readInput(values);
  const ownWorker = !values['no-worker'];
  // Nobody named a queue and this process serves the run: no other worker may take its tasks.
  const isolated = ownWorker && values['task-queue'] === undefined;
  const taskQueue = values['task-queue'] ?? (isolated ? privateTaskQueue() : DEFAULT_TASK_QUEUE);

  // From here on SIGINT and SIGTERM mean the same: stop, cancelling the flow once it runs.
  const interrupts = new Interrupts();
  interrupts.onFirst((signal) =>
    console.error(`weft run: ${signal}: stopping before the flow starts (again to quit now)`),
  );
  const interrupted = () => {
    console.error(`weft run: ${interrupts.signal}: the flow was not started`);
    return interrupts.exitCode();
  };
  let registry: Registry | undefined;
  let server: TemporalServer | undefined;
  let client: { client: Client; close(): Promise<void> } | undefined;
  let native: NativeConnection | undefined;
  let workers: WorkerGroup | undefined;
  try {
    try {
      registry = await loadPlugins(plugins, process.cwd(), { allowHttp });
    } catch (err) {
      // A bad --plugins argument is a usage problem: nothing was started.
      if (err instanceof PluginError) return invalid('InvalidPlugin', err.message);
      throw err;
    }
    let flow: Awaited<ReturnType<typeof compileFlowFile>>;
    try {
      flow = await compileFlowFile(file, registry.manifest());
    } catch (err) {
      if (err instanceof InvalidFlowError) return invalid('InvalidFlow', err.message);
      throw err;
    }
    const runFlow = isolated ? isolateTaskQueues(flow, taskQueue).flow : flow;
    if (interrupts.signal) return interrupted();

    if (ownWorker) {
      // Quiet SDK logs: the step lines are the interface here (WEFT_LOG_LEVEL raises them).
      // Only a worker needs the native Runtime, and once made it keeps the process alive until
      // its last worker or connection closes: `--no-worker` never makes one, nor loads the
      // worker's modules.
      const { installRuntime } = await import('../observability/runtime');
      installRuntime({ logger: new JsonLogger(process.env.WEFT_LOG_LEVEL ? undefined : 'ERROR') });
      interrupts.reclaim();
    }
    server = await ensureServer({
      ui: false,
      output: 'ignore',
      onProgress: (l) => console.error(l),
      // An embedded server knows only what it is told: register the flow's search attributes.
      searchAttributes: Object.fromEntries(
        Object.keys(flow.options.searchAttributes ?? {}).map((name) => [name, 'Keyword']),
      ),
    });
    interrupts.reclaim();
    if (!server.external) console.error(`weft: started a Temporal dev server at ${server.address}`);
    if (interrupts.signal) return interrupted();
    const connected = await connectClient(server);
    client = { client: connected.client, close: () => connected.connection.close() };

    if (ownWorker) {
      const { runWorkers } = await import('../worker');
      native = await connectWorker(server);
      workers = await runWorkers({
        connection: native,
        namespace: server.namespace,
        taskQueues: flowTaskQueues(runFlow, taskQueue),
        registry,
      });
      interrupts.reclaim();
    }
    if (interrupts.signal) return interrupted();
    await warnUnpolledExternalQueues(client.client, runFlow, file);

    let started: Awaited<ReturnType<typeof startFlow>>;
    try {
      started = await startFlow(client.client, runFlow, input, {
        taskQueue,
        workflowId: values['workflow-id'],
      });
    } catch (err) {
      if (err instanceof ClientError && INPUT_ERRORS.has(err.code)) {
        return invalid('InvalidInput', err.message);
      }
      throw err;
    }
    say(`${flow.flow}: started ${started.workflowId}`);

    const view = new ProgressView(json ? process.stderr : process.stdout);
    const cancel = (signal: string) => {
      view.note(`${signal}: cancelling the flow, waiting for its cleanup (again to quit now)…`);
      void started.handle.cancel().catch(() => undefined);
    };
    interrupts.onFirst(cancel);
    interrupts.onSecond(async (signal) => {
      if (!isolated) {
        view.note(`${signal}: quitting; ${started.workflowId} goes on without this process`);
        return;
      }
      // Nothing else polls this run's private queues: left alone it would wait for ever.
      view.note(`${signal}: quitting; terminating ${started.workflowId}`);
      const c = client?.client;
      await c?.connection.withDeadline(Date.now() + 1500, () =>
        started.handle.terminate(`weft run got a second ${signal}`),
      );
    });
    // A signal that came while the flow was being started.
    if (interrupts.signal) cancel(interrupts.signal);

    const watcher = watchProgress(client.client, started.workflowId, (p) => view.show(p), {
      onStuck: (problem) =>
        view.note(
          problem
            ? `⚠ ${flow.flow} ${formatWorkflowTaskProblem(problem)}\n  still watching; Ctrl-C cancels, twice quits`
            : `${flow.flow}: the workflow task completed again; the run goes on`,
        ),
    });
    let outcome: FlowOutcome;
    try {
      outcome = await flowOutcome(started.handle);
    } finally {
      await watcher.stop();
    }
    // One last snapshot so every step shows its final state.
    if (workers) await watcher.poll();

    if (outcome.status === 'completed') {
      if (json) console.log(outcomeLine(outcome));
      else say(`✓ ${flow.flow} completed\n${JSON.stringify(outcome.output ?? null, null, 2)}`);
      return EXIT.ok;
    }
    const e = outcome.error;
    console.error(
      `✗ ${flow.flow} ${outcome.status}: ${e.type}: ${e.message}${e.step ? ` (step ${e.step})` : ''}`,
    );
    if (json) console.log(outcomeLine(outcome));
    return EXIT.failed;
  } finally {
    interrupts.onFirst((signal) =>
      console.error(`weft run: ${signal}: stopping the worker (again to quit now)`),
    );
    await workers?.shutdown();
    await native?.close().catch(() => undefined);
    await client?.close().catch(() => undefined);
    await registry?.close();
    await server?.stop();
    interrupts.dispose();
  }
}

/** Client errors that mean the input was refused before anything started: exit 2. */
const INPUT_ERRORS = new Set<ClientErrorCode>([
  'WEFT_INVALID_INPUT',
  'WEFT_INPUT_TOO_DEEP',
  'WEFT_START_TOO_LARGE',
]);

const command: Command = {
  summary:
    'Validate a flow, run it on a Temporal server (embedded unless TEMPORAL_ADDRESS is set) with an in-process worker on a private task queue, and show live progress. SIGINT/SIGTERM cancel the flow and wait for its cleanup; a second one quits at once.',
  usage,
  run,
};
export default command;

/**
 * External activities are served by workers of other SDKs that this process does not start: say
 * which of their task queues nobody polls now, since those steps would wait there (until their
 * scheduleToStart timeout, if any). A warning, not an error: the worker may come up later.
 */
async function warnUnpolledExternalQueues(
  client: Client,
  flow: Parameters<typeof flowTaskQueues>[0],
  file: string,
): Promise<void> {
  for (const q of externalNeeds([{ file, flow }], undefined)) {
    try {
      const { pollers } = await describePollers(client, q.taskQueue, 'activity');
      if (pollers.length > 0) continue;
    } catch {
      continue; // a server that cannot describe queues: nothing to warn about
    }
    const names = q.activities.map((a) => `"${a.name}"`).join(', ');
    console.error(
      `weft run: warning ${NO_POLLER}: no worker polls task queue "${q.taskQueue}", where external activities ${names} are scheduled: start their worker, or the steps wait there`,
    );
  }
}
