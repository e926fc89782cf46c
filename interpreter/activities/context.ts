import type { Context } from '@temporalio/activity';
import type { ActivityContext, ActivityLogger, ActivityRunInfo } from './types';

/** The serialisable part of Temporal's activity info that plugins (and threads) see. */
export function runInfo(context: Context): ActivityRunInfo {
  const i = context.info;
  return {
    activityId: i.activityId,
    activityType: i.activityType,
    attempt: i.attempt,
    taskQueue: i.taskQueue,
    workflowId: i.workflowExecution?.workflowId,
    runId: i.workflowExecution?.runId,
    workflowType: i.workflowType,
    namespace: i.activityNamespace,
    heartbeatDetails: i.heartbeatDetails,
    startToCloseTimeoutMs: i.startToCloseTimeoutMs,
    heartbeatTimeoutMs: i.heartbeatTimeoutMs,
  };
}

/**
 * Plugins get a small, stable context instead of the SDK's class. `guard` (see AttemptGuard)
 * replaces the SDK's signal with one that also aborts when the attempt's time is up.
 */
export function activityContext(
  context: Context,
  guard?: { signal: AbortSignal; heartbeat(details?: unknown): void },
): ActivityContext {
  const info = runInfo(context);
  const log: ActivityLogger = {
    debug: (m, a) => context.log.debug(m, a),
    info: (m, a) => context.log.info(m, a),
    warn: (m, a) => context.log.warn(m, a),
    error: (m, a) => context.log.error(m, a),
  };
  return {
    attempt: info.attempt,
    heartbeat: guard ? guard.heartbeat : (details) => context.heartbeat(details),
    signal: guard ? guard.signal : context.cancellationSignal,
    log,
    info,
  };
}
