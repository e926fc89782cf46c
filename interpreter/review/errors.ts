export type ReviewErrorCode =
  | 'WEFT_GRAPH_NO_CHROMIUM'
  | 'WEFT_GRAPH_RENDER_FAILED'
  | 'WEFT_GRAPH_UNKNOWN_FLOW';

/** A picture that could not be made; the message says what to do. */
export class ReviewError extends Error {
  override name = 'ReviewError';
  constructor(
    readonly code: ReviewErrorCode,
    message: string,
  ) {
    super(message);
  }
}
