import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, onPath } from '../../../interpreter/temporal';
import { ClusterSetupError } from './errors';

/** The server the Temporal CLI v1.5.1 pins, so the dev-server tier and this one run one version. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

export interface ServerBinaries {
  /** `server`: one binary, one service per process with `start --service`. */
  server: string;
  /** The SQL schema tool (`temporal-sql-tool` in the server's own images). */
  sql: string;
  /** schema/postgresql/v12 of the same module, copied beside the binaries. */
  schema: string;
}

function paths(version: string): ServerBinaries {
  const dir = cacheDir(`temporal-server-${version}`);
  return {
    server: join(dir, 'temporal-server'),
    sql: join(dir, 'temporal-sql-tool'),
    schema: join(dir, 'schema', 'postgresql', 'v12'),
  };
}

function goEnv(name: string): string {
  return spawnSync('go', ['env', name], { encoding: 'utf8' }).stdout.trim();
}

/**
 * The server and its SQL tool, built once from the Go module proxy into the cache beside the
 * Temporal CLI build (interpreter/temporal/cli-binary.ts), with the module's PostgreSQL schema.
 */
export async function serverBinaries(
  onProgress: (line: string) => void,
  version = TEMPORAL_SERVER_VERSION,
): Promise<ServerBinaries> {
  const want = paths(version);
  if (existsSync(want.server) && existsSync(want.sql) && existsSync(want.schema)) return want;
  if (!onPath('go')) {
    throw new ClusterSetupError(
      'WEFT_CLUSTER_GO_MISSING',
      `the Temporal server ${version} is not built (${want.server}) and Go is not on PATH to build it; install Go 1.23+ or copy the binaries there`,
    );
  }
  const dir = join(want.server, '..');
  const staging = `${dir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const packages = [`${MODULE}/cmd/server@${version}`, `${MODULE}/cmd/tools/sql@${version}`];
  onProgress(
    `building the Temporal server ${version} (go install ${packages.join(' ')}; first run only, minutes)`,
  );
  const started = Date.now();
  const tail: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('go', ['install', ...packages], {
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      tail.push(chunk.toString());
      if (tail.length > 100) tail.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  });
  const moduleDir = join(goEnv('GOMODCACHE'), `${MODULE}@${version}`);
  const schema = join(moduleDir, 'schema', 'postgresql', 'v12');
  if (code !== 0 || !existsSync(join(staging, 'server')) || !existsSync(schema)) {
    rmSync(staging, { recursive: true, force: true });
    throw new ClusterSetupError(
      'WEFT_CLUSTER_BUILD_FAILED',
      `go install ${packages.join(' ')} failed (exit ${code}):\n${tail.join('').trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  renameSync(join(staging, 'server'), join(staging, 'temporal-server'));
  renameSync(join(staging, 'sql'), join(staging, 'temporal-sql-tool'));
  cpSync(schema, join(staging, 'schema', 'postgresql', 'v12'), { recursive: true });
  // Another process may have finished the same build meanwhile: keep its copy, which may be in use.
  if (existsSync(want.server) && existsSync(want.sql) && existsSync(want.schema)) {
    rmSync(staging, { recursive: true, force: true });
    return want;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  onProgress(`built the Temporal server in ${Math.round((Date.now() - started) / 1000)} s: ${dir}`);
  return want;
}
