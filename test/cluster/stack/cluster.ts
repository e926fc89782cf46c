import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli } from '../../../interpreter/temporal';
import { type ServerBinaries, serverBinaries } from './binaries';
import { makeCa, makeLeaf } from './certs';
import { ClusterSetupError } from './errors';
import { type PostgresSpec, startPostgres, stopPostgres } from './postgres';
import {
  DYNAMIC_CONFIG,
  killService,
  SERVICES,
  type ServiceName,
  type ServiceSpec,
  serviceConfig,
  servicePid,
  startService,
  stopService,
  type TlsSpec,
} from './services';

/** Everything a test (in another process) needs to reach, kill and restart the cluster. */
export interface ClusterState {
  dir: string;
  binaries: ServerBinaries;
  /** The Temporal CLI, for operator commands. */
  cli: string;
  postgres: PostgresSpec;
  /** host:port of the frontend's gRPC. */
  address: string;
  namespace: string;
  tls: TlsSpec & { caKey: string };
  services: Record<ServiceName, ServiceSpec>;
}

/** The environment a `weft` process (or a Temporal client) reaches the cluster with: README's variables. */
export function clusterEnv(state: ClusterState): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: state.address,
    TEMPORAL_NAMESPACE: state.namespace,
    TEMPORAL_TLS_CERT: state.tls.cert,
    TEMPORAL_TLS_KEY: state.tls.key,
    TEMPORAL_TLS_CA: state.tls.ca,
    TEMPORAL_TLS_SERVER_NAME: state.tls.serverName,
  };
}

export function readState(dir: string): ClusterState {
  return JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as ClusterState;
}

function sqlTool(state: ClusterState, db: string, args: string[]): void {
  const r = spawnSync(
    state.binaries.sql,
    [
      '--plugin',
      'postgres12',
      '--ep',
      '127.0.0.1',
      '-p',
      String(state.postgres.port),
      '-u',
      'temporal',
      '--pw',
      'temporal',
      '--db',
      db,
      ...args,
    ],
    { encoding: 'utf8', timeout: 180_000 },
  );
  if (r.status !== 0) {
    throw new ClusterSetupError(
      'WEFT_CLUSTER_SCHEMA_FAILED',
      `temporal-sql-tool --db ${db} ${args.join(' ')} failed (exit ${r.status}):\n${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
  }
}

/** create-database, setup-schema -v 0.0, update-schema: what the server's auto-setup does. */
function setUpSchema(state: ClusterState): void {
  for (const [db, folder] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    sqlTool(state, db, ['create-database']);
    sqlTool(state, db, ['setup-schema', '-v', '0.0']);
    sqlTool(state, db, ['update-schema', '-d', join(state.binaries.schema, folder, 'versioned')]);
  }
}

/** `temporal <args>` against the cluster, over mTLS. Never reads TEMPORAL_* from our environment. */
export function temporalCli(state: ClusterState, args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')),
  );
  return spawnSync(
    state.cli,
    [
      ...args,
      '--address',
      state.address,
      '--tls-cert-path',
      state.tls.cert,
      '--tls-key-path',
      state.tls.key,
      '--tls-ca-path',
      state.tls.ca,
      '--tls-server-name',
      state.tls.serverName,
    ],
    { encoding: 'utf8', timeout: 60_000, env },
  );
}

/** Retries an operator command while the services find each other (membership takes seconds). */
async function operator(
  state: ClusterState,
  what: string,
  args: string[],
  done: (out: string) => boolean,
) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const r = temporalCli(state, args);
    const out = `${r.stdout}${r.stderr}`;
    if (r.status === 0 || done(out)) return;
    if (Date.now() > deadline) {
      throw new ClusterSetupError(
        'WEFT_CLUSTER_NAMESPACE_FAILED',
        `${what} failed:\n${out.trim().slice(-2000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/**
 * A free port below 32768: Temporal stores membership ports in a PostgreSQL smallint, and the
 * kernel's ephemeral ports (what port 0 gives) start above it.
 */
async function port(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
}

export interface StartClusterOptions {
  onProgress?: (line: string) => void;
}

/**
 * PostgreSQL in a temporary folder, the schema, the four services as separate processes, the
 * `default` namespace and WeftFlow. On any failure, stops what it had started and rethrows.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<ClusterState> {
  const say = options.onProgress ?? ((line: string) => console.error(`[cluster] ${line}`));
  const binaries = await serverBinaries(say);
  const cli = await findTemporalCli({ onProgress: say });
  if (!cli) {
    throw new ClusterSetupError(
      'WEFT_CLUSTER_GO_MISSING',
      'no Temporal CLI (TEMPORAL_CLI_PATH, PATH, or the cache) and no Go to build it; run `weft setup`',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'weft-cluster-'));
  // PostgreSQL runs as its own user and must reach its folder inside this one.
  chmodSync(dir, 0o755);
  const ca = makeCa(join(dir, 'tls'), 'weft-test-ca');
  const leaf = makeLeaf(join(dir, 'tls'), 'cluster', ca);
  const services = {} as Record<ServiceName, ServiceSpec>;
  for (const name of SERVICES) {
    services[name] = {
      name,
      ports: {
        grpc: await port(),
        membership: await port(),
        metrics: await port(),
        pprof: await port(),
        ...(name === 'frontend' ? { http: await port() } : {}),
      },
      configDir: join('services', name),
      log: join('logs', `${name}.log`),
      pidFile: join('services', `${name}.pid`),
    };
  }
  const state: ClusterState = {
    dir,
    binaries,
    cli: cli.path,
    postgres: { dir: join(dir, 'pg'), port: await port(), bin: '' },
    address: `127.0.0.1:${services.frontend.ports.grpc}`,
    namespace: 'default',
    tls: { ca: ca.cert, caKey: ca.key, cert: leaf.cert, key: leaf.key, serverName: 'localhost' },
    services,
  };
  try {
    say(`PostgreSQL on 127.0.0.1:${state.postgres.port} in ${state.postgres.dir}`);
    state.postgres = startPostgres(state.postgres.dir, state.postgres.port);
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify(state, null, 2));
    say('schema (temporal-sql-tool, postgres12)');
    setUpSchema(state);
    const dynamicConfig = join(dir, 'dynamicconfig.yaml');
    writeFileSync(dynamicConfig, DYNAMIC_CONFIG);
    for (const name of SERVICES) {
      mkdirSync(join(dir, services[name].configDir), { recursive: true });
      writeFileSync(
        join(dir, services[name].configDir, 'development.yaml'),
        serviceConfig(
          { postgresPort: state.postgres.port, services, dynamicConfig, tls: state.tls },
          name,
        ),
      );
    }
    for (const name of SERVICES) {
      say(`starting ${name} (gRPC 127.0.0.1:${services[name].ports.grpc})`);
      await startService(dir, binaries.server, services[name]);
    }
    say('namespace default and search attribute WeftFlow');
    await operator(
      state,
      'temporal operator namespace create default',
      ['operator', 'namespace', 'create', '--namespace', 'default', '--retention', '24h'],
      (out) => out.includes('already'),
    );
    await operator(
      state,
      'temporal operator search-attribute create WeftFlow',
      [
        'operator',
        'search-attribute',
        'create',
        '--namespace',
        'default',
        '--name',
        'WeftFlow',
        '--type',
        'Keyword',
      ],
      (out) => out.includes('already'),
    );
    say(`ready: ${state.address} (mTLS), logs in ${join(dir, 'logs')}`);
    return state;
  } catch (err) {
    await stopCluster(state, { keepDir: true });
    say(`setup failed; logs kept in ${dir}`);
    throw err;
  }
}

/** Stops every service (whoever started it last), then PostgreSQL; removes the folder unless asked not to. */
export async function stopCluster(
  state: ClusterState,
  options: { keepDir?: boolean } = {},
): Promise<void> {
  for (const name of ['worker', 'frontend', 'matching', 'history'] as const) {
    await stopService(state.dir, state.services[name], 15_000).catch(() => undefined);
  }
  if (state.postgres.bin) stopPostgres(state.postgres);
  if (!options.keepDir && process.env.WEFT_CLUSTER_KEEP !== '1') {
    rmSync(state.dir, { recursive: true, force: true });
  }
}

/** The cluster's view of one service, for tests that kill and restart it. */
export function service(state: ClusterState, name: ServiceName) {
  const spec = state.services[name];
  return {
    pid: () => servicePid(state.dir, spec),
    kill: () => killService(state.dir, spec),
    stop: () => stopService(state.dir, spec),
    start: () => startService(state.dir, state.binaries.server, spec),
    async restart() {
      await stopService(state.dir, spec);
      await startService(state.dir, state.binaries.server, spec);
    },
  };
}
