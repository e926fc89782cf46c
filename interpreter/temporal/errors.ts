/** Why Weft could not find, build or start a Temporal server. `code` is stable; messages say what to do. */
export type TemporalSetupCode =
  | 'WEFT_SERVER_NOT_FOUND'
  | 'WEFT_SERVER_BUILD_FAILED'
  | 'WEFT_SERVER_START_FAILED'
  | 'WEFT_SERVER_UNREACHABLE'
  | 'WEFT_JAVA_TEST_SERVER_UNAVAILABLE'
  | 'WEFT_BAD_TEMPORAL_ENV';

export class TemporalSetupError extends Error {
  override name = 'TemporalSetupError';
  constructor(
    readonly code: TemporalSetupCode,
    message: string,
  ) {
    super(message);
  }
}
