/** Run state on the graph: the events of one run and what they say about each step. */
import type {
  FlowError,
  RunEventData,
  StepEventData,
  StepEventStatus,
  StepStatus,
} from '../../../interpreter/model/wire';

export type NodeStatus =
  | 'running'
  | 'retrying'
  | 'completed'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  | 'timedOut';

/** A FlowError as the graph reads it: the message is enough. */
export type ShownError = Pick<FlowError, 'message'> & Partial<FlowError>;

/**
 * A `step` event of the server's stream (model/wire.ts); the graph needs only the step id and
 * status, so the rest may be missing (a recorded run, a test).
 */
export type StepEvent = Pick<StepEventData, 'stepId' | 'status'> &
  Partial<Omit<StepEventData, 'error'>> & { error?: ShownError };

/** A `run` event of the server's stream; only its status is needed. */
export type RunEndEvent = Pick<RunEventData, 'status'> & Partial<RunEventData>;

export type RunEvent = { event: 'step'; data: StepEvent } | { event: 'run'; data: RunEndEvent };

export interface StepRunState {
  status: NodeStatus;
  attempt: number;
  error?: string;
  progress?: unknown;
  /** An `if` or `switch` that ended: the branch that ran. */
  branch?: string;
  /** The step's compensation (`<step>:compensate`), once it was scheduled. */
  compensation?: { status: NodeStatus; error?: string };
}

const COMPENSATE = ':compensate';

function errorText(error: ShownError | undefined): string | undefined {
  return error ? `${error.type ? `${error.type}: ` : ''}${error.message}` : undefined;
}

/**
 * A compensation paints the step it undoes (its badge), never a node of its own. Compensations
 * come after the step's own events, so the step's state is there to extend.
 */
function setCompensation(
  out: Map<string, StepRunState>,
  stepId: string,
  status: NodeStatus,
  error: ShownError | undefined,
): void {
  const base = stepId.slice(0, -COMPENSATE.length);
  const prev = out.get(base) ?? { status: 'completed', attempt: 1 };
  const text = errorText(error);
  out.set(base, { ...prev, compensation: text ? { status, error: text } : { status } });
}

export interface RunView {
  workflowId: string;
  runId?: string;
  /** Every event received so far, in order. */
  events: RunEvent[];
  /** How many events the graph shows: the scrubber's position; `null` follows the live end. */
  cursor: number | null;
  /** True while the event stream is open. */
  live: boolean;
}

const STATUS: Record<StepEventStatus | StepStatus, NodeStatus | undefined> = {
  pending: undefined,
  scheduled: 'running',
  started: 'running',
  running: 'running',
  retrying: 'retrying',
  completed: 'completed',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  timedOut: 'timedOut',
};

/** The state of each step after the first `count` events. */
export function statusesAt(events: readonly RunEvent[], count: number): Map<string, StepRunState> {
  const out = new Map<string, StepRunState>();
  for (const e of events.slice(0, count)) {
    if (e.event !== 'step') continue;
    const status = STATUS[e.data.status];
    if (!status) continue;
    if (e.data.stepId.endsWith(COMPENSATE)) {
      setCompensation(out, e.data.stepId, status, e.data.error);
      continue;
    }
    const prev = out.get(e.data.stepId);
    // Several instances of one step (loop iterations) share a node: running wins while any runs.
    if (
      prev &&
      prev.status === 'running' &&
      status === 'completed' &&
      e.data.instanceId?.includes('#')
    ) {
      continue;
    }
    const next: StepRunState = { status, attempt: e.data.attempt ?? prev?.attempt ?? 1 };
    const error = errorText(e.data.error);
    if (error) next.error = error;
    if (e.data.progress !== undefined) next.progress = e.data.progress;
    const branch = e.data.branch ?? prev?.branch;
    if (branch !== undefined) next.branch = branch;
    if (prev?.compensation) next.compensation = prev.compensation;
    out.set(e.data.stepId, next);
  }
  return out;
}

/** The run's own status after `count` events. */
export function runStatusAt(events: readonly RunEvent[], count: number): RunEndEvent | undefined {
  let last: RunEndEvent | undefined;
  for (const e of events.slice(0, count)) if (e.event === 'run') last = e.data;
  return last;
}

/** A progress-query step, as GET /api/runs/:id reports it. */
export interface ProgressStep {
  stepId: string;
  status: StepStatus;
  attempts?: number;
  error?: ShownError;
  branch?: string;
  compensates?: string;
}

/**
 * Step states from the progress query: it knows control steps (if, set, log...) and skipped
 * steps, which leave no activity events in the history.
 */
export function statusesFromProgress(steps: readonly ProgressStep[]): Map<string, StepRunState> {
  const out = new Map<string, StepRunState>();
  for (const step of steps) {
    const status = STATUS[step.status];
    if (!status) continue;
    if (step.stepId.endsWith(COMPENSATE)) {
      setCompensation(out, step.stepId, status, step.error);
      continue;
    }
    const prev = out.get(step.stepId);
    // Loop iterations share a node: a running iteration keeps it running.
    if (prev?.status === 'running' || prev?.status === 'retrying') continue;
    const next: StepRunState = { status, attempt: step.attempts ?? 1 };
    const error = errorText(step.error);
    if (error) next.error = error;
    if (step.branch !== undefined) next.branch = step.branch;
    out.set(step.stepId, next);
  }
  return out;
}

/** What the graph shows: the events up to the scrubber, over the progress query when live or at the end. */
export function viewStatuses(
  run: RunView,
  progress: Map<string, StepRunState>,
): Map<string, StepRunState> {
  if (run.cursor !== null) return statusesAt(run.events, run.cursor);
  const out = new Map(progress);
  for (const [id, state] of statusesAt(run.events, run.events.length)) {
    // The stream may not have the last word on a compensation or a branch; the query may.
    const known = progress.get(id);
    const merged = { ...state };
    if (merged.compensation === undefined && known?.compensation)
      merged.compensation = known.compensation;
    if (merged.branch === undefined && known?.branch !== undefined) merged.branch = known.branch;
    out.set(id, merged);
  }
  return out;
}
