import type { Client } from '@temporalio/client';
import { type FlowProgress, mergePendingActivities, PROGRESS_QUERY } from '../model/progress';
import { describeFlow, type FlowDescription } from './describe';
import type { WorkflowTaskProblem } from './workflow-task';

export interface WatchProgressOptions {
  /** Time between polls (default 400ms). */
  intervalMs?: number;
  /** Give up on one query after this long, e.g. while no worker serves the flow (default 3s). */
  queryTimeoutMs?: number;
  runId?: string;
  /**
   * Called when the run becomes stuck (its workflow tasks keep failing), when the failure count
   * or message changes, and with `undefined` when it recovers.
   */
  onStuck?: (problem: WorkflowTaskProblem | undefined) => void;
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
  const { progress, description } = await readSnapshot(client, workflowId, options);
  if (progress.status === 'rejected') throw progress.reason;
  return merge(progress.value, description);
}

function merge(progress: FlowProgress, description: FlowDescription | undefined): FlowProgress {
  return description ? mergePendingActivities(progress, description.pendingActivities) : progress;
}

/** The query and describe() side by side: a stuck run fails the query but describes fine. */
async function readSnapshot(
  client: Client,
  workflowId: string,
  options: { runId?: string; queryTimeoutMs?: number },
): Promise<{ progress: PromiseSettledResult<FlowProgress>; description?: FlowDescription }> {
  const handle = client.workflow.getHandle(workflowId, options.runId);
  const deadline = Date.now() + (options.queryTimeoutMs ?? 3000);
  const [progress, description] = await Promise.allSettled([
    client.connection.withDeadline(deadline, () => handle.query<FlowProgress>(PROGRESS_QUERY)),
    describeFlow(client, workflowId, options.runId),
  ]);
  return {
    progress,
    ...(description.status === 'fulfilled' ? { description: description.value } : {}),
  };
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
  let stuckJson = '';
  const reportStuck = (problem: WorkflowTaskProblem | undefined) => {
    // failedAt is the recorded first failure; the count and message are what people follow.
    const json = problem ? JSON.stringify([problem.failures, problem.message]) : '';
    if (json === stuckJson) return;
    stuckJson = json;
    options.onStuck?.(problem);
  };

  const poll = (): Promise<FlowProgress | undefined> => {
    inFlight = inFlight.then(async () => {
      try {
        const snapshot = await readSnapshot(client, workflowId, options);
        if (snapshot.description) reportStuck(snapshot.description.stuck);
        if (snapshot.progress.status === 'rejected') return undefined;
        const p = rememberAttempts(merge(snapshot.progress.value, snapshot.description), attempts);
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
