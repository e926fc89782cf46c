import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

/** `application/json` and `application/*+json`. */
const JSON_TYPE = /^application\/([\w.+-]*\+)?json$/;

/**
 * What PUT /api/flows/<path> accepts besides JSON: the YAML text types. Never `text/plain`,
 * forms or multipart: a browser sends those cross-site without a preflight.
 */
const FLOW_TEXT_TYPES = new Set([
  'text/yaml',
  'application/yaml',
  'application/x-yaml',
  'text/x-yaml',
]);

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The media type without parameters, lower-cased; '' when absent. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonType(header: string | undefined): boolean {
  return JSON_TYPE.test(mediaType(header));
}

/** Whether a state-changing request to `path` may carry a body of this type. */
export function mediaAllowed(method: string, path: string, header: string | undefined): boolean {
  if (!STATE_CHANGING.has(method)) return true;
  if (isJsonType(header)) return true;
  return (
    method === 'PUT' && path.startsWith('/api/flows/') && FLOW_TEXT_TYPES.has(mediaType(header))
  );
}

/**
 * Every POST, PUT, PATCH and DELETE under /api must say what it sends, with a type a browser
 * cannot send cross-site without a CORS preflight; a missing type is refused too (415).
 */
export function requireMediaType(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type');
    if (!mediaAllowed(c.req.method, c.req.path, type)) {
      const flowPut = c.req.method === 'PUT' && c.req.path.startsWith('/api/flows/');
      throw new ApiError(
        'WEFT_API_UNSUPPORTED_MEDIA',
        `${c.req.method} ${c.req.path} needs Content-Type: application/json${flowPut ? ' (or text/yaml, application/yaml)' : ''}; got ${type === undefined || type === '' ? 'none' : `'${type}'`}.`,
      );
    }
    await next();
  };
}
