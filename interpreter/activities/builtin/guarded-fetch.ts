import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { nonRetryable } from '../errors';
import { forbidden, HTTP_FORBIDDEN, type HttpPolicy } from '../http-policy';

/** What the built-ins send: fetch's init, reduced to what the DSL can say. */
export interface GuardedRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** fetch's limit. */
const MAX_REDIRECTS = 20;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function withoutHeaders(headers: Record<string, string>, drop: (name: string) => boolean) {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop(k.toLowerCase())));
}

/**
 * fetch, with the address policy applied where it cannot be raced: Node's fetch offers no hook
 * between DNS resolution and connect, so a name that resolves to a public address when checked
 * and to 127.0.0.1 when fetched (DNS rebinding) would pass any check made beforehand. This
 * speaks node:http with a `lookup` that checks every address it hands to the socket, and follows
 * redirects itself so each hop goes through the same check. It keeps fetch's behaviour where the
 * built-ins rely on it: redirects (303, and 301/302 after POST, become GET; credentials are
 * dropped across origins), gzip/deflate/br decoding, and rejecting with the signal's reason.
 */
export async function guardedFetch(
  url: string,
  init: GuardedRequest,
  policy: HttpPolicy,
): Promise<Response> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw nonRetryable('InvalidInput', `invalid URL: ${url}`);
  }
  let method = init.method.toUpperCase();
  let body = init.body;
  let headers = { ...init.headers };
  for (let hop = 0; ; hop++) {
    const res = await send(current, { method, headers, body, signal: init.signal }, policy);
    const location = res.headers.location;
    const status = res.statusCode ?? 0;
    if (!REDIRECT_STATUSES.has(status) || location === undefined) {
      return toResponse(res, method, init.signal);
    }
    res.resume();
    if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, current);
    if (
      (status === 303 && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, (k) => k.startsWith('content-'));
    }
    if (next.origin !== current.origin) {
      headers = withoutHeaders(headers, (k) => CREDENTIAL_HEADERS.has(k));
    }
    current = next;
  }
}

/**
 * Kept-alive sockets skip `lookup`, so they must never serve a policy other than the one that
 * checked them: each policy gets its own agents.
 */
const agents = new WeakMap<HttpPolicy, { http: HttpAgent; https: HttpsAgent }>();

function agentsOf(policy: HttpPolicy) {
  let a = agents.get(policy);
  if (!a) {
    a = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
    agents.set(policy, a);
  }
  return a;
}

function send(url: URL, req: GuardedRequest, policy: HttpPolicy): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(
      nonRetryable(
        HTTP_FORBIDDEN,
        `request to ${url.href} refused: only http and https URLs may be requested`,
      ),
    );
  }
  const host = url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  // An IP literal never reaches `lookup`: check it here.
  if (isIP(literal) !== 0) {
    const kind = policy.refusal(host, port, literal);
    if (kind !== undefined) {
      return Promise.reject(forbidden(url.href, host, port, literal, kind));
    }
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const kind = policy.refusal(host, port, a.address);
        if (kind !== undefined) {
          return callback(forbidden(url.href, host, port, a.address, kind), '', 0);
        }
      }
      if (options.all) return callback(null, addresses as never);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
  const headers: Record<string, string> = {
    accept: '*/*',
    'accept-encoding': 'gzip, deflate, br',
    ...req.headers,
  };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const https = url.protocol === 'https:';
  const agent = https ? agentsOf(policy).https : agentsOf(policy).http;
  const options: RequestOptions = {
    method: req.method,
    headers,
    lookup,
    signal: req.signal,
    agent,
  };
  const requestFn = https ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = requestFn(url, options, resolve);
    r.on('error', (err) => reject(req.signal.aborted ? req.signal.reason : err));
    r.end(req.body);
  });
}

function decoded(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return res;
  return pipeline(res, decoder, () => undefined);
}

function toResponse(res: IncomingMessage, method: string, signal: AbortSignal): Response {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    res.destroy();
    throw new Error(`invalid HTTP status ${status}`);
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    try {
      headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    } catch {
      // A header value fetch would not accept either.
    }
  }
  if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
    res.resume();
    return new Response(null, { status, statusText: res.statusMessage ?? '', headers });
  }
  const stream = decoded(res);
  // As fetch does: a body read that an abort interrupts rejects with the signal's reason.
  const onAbort = () => stream.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
  const body = Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}
