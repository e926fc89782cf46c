import { type ActivityOptions, patched } from '@temporalio/workflow';
import { DEFAULT_START_TO_CLOSE } from '../../model/step-kinds';
import type { CompiledActivityOptions } from '../../model/types';
import { PATCHES } from '../patches';

/** The fallback before PATCHES.defaultStartToClose; it disagreed with the compiler's default. */
const LEGACY_START_TO_CLOSE = '10m';

/** The step's merged DSL options as Temporal ActivityOptions; summary shows in the Web UI. */
export function toActivityOptions(
  options: CompiledActivityOptions,
  activityId: string,
  summary: string | undefined,
): ActivityOptions {
  const t = options.timeouts ?? {};
  const out: ActivityOptions = { activityId };
  if (summary !== undefined) out.summary = summary;
  if (options.taskQueue !== undefined) out.taskQueue = options.taskQueue;
  if (t.startToClose !== undefined)
    out.startToCloseTimeout = t.startToClose as ActivityOptions['startToCloseTimeout'];
  if (t.scheduleToClose !== undefined)
    out.scheduleToCloseTimeout = t.scheduleToClose as ActivityOptions['scheduleToCloseTimeout'];
  if (t.scheduleToStart !== undefined)
    out.scheduleToStartTimeout = t.scheduleToStart as ActivityOptions['scheduleToStartTimeout'];
  if (t.heartbeat !== undefined)
    out.heartbeatTimeout = t.heartbeat as ActivityOptions['heartbeatTimeout'];
  if (out.startToCloseTimeout === undefined && out.scheduleToCloseTimeout === undefined) {
    // Temporal requires one of the two; compiled flows always carry one, hand-built inputs may not.
    out.startToCloseTimeout = patched(PATCHES.defaultStartToClose)
      ? DEFAULT_START_TO_CLOSE
      : LEGACY_START_TO_CLOSE;
  }
  const r = options.retry;
  if (r) {
    const retry: NonNullable<ActivityOptions['retry']> = {};
    if (r.initialInterval !== undefined)
      retry.initialInterval = r.initialInterval as typeof retry.initialInterval;
    if (r.backoffCoefficient !== undefined) retry.backoffCoefficient = r.backoffCoefficient;
    if (r.maximumInterval !== undefined)
      retry.maximumInterval = r.maximumInterval as typeof retry.maximumInterval;
    if (r.maximumAttempts !== undefined) retry.maximumAttempts = r.maximumAttempts;
    if (r.nonRetryableErrorTypes !== undefined)
      retry.nonRetryableErrorTypes = r.nonRetryableErrorTypes;
    out.retry = retry;
  }
  return out;
}
