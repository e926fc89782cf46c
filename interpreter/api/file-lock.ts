import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError } from './errors';

/** Saves of one path queue behind each other in this process. */
const queues = new Map<string, Promise<unknown>>();

/** A lock file older than this belongs to a process that died mid-save. */
const STALE_MS = 30_000;
/** How long a save waits for another process's lock before answering 503. */
const WAIT_MS = 10_000;

function lockPath(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}.weft-lock`);
}

/**
 * Takes `<dir>/.<name>.weft-lock` with O_CREAT|O_EXCL: creation is atomic on every local file
 * system, so another `weft serve` over the same folder waits for it. A lock left behind by a
 * crashed process is taken over once it is older than any save could take.
 */
async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - (await stat(lock)).mtimeMs > STALE_MS) {
        await rm(lock, { force: true });
        continue;
      }
    } catch {
      continue; // Released meanwhile: try again at once.
    }
    if (Date.now() > deadline)
      throw new ApiError(
        'WEFT_API_UNAVAILABLE',
        `Another process is saving '${basename(lock).slice(1, -'.weft-lock'.length)}': try again.`,
      );
    await delay(wait);
  }
}

/**
 * Runs `fn` while holding the lock of one file path: first in this process (a promise chain per
 * path, so concurrent requests never even race for the lock file), then across processes.
 */
export async function withFileLock<T>(abs: string, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(abs) ?? Promise.resolve();
  const run = before.then(async () => {
    const lock = lockPath(abs);
    await acquire(lock);
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  });
  const settled = run.catch(() => undefined);
  queues.set(abs, settled);
  try {
    return await run;
  } finally {
    if (queues.get(abs) === settled) queues.delete(abs);
  }
}
