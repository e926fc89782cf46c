import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isExecutable, onPath } from '../../../interpreter/temporal';
import { ClusterSetupError } from './errors';

export interface PostgresSpec {
  /** Holds data/, the socket and the log. */
  dir: string;
  port: number;
  /** Folder of initdb and pg_ctl. */
  bin: string;
  /** The OS user that runs postgres: `postgres` when we are root (postgres refuses root), else us. */
  runAs?: string;
}

/** Debian's PostgreSQL (/usr/lib/postgresql/<major>/bin, newest first), or pg_ctl on PATH. */
export function findPostgresBin(): string {
  const fromEnv = process.env.WEFT_PG_BIN;
  if (fromEnv && isExecutable(join(fromEnv, 'pg_ctl'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((v) => isExecutable(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(root, majors[0], 'bin');
  }
  const pgCtl = onPath('pg_ctl');
  if (pgCtl) return join(pgCtl, '..');
  throw new ClusterSetupError(
    'WEFT_CLUSTER_POSTGRES_MISSING',
    'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl, no pg_ctl on PATH, no WEFT_PG_BIN); install it with `apt-get install -y postgresql` (.ci/run does)',
  );
}

function asUser(spec: PostgresSpec, tool: string, args: string[], timeout = 120_000) {
  const path = join(spec.bin, tool);
  const [cmd, argv] = spec.runAs
    ? ['runuser', ['-u', spec.runAs, '--', path, ...args]]
    : [path, args];
  return spawnSync(cmd, argv, { encoding: 'utf8', timeout, cwd: spec.dir });
}

function fail(what: string, r: ReturnType<typeof spawnSync>, log?: string): never {
  const logText = log && existsSync(log) ? `\n${readFileSync(log, 'utf8').slice(-2000)}` : '';
  throw new ClusterSetupError(
    'WEFT_CLUSTER_POSTGRES_START_FAILED',
    `PostgreSQL ${what} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}):\n${String(r.stderr ?? '').trim()}${logText}`,
  );
}

/**
 * A throwaway PostgreSQL in `dir` on 127.0.0.1:`port`: trust auth for the local `temporal`
 * superuser, fsync off (this tier kills Temporal's services, never the machine, so the
 * database's own crash safety is not under test and costs two shared cores dearly).
 */
export function startPostgres(dir: string, port: number): PostgresSpec {
  const spec: PostgresSpec = { dir, port, bin: findPostgresBin() };
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) {
      throw new ClusterSetupError(
        'WEFT_CLUSTER_POSTGRES_MISSING',
        'running as root, and there is no `postgres` user to run PostgreSQL as (postgres refuses root); install Debian`s postgresql package, which creates it',
      );
    }
    chownSync(dir, Number(id.stdout.trim()), Number(gid.stdout.trim()));
    spec.runAs = 'postgres';
  }
  const data = join(dir, 'data');
  const init = asUser(spec, 'initdb', [
    '-D',
    data,
    '-U',
    'temporal',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  if (init.status !== 0) fail('initdb', init);
  const log = join(dir, 'postgres.log');
  const options = [
    `-p ${port}`,
    '-h 127.0.0.1',
    `-k ${dir}`,
    '-c max_connections=300',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = asUser(spec, 'pg_ctl', [
    '-D',
    data,
    '-l',
    log,
    '-o',
    options,
    '-w',
    '-t',
    '90',
    'start',
  ]);
  if (start.status !== 0) fail('pg_ctl start', start, log);
  return spec;
}

export function stopPostgres(spec: PostgresSpec): void {
  const data = join(spec.dir, 'data');
  if (!existsSync(join(data, 'postmaster.pid'))) return;
  const r = asUser(spec, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], 90_000);
  if (r.status === 0) return;
  // pg_ctl could not: the postmaster's pid is the file's first line.
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGQUIT');
  } catch {}
}
