/**
 * Starts `weft serve` as a child process, the way a user does, against the test run's Temporal
 * dev server (TEMPORAL_ADDRESS from global setup), on a free port, over a temp copy of fixtures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeHandle {
  url: string;
  port: number;
  pid: number;
  taskQueue: string;
  flowsDir: string;
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`weft serve exited (${child.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`weft serve did not answer in time:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startServe(options: {
  fixtures: string;
  plugins: string[];
  env?: Record<string, string>;
  /** More `weft serve` arguments, e.g. `--cors origin`. */
  args?: string[];
}): Promise<ServeHandle> {
  const flowsDir = mkdtempSync(join(tmpdir(), 'weft-e2e-'));
  cpSync(options.fixtures, flowsDir, { recursive: true });
  const port = await freePort();
  // A private task queue, so workers of other test files never take this server's runs.
  const args = ['bin/weft.mjs', 'serve', '--port', String(port), '--flows', flowsDir];
  const taskQueue = `e2e-${randomUUID().slice(0, 8)}`;
  args.push('--task-queue', taskQueue);
  for (const p of options.plugins) args.push('--plugins', p);
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(flowsDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => out);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid: child.pid ?? 0, taskQueue, flowsDir, output: () => out, stop };
}
