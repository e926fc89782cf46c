import type { Client } from '@temporalio/client';
import { type FlowProgress, mergePendingActivities, PROGRESS_QUERY } from '../model/progress';
import { describeFlow } from './describe';

export interface WatchProgressOptions {
  /** Time between polls (default 400ms). */
  intervalMs?: number;
  /** Give up on one query after this long, e.g. while no worker serves the flow (default 3s). */
  queryTimeoutMs?: number;
  runId?: string;
}

export interface ProgressWatcher {
  /** Polls once now and returns the merged snapshot (undefined if the flow would not answer). */
  poll(): Promise<FlowProgress | undefined>;
  latest(): FlowProgress | undefined;
  /** Stops polling; resolves when the poll in flight has finished. */
  stop(): Promise<void>;
}

/**
 * One snapshot: the `weft.progress` query (step statuses, vars) merged with describe()'s pending
 * activities (live attempts, retries, heartbeat details), which only the server knows.
 */
export async function readProgress(
  client: Client,
  workflowId: string,
  options: { runId?: string; queryTimeoutMs?: number } = {},
): Promise<FlowProgress> {
  const handle = client.workflow.getHandle(workflowId, options.runId);
  const deadline = Date.now() + (options.queryTimeoutMs ?? 3000);
  const [progress, description] = await Promise.all([
    client.connection.withDeadline(deadline, () => handle.query<FlowProgress>(PROGRESS_QUERY)),
    describeFlow(client, workflowId, options.runId).catch(() => undefined),
  ]);
  return description ? mergePendingActivities(progress, description.pendingActivities) : progress;
}

/**
 * A finished step no longer shows in describe(), so its attempt count would vanish when it
 * completes; keep the highest count seen while it ran.
 */
function rememberAttempts(progress: FlowProgress, seen: Map<string, number>): FlowProgress {
  return {
    ...progress,
    steps: progress.steps.map((step) => {
      const known = seen.get(step.id) ?? 0;
      if (step.attempts !== undefined && step.attempts >= known) {
        seen.set(step.id, step.attempts);
        return step;
      }
      return known > 0 ? { ...step, attempts: known } : step;
    }),
  };
}

/**
 * Polls a flow's progress and calls `onChange` whenever the snapshot changes. Used by `weft run`;
 * the HTTP API streams the same snapshots as SSE.
 */
export function watchProgress(
  client: Client,
  workflowId: string,
  onChange: (progress: FlowProgress) => void,
  options: WatchProgressOptions = {},
): ProgressWatcher {
  const interval = options.intervalMs ?? 400;
  let latest: FlowProgress | undefined;
  let latestJson = '';
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<FlowProgress | undefined> = Promise.resolve(undefined);
  const attempts = new Map<string, number>();

  const poll = (): Promise<FlowProgress | undefined> => {
    inFlight = inFlight.then(async () => {
      try {
        const p = rememberAttempts(await readProgress(client, workflowId, options), attempts);
        const json = JSON.stringify(p);
        if (json !== latestJson) {
          latest = p;
          latestJson = json;
          onChange(p);
        }
        return p;
      } catch {
        // Not picked up by a worker yet, or a transient error: the next poll tries again.
        return undefined;
      }
    });
    return inFlight;
  };

  const loop = async () => {
    if (stopped) return;
    await poll();
    if (!stopped) timer = setTimeout(() => void loop(), interval);
  };
  void loop();

  return {
    poll,
    latest: () => latest,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
