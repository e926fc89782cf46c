import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
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
 * transient). Undefined when the run is healthy. Pure, so the HTTP API can use it on events it
 * already holds.
 */
export function workflowTaskProblemOf(
  attempt: number | null | undefined,
  newestFirst: Iterable<HistoryEvent>,
): WorkflowTaskProblem | undefined {
  if (!attempt || attempt < 2) return undefined;
  const failures = attempt - 1;
  for (const e of newestFirst) {
    const type = Number(e.eventType);
    // A completed task after the failure: the streak behind this attempt started later.
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) break;
    if (type === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) {
      const a = e.workflowTaskFailedEventAttributes;
      const problem: WorkflowTaskProblem = {
        kind: 'failed',
        message: a?.failure?.message || 'the workflow task failed',
        failures,
      };
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
