import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';
import { isLoopback } from './security';

/** What a request must match to be served at all; see the threat model in README.md. */
export interface GuardOptions {
  /** The address the server is bound to (`--host`). */
  boundHost: string;
  /** Extra Host names (`--allowed-host`): an exact name, or `.example.com` for its subdomains. */
  allowedHosts?: readonly string[];
  /** Origins allowed besides the server's own (`--cors`). */
  corsOrigins?: readonly string[];
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

/** `name:port`, `[v6]:port` or `name` -> the lower-cased name (brackets kept off), or undefined. */
export function hostName(header: string): string | undefined {
  const h = header.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(h);
  if (!m) return undefined;
  return m[1]!.replace(/^\[|\]$/g, '');
}

/**
 * Whether a Host header names this server in a way a DNS-rebinding page cannot forge: a
 * loopback name, the bound address, an IP literal when bound to every interface (a rebinding
 * attack needs a domain name), or a name the operator listed.
 */
export function hostAllowed(header: string | undefined, opts: GuardOptions): boolean {
  if (header === undefined) return false;
  const name = hostName(header);
  if (name === undefined) return false;
  if (isLoopback(name)) return true;
  const bound = opts.boundHost.replace(/^\[|\]$/g, '').toLowerCase();
  if (name === bound) return true;
  if (WILDCARD.has(bound) && isIP(name) !== 0) return true;
  return (opts.allowedHosts ?? []).some((entry) => {
    const e = entry.trim().toLowerCase();
    return e.startsWith('.') ? name.endsWith(e) || name === e.slice(1) : name === e;
  });
}

/**
 * Whether an Origin header is this server's own pages (same host and port as the Host header
 * that was already checked) or one listed with --cors. `null` (sandboxed frames, file:) is not.
 */
export function originAllowed(
  origin: string,
  host: string | undefined,
  opts: GuardOptions,
): boolean {
  if ((opts.corsOrigins ?? []).includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return host !== undefined && url.host === host.trim().toLowerCase();
}

/**
 * Every route (API, event stream, designer files) refuses a Host it does not know and an
 * Origin that is not its own, before anything else runs: a web page on another site, or one
 * that rebinds its own name to 127.0.0.1, gets a 403 and nothing happens.
 */
export function requestGuard(opts: GuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (!hostAllowed(host, opts))
      throw new ApiError(
        'WEFT_API_FORBIDDEN_HOST',
        `Host '${host ?? ''}' is not allowed: this server answers only to loopback names and its bound address (DNS rebinding protection). To reach it by that name, start it with --allowed-host ${hostName(host ?? '') ?? '<name>'}.`,
      );
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin, host, opts))
      throw new ApiError(
        'WEFT_API_FORBIDDEN_ORIGIN',
        `Origin '${origin}' is not allowed: only this server's own pages may call it. To allow that site, start the server with --cors ${origin}.`,
      );
    await next();
  };
}
