/**
 * `weft graph` and `weft diff` problems. A flow that does not validate is not one of these: its
 * positioned diagnostics are printed, then `WEFT_GRAPH_INVALID_FLOW` / `WEFT_DIFF_INVALID_FLOW`
 * (exit 2).
 */
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
