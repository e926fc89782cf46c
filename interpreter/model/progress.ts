/**
 * The result of the built-in `weft.progress` query. The interpreter keeps it in workflow memory
 * (queries cost no history), and the CLI, the HTTP API and the designer read it.
 *
 * Pure data, no imports beyond the model: it is shared by the sandbox and the browser.
 *
 * Iterations. A step that runs once per loop iteration (inside `forEach` or `while`) appears once
 * per iteration, under an instance id: the step id, `#`, then the iteration index of every
 * enclosing loop from the outermost inward, joined by `.` (`charge#2`, `charge#1.0`). The same
 * instance id is the activity's activityId, so describe() and the history line up with it.
 * `stepId` always holds the compiled step id, so the designer can light up the node.
 *
 * Attempts. Activity retries happen on the server, so the workflow learns the attempt count only
 * when an activity ends. While it runs, `attempts` is absent; a client that wants live attempts
 * merges describe()'s pending activities with `mergePendingActivities` below.
 */
import type { FlowError, StepKind } from './types';

export const PROGRESS_QUERY = 'weft.progress';

export const STEP_STATUSES = [
  'pending',
  'running',
  'retrying',
  'completed',
  'failed',
  'skipped',
  'cancelled',
] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type FlowStatus =
  | 'running'
  /** Running `onCancel` steps or compensations after a cancellation or a failure. */
  | 'compensating'
  | 'completed'
  | 'failed'
  | 'cancelled';

export interface StepProgress {
  /** Instance id: the step id, plus `#i.j` inside loops (see above). */
  id: string;
  /** The compiled step id (no iteration suffix). */
  stepId: string;
  name?: string;
  kind: StepKind;
  status: StepStatus;
  /** Loop indexes, outermost first; absent outside loops. */
  iteration?: number[];
  /** Activity attempts, when known (see above). */
  attempts?: number;
  /** ISO timestamps in workflow time. */
  startedAt?: string;
  endedAt?: string;
  error?: FlowError;
  /** Latest heartbeat details, when a client merged them in. */
  heartbeat?: unknown;
}

export interface VarSummary {
  type: 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';
  /** JSON text, cut to at most VAR_PREVIEW_LENGTH characters (with `…` when cut). */
  preview: string;
  /** Array length or number of object keys. */
  size?: number;
}

export const VAR_PREVIEW_LENGTH = 120;

export interface FlowProgress {
  flow: string;
  hash: string;
  status: FlowStatus;
  /** Instance ids of the steps running now (several inside parallel or forEach). */
  current: string[];
  /** Every step that has started or been skipped so far, in the order they started. */
  steps: StepProgress[];
  vars: Record<string, VarSummary>;
  /** How many times this execution continued as new (0 for the first run). */
  continuedAsNew: number;
  error?: FlowError;
}

export function summarizeValue(value: unknown): VarSummary {
  const json = JSON.stringify(value) ?? 'null';
  const preview =
    json.length > VAR_PREVIEW_LENGTH ? `${json.slice(0, VAR_PREVIEW_LENGTH - 1)}…` : json;
  if (value === null || value === undefined) return { type: 'null', preview };
  if (Array.isArray(value)) return { type: 'array', preview, size: value.length };
  if (typeof value === 'object')
    return { type: 'object', preview, size: Object.keys(value).length };
  if (typeof value === 'boolean') return { type: 'boolean', preview };
  if (typeof value === 'number') return { type: 'number', preview };
  return { type: 'string', preview };
}

/** What a client reads from describe().raw.pendingActivities, reduced to what progress needs. */
export interface PendingActivityInfo {
  activityId: string;
  attempt: number;
  heartbeatDetails?: unknown;
  lastFailure?: { type?: string; message: string };
}

/**
 * Merges live activity state into a progress snapshot: attempt counts, `retrying` when an attempt
 * failed and the next one waits or runs, and the latest heartbeat details.
 */
export function mergePendingActivities(
  progress: FlowProgress,
  pending: PendingActivityInfo[],
): FlowProgress {
  const byId = new Map(pending.map((p) => [p.activityId, p]));
  return {
    ...progress,
    steps: progress.steps.map((step) => {
      const live = byId.get(step.id);
      if (!live || step.status !== 'running') return step;
      const merged: StepProgress = { ...step, attempts: live.attempt };
      if (live.attempt > 1) merged.status = 'retrying';
      if (live.heartbeatDetails !== undefined) merged.heartbeat = live.heartbeatDetails;
      if (live.lastFailure) {
        merged.error = {
          type: live.lastFailure.type ?? 'Error',
          message: live.lastFailure.message,
        };
      }
      return merged;
    }),
  };
}
