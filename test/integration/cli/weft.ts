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
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    /** Resolves once stderr contains `text` (rejects if the process exits first). */
    waitFor(text: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (stderr.includes(text)) {
            child.stderr?.off('data', check);
            resolve();
          }
        };
        child.stderr?.on('data', check);
        check();
        void exited.then((code) =>
          reject(new Error(`weft exited (${code}) before "${text}":\n${stderr}`)),
        );
      });
    },
  };
}
