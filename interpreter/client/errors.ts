export type ClientErrorCode =
  | 'WEFT_INVALID_INPUT'
  | 'WEFT_INVALID_PAYLOAD'
  | 'WEFT_BAD_JSON'
  | 'WEFT_INPUT_TOO_DEEP'
  | 'WEFT_START_TOO_LARGE'
  | 'WEFT_EXPRESSION'
  | 'WEFT_NOT_FOUND'
  | 'WEFT_BAD_HISTORY'
  | 'WEFT_REPLAY_FAILED'
  | 'WEFT_SCHEDULE_INPUT'
  | 'WEFT_SCHEDULE_NOT_FOUND';

/** A client-side failure with a stable code; the CLI prints `code message`. */
export class ClientError extends Error {
  override name = 'ClientError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    /** Structured detail, e.g. the schema errors of an invalid input. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}
