import { findTemporalCli } from './cli-binary';
import { startDevServer, WEFT_SEARCH_ATTRIBUTES } from './dev-server';
import { type ConnectionSettings, connectionOptionsFromEnv } from './env';
import { TemporalSetupError } from './errors';
import { ensureJavaTestServer } from './java-test-server';
import { freePort } from './ports';
import { waitForNamespace } from './readiness';
import { onPath } from './which';

export type ServerKind = 'external' | 'dev-server' | 'testing-download' | 'java-test-server';

/** A Temporal server Weft can use, and how to let go of it. */
export interface TemporalServer extends ConnectionSettings {
  kind: ServerKind;
  /** True when someone else runs it (TEMPORAL_ADDRESS): stop() then does nothing. */
  external: boolean;
  uiUrl?: string;
  /** The binary that runs it, when Weft started it. */
  binary?: string;
  stop(): Promise<void>;
}

export interface EnsureServerOptions {
  port?: number;
  uiPort?: number;
  /** Start the Web UI (default true). */
  ui?: boolean;
  dbFile?: string;
  namespace?: string;
  dynamicConfig?: Record<string, string | number | boolean>;
  searchAttributes?: Record<string, string>;
  /** Build the CLI from the Go module proxy if needed (default true). */
  build?: boolean;
  onProgress?: (line: string) => void;
  output?: 'inherit' | 'ignore';
}

/**
 * The server to use, in DESIGN.md's order: TEMPORAL_ADDRESS; else a dev server from
 * TEMPORAL_CLI_PATH, `temporal` on PATH or the project's own build; else @temporalio/testing's
 * download; else the Java test server. Fails with a message that says what to install.
 */
export async function ensureServer(options: EnsureServerOptions = {}): Promise<TemporalServer> {
  const progress = options.onProgress ?? ((line: string) => console.error(line));
  const external = connectionOptionsFromEnv();
  if (external) {
    return { ...external, kind: 'external', external: true, stop: async () => {} };
  }

  const cli = await findTemporalCli({ build: options.build, onProgress: progress });
  if (cli) {
    const server = await startDevServer({
      binary: cli.path,
      port: options.port,
      uiPort: options.uiPort,
      ui: options.ui ?? true,
      dbFile: options.dbFile,
      namespace: options.namespace,
      dynamicConfig: options.dynamicConfig,
      searchAttributes: options.searchAttributes,
      output: options.output,
    });
    return { ...server, kind: 'dev-server', external: false, binary: cli.path };
  }

  const failures: string[] = [];
  try {
    return await fromTestingDownload(options);
  } catch (err) {
    failures.push(`@temporalio/testing download: ${(err as Error).message}`);
  }
  if (onPath('java')) {
    try {
      return await fromJavaTestServer(progress, options.port);
    } catch (err) {
      failures.push(`Java test server: ${(err as Error).message}`);
    }
  }
  throw new TemporalSetupError(
    'WEFT_SERVER_NOT_FOUND',
    [
      'No Temporal server could be found or started. Any one of these fixes it:',
      '  - set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE) to use a running server or Temporal Cloud;',
      '  - install the Temporal CLI and put `temporal` on PATH, or set TEMPORAL_CLI_PATH;',
      '  - install Go (1.22+), and weft builds the CLI itself on first use;',
      "  - install Java 17+ and Maven, and weft runs Temporal's Java test server.",
      ...failures.map((f) => `  (${f})`),
    ].join('\n'),
  );
}

async function fromTestingDownload(options: EnsureServerOptions): Promise<TemporalServer> {
  // Loaded lazily: @temporalio/testing pulls in the native bridge, which most commands never need.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const { SearchAttributeType, defineSearchAttributeKey } = await import('@temporalio/common');
  const namespace = options.namespace ?? 'default';
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      namespace,
      dbFilename: options.dbFile,
      port: options.port,
      ui: options.ui ?? true,
      uiPort: options.uiPort,
      searchAttributes: Object.keys({ ...WEFT_SEARCH_ATTRIBUTES, ...options.searchAttributes }).map(
        (name) => defineSearchAttributeKey(name, SearchAttributeType.KEYWORD),
      ),
      extraArgs: Object.entries(options.dynamicConfig ?? {}).flatMap(([k, v]) => [
        '--dynamic-config-value',
        `${k}=${JSON.stringify(v)}`,
      ]),
    },
  });
  return {
    address: env.address,
    namespace,
    kind: 'testing-download',
    external: false,
    stop: () => env.teardown(),
  };
}

async function fromJavaTestServer(
  progress: (line: string) => void,
  port?: number,
): Promise<TemporalServer> {
  const { spawn } = await import('node:child_process');
  const wrapper = await ensureJavaTestServer(progress);
  const chosen = port ?? (await freePort());
  const child = spawn(wrapper, [String(chosen)], { stdio: 'ignore' });
  const exited = new Promise((done) => child.on('close', done));
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  const address = `127.0.0.1:${chosen}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    process.removeListener('exit', onExit);
  };
  try {
    await waitForNamespace(address, 'default', 60_000, () =>
      child.exitCode !== null
        ? `the Java test server exited with code ${child.exitCode}`
        : undefined,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  progress('no Temporal CLI available: using the Java test server (in memory, no Web UI)');
  return {
    address,
    namespace: 'default',
    kind: 'java-test-server',
    external: false,
    binary: wrapper,
    stop,
  };
}
