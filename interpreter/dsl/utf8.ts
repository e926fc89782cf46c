import type { Diagnostic } from './diagnostics';

/**
 * Strict UTF-8 decoding for flow files: invalid bytes are an error with a position, never a
 * silent U+FFFD that a later save would write back. Browser-safe (TextDecoder only).
 */

export interface Utf8Error {
  /** Byte offset of the first invalid byte. */
  offset: number;
  /** 1-based line and column (in characters) of that byte. */
  line: number;
  col: number;
}

/** Byte length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) n = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 === 0xe0) lo = 0xa0; // overlong
    if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 === 0xf0) lo = 0x90; // overlong
    if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  for (let k = 1; k < n; k++) {
    const b = bytes[i + k];
    if (b === undefined) return 0;
    if (k === 1 ? b < lo || b > hi : b < 0x80 || b > 0xbf) return 0;
  }
  return n;
}

/** Where the first invalid byte is, or undefined when the whole buffer is valid UTF-8. */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Error | undefined {
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, i));
      const lineStart = before.lastIndexOf('\n') + 1;
      const line = before.split('\n').length;
      return { offset: i, line, col: [...before.slice(lineStart)].length + 1 };
    }
    i += n;
  }
  return undefined;
}

/** The text, or where the bytes stop being UTF-8. A leading BOM is kept, as readFile does. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { error: Utf8Error } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    const error = findInvalidUtf8(bytes);
    // TextDecoder and the scan agree on what is valid; the fallback only keeps types honest.
    return { error: error ?? { offset: 0, line: 1, col: 1 } };
  }
}

export function utf8Message(e: Utf8Error): string {
  return `the file is not valid UTF-8: the first invalid byte is at line ${e.line}, column ${e.col} (byte ${e.offset}); save it as UTF-8`;
}

/** The WEFT051 diagnostic for bytes that are not UTF-8 (the CLI, the API and the designer agree). */
export function utf8Diagnostic(e: Utf8Error, file?: string): Diagnostic {
  const diagnostic: Diagnostic = {
    code: 'WEFT051',
    severity: 'error',
    message: utf8Message(e),
    pointer: '',
    line: e.line,
    col: e.col,
  };
  if (file !== undefined) diagnostic.file = file;
  return diagnostic;
}
