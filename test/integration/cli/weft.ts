import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testServer } from '../../helpers';

export const BIN = fileURLToPath(new URL('../../../bin/weft.mjs', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export interface WeftResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The last non-empty stdout line, parsed: the `--json` contract. */
  last(): unknown;
}

/** The environment of a child `weft`: the test server, never a server of its own. */
export function weftEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { address, namespace } = testServer();
  return { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, ...extra };
}

/** Runs `node bin/weft.mjs …` in the fixtures folder and collects its output and exit code. */
export function weft(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
  return new Promise<WeftResult>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? FIXTURES, env: options.env ?? weftEnv(), maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({
          code,
          stdout,
          stderr,
          last: () => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null') as unknown,
        });
      },
    );
  });
}

/** A long-running `weft` (e.g. `weft worker`), with its output collected as it comes. */
export function spawnWeft(args: string[], env: NodeJS.ProcessEnv = weftEnv()) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: FIXTURES,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  // null when a signal ended it.
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    /**
     * Resolves once stderr (or stdout) contains `text`; rejects if the process exits first or
     * `ms` pass, so a test that waits for output that never comes fails instead of hanging.
     */
    waitFor(text: string, stream: 'stderr' | 'stdout' = 'stderr', ms = 90_000): Promise<void> {
      const source = stream === 'stderr' ? child.stderr : child.stdout;
      const seen = () => (stream === 'stderr' ? stderr : stdout).includes(text);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          source?.off('data', check);
          reject(new Error(`no "${text}" after ${ms}ms:\n${stderr}\n${stdout}`));
        }, ms);
        const check = () => {
          if (seen()) {
            clearTimeout(timer);
            source?.off('data', check);
            resolve();
          }
        };
        source?.on('data', check);
        check();
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`weft exited (${code}) before "${text}":\n${stderr}\n${stdout}`));
        });
      });
    },
    /**
     * The exit code, or a failure if the process is still running after `ms` (it is then
     * killed, so a hanging `weft` fails its test instead of the whole run).
     */
    async exitWithin(ms: number): Promise<number | null> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), ms);
      });
      const first = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (first === 'late') {
        child.kill('SIGKILL');
        throw new Error(`weft still running after ${ms}ms:\n${stderr}\n${stdout}`);
      }
      return first;
    },
    /** Stops it if it still runs (for afterEach/afterAll). */
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export type SpawnedWeft = ReturnType<typeof spawnWeft>;
