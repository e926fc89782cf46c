import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isLoopback, type RunningServe, startServe } from '../api';
import { parseHostPort } from '../observability';
import { ALLOW_HTTP_OPTION, ALLOW_HTTP_USAGE, allowHttpRules } from './allow-http-args';
import { type Command, EXIT, UsageError } from './command';
import { buildDesigner, designerIsStale, designerMissing } from './designer-build';
import { takePlugins } from './plugin-args';

export const DEFAULT_PORT = 8787;

/** designer/dist of this checkout: what `/` serves when it has been built. */
export const DESIGNER_DIST = fileURLToPath(new URL('../../designer/dist', import.meta.url));

const usage = `weft serve [--port N] [--host H] [--flows DIR] [--plugins <module>…] [--token T] [--no-worker] [--metrics host:port] [--cors origin]… [--allowed-host name]… [--body-limit bytes] [--task-queue Q] ${ALLOW_HTTP_USAGE}`;

export interface ServeArgs {
  port: number;
  host: string;
  flows: string;
  plugins: string[];
  token?: string;
  worker: boolean;
  metrics?: string;
  cors: string[];
  allowedHosts: string[];
  bodyLimit?: number;
  taskQueue?: string;
  /** `--allow-http` rules for the in-process worker's HTTP activities. */
  allowHttp: string[];
}

function intOption(value: string | undefined, name: string, min: number, max: number) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** `--allowed-host name` (or `.example.com` for its subdomains): a bare host name, no port. */
function allowedHosts(values: string[]): string[] {
  for (const v of values)
    if (!/^\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$|^\[[0-9A-Fa-f:.]+\]$/.test(v))
      throw new UsageError(
        `--allowed-host ${v}: give a host name without scheme or port (e.g. myhost.lan or .example.com)`,
      );
  return values;
}

/** The options serve and dev share; dev adds nothing that changes their meaning. */
export function parseServeArgs(args: string[], extra: { flows?: string } = {}): ServeArgs {
  const { rest, plugins } = takePlugins(args);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: false }>>;
  const options = {
    port: { type: 'string' },
    host: { type: 'string' },
    flows: { type: 'string' },
    token: { type: 'string' },
    'no-worker': { type: 'boolean', default: false },
    metrics: { type: 'string' },
    cors: { type: 'string', multiple: true },
    'allowed-host': { type: 'string', multiple: true },
    'body-limit': { type: 'string' },
    'task-queue': { type: 'string' },
    ...ALLOW_HTTP_OPTION,
  } as const;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: false });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.metrics !== undefined) {
    try {
      parseHostPort(v.metrics);
    } catch (err) {
      throw new UsageError(`--metrics: ${(err as Error).message}`);
    }
  }
  if (v.metrics !== undefined && v['no-worker'])
    throw new UsageError("--metrics exports the in-process worker's metrics: drop --no-worker");
  const token = v.token ?? process.env.WEFT_TOKEN;
  const flows = v.flows ?? extra.flows ?? '.';
  if (!existsSync(flows) || !statSync(flows).isDirectory())
    throw new UsageError(`--flows ${flows}: no such folder`);
  const host = v.host ?? '127.0.0.1';
  if (!isLoopback(host) && (token === undefined || token === ''))
    throw new UsageError(
      `binding to ${host} exposes the API beyond this machine: give --token T (or WEFT_TOKEN)`,
    );
  const bodyLimit = intOption(v['body-limit'], '--body-limit', 1024, 1024 * 1024 * 1024);
  return {
    port: intOption(v.port, '--port', 0, 65535) ?? DEFAULT_PORT,
    host,
    flows,
    plugins,
    ...(token === undefined || token === '' ? {} : { token }),
    worker: !v['no-worker'],
    ...(v.metrics === undefined ? {} : { metrics: v.metrics }),
    cors: v.cors ?? [],
    allowedHosts: allowedHosts(v['allowed-host'] ?? []),
    ...(bodyLimit === undefined ? {} : { bodyLimit }),
    ...(v['task-queue'] === undefined ? {} : { taskQueue: v['task-queue'] }),
    allowHttp: allowHttpRules(v),
  };
}

/** Resolves on SIGINT/SIGTERM, so a command can shut down in order and exit 0. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function serveLines(s: RunningServe, a: ServeArgs): string[] {
  const lines = [`weft serve: ${s.url}  (API under ${s.url}/api)`];
  lines.push(
    `  temporal: ${s.temporal.address} namespace ${s.temporal.namespace}${s.temporal.external ? '' : ' (embedded dev server)'}`,
  );
  if (s.temporal.uiUrl) lines.push(`  temporal web ui: ${s.temporal.uiUrl}`);
  lines.push(`  flows: ${a.flows}`);
  lines.push(
    `  worker: ${s.workers ? `task queues ${s.workers.taskQueues.join(', ')}` : 'off (--no-worker)'}`,
  );
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  if (a.metrics) lines.push(`  metrics: http://${a.metrics}/metrics`);
  if (a.token) lines.push('  auth: bearer token required on /api');
  return lines;
}

const command: Command = {
  summary: 'Serve the HTTP API (and the designer) with an in-process worker',
  usage,
  async run(args) {
    const a = parseServeArgs(args);
    // A fresh clone has no designer/dist until someone builds it: build it, as `weft dev` does.
    // A stale one is left alone (serve does not rewrite a checkout under a running server).
    if (designerMissing()) {
      console.log('weft serve: building the designer (npm run build:designer)…');
      if (!(await buildDesigner()))
        console.error('weft serve: the designer build failed; serving a placeholder page at /');
    } else if (designerIsStale()) {
      console.error(
        'weft serve: designer/dist is older than designer/src; `npm run build:designer` or `weft dev` rebuilds it',
      );
    }
    const running = await startServe({
      host: a.host,
      port: a.port,
      flowsDir: a.flows,
      plugins: a.plugins,
      allowHttp: a.allowHttp,
      worker: a.worker,
      // The worker runs in a supervised child process: no flow can take the server down.
      workerProcess: true,
      corsOrigins: a.cors,
      allowedHosts: a.allowedHosts,
      ...(a.token === undefined ? {} : { token: a.token }),
      ...(a.metrics === undefined ? {} : { metrics: a.metrics }),
      ...(a.bodyLimit === undefined ? {} : { bodyLimit: a.bodyLimit }),
      ...(a.taskQueue === undefined ? {} : { taskQueue: a.taskQueue }),
      designerDir: DESIGNER_DIST,
    });
    for (const line of serveLines(running, a)) console.log(line);
    await untilSignal();
    await running.close();
    return EXIT.ok;
  },
};

export default command;
