/**
 * The wire vocabulary: what the workflow, the client, the HTTP API and the designer say to each
 * other about a run. One home, so a field added on one side is a type error on the others.
 *
 * Pure data and one pure decoder, no imports beyond the model: the sandbox, Node and the browser
 * all load it (the designer type-only).
 */
import type { StepKind } from './types';

/**
 * Progress: the result of the built-in `weft.progress` query. The interpreter keeps it in
 * workflow memory (queries cost no history), and the CLI, the HTTP API and the designer read it.
 *
 * Iterations. A step that runs once per loop iteration (inside `forEach` or `while`) appears once
 * per iteration, under an instance id: the step id, `#`, then the iteration index of every
 * enclosing loop from the outermost inward, joined by `.` (`charge#2`, `charge#1.0`). The same
 * instance id is the activity's activityId, so describe() and the history line up with it.
 * `stepId` always holds the compiled step id, so the designer can light up the node.
 *
 * Attempts. Activity retries happen on the server, so the workflow learns the attempt count only
 * when an activity ends. While it runs, `attempts` is absent; a client that wants live attempts
 * merges describe()'s pending activities with `mergePendingActivities` (progress.ts).
 */
export const PROGRESS_QUERY = 'weft.progress';

/**
 * The run's variables in full (progress carries only previews). Read by `weft test` to compare
 * the variables a run ends with; like every query it costs no history.
 */
export const VARS_QUERY = 'weft.vars';

export const STEP_STATUSES = [
  'pending',
  'running',
  'retrying',
  'completed',
  'failed',
  'skipped',
  'cancelled',
  /** A `wait` whose timeout passed (its `onTimeout` steps ran, or it failed with Timeout). */
  'timedOut',
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
  /** An `if` or `switch`: the branch that ran (`then`, `else`, `cases.<i>`, `default`). */
  branch?: string;
  /** A compensation (`<instance id>:compensate`): the instance id of the step it undoes. */
  compensates?: string;
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

/** The DSL error that steps raise, `catch` matches on `type`, and runs end with. */
export interface FlowError {
  type: string;
  message: string;
  details?: unknown;
  /** The compiled step id that raised it. */
  step?: string;
  /**
   * A failed activity's attempts, when its retry state settles the count (all attempts used:
   * `retry.maximumAttempts`; no retry policy or `maximumAttempts: 1`: 1).
   */
  attempts?: number;
  /**
   * Why a failed activity or child flow was not retried further, as Temporal reports it:
   * MAXIMUM_ATTEMPTS_REACHED, NON_RETRYABLE_FAILURE, TIMEOUT, RETRY_POLICY_NOT_SET, …
   */
  retryState?: string;
}

/** The error type of a `stuck` run: its workflow tasks keep failing. */
export const TASK_FAILURE_TYPE = 'WorkflowTaskFailed';

/**
 * A run's status, in the API's and the designer's spelling. `stuck` is still running for
 * Temporal, but its workflow tasks keep failing: nothing moves until the cause (an expression over
 * the isolate's time limit, a bug, nondeterminism) is fixed. The mapping from Temporal's status
 * names lives in the client (run-status.ts).
 */
export const RUN_STATUSES = [
  'running',
  'stuck',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timedOut',
  'continuedAsNew',
  'unknown',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * The statuses a `run` event carries: the event stream follows continue-as-new into the next
 * run, so it never says `continuedAsNew`.
 */
export const RUN_EVENT_STATUSES = [
  'running',
  'stuck',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timedOut',
] as const satisfies readonly RunStatus[];
export type RunEventStatus = (typeof RUN_EVENT_STATUSES)[number];

/** Statuses after which a run changes no more. */
export const FINAL_RUN_STATUSES = [
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timedOut',
  'continuedAsNew',
] as const satisfies readonly RunStatus[];

export function isFinalRunStatus(status: RunStatus): boolean {
  return (FINAL_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** How a run that did not complete ended, as the client reports its outcome. */
export type FailedRunStatus = Extract<
  RunStatus,
  'failed' | 'cancelled' | 'timedOut' | 'terminated'
>;

export const STEP_EVENT_STATUSES = [
  'scheduled',
  'started',
  'completed',
  'failed',
  'retrying',
  'cancelled',
  /** A step that did not run: its `when` was false, or it sits in a branch not taken. */
  'skipped',
  'timedOut',
] as const;
export type StepEventStatus = (typeof STEP_EVENT_STATUSES)[number];

/**
 * A `step` event of GET /api/runs/:id/events: one step instance moved. Activities and child flows
 * come from the history; the other kinds, skipped steps, branches and timed-out waits from the
 * `weft.progress` query, which the stream reads whenever the history moved.
 */
export interface StepEventData {
  /** The compiled step id (what the designer lights up). */
  stepId: string;
  /** The instance id: the activityId, `stepId#i.j` inside loops. */
  instanceId: string;
  name: string;
  /** The activity name; for a child flow step, the child flow's name. */
  activity?: string;
  status: StepEventStatus;
  attempt: number;
  error?: FlowError;
  /** The latest heartbeat details, while the activity runs. */
  progress?: unknown;
  /** When this happened (history event time, or now for live attempt state). */
  time?: string;
  /** The step kind, when known (absent on history events of activities and child flows). */
  kind?: StepKind;
  /** A compensation: the instance id of the step it undoes (its own id ends `:compensate`). */
  compensates?: string;
  /** An `if` or `switch` that ended: the branch that ran. */
  branch?: string;
  /** With `scheduled` of an activity: the input it was called with (from the history). */
  input?: unknown;
  /** With `completed` of an activity: what it returned (from the history). */
  output?: unknown;
}

/** A `run` event of GET /api/runs/:id/events. */
export interface RunEventData {
  status: RunEventStatus;
  workflowId: string;
  runId: string;
  flow?: string;
  /** With the first `running`: the run's input. */
  input?: unknown;
  output?: unknown;
  error?: FlowError;
  /** With `stuck`: how many workflow task attempts failed in a row so far. */
  taskFailures?: number;
  time?: string;
}

/**
 * The SSE contract of GET /api/runs/:id/events. Two event names, `step` and `run`; every event
 * carries an opaque `id` that a client sends back as Last-Event-ID to resume exactly after it.
 */
export type RunStreamEvent =
  | { id: string; event: 'step'; data: StepEventData }
  | { id: string; event: 'run'; data: RunEventData };

/** An application failure as every runtime sees it: the SDK's class, or a decoded history failure. */
export interface ApplicationFailureLike {
  type?: string | null;
  message?: string | null;
  /** The decoded details (the interpreter puts the whole FlowError in the first). */
  details?: readonly unknown[] | null;
}

/**
 * The FlowError of an application failure that is not a run's: an activity's own failure is
 * `{type, message, details}` from the failure itself, `details` being its first detail unless
 * that is null or undefined, and `type` 'Error' when the failure has none (or an empty one).
 */
export function flowErrorOfApplication(failure: ApplicationFailureLike): FlowError {
  const error: FlowError = { type: failure.type || 'Error', message: failure.message ?? '' };
  const first = failure.details?.[0];
  if (first !== undefined && first !== null) error.details = first;
  return error;
}

/**
 * The FlowError a failed run or child flow ended with. The interpreter puts the whole FlowError
 * in the first detail (workflow/errors.ts); when the first detail is one (an object whose `type`
 * is a string), it is read field by field, each kept only when it has the wire type (`step` and
 * `retryState` strings, `attempts` a number, `details` anything but undefined), with the
 * failure's message when it carries none. Another workflow's failure reads as an activity's.
 */
export function flowErrorOfFlow(failure: ApplicationFailureLike): FlowError {
  return (
    carriedFlowError(failure.details?.[0], failure.message ?? '') ?? flowErrorOfApplication(failure)
  );
}

/** The FlowError a failure's first detail carries, or undefined when the detail is not one. */
export function carriedFlowError(detail: unknown, message: string): FlowError | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const carried = detail as Partial<Record<keyof FlowError, unknown>>;
  if (typeof carried.type !== 'string') return undefined;
  const error: FlowError = {
    type: carried.type,
    message: typeof carried.message === 'string' ? carried.message : message,
  };
  if (carried.details !== undefined) error.details = carried.details;
  if (typeof carried.step === 'string') error.step = carried.step;
  if (typeof carried.attempts === 'number') error.attempts = carried.attempts;
  if (typeof carried.retryState === 'string') error.retryState = carried.retryState;
  return error;
}
