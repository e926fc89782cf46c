/**
 * The Weft DSL as data. These types mirror schema/flow.schema.json (the source of truth);
 * test/unit/model/types-agree.test.ts proves that they agree.
 *
 * This module is shared by the validator, the sandboxed interpreter and the designer, so it
 * must stay pure: no Node, no React, no runtime imports at all.
 */

/** `500ms`, `30s`, `5m`, `2h`, `7d`, or a number of milliseconds. */
export type Duration = string | number;

/** A string that is exactly `${ … }` (typed value) or text with `${ … }` inside (interpolated). */
export type Expression = string;

/** Any JSON value that may contain expression strings at any depth. */
export type Template = unknown;

export type JsonSchema = Record<string, unknown> | boolean;

export interface Timeouts {
  startToClose?: Duration;
  scheduleToClose?: Duration;
  scheduleToStart?: Duration;
  heartbeat?: Duration;
}

export interface RetryPolicy {
  initialInterval?: Duration;
  backoffCoefficient?: number;
  maximumInterval?: Duration;
  maximumAttempts?: number;
  nonRetryableErrorTypes?: string[];
}

/** Activity options that plugin defaults, flow `defaults` and a step can each set. */
export interface ActivityOptionsSpec {
  taskQueue?: string;
  timeouts?: Timeouts;
  retry?: RetryPolicy;
}

export interface WorkflowOptionsSpec {
  executionTimeout?: Duration;
  runTimeout?: Duration;
  taskTimeout?: Duration;
  retry?: RetryPolicy;
  searchAttributes?: Record<string, Template>;
  memo?: Record<string, Template>;
}

/** Keys every step may carry, whatever its kind. */
export interface StepCommon {
  id?: string;
  name?: string;
  when?: Expression;
  result?: string;
}

export interface Compensation extends ActivityOptionsSpec {
  activity: string;
  input?: Template;
}

export interface ActivityStep extends StepCommon, ActivityOptionsSpec {
  activity: string;
  input?: Template;
  compensate?: Compensation;
}

export interface IfStep extends StepCommon {
  if: Expression;
  then: Step[];
  else?: Step[];
}

export interface SwitchStep extends StepCommon {
  switch: Expression;
  cases: Record<string, Step[]>;
  default?: Step[];
}

export type ParallelMode = 'all' | 'any' | 'race';

export interface ParallelStep extends StepCommon {
  parallel: { branches: Record<string, Step[]>; mode?: ParallelMode };
}

export interface ForEachStep extends StepCommon {
  forEach: Expression;
  as?: string;
  concurrency?: number;
  steps: Step[];
}

export interface WhileStep extends StepCommon {
  while: Expression;
  maxIterations?: number;
  steps: Step[];
}

export interface SleepStep extends StepCommon {
  sleep: Duration | Expression | { until: Expression };
}

export interface WaitStep extends StepCommon {
  wait: { signal?: string; condition?: Expression; timeout?: Duration; onTimeout?: Step[] };
}

export interface SetStep extends StepCommon {
  set: Record<string, Template>;
}

export interface CatchClause {
  errors?: string[];
  as?: string;
  steps: Step[];
}

export interface TryStep extends StepCommon {
  try: Step[];
  catch?: CatchClause[];
  finally?: Step[];
}

export type ParentClosePolicy = 'terminate' | 'abandon' | 'requestCancel';

export interface ChildFlowStep extends StepCommon {
  flow: string;
  input?: Template;
  workflowId?: Expression;
  parentClosePolicy?: ParentClosePolicy;
}

export interface LogStep extends StepCommon {
  log: Template;
}

export interface FailStep extends StepCommon {
  fail: { error: string; message?: Template; details?: Template };
}

export interface ReturnStep extends StepCommon {
  return: Template;
}

export type Step =
  | ActivityStep
  | IfStep
  | SwitchStep
  | ParallelStep
  | ForEachStep
  | WhileStep
  | SleepStep
  | WaitStep
  | SetStep
  | TryStep
  | ChildFlowStep
  | LogStep
  | FailStep
  | ReturnStep;

/** The key that names a step's kind; a step has exactly one. */
export const STEP_KINDS = [
  'activity',
  'if',
  'switch',
  'parallel',
  'forEach',
  'while',
  'sleep',
  'wait',
  'set',
  'try',
  'flow',
  'log',
  'fail',
  'return',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface SignalHandler {
  description?: string;
  input?: JsonSchema;
  set?: Record<string, Template>;
  steps?: Step[];
}

export interface UpdateHandler {
  description?: string;
  input?: JsonSchema;
  validate?: Expression;
  set?: Record<string, Template>;
  steps?: Step[];
  output?: Template;
}

/** The body shared by a top-level flow and a child flow under `flows:`. */
export interface FlowBody {
  description?: string;
  input?: JsonSchema;
  vars?: Record<string, unknown>;
  defaults?: ActivityOptionsSpec;
  options?: WorkflowOptionsSpec;
  queries?: Record<string, Expression>;
  signals?: Record<string, SignalHandler>;
  updates?: Record<string, UpdateHandler>;
  onCancel?: Step[];
  output?: Template;
  steps: Step[];
}

export interface Flow extends FlowBody {
  /** The JSON Schema the file follows, for editors; ignored by Weft. */
  $schema?: string;
  flow: string;
  version?: string;
  flows?: Record<string, FlowBody>;
  /** Temporal Schedules that start this flow (`weft schedule apply`); not part of the compiled flow. */
  schedules?: FlowSchedule[];
}

/** One entry of a flow's `schedules:`, as the schema allows it (validated before it gets here). */
/** A Temporal schedule Weft applied, as `weft schedule list` and `GET /api/schedules` show it. */
export interface ScheduleView {
  scheduleId: string;
  flow?: string;
  id?: string;
  paused: boolean;
  note?: string;
  /** Intervals in ms (the server keeps crons as calendars: `nextRuns` shows when they fire). */
  intervals: { every: number; offset: number }[];
  timezone?: string;
  nextRuns: string[];
  recentRuns: { scheduledAt: string; takenAt: string; workflowId: string }[];
}

export interface FlowSchedule {
  id: string;
  cron?: string | string[];
  every?: string | number;
  offset?: string | number;
  input?: unknown;
  timezone?: string;
  jitter?: string | number;
  overlap?: 'skip' | 'bufferOne' | 'bufferAll' | 'cancelOther' | 'terminateOther' | 'allowAll';
  catchupWindow?: string | number;
  pauseOnFailure?: boolean;
  paused?: boolean;
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// The compiled form: what the interpreter workflow receives in its input. Plain JSON, normalised,
// every step has an id and a kind, and activity options are already merged.
// ---------------------------------------------------------------------------------------------

interface CompiledCommon {
  /** The explicit `id`, or one derived from the step's JSON pointer. Unique within a flow. */
  id: string;
  name?: string;
  when?: Expression;
  result?: string;
}

export interface CompiledActivityOptions {
  taskQueue?: string;
  timeouts: Timeouts;
  retry?: RetryPolicy;
}

/** How an activity is called; the keys a compiled call to an external activity adds. */
export interface CompiledCallConvention {
  /**
   * Positional arguments: the input object's members sent in this order, one argument each
   * (an external activity declared with `args:`). Without it the input is the one argument.
   */
  args?: string[];
  /** The activity is provided by a worker outside Weft (declared in an activities file). */
  external?: true;
}

export interface CompiledCompensation extends CompiledCallConvention {
  activity: string;
  input?: Template;
  options: CompiledActivityOptions;
}

export type CompiledStep = CompiledCommon &
  (
    | ({
        kind: 'activity';
        activity: string;
        input?: Template;
        options: CompiledActivityOptions;
        compensate?: CompiledCompensation;
      } & CompiledCallConvention)
    | { kind: 'if'; if: Expression; then: CompiledStep[]; else: CompiledStep[] }
    | {
        kind: 'switch';
        switch: Expression;
        cases: Record<string, CompiledStep[]>;
        default: CompiledStep[];
      }
    | { kind: 'parallel'; mode: ParallelMode; branches: Record<string, CompiledStep[]> }
    | {
        kind: 'forEach';
        forEach: Expression;
        as: string;
        concurrency: number;
        steps: CompiledStep[];
      }
    | { kind: 'while'; while: Expression; maxIterations: number; steps: CompiledStep[] }
    | { kind: 'sleep'; duration?: Duration | Expression; until?: Expression }
    | {
        kind: 'wait';
        signal?: string;
        condition?: Expression;
        timeout?: Duration;
        onTimeout?: CompiledStep[];
      }
    | { kind: 'set'; set: Record<string, Template> }
    | {
        kind: 'try';
        try: CompiledStep[];
        catch: { errors?: string[]; as: string; steps: CompiledStep[] }[];
        finally: CompiledStep[];
      }
    | {
        kind: 'flow';
        /** Key into CompiledFlow.flows of the root flow. */
        flow: string;
        input?: Template;
        workflowId?: Expression;
        parentClosePolicy: ParentClosePolicy;
      }
    | { kind: 'log'; log: Template }
    | { kind: 'fail'; error: string; message?: Template; details?: Template }
    | { kind: 'return'; return: Template }
  );

export type CompiledStepOf<K extends StepKind> = Extract<CompiledStep, { kind: K }>;

export interface CompiledSignal {
  input?: JsonSchema;
  set?: Record<string, Template>;
  steps: CompiledStep[];
}

export interface CompiledUpdate extends CompiledSignal {
  validate?: Expression;
  output?: Template;
}

export interface CompiledFlow {
  /** Format version of the compiled form. */
  weft: 1;
  flow: string;
  version?: string;
  description?: string;
  /** Content hash of the compiled definition (without this field). */
  hash: string;
  input?: JsonSchema;
  vars: Record<string, unknown>;
  options: WorkflowOptionsSpec;
  queries: Record<string, Expression>;
  signals: Record<string, CompiledSignal>;
  updates: Record<string, CompiledUpdate>;
  onCancel: CompiledStep[];
  /** Absent: the flow's result is `vars`. */
  output?: Template;
  steps: CompiledStep[];
  /** Child flows, embedded and already compiled; keyed by the name the `flow:` step uses. */
  flows: Record<string, CompiledFlow>;
}

/**
 * The server's history limits, when they are not Temporal's defaults (51,200 events, 50 MB): a
 * server configured lower (or a test) passes them so runs fail before the server terminates them.
 */
export interface RunLimits {
  historyEvents?: number;
  historyBytes?: number;
}

/** The interpreter workflow's input. */
export interface FlowRunInput {
  flow: CompiledFlow;
  input?: unknown;
  /** Set by the starter when the server's history limits are lower than the defaults. */
  limits?: RunLimits;
  /** Set only by continue-as-new: where the previous run stopped. */
  resume?: unknown;
}
