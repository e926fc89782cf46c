import type { PayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { failuresInARow, taskFailureOf, type WorkflowTaskProblem } from '../../client';
import {
  type FlowError,
  flowErrorOfApplication,
  flowErrorOfFlow,
  type RunEventData,
  type StepEventData,
  type StepEventStatus,
  TASK_FAILURE_TYPE,
} from '../../model/wire';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;
type Payload = temporal.api.common.v1.IPayload;
type PendingActivity = temporal.api.workflow.v1.IPendingActivityInfo;
type PendingWorkflowTask = temporal.api.workflow.v1.IPendingWorkflowTaskInfo;

interface OpenActivity {
  instanceId: string;
  stepId: string;
  /** A compensation: the instance id of the step it undoes. */
  compensates?: string;
  name: string;
  activity?: string;
  attempt: number;
}

/** What was sent for an activity instance, so live polling never repeats itself. */
interface Sent {
  /** `status:attempt` pairs already sent. */
  keys: Set<string>;
  progress?: string;
}

const COMPENSATE = ':compensate';

/**
 * The compiled step id of an instance id: `charge#2` is `charge`; a compensation keeps its
 * suffix (`charge#2:compensate` is `charge:compensate`), so it never paints the step it undoes.
 */
export function stepIdOf(instanceId: string): string {
  const compensates = compensatedBy(instanceId);
  if (compensates !== undefined) return `${stepIdOf(compensates)}${COMPENSATE}`;
  const hash = instanceId.indexOf('#');
  return hash < 0 ? instanceId : instanceId.slice(0, hash);
}

/** The instance id a compensation undoes (`charge#2:compensate` undoes `charge#2`). */
export function compensatedBy(instanceId: string): string | undefined {
  return instanceId.endsWith(COMPENSATE) ? instanceId.slice(0, -COMPENSATE.length) : undefined;
}

function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(String(value));
}

function isoTime(ts: { seconds?: unknown; nanos?: number | null } | null | undefined) {
  if (!ts) return undefined;
  const ms = num(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}

/**
 * Turns Temporal history events (and describe()'s pending activities) into the stream's step and
 * run events. It is a pure state machine over one run's history: feed it the events in order;
 * `silent` feeding rebuilds the state without output, which is how Last-Event-ID resumes.
 */
export class HistoryMapper {
  private readonly scheduled = new Map<string, OpenActivity>();
  /** Child flows by their initiated event id. */
  private readonly children = new Map<string, OpenActivity>();
  private readonly sent = new Map<string, Sent>();
  flow: string | undefined;
  lastEventId = 0;
  closed = false;
  /** Set while the run's workflow tasks keep failing (status `stuck`). */
  stuck: WorkflowTaskProblem | undefined;

  constructor(
    private readonly converter: PayloadConverter,
    readonly workflowId: string,
    readonly runId: string,
  ) {}

  private decode(payload: Payload | null | undefined): unknown {
    if (!payload) return undefined;
    try {
      return this.converter.fromPayload(payload as Parameters<PayloadConverter['fromPayload']>[0]);
    } catch {
      return undefined;
    }
  }

  private decodeFirst(payloads: { payloads?: Payload[] | null } | null | undefined): unknown {
    return this.decode(payloads?.payloads?.[0]);
  }

  /**
   * The FlowError of a failure in the history: a run's or a child flow's (`flow`: the FlowError
   * the interpreter carries in it, model/wire.ts) or an activity's own (`activity`).
   */
  failure(f: Failure | null | undefined, of: 'flow' | 'activity' = 'flow'): FlowError | undefined {
    if (!f) return undefined;
    const info = f.applicationFailureInfo;
    if (info) {
      const failure = {
        type: info.type,
        message: f.message,
        details: [this.decodeFirst(info.details)],
      };
      return of === 'flow' ? flowErrorOfFlow(failure) : flowErrorOfApplication(failure);
    }
    let type = 'Error';
    if (f.timeoutFailureInfo) type = 'Timeout';
    else if (f.canceledFailureInfo) type = 'Cancelled';
    else if (f.terminatedFailureInfo) type = 'Terminated';
    else if (f.activityFailureInfo || f.childWorkflowExecutionFailureInfo) {
      // Wrapper failures: the cause carries what the user threw.
      const inner = this.failure(f.cause, f.activityFailureInfo ? 'activity' : of);
      if (inner) return inner;
    }
    return { type, message: f.message ?? '' };
  }

  private step(
    open: OpenActivity,
    status: StepEventStatus,
    attempt: number,
    extra: {
      error?: FlowError;
      progress?: unknown;
      time?: string;
      input?: unknown;
      output?: unknown;
    } = {},
    live = false,
  ): StepEventData | undefined {
    const progress = extra.progress === undefined ? undefined : JSON.stringify(extra.progress);
    const sent = this.sent.get(open.instanceId) ?? { keys: new Set<string>() };
    this.sent.set(open.instanceId, sent);
    const key = `${status}:${attempt}`;
    // History events are always sent, so their ids are the same on every connection; a live
    // event is sent only when it is news (a new status or attempt, or new heartbeat progress).
    if (live && sent.keys.has(key) && (progress === undefined || progress === sent.progress))
      return undefined;
    sent.keys.add(key);
    if (progress !== undefined) sent.progress = progress;
    return {
      stepId: open.stepId,
      instanceId: open.instanceId,
      name: open.name,
      ...(open.activity === undefined ? {} : { activity: open.activity }),
      ...(open.compensates === undefined ? {} : { compensates: open.compensates }),
      status,
      attempt,
      ...(extra.error === undefined ? {} : { error: extra.error }),
      ...(extra.progress === undefined ? {} : { progress: extra.progress }),
      ...(extra.time === undefined ? {} : { time: extra.time }),
      ...(extra.input === undefined ? {} : { input: extra.input }),
      ...(extra.output === undefined ? {} : { output: extra.output }),
    };
  }

  /** One history event in; zero or one stream event out. */
  apply(
    event: HistoryEvent,
  ):
    | { event: 'step'; data: StepEventData }
    | { event: 'run'; data: RunEventData }
    | { event: 'continued'; runId: string }
    | undefined {
    this.lastEventId = num(event.eventId);
    const time = isoTime(event.eventTime);
    const run = (status: RunEventData['status'], more: Partial<RunEventData> = {}) => ({
      event: 'run' as const,
      data: {
        status,
        workflowId: this.workflowId,
        runId: this.runId,
        ...(this.flow === undefined ? {} : { flow: this.flow }),
        ...more,
        ...(time === undefined ? {} : { time }),
      },
    });
    const asStep = (data: StepEventData | undefined) =>
      data === undefined ? undefined : { event: 'step' as const, data };

    const taskFailed = taskFailureOf(event);
    if (taskFailed !== undefined) {
      this.stuck = {
        kind: 'failed',
        message: taskFailed,
        failures: Math.max(1, this.stuck?.failures ?? 0),
      };
      return run('stuck', this.stuckData());
    }
    if (event.workflowTaskCompletedEventAttributes && this.stuck !== undefined) {
      // A workflow task got through: the run moves again.
      this.stuck = undefined;
      return run('running');
    }
    if (event.workflowExecutionStartedEventAttributes) {
      const started = event.workflowExecutionStartedEventAttributes;
      this.flow = started.workflowType?.name ?? undefined;
      // The interpreter's argument is FlowRunInput: the compiled flow and the user's input.
      const arg = this.decodeFirst(started.input) as { input?: unknown } | undefined;
      const input = typeof arg === 'object' && arg !== null ? arg.input : undefined;
      return run('running', input === undefined ? {} : { input });
    }
    if (event.activityTaskScheduledEventAttributes) {
      const a = event.activityTaskScheduledEventAttributes;
      const instanceId = a.activityId ?? String(this.lastEventId);
      const summary = this.decode(event.userMetadata?.summary);
      const open: OpenActivity = {
        instanceId,
        stepId: stepIdOf(instanceId),
        name: typeof summary === 'string' && summary !== '' ? summary : stepIdOf(instanceId),
        activity: a.activityType?.name ?? undefined,
        attempt: 1,
      };
      const compensates = compensatedBy(instanceId);
      if (compensates !== undefined) open.compensates = compensates;
      this.scheduled.set(String(this.lastEventId), open);
      const input = this.decodeFirst(a.input);
      return asStep(
        this.step(open, 'scheduled', 1, { time, ...(input === undefined ? {} : { input }) }),
      );
    }
    if (event.activityTaskStartedEventAttributes) {
      const a = event.activityTaskStartedEventAttributes;
      const open = this.scheduled.get(String(num(a.scheduledEventId)));
      if (!open) return undefined;
      open.attempt = a.attempt ?? open.attempt;
      return asStep(this.step(open, 'started', open.attempt, { time }));
    }
    if (event.activityTaskCancelRequestedEventAttributes) {
      // The flow stops waiting for the activity here (Temporal's default TRY_CANCEL), so the
      // step is cancelled now; whatever the activity reports later no longer matters.
      const key = String(num(event.activityTaskCancelRequestedEventAttributes.scheduledEventId));
      const open = this.scheduled.get(key);
      if (!open) return undefined;
      this.scheduled.delete(key);
      return asStep(this.step(open, 'cancelled', open.attempt, { time }));
    }
    const closing =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (closing) {
      const key = String(num(closing.scheduledEventId));
      const open = this.scheduled.get(key);
      if (!open) return undefined;
      this.scheduled.delete(key);
      if (event.activityTaskCompletedEventAttributes) {
        const output = this.decodeFirst(event.activityTaskCompletedEventAttributes.result);
        return asStep(
          this.step(open, 'completed', open.attempt, {
            time,
            ...(output === undefined ? {} : { output }),
          }),
        );
      }
      if (event.activityTaskCanceledEventAttributes)
        return asStep(this.step(open, 'cancelled', open.attempt, { time }));
      const f =
        event.activityTaskFailedEventAttributes?.failure ??
        event.activityTaskTimedOutEventAttributes?.failure;
      const error = this.failure(f, 'activity') ?? {
        type: 'Timeout',
        message: 'activity timed out',
      };
      if (event.activityTaskTimedOutEventAttributes && error.type === 'Error')
        error.type = 'Timeout';
      return asStep(this.step(open, 'failed', open.attempt, { error, time }));
    }
    const child = this.applyChild(event, time);
    if (child) return asStep(child);
    if (event.workflowExecutionCompletedEventAttributes) {
      this.closed = true;
      const output = this.decodeFirst(event.workflowExecutionCompletedEventAttributes.result);
      return run('completed', output === undefined ? {} : { output });
    }
    if (event.workflowExecutionFailedEventAttributes) {
      this.closed = true;
      const error = this.failure(event.workflowExecutionFailedEventAttributes.failure);
      return run('failed', error === undefined ? {} : { error });
    }
    if (event.workflowExecutionCanceledEventAttributes) {
      this.closed = true;
      return run('cancelled');
    }
    if (event.workflowExecutionTerminatedEventAttributes) {
      this.closed = true;
      const reason = event.workflowExecutionTerminatedEventAttributes.reason ?? '';
      return run('terminated', { error: { type: 'Terminated', message: reason } });
    }
    if (event.workflowExecutionTimedOutEventAttributes) {
      this.closed = true;
      return run('timedOut', { error: { type: 'Timeout', message: 'the flow timed out' } });
    }
    if (event.workflowExecutionContinuedAsNewEventAttributes) {
      this.closed = true;
      const next = event.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId;
      return next ? { event: 'continued', runId: next } : undefined;
    }
    return undefined;
  }

  /**
   * Child flow steps. The interpreter names a child `<parent workflowId>/<instance id>` unless
   * the step sets `workflowId:`; only children named that way can be tied to their step.
   */
  private applyChild(event: HistoryEvent, time: string | undefined): StepEventData | undefined {
    const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (initiated) {
      const prefix = `${this.workflowId}/`;
      const childId = initiated.workflowId ?? '';
      if (!childId.startsWith(prefix)) return undefined;
      const instanceId = childId.slice(prefix.length);
      const open: OpenActivity = {
        instanceId,
        stepId: stepIdOf(instanceId),
        name: stepIdOf(instanceId),
        ...(initiated.workflowType?.name ? { activity: initiated.workflowType.name } : {}),
        attempt: 1,
      };
      this.children.set(String(this.lastEventId), open);
      return this.step(open, 'scheduled', 1, { time });
    }
    const ref =
      event.childWorkflowExecutionStartedEventAttributes ??
      event.childWorkflowExecutionCompletedEventAttributes ??
      event.childWorkflowExecutionFailedEventAttributes ??
      event.childWorkflowExecutionCanceledEventAttributes ??
      event.childWorkflowExecutionTimedOutEventAttributes ??
      event.childWorkflowExecutionTerminatedEventAttributes ??
      event.startChildWorkflowExecutionFailedEventAttributes;
    if (!ref) return undefined;
    const key = String(num(ref.initiatedEventId));
    const open = this.children.get(key);
    if (!open) return undefined;
    if (event.childWorkflowExecutionStartedEventAttributes)
      return this.step(open, 'started', 1, { time });
    this.children.delete(key);
    if (event.childWorkflowExecutionCompletedEventAttributes)
      return this.step(open, 'completed', 1, { time });
    if (event.childWorkflowExecutionCanceledEventAttributes)
      return this.step(open, 'cancelled', 1, { time });
    const error = event.childWorkflowExecutionFailedEventAttributes
      ? this.failure(event.childWorkflowExecutionFailedEventAttributes.failure)
      : event.childWorkflowExecutionTimedOutEventAttributes
        ? { type: 'Timeout', message: 'the child flow timed out' }
        : event.childWorkflowExecutionTerminatedEventAttributes
          ? { type: 'Terminated', message: 'the child flow was terminated' }
          : { type: 'ChildFlowFailed', message: 'the child flow could not start' };
    return this.step(open, 'failed', 1, { ...(error === undefined ? {} : { error }), time });
  }

  /** Whether live polling can tell something: an activity is open, or the run is stuck. */
  needsPolling(): boolean {
    return this.scheduled.size > 0 || this.stuck !== undefined;
  }

  private stuckData(): Partial<RunEventData> {
    const s = this.stuck;
    if (s === undefined) return {};
    return { error: { type: TASK_FAILURE_TYPE, message: s.message }, taskFailures: s.failures };
  }

  /**
   * The failure count of a stuck run from describe()'s pending workflow task (the history holds
   * only the first failure of a streak): a new `run: stuck` event when it grew.
   */
  applyPendingTask(pending: PendingWorkflowTask | null | undefined): RunEventData | undefined {
    const count = failuresInARow(pending);
    if (this.stuck === undefined || count <= this.stuck.failures) return undefined;
    this.stuck = { ...this.stuck, failures: count };
    return {
      status: 'stuck',
      workflowId: this.workflowId,
      runId: this.runId,
      ...(this.flow === undefined ? {} : { flow: this.flow }),
      ...this.stuckData(),
      time: new Date().toISOString(),
    };
  }

  /**
   * Live attempt state from describe(): the history records an activity's retries only when it
   * finally ends, so `retrying`, the current attempt and heartbeat progress come from here.
   */
  applyPending(pending: PendingActivity[]): StepEventData[] {
    const out: StepEventData[] = [];
    const byInstance = new Map([...this.scheduled.values()].map((o) => [o.instanceId, o]));
    for (const p of pending) {
      const open = p.activityId ? byInstance.get(p.activityId) : undefined;
      if (!open) continue;
      const attempt = p.attempt ?? 1;
      const progress = this.decodeFirst(p.heartbeatDetails);
      const error = this.failure(p.lastFailure, 'activity');
      const running = p.state === 2 || p.state === 3; // STARTED or CANCEL_REQUESTED
      const now = new Date().toISOString();
      if (attempt > 1) {
        const r = this.step(
          open,
          'retrying',
          attempt,
          { ...(error === undefined ? {} : { error }), time: now },
          true,
        );
        if (r) out.push(r);
      }
      if (running) {
        const s = this.step(
          open,
          'started',
          attempt,
          { ...(progress === undefined ? {} : { progress }), time: now },
          true,
        );
        if (s) out.push(s);
      }
      open.attempt = attempt;
    }
    return out;
  }
}
