import type { Context } from 'hono';
import { checkJsonDepth, MAX_JSON_DEPTH } from '../client';
import { decodeUtf8 } from '../dsl';
import { ApiError } from './errors';
import { isJsonType } from './media';

/**
 * Reads a JSON request body. An empty body is `undefined`; anything that is not JSON (or not
 * UTF-8, or nested deeper than MAX_JSON_DEPTH) is a 400 with a message that says so, never
 * the parser's internals.
 */
export async function readJson(c: Context): Promise<unknown> {
  if (!isJsonType(c.req.header('content-type')))
    throw new ApiError('WEFT_API_UNSUPPORTED_MEDIA', 'Send the body as application/json.');
  const decoded = decodeUtf8(new Uint8Array(await c.req.arrayBuffer()));
  if ('error' in decoded) {
    const { line, col } = decoded.error;
    throw new ApiError(
      'WEFT_API_BAD_REQUEST',
      `The request body is not valid UTF-8 (first invalid byte at line ${line}, column ${col}).`,
    );
  }
  const text = decoded.text;
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof RangeError) throw tooDeep();
    throw new ApiError('WEFT_API_BAD_REQUEST', 'The request body is not valid JSON.');
  }
  try {
    checkJsonDepth(value, 'the request body');
  } catch {
    throw tooDeep();
  }
  return value;
}

function tooDeep(): ApiError {
  return new ApiError(
    'WEFT_API_TOO_DEEP',
    `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep; flatten it.`,
  );
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object body with only the given keys; missing body becomes `{}`. */
export async function readObject(c: Context, allowed: readonly string[]): Promise<Json> {
  const body = (await readJson(c)) ?? {};
  if (!isObject(body))
    throw new ApiError('WEFT_API_BAD_REQUEST', 'The body must be a JSON object.');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw new ApiError(
      'WEFT_API_BAD_REQUEST',
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}.`,
    );
  return body;
}

export function optionalString(body: Json, key: string, max = 64 * 1024): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw new ApiError('WEFT_API_BAD_REQUEST', `'${key}' must be a string.`);
  if (value.length > max)
    throw new ApiError('WEFT_API_BAD_REQUEST', `'${key}' is longer than ${max} characters.`);
  return value;
}

export function requiredString(body: Json, key: string, max?: number): string {
  const value = optionalString(body, key, max);
  if (value === undefined) throw new ApiError('WEFT_API_BAD_REQUEST', `'${key}' is required.`);
  return value;
}

/** Workflow ids, names of signals, updates and queries: printable, bounded. */
export function checkName(value: string, what: string): string {
  const printable = [...value].every((ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code >= 0x20 && code !== 0x7f;
  });
  if (value.length === 0 || value.length > 1000 || !printable)
    throw new ApiError('WEFT_API_BAD_REQUEST', `${what} must be 1-1000 printable characters.`);
  return value;
}
