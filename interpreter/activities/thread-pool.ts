import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { FromThread, ThreadBootData, ToThread } from './thread-protocol';
import type { ActivityContext } from './types';

export interface ThreadJob {
  moduleUrl: string;
  plugin: string;
  activity: string;
  input: unknown;
}

interface Pending {
  id: number;
  job: ThreadJob;
  ctx: ActivityContext;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  thread: Worker;
  busy?: Pending;
  /** False while the thread boots (loads its entry), which takes a moment. */
  ready: boolean;
  /**
   * Heartbeats on the job's behalf until the plugin's `run` starts (the thread may still be
   * booting or importing the plugin module), so a short heartbeat timeout holds.
   */
  keepAlive?: NodeJS.Timeout;
}

// Loader hooks are not inherited by threads in every Node version, so a thread registers tsx
// itself: first thing when its entry is TypeScript (a checkout), else only once a TypeScript
// plugin module is imported (thread-main.ts), so an installed package runs plain JavaScript.
const BOOT = `
const { workerData } = require('node:worker_threads');
const ts = /\\.[cm]?tsx?$/.test(workerData.entry);
(ts ? import(workerData.tsx).then((m) => { m.register(); workerData.tsxRegistered = true; }) : Promise.resolve())
  .then(() => import(workerData.entry))
  .then((m) => m.startThread());
`;

/** tsx's ESM API entry; `require.resolve` would pick its CommonJS build. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(pkgPath), entry)).href;
}

function bootData(): ThreadBootData {
  return {
    tsx: tsxEsmApi(),
    tsxRegistered: false,
    entry: new URL('./thread-main.ts', import.meta.url).href,
  };
}

/**
 * A small pool of worker threads for `runIn: 'thread'` activities. One job per thread at a time:
 * these plugins are CPU-bound, and the main thread stays free to poll and heartbeat. A cancelled
 * job's thread is terminated and replaced, because CPU-bound code cannot observe an abort.
 */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size: number = Math.max(1, availableParallelism() - 1)) {}

  run(job: ThreadJob, ctx: ActivityContext): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('thread pool is closed'));
    return new Promise((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, job, ctx, resolve, reject };
      const onAbort = () => this.abort(pending);
      if (ctx.signal.aborted) {
        reject(cancelled(ctx.signal));
        return;
      }
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const done = (fn: (v: unknown) => void) => (v: unknown) => {
        ctx.signal.removeEventListener('abort', onAbort);
        fn(v);
      };
      pending.resolve = done(resolve);
      pending.reject = done(reject);
      this.queue.push(pending);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('thread pool closed'));
    for (const s of this.slots) this.stopKeepAlive(s);
    await Promise.all(this.slots.splice(0).map((s) => s.thread.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const next = this.queue.shift()!;
      slot.busy = next;
      const info = next.ctx.info;
      const msg: ToThread = { type: 'run', id: next.id, ...next.job, info };
      this.keepAlive(slot, next);
      slot.thread.postMessage(msg);
    }
  }

  /** Starts `count` threads ahead of the first job, so the first activity does not wait. */
  warm(count = 1): void {
    while (this.slots.length < Math.min(count, this.size)) this.spawn();
  }

  private keepAlive(slot: Slot, job: Pending): void {
    // Re-send the previous attempt's details, so a resumable plugin loses nothing.
    const beat = () => job.ctx.heartbeat(job.ctx.info.heartbeatDetails);
    beat();
    slot.keepAlive = setInterval(beat, 500);
  }

  private stopKeepAlive(slot: Slot): void {
    if (slot.keepAlive) clearInterval(slot.keepAlive);
    slot.keepAlive = undefined;
  }

  private spawn(): Slot {
    const thread = new Worker(BOOT, { eval: true, workerData: bootData() });
    thread.unref();
    const slot: Slot = { thread, ready: false };
    thread.on('message', (m: FromThread) => this.onMessage(slot, m));
    thread.on('error', (err) => this.retire(slot, err));
    thread.on('exit', (code) => this.retire(slot, new Error(`plugin thread exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private onMessage(slot: Slot, m: FromThread): void {
    if (m.type === 'ready') {
      slot.ready = true;
      return;
    }
    const job = slot.busy;
    if (!job || job.id !== m.id) return;
    switch (m.type) {
      case 'started':
        this.stopKeepAlive(slot);
        return;
      case 'heartbeat':
        job.ctx.heartbeat(m.details);
        return;
      case 'log':
        job.ctx.log[m.level](m.message, m.attrs);
        return;
      case 'result':
        this.stopKeepAlive(slot);
        slot.busy = undefined;
        job.resolve(m.value);
        break;
      case 'error':
        this.stopKeepAlive(slot);
        slot.busy = undefined;
        job.reject(
          ApplicationFailure.create({
            type: m.error.type,
            message: m.error.message,
            nonRetryable: m.error.nonRetryable,
            details: m.error.details === undefined ? [] : [m.error.details],
          }),
        );
        break;
    }
    this.pump();
  }

  private abort(job: Pending): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(cancelled(job.ctx.signal));
      return;
    }
    const slot = this.slots.find((s) => s.busy === job);
    if (!slot) return;
    slot.busy = undefined;
    this.stopKeepAlive(slot);
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.thread.terminate();
    job.reject(cancelled(job.ctx.signal));
    this.pump();
  }

  /** A thread that died takes its job with it; the pool replaces it on demand. */
  private retire(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    this.stopKeepAlive(slot);
    const job = slot.busy;
    slot.busy = undefined;
    job?.reject(ApplicationFailure.create({ type: 'PluginThreadError', message: err.message }));
    if (!this.closed) this.pump();
  }
}

function cancelled(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof CancelledFailure) return reason;
  return new CancelledFailure(typeof reason === 'string' ? reason : 'activity cancelled');
}
