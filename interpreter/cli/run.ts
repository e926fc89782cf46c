import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { loadPlugins, PluginError, type Registry } from '../activities';
import {
  ClientError,
  DEFAULT_TASK_QUEUE,
  type FlowOutcome,
  flowOutcome,
  flowTaskQueues,
  startFlow,
  watchProgress,
} from '../client';
import { installRuntime, JsonLogger } from '../observability';
import { connectClient, connectWorker, ensureServer, type TemporalServer } from '../temporal';
import { runWorkers, type WorkerGroup } from '../worker';
import { ALLOW_HTTP_OPTION, ALLOW_HTTP_USAGE, allowHttpRules } from './allow-http-args';
import { type Command, EXIT, UsageError } from './command';
import { compileFlowFile, InvalidFlowError, readInput } from './flow-args';
import { takePlugins } from './plugin-args';
import { ProgressView } from './progress-view';

const usage = `weft run <file> [--input <json> | --input-file <path>] [--plugins <module>…] [--json] [--no-worker] [--workflow-id <id>] [--task-queue <queue>] ${ALLOW_HTTP_USAGE}`;

/** The machine-readable last line of `weft run --json` (a contract outside tests rely on). */
export function outcomeLine(outcome: FlowOutcome): string {
  return outcome.status === 'completed'
    ? JSON.stringify({ status: 'completed', output: outcome.output ?? null })
    : JSON.stringify({ status: 'failed', error: outcome.error });
}

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
    const taskQueue = values['task-queue'] ?? DEFAULT_TASK_QUEUE;

    // Quiet SDK logs: the step lines are the interface here (WEFT_LOG_LEVEL raises them).
    const sigintBefore = new Set(process.listeners('SIGINT'));
    installRuntime({ logger: new JsonLogger(process.env.WEFT_LOG_LEVEL ? undefined : 'ERROR') });
    // Ctrl-C here cancels the flow, and the cancellation needs the workers alive: take SIGINT
    // back from the Temporal Runtime, which would otherwise shut every worker down at once.
    for (const l of process.listeners('SIGINT')) {
      if (!sigintBefore.has(l)) process.off('SIGINT', l);
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
    if (!server.external) console.error(`weft: started a Temporal dev server at ${server.address}`);
    const connected = await connectClient(server);
    client = { client: connected.client, close: () => connected.connection.close() };

    if (!values['no-worker']) {
      native = await connectWorker(server);
      workers = await runWorkers({
        connection: native,
        namespace: server.namespace,
        taskQueues: flowTaskQueues(flow, taskQueue),
        registry,
      });
    }

    let started: Awaited<ReturnType<typeof startFlow>>;
    try {
      started = await startFlow(client.client, flow, input, {
        taskQueue,
        workflowId: values['workflow-id'],
      });
    } catch (err) {
      if (err instanceof ClientError && err.code === 'WEFT_INVALID_INPUT') {
        return invalid('InvalidInput', err.message);
      }
      throw err;
    }
    say(`${flow.flow}: started ${started.workflowId}`);

    const view = new ProgressView(json ? process.stderr : process.stdout);
    const watcher = watchProgress(client.client, started.workflowId, (p) => view.show(p));
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        view.note('cancelling the flow (Ctrl-C again to quit without waiting)…');
        void started.handle.cancel().catch(() => undefined);
      } else process.exit(130);
    };
    process.on('SIGINT', onSigint);
    let outcome: FlowOutcome;
    try {
      outcome = await flowOutcome(started.handle);
    } finally {
      process.off('SIGINT', onSigint);
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
    await workers?.shutdown();
    await native?.close().catch(() => undefined);
    await client?.close().catch(() => undefined);
    await registry?.close();
    await server?.stop();
  }
}

const command: Command = {
  summary:
    'Validate a flow, run it on a Temporal server (embedded unless TEMPORAL_ADDRESS is set) with an in-process worker, and show live progress.',
  usage,
  run,
};
export default command;
