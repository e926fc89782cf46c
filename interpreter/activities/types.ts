import type { ActivityOptionsSpec, JsonSchema } from '../model';

/** The log methods a plugin gets; backed by Temporal's activity logger (or the thread bridge). */
export interface ActivityLogger {
  debug(message: string, attrs?: Record<string, unknown>): void;
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
  error(message: string, attrs?: Record<string, unknown>): void;
}

/** Plain, serialisable facts about the running attempt (a subset of Temporal's activity Info). */
export interface ActivityRunInfo {
  activityId: string;
  activityType: string;
  attempt: number;
  taskQueue: string;
  workflowId?: string;
  runId?: string;
  workflowType?: string;
  namespace: string;
  /** What the previous attempt last passed to `heartbeat`; lets a retry resume. */
  heartbeatDetails?: unknown;
  startToCloseTimeoutMs?: number;
  heartbeatTimeoutMs?: number;
}

/** The second argument of every plugin activity's `run`. */
export interface ActivityContext {
  /** 1 on the first attempt, 2 on the first retry, and so on. */
  attempt: number;
  /** Records progress; Temporal keeps the last details and gives them to the next attempt. */
  heartbeat(details?: unknown): void;
  /** Fires when the activity is cancelled or times out; pass it to fetch and friends. */
  signal: AbortSignal;
  log: ActivityLogger;
  info: ActivityRunInfo;
}

/** One activity of a plugin. `run` may be sync or async; a thrown error fails the attempt. */
export interface ActivityDefinition<I = unknown, O = unknown> {
  /** Registered under this exact name (e.g. `inventory.reserve`); also the DSL's `activity:`. */
  name: string;
  description?: string;
  /** JSON Schema of the input, checked when the activity starts (mismatch: `InvalidInput`). */
  input?: JsonSchema;
  output?: JsonSchema;
  /** The lowest layer of activity options: plugin < flow `defaults` < step. */
  defaults?: ActivityOptionsSpec;
  /** A task queue the plugin prefers; flow defaults and steps still override it. */
  taskQueue?: string;
  /** `thread` runs `run` in a worker-thread pool, so CPU-heavy work does not block heartbeats. */
  runIn?: 'main' | 'thread';
  run(input: I, ctx: ActivityContext): Promise<O> | O;
}

/** A module's worth of activities. A plain object works; `definePlugin` only adds types. */
export interface Plugin {
  name: string;
  description?: string;
  // biome-ignore lint/suspicious/noExplicitAny: each activity has its own input and output types
  activities: ActivityDefinition<any, any>[];
}

/** Identity helper that types a plugin object. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}

/** Identity helper that types one activity, inferring its input and output. */
export function defineActivity<I = unknown, O = unknown>(
  activity: ActivityDefinition<I, O>,
): ActivityDefinition<I, O> {
  return activity;
}
