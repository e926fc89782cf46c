import { type Dirent, type FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { flowTaskQueues } from '../client';
import type { Logger } from '../observability';
import type { WorkerGroup } from '../worker';
import type { ApiDeps } from './context';
import { blockedWarning, compileAll } from './dsl';
import { type FlowsDir, isListedFolder } from './flows-dir';

/** Coalesces a burst of file events (an editor's save is several) into one recompute. */
export const FOLDER_DEBOUNCE_MS = 300;

/** The task queues the served flows name, each with the flows that name it. */
export async function servedQueues(
  deps: Pick<ApiDeps, 'manifest' | 'activitiesFileDiagnostics'> & { flows: FlowsDir },
  workflowQueue: string,
): Promise<{ queues: Map<string, string[]>; warnings: string[] }> {
  // As runs are: a flow whose activities file has errors is refused, so nothing of it is polled
  // for; the warning says which file keeps which flows out.
  const served = await compileAll(deps);
  const queues = new Map<string, string[]>();
  for (const f of served.compiled)
    for (const q of flowTaskQueues(f, workflowQueue)) {
      const names = queues.get(q) ?? [];
      if (!names.includes(f.flow)) names.push(f.flow);
      queues.set(q, names);
    }
  return { queues, warnings: served.blocked.map(blockedWarning) };
}

export interface QueueFollowerOptions {
  /** The queues the running worker polls already. */
  polled: WorkerGroup;
  /** What the served flows name now (servedQueues). */
  compute(): Promise<{ queues: Map<string, string[]>; warnings: string[] }>;
  /** A worker for just these queues, beside the ones running. */
  startWorkers(taskQueues: string[]): Promise<WorkerGroup>;
  log: Logger;
  /** Warnings already printed (the start's): printed again only when they change. */
  warned?: string[];
}

/**
 * The served worker, following the flows folder: when the flows name a queue nobody polls yet,
 * a worker for just the new queues starts beside the running ones. The running ones are never
 * stopped or restarted, so no activity in flight is lost (Temporal would retry it only after its
 * timeouts) and no queue still in use goes unpolled; a queue no flow names any more stays polled.
 */
export class QueueFollower implements WorkerGroup {
  readonly taskQueues: string[];
  readonly done: Promise<void>;
  private readonly groups: WorkerGroup[];
  private readonly warned: Set<string>;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private watchRoot: string | undefined;
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private rejectDone!: (err: unknown) => void;
  private resolveDone!: () => void;

  constructor(private readonly options: QueueFollowerOptions) {
    this.groups = [options.polled];
    this.taskQueues = [...options.polled.taskQueues];
    this.warned = new Set(options.warned ?? []);
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.done.catch(() => undefined);
    this.watchGroup(options.polled);
  }

  get workers(): WorkerGroup['workers'] {
    return this.groups.flatMap((g) => g.workers);
  }

  private watchGroup(group: WorkerGroup): void {
    group.done.catch((err: unknown) => {
      if (!this.stopped) this.rejectDone(err);
    });
  }

  /**
   * Recomputes the queues and polls the new ones. Calls while one runs are folded into one more
   * run after it, so a save during a recompute is never missed.
   */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.grow();
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async grow(): Promise<void> {
    let found: Awaited<ReturnType<QueueFollowerOptions['compute']>>;
    try {
      found = await this.options.compute();
    } catch (err) {
      this.options.log.warn('could not recompute the task queues', {
        error: (err as Error).message,
      });
      return;
    }
    for (const w of found.warnings) {
      if (this.warned.has(w)) continue;
      this.warned.add(w);
      this.options.log.warn(w);
    }
    // Forget fixed ones, so the same error coming back is reported again.
    for (const w of [...this.warned]) if (!found.warnings.includes(w)) this.warned.delete(w);
    const added = [...found.queues.keys()].filter((q) => !this.taskQueues.includes(q));
    if (added.length === 0 || this.stopped) return;
    let group: WorkerGroup;
    try {
      group = await this.options.startWorkers(added);
    } catch (err) {
      this.options.log.error('could not start a worker for new task queues', {
        taskQueues: added,
        error: (err as Error).message,
      });
      return;
    }
    if (this.stopped) {
      await group.shutdown();
      return;
    }
    this.groups.push(group);
    this.watchGroup(group);
    for (const q of added) {
      this.taskQueues.push(q);
      this.options.log.info(
        `now polling task queue ${q} for flows ${(found.queues.get(q) ?? []).join(', ')}`,
      );
    }
  }

  /**
   * Refreshes on changes under `dir` (debounced). Each folder the flows listing walks is watched
   * on its own, not the tree at once: a recursive watch would also walk and watch everything
   * under node_modules or .git (`--flows` defaults to the current folder, often a project's).
   */
  watch(dir: string): void {
    this.watchRoot = dir;
    this.syncWatchers();
  }

  private onChange = (): void => {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Folders made or removed since: watch what the listing would walk now.
      this.syncWatchers();
      void this.refresh();
    }, FOLDER_DEBOUNCE_MS);
  };

  private syncWatchers(): void {
    const root = this.watchRoot;
    if (root === undefined || this.stopped) return;
    const wanted = new Set<string>();
    const walk = (dir: string) => {
      wanted.add(dir);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries)
        if (e.isDirectory() && isListedFolder(e.name)) walk(join(dir, e.name));
    };
    walk(root);
    for (const [dir, w] of this.watchers)
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    for (const dir of wanted) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, this.onChange);
        // A folder removed under the watch: the next sync forgets it.
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch (err) {
        // Out of watches, or gone already: saves through the API still refresh.
        if (dir === root)
          this.options.log.warn('not watching the flows folder', {
            error: (err as Error).message,
          });
      }
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await Promise.all(this.groups.map((g) => g.shutdown()));
    this.resolveDone();
  }
}
