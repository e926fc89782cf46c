import {
  isGrpcDeadlineError,
  isGrpcServiceError,
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/common';
import { ClientError } from '../client';
import { ApiError } from './errors';

const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
};

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  if (err instanceof ServiceError && isGrpcServiceError(err.cause)) return err.cause.code;
  return undefined;
}

/**
 * Known Temporal and client failures as 4xx/503 answers with a stable code. Messages are ours or
 * the server's one-line reason, never a stack. Returns undefined for anything unexpected (500).
 */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof ClientError) {
    const status =
      err.code === 'WEFT_NOT_FOUND' || err.code === 'WEFT_SCHEDULE_NOT_FOUND'
        ? 'WEFT_API_NOT_FOUND'
        : err.code === 'WEFT_INVALID_PAYLOAD'
          ? 'WEFT_API_INVALID_PAYLOAD'
          : 'WEFT_API_BAD_REQUEST';
    return new ApiError(
      status,
      err.message,
      err.details === undefined ? undefined : { code: err.code },
    );
  }
  if (err instanceof WorkflowNotFoundError)
    return new ApiError('WEFT_API_NOT_FOUND', `No run '${err.workflowId}'.`);
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return new ApiError(
      'WEFT_API_CONFLICT',
      `A run with workflowId '${err.workflowId}' is already running.`,
    );
  if (err instanceof QueryNotRegisteredError)
    return new ApiError('WEFT_API_NOT_FOUND', err.message);
  if (err instanceof QueryRejectedError)
    return new ApiError('WEFT_API_CONFLICT', 'The run rejected the query in its current state.');
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    const type =
      cause instanceof ApplicationFailure ? (cause.type ?? 'Error') : (cause?.name ?? 'Error');
    return new ApiError('WEFT_API_REJECTED', cause?.message || err.message, { type });
  }
  if (isGrpcDeadlineError(err))
    return new ApiError(
      'WEFT_API_UNAVAILABLE',
      'Temporal did not answer in time (is a worker running?).',
    );
  switch (grpcCode(err)) {
    case GRPC.NOT_FOUND:
      return new ApiError('WEFT_API_NOT_FOUND', firstLine(err));
    case GRPC.INVALID_ARGUMENT:
      return new ApiError('WEFT_API_BAD_REQUEST', firstLine(err));
    case GRPC.ALREADY_EXISTS:
    case GRPC.FAILED_PRECONDITION:
      return new ApiError('WEFT_API_CONFLICT', firstLine(err));
    case GRPC.DEADLINE_EXCEEDED:
    case GRPC.UNAVAILABLE:
      return new ApiError('WEFT_API_UNAVAILABLE', 'The Temporal server is not reachable.');
    default:
      return undefined;
  }
}

function firstLine(err: unknown): string {
  const cause = err instanceof ServiceError ? (err.cause ?? err) : err;
  const raw =
    (cause as { details?: unknown; message?: unknown }).details ??
    (cause as { message?: unknown }).message;
  return String(raw ?? 'Temporal refused the request.')
    .split('\n')[0]!
    .slice(0, 500);
}
