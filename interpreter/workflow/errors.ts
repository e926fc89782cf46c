import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  patched,
  ServerFailure,
  TemporalFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/workflow';
import type { RetryPolicy } from '../model/types';
import { carriedFlowError, type FlowError, flowErrorOfApplication } from '../model/wire';
import { PATCHES } from './patches';

/**
 * A DSL error travelling up through the executors. It is a plain Error on purpose: only the
 * interpreter's outermost frame turns it into an ApplicationFailure, so `catch:` clauses and the
 * saga see the same `{type, message, details, step}` whatever raised it.
 */
export class FlowFailure extends Error {
  override name = 'FlowFailure';
  constructor(
    readonly error: FlowError,
    /** The Temporal failure it came from, when there was one (keeps cancellation recognisable). */
    override readonly cause?: unknown,
  ) {
    super(`${error.type}: ${error.message}`);
  }
}

/** `return:` unwinds the step stack with the flow's output; it is not an error to catch. */
export class ReturnSignal extends Error {
  override name = 'ReturnSignal';
  constructor(readonly value: unknown) {
    super('return');
  }
}

/** Stable DSL error types raised by the interpreter itself. */
export const ERROR_TYPES = {
  timeout: 'Timeout',
  cancelled: 'Cancelled',
  childFailed: 'ChildFlowFailed',
  expression: 'ExpressionError',
  maxIterations: 'MaxIterationsExceeded',
  invalidFlow: 'InvalidFlow',
  invalidPayload: 'InvalidPayload',
  payloadTooLarge: 'PayloadTooLarge',
  historyTooLarge: 'HistoryTooLarge',
} as const;

/**
 * The shared decoders (model/wire.ts) read two edges differently from the interpreter before
 * them: an empty failure type is 'Error' (it stayed ''), and a carried `step` that is not a string
 * is dropped (it was kept). Neither comes from Weft's own activities or flows; the patch is asked
 * only when one occurs, so other runs record no marker.
 */
function olderReading(failure: ApplicationFailure, error: FlowError, carried: boolean): FlowError {
  const detail = failure.details?.[0] as { step?: unknown } | undefined;
  const emptyType = !carried && failure.type === '';
  const oddStep = carried && detail?.step !== undefined && typeof detail.step !== 'string';
  if (!(emptyType || oddStep) || patched(PATCHES.wireFlowError)) return error;
  if (emptyType) error.type = '';
  if (oddStep) (error as { step?: unknown }).step = detail?.step;
  return error;
}

function fromApplication(failure: ApplicationFailure, step?: string): FlowError {
  const error = olderReading(failure, flowErrorOfApplication(failure), false);
  if (step !== undefined) error.step = step;
  return error;
}

/** Reads the FlowError a failed child flow (or a failed run) carried in its details. */
export function flowErrorOfFailure(failure: ApplicationFailure): FlowError {
  // flowErrorOfFlow, with the older reading of each half.
  const carried = carriedFlowError(failure.details?.[0], failure.message);
  return carried === undefined ? fromApplication(failure) : olderReading(failure, carried, true);
}

function describeTimeout(failure: TimeoutFailure): string {
  return failure.timeoutType ? `${failure.timeoutType.toLowerCase()} timeout` : failure.message;
}

/** Maps anything a step can throw to the DSL error of the mapping table in DESIGN.md. */
export function toFlowFailure(err: unknown, step: string): FlowFailure {
  if (err instanceof FlowFailure) return err;
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure)
      return new FlowFailure(fromApplication(cause, step), err);
    if (cause instanceof TimeoutFailure) {
      const message = `activity ${err.activityType} timed out (${describeTimeout(cause)})`;
      return new FlowFailure({ type: ERROR_TYPES.timeout, message, step }, err);
    }
    if (cause instanceof CancelledFailure) {
      return new FlowFailure({ type: ERROR_TYPES.cancelled, message: 'cancelled', step }, err);
    }
    return new FlowFailure({ type: 'Error', message: cause?.message ?? err.message, step }, err);
  }
  if (err instanceof ChildWorkflowFailure) {
    const cause = err.cause;
    let child: FlowError;
    if (cause instanceof ApplicationFailure) child = flowErrorOfFailure(cause);
    else if (cause instanceof TimeoutFailure)
      child = { type: ERROR_TYPES.timeout, message: cause.message };
    else if (cause instanceof CancelledFailure)
      child = { type: ERROR_TYPES.cancelled, message: 'cancelled' };
    else if (cause instanceof TerminatedFailure)
      child = { type: 'Terminated', message: 'terminated' };
    else child = { type: 'Error', message: cause?.message ?? err.message };
    const message = `child flow ${err.execution.workflowId} failed: ${child.type}: ${child.message}`;
    return new FlowFailure({ type: ERROR_TYPES.childFailed, message, details: child, step }, err);
  }
  if (err instanceof CancelledFailure) {
    return new FlowFailure(
      { type: ERROR_TYPES.cancelled, message: err.message || 'cancelled', step },
      err,
    );
  }
  if (err instanceof TimeoutFailure) {
    return new FlowFailure({ type: ERROR_TYPES.timeout, message: err.message, step }, err);
  }
  if (err instanceof ApplicationFailure) return new FlowFailure(fromApplication(err, step), err);
  if (err instanceof TemporalFailure)
    return new FlowFailure({ type: 'Error', message: err.message, step }, err);
  const message = err instanceof Error ? err.message : String(err);
  return new FlowFailure({ type: 'Error', message, step }, err);
}

/** True when the failure is (or wraps) a cancellation. */
export function isCancelledFlowFailure(err: unknown): boolean {
  return err instanceof FlowFailure && err.error.type === ERROR_TYPES.cancelled;
}

/**
 * The failure the workflow ends with: the DSL type as the ApplicationFailure type and the whole
 * FlowError as its first detail, so clients and parent flows read `{type, message, details, step}`.
 */
export function toApplicationFailure(error: FlowError): ApplicationFailure {
  return ApplicationFailure.create({
    type: error.type,
    message: error.message,
    details: [error],
    nonRetryable: true,
  });
}

/** The server's refusal of an activity result over the payload limit. */
function isResultTooLarge(cause: unknown): boolean {
  return cause instanceof ServerFailure && /exceeds size limit/i.test(cause.message);
}

/** The attempt count that a retry state settles; undefined when the failure does not tell. */
function settledAttempts(retryState: string, retry: RetryPolicy | undefined): number | undefined {
  const maximum = retry?.maximumAttempts;
  if (retryState === 'MAXIMUM_ATTEMPTS_REACHED') return maximum;
  if (retryState === 'RETRY_POLICY_NOT_SET' || maximum === 1) return 1;
  return undefined;
}

/**
 * An activity's failure as a DSL error with Temporal's retry state (why it was not retried again)
 * and, when that settles it, the attempt count, as Temporal's ActivityFailure reports them.
 * The patch is asked only when an activity fails, so other runs record no marker.
 */
export function activityFailureOf(
  err: unknown,
  step: string,
  retry: RetryPolicy | undefined,
): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const failure = toFlowFailure(err, step);
  if (isResultTooLarge(err.cause) && patched(PATCHES.payloadLimits)) {
    // The server refused the activity's result ("Complete result exceeds size limit."): the
    // same limit the interpreter checks for inputs, so the same type for `catch`.
    failure.error.type = ERROR_TYPES.payloadTooLarge;
    failure.error.message = `the result of activity ${err.activityType} (step '${step}') is over the server's payload limit: ${failure.error.message}`;
    failure.error.details = { payload: 'result' };
  }
  if (failure.error.type === ERROR_TYPES.cancelled || !err.retryState) return failure;
  if (!patched(PATCHES.activityRetryState)) return failure;
  failure.error.retryState = err.retryState;
  const attempts = settledAttempts(err.retryState, retry);
  if (attempts !== undefined) failure.error.attempts = attempts;
  return failure;
}
