import { resolve } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { loadPlugins, type Registry } from '../activities';
import {
  connectFromEnv,
  DEFAULT_TASK_QUEUE,
  describeFlow,
  type FlowOutcome,
  flowResult,
  flowTaskQueues,
  isolateTaskQueues,
  privateTaskQueue,
  startFlow,
} from '../client';
import { type Diagnostic, flowSchema, formatDiagnostic } from '../dsl';
import { compileText, loadFlowFile } from '../dsl/node';
import { type CompiledFlow, STEP_KIND_TABLE, type StepKind } from '../model';
import {
  diffFlows,
  formatDiffText,
  reviewFlowFile,
  reviewFlowText,
  reviewGraph,
  svgToPng,
  toMermaid,
  toSvg,
} from '../review';
import type { ConnectionSettings } from '../temporal';
import type { TestServer } from '../testing';
import type { WorkerGroup } from '../worker';

/**
 * `weft mcp`: the tools an assistant needs to write a flow, check it, draw it and run it, over
 * the Model Context Protocol. Each tool answers with text (JSON where the answer is data), and a
 * tool that finds a problem answers `isError` with the positioned diagnostics, as `weft validate`
 * prints them, so the assistant can fix the exact line.
 */

/** Under the 60 s an MCP client waits for an answer by default. */
const DEFAULT_WAIT_SECONDS = 50;

export interface WeftMcpOptions {
  registry: Registry;
  /** Overrides of TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE, as the other commands take them. */
  address?: string;
  namespace?: string;
  /**
   * Run flows on this shared queue and leave them to its workers; by default each flow runs on a
   * private queue served by a worker in this process, with the loaded plugins (as `weft run`).
   */
  taskQueue?: string;
  /** Where relative paths resolve. */
  cwd?: string;
  /**
   * The plugin modules `registry` was loaded from: a test file that names plugins of its own runs
   * with these and its own, as `weft test --plugins` does.
   */
  plugins?: string[];
  version: string;
}

const source = {
  file: z
    .string()
    .optional()
    .describe("Path of a flow file (YAML or JSON), relative to the server's working directory"),
  text: z
    .string()
    .optional()
    .describe('The flow itself, as YAML or JSON text (takes precedence over reading `file`)'),
};

function text(value: unknown, isError = false): CallToolResult {
  const body = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return { content: [{ type: 'text', text: body }], ...(isError ? { isError: true } : {}) };
}

function failure(err: unknown): CallToolResult {
  const e = err as { code?: string; message?: string };
  return text(
    { error: { code: e.code ?? 'WEFT_MCP_FAILED', message: e.message ?? String(err) } },
    true,
  );
}

function invalid(file: string, diagnostics: Diagnostic[]): CallToolResult {
  return text(
    {
      code: 'WEFT_MCP_INVALID_FLOW',
      valid: false,
      file,
      lines: diagnostics.map((d) => formatDiagnostic(d, file)),
      diagnostics,
    },
    true,
  );
}

/** The step kinds: the designer's table plus each kind's schema description. */
function stepKindReference(): unknown[] {
  const defs = (flowSchema as { $defs?: Record<string, { description?: string }> }).$defs ?? {};
  return (Object.keys(STEP_KIND_TABLE) as StepKind[]).map((kind) => {
    const d = STEP_KIND_TABLE[kind];
    return {
      kind,
      description: defs[`${kind}Step`]?.description ?? d.description,
      nestedStepLists: d.children.map((c) => c.source.join('.')),
      defaults: d.defaults,
      ...('template' in d ? { example: d.template } : {}),
      schema: `#/$defs/${kind}Step`,
    };
  });
}

function pointerInto(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value;
  let at = value;
  for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function createWeftMcpServer(options: WeftMcpOptions): {
  server: McpServer;
  close(): Promise<void>;
} {
  const cwd = options.cwd ?? process.cwd();
  const manifest = options.registry.manifest();
  const server = new McpServer(
    { name: 'weft', version: options.version },
    {
      instructions:
        'Weft runs declarative YAML/JSON flows on Temporal. Read `schema` and `step_kinds`, list activities with `manifest`, check a draft with `validate` (diagnostics carry line:col and a JSON pointer), draw it with `graph`, check it against its test cases with `test`, then `run` it (or `start` and later `describe`/`result`).',
    },
  );

  // Every tool answers a throw as an isError result with its code, never as a protocol error.
  // Tool calls still running when stdin closes (a `run` waiting for its flow) finish before the
  // server shuts its workers down: close() waits for them.
  const pending = new Set<Promise<unknown>>();
  const register = server.registerTool.bind(server);
  server.registerTool = ((name: string, config: never, cb: (...a: unknown[]) => unknown) =>
    register(name, config, ((...a: unknown[]) => {
      const call = Promise.resolve()
        .then(() => cb(...a))
        .catch(failure);
      pending.add(call);
      void call.finally(() => pending.delete(call)).catch(() => undefined);
      return call;
    }) as never)) as typeof server.registerTool;

  /** A flow's text and the path it is said to live at (child flow files resolve next to it). */
  const sourceOf = (args: { file?: string; text?: string }): { text?: string; path: string } => {
    if (args.text === undefined && args.file === undefined) {
      throw Object.assign(new Error('give the flow as `text` or as a `file` path'), {
        code: 'WEFT_MCP_NO_FLOW',
      });
    }
    const path = resolve(cwd, args.file ?? 'draft.flow.yaml');
    return args.text === undefined ? { path } : { text: args.text, path };
  };
  const compile = (args: { file?: string; text?: string }) => {
    const s = sourceOf(args);
    const result =
      s.text === undefined
        ? loadFlowFile(s.path, { manifest })
        : compileText(s.text, s.path, { manifest });
    // Diagnostics name the file as the assistant did, not by the absolute path it resolved to.
    const shown = args.file ?? 'draft.flow.yaml';
    const diagnostics = result.diagnostics.map((d) =>
      d.file === undefined || d.file === s.path ? { ...d, file: shown } : d,
    );
    return { ...result, diagnostics, path: shown };
  };
  const review = (args: { file?: string; text?: string }) => {
    const s = sourceOf(args);
    const r =
      s.text === undefined
        ? reviewFlowFile(s.path, manifest)
        : reviewFlowText(s.text, s.path, manifest);
    const shown = args.file ?? 'draft.flow.yaml';
    const diagnostics = r.diagnostics.map((d) => (d.file === s.path ? { ...d, file: shown } : d));
    return { ...r, file: shown, diagnostics };
  };

  /** SDK logs only when asked for (WEFT_LOG_LEVEL): the tools' answers are the interface. */
  const quietRuntime = async () => {
    const [{ installRuntime }, { JsonLogger }] = await Promise.all([
      import('../observability/runtime'),
      import('../observability'),
    ]);
    installRuntime({ logger: new JsonLogger(process.env.WEFT_LOG_LEVEL ? undefined : 'ERROR') });
  };

  // The server connection and this process's workers, made on the first tool that needs them.
  let connected:
    | Promise<{ client: Client; settings: ConnectionSettings; close(): Promise<void> }>
    | undefined;
  const client = async () => {
    connected ??= connectFromEnv({ address: options.address, namespace: options.namespace });
    return (await connected).client;
  };
  let native: Promise<NativeConnection> | undefined;
  const served = new Map<string, Promise<WorkerGroup>>();
  const privateQueue = privateTaskQueue('weft-mcp');
  /** Starts the flow, on a private queue this process serves unless a shared one was named. */
  const start = async (flow: CompiledFlow, input: unknown, workflowId?: string) => {
    let runFlow = flow;
    let taskQueue = options.taskQueue ?? DEFAULT_TASK_QUEUE;
    if (options.taskQueue === undefined) {
      taskQueue = privateQueue;
      runFlow = isolateTaskQueues(flow, privateQueue).flow;
      connected ??= connectFromEnv({ address: options.address, namespace: options.namespace });
      const { settings } = await connected;
      for (const queue of flowTaskQueues(runFlow, privateQueue)) {
        if (served.has(queue)) continue;
        served.set(
          queue,
          (async () => {
            const [{ runWorkers }, { connectWorker }] = await Promise.all([
              import('../worker'),
              import('../temporal'),
            ]);
            await quietRuntime();
            native ??= connectWorker(settings);
            return runWorkers({
              connection: await native,
              namespace: settings.namespace,
              taskQueues: [queue],
              registry: options.registry,
            });
          })(),
        );
      }
      await Promise.all([...served.values()]);
    }
    return startFlow(await client(), runFlow, input, { taskQueue, workflowId });
  };

  server.registerTool(
    'schema',
    {
      title: 'Flow JSON Schema',
      description:
        'The JSON Schema (draft 2020-12) of Weft flow files; every key has a description. Give `pointer` (e.g. `/$defs/activityStep`) for one part.',
      inputSchema: { pointer: z.string().optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ pointer }) => {
      const part = pointerInto(flowSchema, pointer ?? '');
      return part === undefined
        ? text(
            { error: { code: 'WEFT_MCP_NO_SUCH_POINTER', message: `nothing at ${pointer}` } },
            true,
          )
        : text(part);
    },
  );
  server.registerTool(
    'step_kinds',
    {
      title: 'Step kinds',
      description:
        'The step kinds a flow can use (activity, if, switch, parallel, forEach, while, sleep, wait, set, try, flow, log, fail, return): what each does, its nested step lists, defaults and an example.',
      annotations: { readOnlyHint: true },
    },
    async () => text(stepKindReference()),
  );
  server.registerTool(
    'manifest',
    {
      title: 'Activity manifest',
      description:
        'The activities the loaded plugins provide: names, descriptions, input and output JSON Schemas and default options.',
      annotations: { readOnlyHint: true },
    },
    async () => text(manifest),
  );
  server.registerTool(
    'validate',
    {
      title: 'Validate a flow',
      description:
        'Check a flow against the schema and the rules (activity names and inputs against the manifest). Answers the diagnostics as `file:line:col  severity  CODE  message` lines and as data with JSON pointers.',
      inputSchema: source,
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const r = compile(args);
      const lines = r.diagnostics.map((d) => formatDiagnostic(d, r.path));
      const valid = r.compiled !== undefined;
      return text({ valid, file: r.path, lines, diagnostics: r.diagnostics }, !valid);
    },
  );
  server.registerTool(
    'compile',
    {
      title: 'Compile a flow',
      description:
        'Validate and compile a flow: the compiled definition a run carries, with its content hash.',
      inputSchema: source,
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const r = compile(args);
      return r.compiled ? text(r.compiled) : invalid(r.path, r.diagnostics);
    },
  );
  server.registerTool(
    'graph',
    {
      title: 'Draw a flow',
      description:
        "Draw a flow as the designer does: a Mermaid flowchart (for Markdown), an SVG, or a PNG image (needs Chromium on the server's machine). `flow` draws a child flow under `flows:`.",
      inputSchema: {
        ...source,
        format: z.enum(['mermaid', 'svg', 'png']).optional(),
        flow: z.string().optional().describe('A child flow under `flows:` to draw instead'),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const r = review(args);
      if (!r.ok) return invalid(r.file, r.diagnostics);
      const graph = reviewGraph(r.value, args.flow);
      if (args.format === 'png') {
        const picture = toSvg(graph);
        const png = await svgToPng(picture.svg, picture);
        return {
          content: [{ type: 'image', data: png.toString('base64'), mimeType: 'image/png' }],
        };
      }
      return text(args.format === 'svg' ? toSvg(graph).svg : toMermaid(graph));
    },
  );
  server.registerTool(
    'diff',
    {
      title: 'Compare two versions of a flow',
      description:
        'Steps added, removed, moved and changed between two versions, flow settings, and what it means for running flows (nothing: each run keeps its definition).',
      inputSchema: {
        oldFile: z.string().optional(),
        oldText: z.string().optional(),
        newFile: z.string().optional(),
        newText: z.string().optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const before = review({ file: args.oldFile, text: args.oldText });
      const after = review({ file: args.newFile, text: args.newText });
      if (!before.ok) return invalid(before.file, before.diagnostics);
      if (!after.ok) return invalid(after.file, after.diagnostics);
      return text(formatDiffText(diffFlows(before, after)));
    },
  );
  const waitSeconds = z
    .number()
    .positive()
    .optional()
    .describe(
      'How long to wait for the run to finish (default 50 s, under the usual 60 s request timeout); a run still going then answers status "running": ask `result` or `describe` later',
    );
  const runArgs = {
    ...source,
    input: z.unknown().optional().describe('The flow input (any JSON value); default {}'),
    workflowId: z.string().optional(),
    waitSeconds,
  };
  /** The run's outcome, or `running` once `seconds` pass (the run goes on). */
  const outcomeWithin = async (
    workflowId: string,
    runId: string | undefined,
    seconds = DEFAULT_WAIT_SECONDS,
  ): Promise<FlowOutcome | { status: 'running' }> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ status: 'running' }>((done) => {
      timer = setTimeout(() => done({ status: 'running' }), seconds * 1000);
    });
    try {
      return await Promise.race([flowResult(await client(), workflowId, runId), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  /** `run` and `start`: the flow started, or the diagnostics' answer when it is invalid. */
  const compileAndStart = async (args: {
    file?: string;
    text?: string;
    input?: unknown;
    workflowId?: string;
  }) => {
    const r = compile(args);
    if (!r.compiled) return { refused: invalid(r.path, r.diagnostics) };
    return { started: await start(r.compiled, args.input ?? {}, args.workflowId) };
  };
  server.registerTool(
    'run',
    {
      title: 'Run a flow',
      description:
        'Validate, start and wait for a flow on the configured Temporal server; answers {workflowId, status, output}, {status: "failed", error}, or {status: "running"} when it is still going after `waitSeconds`. Diagnostics (isError) when the flow is invalid.',
      inputSchema: runArgs,
    },
    async (args) => {
      const s = await compileAndStart(args);
      if (s.refused) return s.refused;
      const { started } = s;
      const outcome = await outcomeWithin(started.workflowId, started.runId, args.waitSeconds);
      return text(
        { workflowId: started.workflowId, runId: started.runId, ...outcome },
        outcome.status !== 'completed' && outcome.status !== 'running',
      );
    },
  );
  server.registerTool(
    'start',
    {
      title: 'Start a flow',
      description:
        'Validate and start a flow without waiting; answers {workflowId, runId, taskQueue}.',
      inputSchema: runArgs,
    },
    async (args) => {
      const s = await compileAndStart(args);
      if (s.refused) return s.refused;
      const { started } = s;
      return text({
        workflowId: started.workflowId,
        runId: started.runId,
        taskQueue: started.taskQueue,
      });
    },
  );
  server.registerTool(
    'describe',
    {
      title: 'Describe a run',
      description:
        'Status, progress, pending activities (attempts, heartbeats, failures) of a run.',
      inputSchema: { workflowId: z.string(), runId: z.string().optional() },
      annotations: { readOnlyHint: true },
    },
    async ({ workflowId, runId }) => {
      return text(await describeFlow(await client(), workflowId, runId));
    },
  );
  server.registerTool(
    'result',
    {
      title: 'Wait for a run',
      description:
        'Waits for a run to finish; answers {status, output} or {status, error}, or {status: "running"} when it is still going after `waitSeconds`.',
      inputSchema: { workflowId: z.string(), runId: z.string().optional(), waitSeconds },
      annotations: { readOnlyHint: true },
    },
    async ({ workflowId, runId, waitSeconds: seconds }) => {
      const outcome = await outcomeWithin(workflowId, runId, seconds);
      return text(outcome, outcome.status !== 'completed' && outcome.status !== 'running');
    },
  );

  // The time-skipping test server `weft test` runs on, started by the first `test` call and kept
  // for the next ones. Calls take turns: the server's clock is shared.
  let testServer: Promise<TestServer> | undefined;
  let testTurn: Promise<unknown> = Promise.resolve();
  const runTests = async (args: {
    file?: string;
    text?: string;
    flow?: string;
    filter?: string;
  }): Promise<CallToolResult> => {
    const testing = await import('../testing');
    if (args.text === undefined && args.file === undefined) {
      throw Object.assign(new Error('give the test file as `text` or as a `file` path'), {
        code: 'WEFT_MCP_NO_TEST',
      });
    }
    // Text is said to live beside the flow it tests, so its `plugins:` resolve as in the file.
    const shown =
      args.file ??
      (args.flow ? args.flow.replace(/\.flow\.(ya?ml|json)$/i, '.test.$1') : 'draft.test.yaml');
    const path = resolve(cwd, shown);
    const parsed =
      args.text === undefined ? testing.readTestFile(path) : testing.parseTestText(args.text, path);
    if (args.flow !== undefined) parsed.flowFile = resolve(cwd, args.flow);
    const invalidTest = (diagnostics: Diagnostic[]) => {
      const named = diagnostics.map((d) => (d.file === path ? { ...d, file: shown } : d));
      return text(
        {
          code: 'WEFT_MCP_INVALID_TEST',
          valid: false,
          file: shown,
          lines: named.map((d) => formatDiagnostic(d, shown)),
          diagnostics: named,
        },
        true,
      );
    };
    if (parsed.diagnostics.length > 0) return invalidTest(parsed.diagnostics);
    const own = parsed.plugins.length > 0;
    const registry = own
      ? await loadPlugins([...new Set([...(options.plugins ?? []), ...parsed.plugins])], cwd)
      : options.registry;
    try {
      const checked = testing.checkTestFile(parsed, registry.manifest());
      if (!checked.loaded) return invalidTest(checked.diagnostics);
      const loaded = checked.loaded;
      const turn = testTurn.then(async () => {
        testServer ??= (async () => {
          await quietRuntime();
          return testing.startTestServer();
        })();
        testServer.catch(() => {
          testServer = undefined;
        });
        const started = Date.now();
        const s = await testServer;
        const results = await testing.runTestFiles([loaded], {
          server: s,
          registry,
          ...(args.filter !== undefined ? { filter: args.filter } : {}),
        });
        return { results, ms: Date.now() - started, where: s.kind };
      });
      testTurn = turn.catch(() => undefined);
      const { results, ms, where } = await turn;
      const result = { ...results[0]!, file: shown };
      const server = where === 'time-skipping' ? 'time-skipping test server' : 'dev server';
      return text({
        passed: result.cases.every((c) => c.passed),
        file: shown,
        flow: result.flow,
        cases: result.cases.map((c) => ({
          name: c.name,
          passed: c.passed,
          line: c.line,
          col: c.col,
          workflowId: c.workflowId,
          // The case's lines of `weft test`'s report: each difference at its place in the file.
          differences: testing.textReport({ ...result, cases: [c] }).slice(2),
        })),
        summary: testing.summaryLine(results, ms, server),
        warnings: checked.diagnostics.map((d) => formatDiagnostic(d, shown)),
      });
    } finally {
      if (own) await registry.close();
    }
  };
  server.registerTool(
    'test',
    {
      title: "Run a flow's test cases",
      description:
        "Runs a test file (`*.test.yaml`, as `weft test` reads it: cases with input, mocked activities, timed signals/updates/queries and expectations) on Temporal's time-skipping test server. Give a `file` path, or the test's `text` and the `flow` file it tests. Answers each case passed or not with its differences as `file:line:col` lines, and a summary; an invalid test file answers isError with positioned diagnostics (WEFT090-095).",
      inputSchema: {
        file: z
          .string()
          .optional()
          .describe('Path of a test file, relative to the working directory'),
        text: z
          .string()
          .optional()
          .describe(
            'The test file itself, as YAML or JSON text (takes precedence over reading `file`)',
          ),
        flow: z
          .string()
          .optional()
          .describe(
            'Path of the flow file under test (default: its `flow:` key, or `x.flow.yaml` beside `x.test.yaml`)',
          ),
        filter: z.string().optional().describe('Only the cases whose name contains this text'),
      },
    },
    runTests,
  );

  return {
    server,
    async close() {
      await Promise.allSettled([...pending]);
      await server.close();
      await (await testServer?.catch(() => undefined))?.stop().catch(() => undefined);
      for (const group of served.values()) await (await group).shutdown().catch(() => undefined);
      await (await native)?.close().catch(() => undefined);
      await (await connected)?.close().catch(() => undefined);
      await options.registry.close();
    },
  };
}
