import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@temporalio/common';
import { recordAbandoned } from '../activities';
import type { WorkerGroup } from './run';

/** The `weft` entry point the worker process runs. */
const BIN = fileURLToPath(new URL('../../bin/weft.mjs', import.meta.url));

/** The V8 heap limit of a supervised worker process, unless WEFT_WORKER_HEAP_MB says otherwise. */
export const DEFAULT_WORKER_HEAP_MB = 1024;

/** Messages a supervised `weft worker` sends its parent over IPC. */
export type WorkerProcessMessage =
  | { type: 'weft.worker.ready' }
  | { type: 'weft.abandoned'; activity: string };

export interface SupervisorOptions {
  /** Arguments after `weft worker` (task queues, plugins, --allow-http…). */
  args: string[];
  /** Environment of the worker: where the Temporal server is. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** V8 heap limit (--max-old-space-size) for the process and its workflow threads. */
  heapMb?: number;
  /** How long the worker gets to stop after SIGTERM before it is killed (default 15 s). */
  stopTimeoutMs?: number;
  taskQueues: string[];
  log: Logger;
}

/** Backoff between restarts: 1 s, doubling to 30 s; back to 1 s after a minute of running. */
function backoff(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

export function workerHeapMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WEFT_WORKER_HEAP_MB;
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) && n >= 64 ? n : DEFAULT_WORKER_HEAP_MB;
}

/**
 * Runs `weft worker` as a child process and keeps it running: the safety net under `weft serve`
 * and `weft dev`. Workflow code runs in the worker's threads; a case no budget foresaw (an
 * allocation V8 cannot survive, an out-of-memory with no heap limit on the SDK's threads) aborts
 * the whole process it runs in. In a child with a heap limit that costs the worker, which is
 * restarted with backoff, and the workflow task, which Temporal retries, never the server. The
 * child reports abandoned activities over IPC, so the server's health route counts them.
 */
export class WorkerSupervisor implements WorkerGroup {
  readonly workers = [];
  readonly taskQueues: string[];
  readonly done: Promise<void>;
  /** Restarts so far (a crash and its replacement count one). */
  restarts = 0;
  private child: ChildProcess | undefined;
  private stopping = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private resolveDone!: () => void;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly options: SupervisorOptions) {
    this.taskQueues = options.taskQueues;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.spawn();
  }

  /** Resolves when the current worker process polls its queues. */
  ready(): Promise<void> {
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** The current worker process's id (changes on every restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private spawn(): void {
    const heap = this.options.heapMb ?? workerHeapMb();
    const startedAt = Date.now();
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${heap}`, BIN, 'worker', ...this.options.args],
      {
        cwd: this.options.cwd ?? process.cwd(),
        env: this.options.env,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    this.child = child;
    child.on('message', (m: WorkerProcessMessage) => {
      if (m?.type === 'weft.abandoned') recordAbandoned(m.activity);
      else if (m?.type === 'weft.worker.ready') {
        for (const w of this.readyWaiters.splice(0)) w();
      }
    });
    child.on('error', (err) =>
      this.options.log.error('worker process error', { error: err.message }),
    );
    child.on('exit', (code, signal) => {
      this.child = undefined;
      if (this.stopping) {
        this.resolveDone();
        return;
      }
      this.failures = Date.now() - startedAt > 60_000 ? 1 : this.failures + 1;
      const delay = backoff(this.failures);
      this.options.log.error('worker process died; restarting it', {
        code,
        signal,
        restartInMs: delay,
        heapMb: heap,
      });
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.stopping) return;
        this.restarts++;
        this.spawn();
      }, delay);
    });
  }

  /** SIGTERM (the worker drains within its grace period), then SIGKILL if it overstays. */
  async shutdown(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) {
      this.resolveDone();
      return this.done;
    }
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 15_000);
    await this.done;
    clearTimeout(kill);
  }
}
