import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer auth for every /api route. Both sides are hashed first so the comparison is constant
 * time whatever the lengths, and the answer never says which part was wrong.
 */
export function bearerAuth(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    const given = digest(match?.[1] ?? '');
    const ok = timingSafeEqual(given, expected) && match !== null;
    if (!ok) {
      c.header('WWW-Authenticate', 'Bearer realm="weft"');
      throw new ApiError(
        'WEFT_API_UNAUTHORIZED',
        'This server requires a token: send Authorization: Bearer <token>.',
      );
    }
    await next();
  };
}

/** Hosts that only this machine can reach; binding anywhere else needs --token. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
