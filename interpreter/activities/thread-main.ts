import { parentPort, workerData } from 'node:worker_threads';
import { pluginsOf } from './module';
import type { FromThread, SerializedError, ThreadBootData, ToThread } from './thread-protocol';
import type { ActivityContext, ActivityDefinition, ActivityLogger } from './types';

/** Runs inside a pool thread: imports plugin modules by URL and runs one activity at a time. */

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Registers tsx in this thread before the first TypeScript plugin module (see thread-pool.ts). */
async function importPlugin(url: string): Promise<Record<string, unknown>> {
  const boot = workerData as ThreadBootData;
  if (/\.[cm]?tsx?$/i.test(new URL(url).pathname) && !boot.tsxRegistered) {
    const { register } = (await import(boot.tsx)) as { register(): void };
    register();
    boot.tsxRegistered = true;
  }
  return (await import(url)) as Record<string, unknown>;
}

async function findActivity(url: string, plugin: string, name: string) {
  let mod = modules.get(url);
  if (!mod) {
    mod = importPlugin(url);
    modules.set(url, mod);
  }
  const p = pluginsOf(await mod).find((x) => x.name === plugin);
  const def = p?.activities.find((a) => a.name === name) as ActivityDefinition | undefined;
  if (!def) throw new Error(`activity ${name} not found in ${url}`);
  return def;
}

function serialize(err: unknown): SerializedError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    type?: unknown;
    message?: unknown;
    nonRetryable?: unknown;
    details?: unknown;
    stack?: unknown;
  };
  // An ApplicationFailure carries its DSL type in `type`; other errors in `name`.
  const type =
    e.name === 'ApplicationFailure' && typeof e.type === 'string'
      ? e.type
      : typeof e.name === 'string'
        ? e.name
        : 'Error';
  let details = e.details;
  if (e.name === 'ApplicationFailure' && Array.isArray(details)) details = details[0];
  return {
    type,
    message: typeof e.message === 'string' ? e.message : String(err),
    nonRetryable: e.nonRetryable === true,
    details: details === undefined ? undefined : structuredClone(details),
    stack: typeof e.stack === 'string' ? e.stack : undefined,
  };
}

export function startThread(): void {
  const port = parentPort;
  if (!port) throw new Error('thread-main must run in a worker thread');
  const send = (m: FromThread) => port.postMessage(m);
  const aborts = new Map<number, AbortController>();
  send({ type: 'ready' });
  port.on('message', (m: ToThread) => {
    if (m.type === 'abort') {
      aborts.get(m.id)?.abort();
      return;
    }
    const { id } = m;
    const abort = new AbortController();
    aborts.set(id, abort);
    const logAt =
      (level: 'debug' | 'info' | 'warn' | 'error') =>
      (message: string, attrs?: Record<string, unknown>) =>
        send({ type: 'log', id, level, message, attrs });
    const log: ActivityLogger = {
      debug: logAt('debug'),
      info: logAt('info'),
      warn: logAt('warn'),
      error: logAt('error'),
    };
    const ctx: ActivityContext = {
      attempt: m.info.attempt,
      heartbeat: (details) => send({ type: 'heartbeat', id, details }),
      signal: abort.signal,
      log,
      info: m.info,
    };
    void findActivity(m.moduleUrl, m.plugin, m.activity)
      .then((def) => {
        send({ type: 'started', id });
        return def.run(m.input, ctx);
      })
      .then(
        (value) => send({ type: 'result', id, value }),
        (err: unknown) => send({ type: 'error', id, error: serialize(err) }),
      )
      .finally(() => aborts.delete(id));
  });
}
