import { ApplicationFailure, CancelledFailure } from '@temporalio/common';

export type PluginErrorCode =
  | 'WEFT_PLUGIN_LOAD'
  | 'WEFT_PLUGIN_INVALID'
  | 'WEFT_DUPLICATE_ACTIVITY'
  | 'WEFT_UNKNOWN_ACTIVITY';

/** A plugin that cannot be loaded or registered. Raised on the Node side, before any run. */
export class PluginError extends Error {
  override name = 'PluginError';
  constructor(
    readonly code: PluginErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The failure type of an input that does not match the activity's schema. */
export const INVALID_INPUT = 'InvalidInput';

/**
 * A typed failure that Temporal will not retry; `catch.errors` matches on `type`. Plugins that
 * import nothing can instead throw any Error with `name` set and `nonRetryable: true`.
 */
export function nonRetryable(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/** A typed failure that the step's retry policy may retry. */
export function retryable(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: false,
    details: details === undefined ? [] : [details],
  });
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  nonRetryable?: unknown;
  details?: unknown;
}

/**
 * Turns whatever a plugin threw into the failure Temporal records. The SDK would use the error's
 * constructor name as the type; the DSL promises `error.name`, which a plain object plugin can
 * set without subclassing. Cancellation passes through so Temporal reports it as such.
 */
export function toFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof Error || (typeof err === 'object' && err !== null)) {
    const e = err as ErrorLike;
    const type = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
    const message = typeof e.message === 'string' ? e.message : String(err);
    const failure = ApplicationFailure.create({
      type,
      message,
      nonRetryable: e.nonRetryable === true,
      details: e.details === undefined ? [] : [e.details],
    });
    if (err instanceof Error && err.stack) failure.stack = err.stack;
    return failure;
  }
  return ApplicationFailure.create({ type: 'Error', message: String(err) });
}
