import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { freePort } from './ports';
import { waitForNamespace } from './readiness';

/** Search attributes every Weft server has; `weft list --flow` filters on WeftFlow. */
export const WEFT_SEARCH_ATTRIBUTES: Record<string, string> = { WeftFlow: 'Keyword' };

export interface DevServerOptions {
  /** The `temporal` CLI binary. */
  binary: string;
  port?: number;
  uiPort?: number;
  /** SQLite file: runs survive a restart. Without it the server keeps everything in memory. */
  dbFile?: string;
  namespace?: string;
  ip?: string;
  ui?: boolean;
  /** Extra `--dynamic-config-value key=value` settings, e.g. a low continue-as-new threshold. */
  dynamicConfig?: Record<string, string | number | boolean>;
  searchAttributes?: Record<string, string>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes (default: dropped). */
  output?: 'inherit' | 'ignore';
  startTimeoutMs?: number;
}

export interface RunningDevServer {
  address: string;
  namespace: string;
  uiUrl?: string;
  pid: number;
  /** Resolves when the server process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function argsFor(
  o: Required<Pick<DevServerOptions, 'port' | 'namespace' | 'ip'>> & DevServerOptions,
  uiPort?: number,
) {
  const args = [
    'server',
    'start-dev',
    '--ip',
    o.ip,
    '--port',
    String(o.port),
    '--namespace',
    o.namespace,
  ];
  args.push('--log-level', o.logLevel ?? 'error');
  if (uiPort) args.push('--ui-port', String(uiPort));
  else args.push('--headless');
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  for (const [name, type] of Object.entries({ ...WEFT_SEARCH_ATTRIBUTES, ...o.searchAttributes })) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  for (const [key, value] of Object.entries(o.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

/** Stops a child with SIGTERM, then SIGKILL if it lingers. */
async function terminate(
  child: ChildProcess,
  exited: Promise<unknown>,
  graceMs = 5_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts `temporal server start-dev` and resolves once its namespace answers. */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const ui = options.ui ?? options.uiPort !== undefined;
  const uiPort = ui ? (options.uiPort ?? (await freePort())) : undefined;
  const dbFile = options.dbFile ? resolve(options.dbFile) : undefined;
  if (dbFile) mkdirSync(dirname(dbFile), { recursive: true });

  const args = argsFor({ ...options, ip, port, namespace, dbFile }, uiPort);
  const child = spawn(options.binary, args, {
    stdio: [
      'ignore',
      options.output ?? 'ignore',
      options.output === 'inherit' ? 'inherit' : 'pipe',
    ],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  // A server must never outlive the process that started it, even on an uncaught error.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);

  const address = `${ip}:${port}`;
  try {
    await waitForNamespace(address, namespace, options.startTimeoutMs ?? 60_000, () => {
      if (spawnError) return `cannot run ${options.binary}: ${spawnError.message}`;
      if (child.exitCode !== null) {
        return `temporal server start-dev exited with code ${child.exitCode}: ${stderr.trim()}`;
      }
      return undefined;
    });
  } catch (err) {
    await terminate(child, exited);
    process.removeListener('exit', onExit);
    throw err;
  }

  return {
    address,
    namespace,
    uiUrl: uiPort ? `http://${ip}:${uiPort}` : undefined,
    pid: child.pid ?? -1,
    exited,
    async stop() {
      await terminate(child, exited);
      process.removeListener('exit', onExit);
    },
  };
}
