import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from './cache';
import { TemporalSetupError } from './errors';
import { isExecutable, onPath } from './which';

const run = promisify(execFile);

/**
 * The Temporal CLI tag built from the Go module proxy. Later tags (v1.6 and on) carry a `replace`
 * directive in go.mod, which `go install pkg@version` refuses; v1.5.1 is the newest that installs.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type BinarySource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'built';

export interface TemporalBinary {
  path: string;
  source: BinarySource;
}

/** Where the project keeps its own build of the CLI. */
export function builtCliPath(version = TEMPORAL_CLI_VERSION): string {
  return cacheDir(`temporal-${version}`, 'temporal');
}

export interface FindOptions {
  /** Build from the Go module proxy when nothing else is found (default true). */
  build?: boolean;
  /** Told about slow work, such as the first build. */
  onProgress?: (line: string) => void;
}

/**
 * Finds a Temporal CLI in the order DESIGN.md gives: TEMPORAL_CLI_PATH, `temporal` on PATH, the
 * project's own build (building it once when Go is present). Undefined when none can be had;
 * callers then try @temporalio/testing's download.
 */
export async function findTemporalCli(
  options: FindOptions = {},
): Promise<TemporalBinary | undefined> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new TemporalSetupError(
        'WEFT_SERVER_NOT_FOUND',
        `TEMPORAL_CLI_PATH=${fromEnv} is not an executable file; fix the path or unset it.`,
      );
    }
    return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal');
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const built = builtCliPath();
  if (isExecutable(built)) return { path: built, source: 'built' };
  if (options.build === false || !onPath('go')) return undefined;
  await withBuildLock(built, options.onProgress, () => buildTemporalCli(options.onProgress));
  return { path: built, source: 'built' };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Several processes may want the CLI at once (parallel test files, `weft dev` beside a test run):
 * one builds, the others wait for its binary instead of starting a build of their own.
 */
async function withBuildLock(
  target: string,
  onProgress: ((line: string) => void) | undefined,
  build: () => Promise<unknown>,
): Promise<void> {
  const lock = `${target}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {}
      if (Number.isInteger(holder) && !alive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        (onProgress ?? console.error)(
          `waiting for another process (pid ${holder}) that is building the Temporal CLI`,
        );
        told = true;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    if (!isExecutable(target)) await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `go install` the CLI into the cache, atomically, so an interrupted build never leaves half a binary. */
export async function buildTemporalCli(
  onProgress: (line: string) => void = (line) => console.error(line),
  version = TEMPORAL_CLI_VERSION,
): Promise<string> {
  const target = builtCliPath(version);
  const staging = `${target}.building-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  onProgress(
    `building the Temporal dev server from source; first run only (go install ${CLI_MODULE}@${version}, a few minutes)`,
  );
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    // Stamp the version in, since module builds otherwise report 0.0.0-DEV.
    const ldflags = `-ldflags=-X github.com/temporalio/cli/temporalcli.Version=${version.replace(/^v/, '')}`;
    const child = spawn('go', ['install', ldflags, `${CLI_MODULE}@${version}`], {
      env: { ...process.env, GOBIN: staging, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.length > 200) output.shift();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  });
  const binary = join(staging, 'temporal');
  if (code !== 0 || !existsSync(binary)) {
    rmSync(staging, { recursive: true, force: true });
    throw new TemporalSetupError(
      'WEFT_SERVER_BUILD_FAILED',
      `go install ${CLI_MODULE}@${version} failed (exit ${code}):\n${output.join('').trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  mkdirSync(join(target, '..'), { recursive: true });
  renameSync(binary, target);
  rmSync(staging, { recursive: true, force: true });
  onProgress(`built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s: ${target}`);
  return target;
}

/** The first line of `temporal --version`, or undefined when the binary does not answer. */
export async function cliVersion(path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(path, ['--version'], { timeout: 10_000 });
    return stdout.trim().split('\n')[0];
  } catch {
    return undefined;
  }
}
