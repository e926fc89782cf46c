import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Every error a client can see. The code is stable (clients branch on it); the message says
 * what to do. Anything that is not an ApiError becomes a 500 with no detail, so no stack trace
 * or internal message ever reaches a client.
 */
export const API_ERRORS = {
  WEFT_API_BAD_REQUEST: 400,
  WEFT_API_INVALID_FLOW: 400,
  WEFT_API_BAD_PATH: 400,
  WEFT_API_TOO_DEEP: 400,
  WEFT_API_INVALID_PAYLOAD: 400,
  WEFT_API_UNAUTHORIZED: 401,
  WEFT_API_FORBIDDEN_HOST: 403,
  WEFT_API_FORBIDDEN_ORIGIN: 403,
  WEFT_API_NOT_FOUND: 404,
  WEFT_API_CONFLICT: 409,
  WEFT_API_PRECONDITION: 412,
  WEFT_API_TOO_LARGE: 413,
  WEFT_API_UNSUPPORTED_MEDIA: 415,
  WEFT_API_REJECTED: 422,
  WEFT_API_PRECONDITION_REQUIRED: 428,
  WEFT_API_UNAVAILABLE: 503,
  WEFT_API_INTERNAL: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The JSON body of every 4xx/5xx answer. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = API_ERRORS[code];
  }

  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}
