import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type PendingWorkflowTask = temporal.api.workflow.v1.IPendingWorkflowTaskInfo;

/**
 * Workflow task failures that are routine: the server or the SDK retries them at once and the
 * run moves on (a signal raced the completion, a sticky cache was reset, a reset or failover).
 * Every other cause (an exception in the interpreter, the isolate's time limit, a
 * nondeterminism error, a bad command) repeats on every retry: the run is stuck until fixed.
 */
const ROUTINE_CAUSES = new Set([1, 13, 17, 18, 20, 31, 39]);

/** A run whose workflow tasks keep failing: what the last failure said, and how many so far. */
export interface TaskFailure {
  message: string;
  /** Workflow task attempts that failed in a row. */
  count: number;
}

export const TASK_FAILURE_TYPE = 'WorkflowTaskFailed';

/** The message of a WorkflowTaskFailed event that means trouble, else undefined. */
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

/**
 * Whether a running run is stuck, for GET /api/runs/:id: when the pending workflow task is a
 * retry, the newest workflow task event says why (read from the end of the history, so the
 * cost does not grow with the run).
 */
export async function currentTaskFailure(
  client: Client,
  workflowId: string,
  runId: string,
  pending: PendingWorkflowTask | null | undefined,
): Promise<TaskFailure | undefined> {
  const count = failuresInARow(pending);
  if (count === 0) return undefined;
  const res = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 50,
  });
  for (const event of res.history?.events ?? []) {
    if (event.workflowTaskCompletedEventAttributes) return undefined;
    if (event.workflowTaskFailedEventAttributes) {
      const message = taskFailureOf(event);
      return message === undefined ? undefined : { message, count };
    }
    if (event.workflowTaskTimedOutEventAttributes)
      return { message: 'the workflow task timed out (is a worker running this flow?)', count };
  }
  return undefined;
}
