import type { Client } from '@temporalio/client';
import type { PendingActivityInfo } from '../model/progress';
import { readWorkflowTaskProblem, type WorkflowTaskProblem } from './workflow-task';

/** One activity the server is running or retrying for a flow, decoded for people. */
export interface PendingActivity extends PendingActivityInfo {
  activityType: string;
  state: 'scheduled' | 'started' | 'cancelRequested' | 'paused' | 'pauseRequested' | 'unknown';
  maximumAttempts?: number;
  lastHeartbeatTime?: string;
  lastStartedTime?: string;
  scheduledTime?: string;
}

export interface FlowDescription {
  workflowId: string;
  runId: string;
  /** The workflow type, which is the flow's name. */
  flow: string;
  status: string;
  taskQueue: string;
  startTime: string;
  closeTime?: string;
  historyLength: number;
  weftHash?: string;
  memo?: Record<string, unknown>;
  searchAttributes: Record<string, unknown>;
  pendingActivities: PendingActivity[];
  /**
   * Set while the run's workflow tasks keep failing: the flow cannot move on until a worker
   * (or a fix) lets the task complete, and its progress query fails meanwhile.
   */
  stuck?: WorkflowTaskProblem;
}

type Long = { toNumber(): number };
type Timestamp = { seconds?: number | Long | null; nanos?: number | null } | null | undefined;

function iso(ts: Timestamp): string | undefined {
  if (!ts?.seconds && !ts?.nanos) return undefined;
  const s = ts.seconds;
  const seconds = typeof s === 'object' && s !== null ? s.toNumber() : Number(s ?? 0);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

const STATES: Record<number, PendingActivity['state']> = {
  1: 'scheduled',
  2: 'started',
  3: 'cancelRequested',
  4: 'paused',
  5: 'pauseRequested',
};

/** Status, memo, search attributes and the pending activities (attempts, heartbeats, failures). */
export async function describeFlow(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<FlowDescription> {
  const d = await client.workflow.getHandle(workflowId, runId).describe();
  const converter = client.options.loadedDataConverter.payloadConverter;
  const pendingActivities = (d.raw.pendingActivities ?? []).map((p): PendingActivity => {
    const details = p.heartbeatDetails?.payloads ?? [];
    const out: PendingActivity = {
      activityId: p.activityId ?? '',
      activityType: p.activityType?.name ?? '',
      attempt: p.attempt ?? 1,
      state: STATES[Number(p.state)] ?? 'unknown',
    };
    if (details[0]) out.heartbeatDetails = converter.fromPayload(details[0]);
    if (p.maximumAttempts) out.maximumAttempts = p.maximumAttempts;
    if (p.lastFailure) {
      out.lastFailure = {
        message: p.lastFailure.message ?? '',
        type: p.lastFailure.applicationFailureInfo?.type ?? undefined,
      };
      if (p.lastFailure.timeoutFailureInfo) out.lastFailure.type = 'Timeout';
    }
    const hb = iso(p.lastHeartbeatTime);
    if (hb) out.lastHeartbeatTime = hb;
    const started = iso(p.lastStartedTime);
    if (started) out.lastStartedTime = started;
    const scheduled = iso(p.scheduledTime);
    if (scheduled) out.scheduledTime = scheduled;
    return out;
  });
  const memo = d.memo as Record<string, unknown> | undefined;
  const result: FlowDescription = {
    workflowId: d.workflowId,
    runId: d.runId,
    flow: d.type,
    status: d.status.name,
    taskQueue: d.taskQueue,
    startTime: d.startTime.toISOString(),
    historyLength: d.historyLength,
    searchAttributes: Object.fromEntries(
      d.typedSearchAttributes.getAll().map((pair) => [pair.key.name, pair.value]),
    ),
    pendingActivities,
  };
  const attempt = d.raw.pendingWorkflowTask?.attempt;
  const stuck = await readWorkflowTaskProblem(client, d.workflowId, d.runId, attempt);
  if (stuck) result.stuck = stuck;
  if (d.closeTime) result.closeTime = d.closeTime.toISOString();
  if (memo) {
    result.memo = memo;
    if (typeof memo.weftHash === 'string') result.weftHash = memo.weftHash;
  }
  return result;
}
