import type { RunStatus } from '../model/wire';

/**
 * The one mapping between Temporal's execution statuses and the wire's run statuses (model/wire.ts).
 * `stuck` has no Temporal name: it is a RUNNING run whose workflow tasks keep failing, which only
 * describeFlow tells.
 */
const FROM_TEMPORAL: Readonly<Record<string, RunStatus>> = {
  RUNNING: 'running',
  PAUSED: 'paused',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timedOut',
  CONTINUED_AS_NEW: 'continuedAsNew',
};

/** The names a visibility query spells them with (`ExecutionStatus = 'Canceled'`). */
const VISIBILITY: Readonly<Partial<Record<RunStatus, string>>> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timedOut: 'TimedOut',
  continuedAsNew: 'ContinuedAsNew',
};

/** RUNNING -> running, TIMED_OUT -> timedOut; a name this version does not know is `unknown`. */
export function runStatusOf(temporalName: string): RunStatus {
  return FROM_TEMPORAL[temporalName] ?? 'unknown';
}

/** The visibility query's name of a run status; undefined for those it cannot filter on. */
export function visibilityStatusOf(status: string): string | undefined {
  return Object.hasOwn(VISIBILITY, status) ? VISIBILITY[status as RunStatus] : undefined;
}

/** The run statuses a visibility query can filter on. */
export const FILTERABLE_RUN_STATUSES = Object.keys(VISIBILITY) as RunStatus[];
