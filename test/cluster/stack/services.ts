import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClusterSetupError } from './errors';

/** Temporal's four services, each its own process, in the order they are started. */
export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  pprof: number;
  /** The frontend's HTTP API only. */
  http?: number;
}

export interface ServiceSpec {
  name: ServiceName;
  ports: ServicePorts;
  /** Relative to the cluster folder (the server's --root). */
  configDir: string;
  log: string;
  pidFile: string;
}

export interface TlsSpec {
  ca: string;
  cert: string;
  key: string;
  /** The name the server certificate carries. */
  serverName: string;
}

export interface ConfigInput {
  postgresPort: number;
  services: Record<ServiceName, ServiceSpec>;
  dynamicConfig: string;
  tls: TlsSpec;
}

/**
 * The server's config/development-postgres12.yaml, adapted: 4 history shards, every port from
 * `services`, and this process's own metrics and pprof ports (one config per process, or the
 * four processes would fight over them). The frontend requires mTLS from its clients; the
 * server's own system worker presents the same kind of certificate.
 */
export function serviceConfig(input: ConfigInput, self: ServiceName): string {
  const { services, tls } = input;
  const own = services[self].ports;
  const sql = (db: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: db,
      connectAddr: `127.0.0.1:${input.postgresPort}`,
      connectProtocol: 'tcp',
      user: 'temporal',
      password: 'temporal',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (name: ServiceName) => {
    const p = services[name].ports;
    return {
      rpc: {
        grpcPort: p.grpc,
        membershipPort: p.membership,
        bindOnLocalHost: true,
        ...(p.http ? { httpPort: p.http } : {}),
      },
    };
  };
  const client = { serverName: tls.serverName, rootCaFiles: [tls.ca] };
  return stringify({
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': sql('temporal', 20),
        'postgres-visibility': sql('temporal_visibility', 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: own.pprof },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `127.0.0.1:${own.metrics}`,
        },
      },
      tls: {
        frontend: {
          server: {
            certFile: tls.cert,
            keyFile: tls.key,
            clientCaFiles: [tls.ca],
            requireClientAuth: true,
          },
          client,
        },
        systemWorker: { certFile: tls.cert, keyFile: tls.key, client },
      },
    },
    services: {
      frontend: rpc('frontend'),
      matching: rpc('matching'),
      history: rpc('history'),
      worker: rpc('worker'),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${services.frontend.ports.grpc}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: {
      archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    },
    dynamicConfigClient: { filepath: input.dynamicConfig, pollInterval: '10s' },
  });
}

/**
 * The dynamic config the tier runs with: a new search attribute is readable at once (the tests
 * register WeftFlow and start flows right after), and ids as long as Weft's default child ids.
 */
export const DYNAMIC_CONFIG = stringify({
  'limit.maxIDLength': [{ value: 255, constraints: {} }],
  'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true, constraints: {} }],
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function servicePid(root: string, spec: ServiceSpec): number | undefined {
  const file = join(root, spec.pidFile);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts one service in its own process group, detached, so that a test file's worker process
 * can restart it and the run's teardown (which reads the pid file) can still stop it.
 */
export async function startService(
  root: string,
  server: string,
  spec: ServiceSpec,
): Promise<number> {
  mkdirSync(join(root, 'logs'), { recursive: true });
  const out = openSync(join(root, spec.log), 'a');
  const child = spawn(
    server,
    [
      '--root',
      root,
      '--config',
      spec.configDir,
      '--env',
      'development',
      '--allow-no-auth',
      'start',
      '--service',
      spec.name,
    ],
    { cwd: root, detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new ClusterSetupError('WEFT_CLUSTER_SERVICE_FAILED', `could not spawn ${server}`);
  writeFileSync(join(root, spec.pidFile), String(pid));
  // The worker service serves no gRPC; its membership port opens once it has joined.
  const ready = spec.name === 'worker' ? spec.ports.membership : spec.ports.grpc;
  const deadline = Date.now() + 120_000;
  while (!(await portOpen(ready))) {
    if (!alive(pid) || Date.now() > deadline) {
      const log = readFileSync(join(root, spec.log), 'utf8').slice(-3000);
      throw new ClusterSetupError(
        'WEFT_CLUSTER_SERVICE_FAILED',
        `the ${spec.name} service ${alive(pid) ? 'did not listen on' : 'exited before listening on'} 127.0.0.1:${ready}; its log (${spec.log}):\n${log}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return pid;
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** SIGKILL, as a crashed host or an OOM kill would: no graceful shutdown, no membership leave. */
export async function killService(root: string, spec: ServiceSpec): Promise<void> {
  const pid = servicePid(root, spec);
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');
  await waitGone(pid, 30_000);
}

/** SIGTERM, the server's graceful stop; SIGKILL when it has not stopped within `graceMs`. */
export async function stopService(
  root: string,
  spec: ServiceSpec,
  graceMs = 30_000,
): Promise<void> {
  const pid = servicePid(root, spec);
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  if (!(await waitGone(pid, graceMs))) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 10_000);
  }
}
