/**
 * Helpers over the `weft.progress` snapshot, whose types are part of the wire vocabulary
 * (wire.ts, re-exported here for the modules that read progress from this file).
 */
import { type FlowProgress, type StepProgress, VAR_PREVIEW_LENGTH, type VarSummary } from './wire';

export {
  type FlowProgress,
  type FlowStatus,
  PROGRESS_QUERY,
  STEP_STATUSES,
  type StepProgress,
  type StepStatus,
  VAR_PREVIEW_LENGTH,
  type VarSummary,
} from './wire';

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
