/**
 * Temporal's server limits that Weft checks itself, before the server enforces them by refusing
 * a start or terminating a run (which loses the run's state and skips its compensations). The
 * values are the server's defaults (dynamic config `limit.blobSize.error`,
 * `limit.historyCount.error`, `limit.historySize.error`). Shared by the validator (compiled flow
 * size) and the sandboxed interpreter (payloads at run time), so it stays pure.
 */

/** Largest payload the server accepts: a workflow input or result, an activity input. */
export const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * What a payload costs beyond its JSON bytes (its `encoding` metadata and the protobuf framing),
 * rounded up, so a payload this check lets through is never refused by the server.
 */
export const PAYLOAD_OVERHEAD_BYTES = 256;

/** Events after which the server terminates a run. */
export const HISTORY_EVENT_LIMIT = 51_200;

/** History bytes after which the server terminates a run. */
export const HISTORY_SIZE_LIMIT_BYTES = 50 * 1024 * 1024;

/**
 * UTF-8 bytes of `value` as Temporal's JSON payload converter writes it (JSON.stringify, then
 * UTF-8). `undefined` is 0: the converter sends no data for it.
 */
export function jsonBytes(value: unknown): number {
  if (value === undefined) return 0;
  const text = JSON.stringify(value);
  return text === undefined ? 0 : utf8Bytes(text);
}

/** UTF-8 length of a string, counted without an encoder (the workflow sandbox has none). */
export function utf8Bytes(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    // Two bytes below U+0800, three above; each half of a surrogate pair adds one (4 per pair).
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdfff) bytes += 1;
    else bytes += 2;
  }
  return bytes;
}

/**
 * A cheap answer to "is this text over `limit` UTF-8 bytes?": characters never outnumber bytes and
 * one character is at most 3 bytes, so the exact count is needed only in between.
 */
export function utf8BytesOver(text: string, limit: number): number | undefined {
  if (text.length > limit) return utf8Bytes(text);
  if (text.length * 3 <= limit) return undefined;
  const bytes = utf8Bytes(text);
  return bytes > limit ? bytes : undefined;
}

/** `2.1 MB`, `512 KB`, `900 bytes` (1 MB = 1024 × 1024 bytes, as the server counts). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const trim = (n: number) => n.toFixed(2).replace(/\.?0+$/, '');
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KB`;
  return `${trim(bytes / 1024 / 1024)} MB`;
}

/** `2.1 MB; the server accepts 2 MB`, with exact bytes when the rounded sizes would look equal. */
export function describeOverLimit(bytes: number, limit: number): string {
  const size = formatBytes(bytes);
  const max = formatBytes(limit);
  return size === max
    ? `${size} (${bytes} bytes); the server accepts ${max} (${limit} bytes)`
    : `${size}; the server accepts ${max}`;
}
