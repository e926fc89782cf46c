import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingWorkflowTask = temporal.api.workflow.v1.IPendingWorkflowTaskInfo;
type Timestamp = temporal.api.history.v1.IHistoryEvent['eventTime'];

/**
 * A run whose workflow tasks keep failing: the interpreter cannot make progress (an expression
 * that times out the isolate, an input it cannot read, a crash in the sandbox), the server retries
 * the task for ever, and every query fails. Without this the run just looks "running".
 */
export interface WorkflowTaskProblem {
  /** `failed`: the worker failed the task; `timedOut`: no worker finished it in time. */
  kind: 'failed' | 'timedOut';
  /** The worker's message, e.g. "Script execution timed out after 5000ms". */
  message: string;
  /** Temporal's cause, e.g. WORKFLOW_WORKER_UNHANDLED_FAILURE, or the timeout type. */
  cause?: string;
  /** Attempts of the current workflow task that failed in a row so far. */
  failures: number;
  /** When the recorded failure happened (later attempts are not written to the history). */
  failedAt?: string;
}

const { EventType, WorkflowTaskFailedCause, TimeoutType } = proto.temporal.api.enums.v1;

/**
 * Workflow task failures that are routine: the server or the SDK retries them at once and the
 * run moves on (a signal or an update raced the completion, a sticky cache was reset, a reset, a failover, a pause).
 * Every other cause (an exception in the interpreter, the isolate's time limit, a
 * nondeterminism error, a bad command) repeats on every retry: the run is stuck until fixed.
 */
const ROUTINE_CAUSES: ReadonlySet<number> = new Set([
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_UPDATE,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FAILOVER_CLOSE_COMMAND,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_WORKFLOW_PAUSE_REQUESTED_BEFORE_TASK_STARTED,
]);

/**
 * What a WorkflowTaskFailed event says when it means trouble: the first line of the worker's
 * message (a stack trace may follow). Undefined for any other event and for a routine cause.
 */
export function taskFailureOf(event: HistoryEvent): string | undefined {
  const a = event.workflowTaskFailedEventAttributes;
  if (!a) return undefined;
  if (ROUTINE_CAUSES.has(Number(a.cause ?? 0))) return undefined;
  const first = (a.failure?.message ?? '').split('\n')[0]?.trim();
  return first === undefined || first === '' ? 'the workflow task failed' : first;
}

/**
 * Failures in a row from describe()'s pending workflow task: the history records only the
 * first failure of a streak; each retry only raises the pending task's attempt.
 */
export function failuresInARow(pending: PendingWorkflowTask | null | undefined): number {
  const attempt = Number(pending?.attempt ?? 0);
  return attempt > 1 ? attempt - 1 : 0;
}

function iso(ts: Timestamp): string | undefined {
  if (!ts?.seconds && !ts?.nanos) return undefined;
  const s = ts.seconds as unknown;
  const seconds =
    typeof s === 'object' && s !== null ? (s as { toNumber(): number }).toNumber() : Number(s ?? 0);
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

function enumName(
  table: Record<number, string>,
  value: unknown,
  prefix: string,
): string | undefined {
  const name = table[Number(value)];
  if (!name || name.endsWith('_UNSPECIFIED')) return undefined;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/**
 * The workflow-task problem of a run, from the attempt of its pending workflow task (describe's
 * `pendingWorkflowTask.attempt`; above 1 means the previous attempts failed) and its history read
 * newest first (only the first failure of a streak is recorded; Temporal keeps later attempts
 * transient). Undefined when the run is healthy, or when the streak began with a routine failure
 * (see ROUTINE_CAUSES). Pure, so the HTTP API's event stream reads events the same way.
 */
export function workflowTaskProblemOf(
  attempt: number | null | undefined,
  newestFirst: Iterable<HistoryEvent>,
): WorkflowTaskProblem | undefined {
  const failures = failuresInARow({ attempt });
  if (failures === 0) return undefined;
  for (const e of newestFirst) {
    const type = Number(e.eventType);
    // A completed task after the failure: the streak behind this attempt started later.
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) break;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
      const a = e.workflowTaskFailedEventAttributes;
      const message = taskFailureOf(e);
      if (message === undefined) return undefined;
      const problem: WorkflowTaskProblem = { kind: 'failed', message, failures };
      const cause = enumName(WorkflowTaskFailedCause, a?.cause, 'WORKFLOW_TASK_FAILED_CAUSE_');
      if (cause) problem.cause = cause;
      const at = iso(e.eventTime);
      if (at) problem.failedAt = at;
      return problem;
    }
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
      const timeout = enumName(
        TimeoutType,
        e.workflowTaskTimedOutEventAttributes?.timeoutType,
        'TIMEOUT_TYPE_',
      );
      const problem: WorkflowTaskProblem = {
        kind: 'timedOut',
        message: `the workflow task timed out${timeout ? ` (${timeout.toLowerCase().replaceAll('_', ' ')})` : ''}: a worker took it and did not finish in time`,
        failures,
      };
      if (timeout) problem.cause = timeout;
      const at = iso(e.eventTime);
      if (at) problem.failedAt = at;
      return problem;
    }
  }
  return { kind: 'failed', message: `the workflow task has failed ${failures} times`, failures };
}

/**
 * Reads the run's workflow-task problem given its pending workflow task's attempt: one reverse
 * history page of at most 100 events, only when the attempt says the task has failed.
 */
export async function readWorkflowTaskProblem(
  client: Client,
  workflowId: string,
  runId: string | undefined,
  attempt: number | null | undefined,
): Promise<WorkflowTaskProblem | undefined> {
  if (!attempt || attempt < 2) return undefined;
  let events: HistoryEvent[] = [];
  try {
    const page = await client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: client.options.namespace,
      execution: { workflowId, ...(runId ? { runId } : {}) },
      maximumPageSize: 100,
    });
    events = page.history?.events ?? [];
  } catch {
    // The attempt alone still says the run is stuck; the message is the part we could not read.
  }
  return workflowTaskProblemOf(attempt, events);
}
