/**
 * The SSE contract of GET /api/runs/:id/events. Two event names, `step` and `run`; every event
 * carries an opaque `id` that a client sends back as Last-Event-ID to resume exactly after it.
 */
export const STEP_EVENT_STATUSES = [
  'scheduled',
  'started',
  'completed',
  'failed',
  'retrying',
  'cancelled',
] as const;
export type StepEventStatus = (typeof STEP_EVENT_STATUSES)[number];

export const RUN_EVENT_STATUSES = [
  'running',
  // Still running for Temporal, but its workflow tasks keep failing: nothing moves until the
  // cause (an expression over the isolate's time limit, a bug, nondeterminism) is fixed.
  'stuck',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timedOut',
] as const;
export type RunEventStatus = (typeof RUN_EVENT_STATUSES)[number];

/** The DSL's error shape (`{type, message, details, step}`), as `catch` sees it. */
export interface EventError {
  type: string;
  message: string;
  details?: unknown;
  /** The step that raised it, when the interpreter says. */
  step?: string;
  /** A failed activity's attempts and retry state (see FlowError in the model). */
  attempts?: number;
  retryState?: string;
}

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
  error?: EventError;
  /** The latest heartbeat details, while the activity runs. */
  progress?: unknown;
  /** When this happened (history event time, or now for live attempt state). */
  time?: string;
}

export interface RunEventData {
  status: RunEventStatus;
  workflowId: string;
  runId: string;
  flow?: string;
  output?: unknown;
  error?: EventError;
  /** With `stuck`: how many workflow task attempts failed in a row so far. */
  taskFailures?: number;
  time?: string;
}

export type RunStreamEvent =
  | { id: string; event: 'step'; data: StepEventData }
  | { id: string; event: 'run'; data: RunEventData };

export const FINAL_RUN_STATUSES: ReadonlySet<RunEventStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timedOut',
]);
