import { ApplicationFailure } from '@temporalio/common';
import { durationMs } from '../duration';
import { nonRetryable, retryable } from '../errors';
import type { HttpPolicy } from '../http-policy';
import { type ActivityContext, defineActivity, definePlugin, type Plugin } from '../types';
import { type GuardedRequest, guardedFetch } from './guarded-fetch';

export interface HttpRequestInput {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Per attempt; the step's startToClose still bounds it. */
  timeout?: string | number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the answer says it is JSON, otherwise text. */
  body: unknown;
}

/** Builds fetch's init from the DSL input, and an abort signal for cancel and timeout. */
export function requestInit(
  input: { method?: string; headers?: Record<string, string>; body?: unknown },
  signal: AbortSignal,
): GuardedRequest {
  const headers: Record<string, string> = { ...input.headers };
  let body: string | undefined;
  if (input.body !== undefined) {
    if (typeof input.body === 'string') body = input.body;
    else {
      body = JSON.stringify(input.body);
      const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
      if (!hasType) headers['content-type'] = 'application/json';
    }
  }
  const init: GuardedRequest = { method: (input.method ?? 'GET').toUpperCase(), headers, signal };
  if (body !== undefined) init.body = body;
  return init;
}

export function attemptSignal(ctx: ActivityContext, timeout?: string | number): AbortSignal {
  return timeout === undefined
    ? ctx.signal
    : AbortSignal.any([ctx.signal, AbortSignal.timeout(durationMs(timeout))]);
}

/**
 * Network and timeout errors are retryable and typed; cancellation and the policy's typed
 * refusals pass through.
 */
export function fetchFailure(err: unknown, ctx: ActivityContext, url: string): unknown {
  if (ctx.signal.aborted || err instanceof ApplicationFailure) return err;
  const e = err as { name?: string; message?: string; cause?: { message?: string } };
  if (e.name === 'TimeoutError') return retryable('HttpTimeout', `request to ${url} timed out`);
  const why = e.cause?.message ?? e.message ?? String(err);
  return retryable('HttpNetworkError', `request to ${url} failed: ${why}`);
}

/** A non-2xx answer: 4xx will not get better by retrying, 5xx might. */
export function statusFailure(
  method: string,
  url: string,
  status: number,
  statusText: string,
  body: unknown,
) {
  const message = `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${method} ${url}`;
  const details = { status, body };
  return status >= 400 && status < 500
    ? nonRetryable('HttpError', message, details)
    : retryable('HttpError', message, details);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (/[/+]json\b/i.test(type) && text !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** `http.request`, reaching only what `policy` allows. */
export const httpRequest = (policy: HttpPolicy) =>
  defineActivity<HttpRequestInput, HttpResponse>({
    name: 'http.request',
    description:
      'Sends an HTTP request and returns {status, headers, body}. A 4xx answer fails with non-retryable HttpError, a 5xx with retryable HttpError; details carry the status. Loopback, link-local and private addresses fail with non-retryable HttpForbidden unless the worker allows them (--allow-http).',
    input: {
      type: 'object',
      required: ['url'],
      properties: {
        method: {
          type: 'string',
          enum: [
            'GET',
            'POST',
            'PUT',
            'PATCH',
            'DELETE',
            'HEAD',
            'OPTIONS',
            'get',
            'post',
            'put',
            'patch',
            'delete',
            'head',
            'options',
          ],
        },
        url: { type: 'string', minLength: 1 },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: {},
        timeout: { type: ['string', 'number'] },
      },
      additionalProperties: false,
    },
    output: {
      type: 'object',
      properties: { status: { type: 'integer' }, headers: { type: 'object' }, body: {} },
    },
    defaults: { timeouts: { startToClose: '1m' } },
    async run(input, ctx) {
      const init = requestInit(input, attemptSignal(ctx, input.timeout));
      let res: Response;
      try {
        res = await guardedFetch(input.url, init, policy);
      } catch (err) {
        throw fetchFailure(err, ctx, input.url);
      }
      const body = await readBody(res);
      if (res.status < 200 || res.status > 299) {
        throw statusFailure(init.method ?? 'GET', input.url, res.status, res.statusText, body);
      }
      return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body };
    },
  });

export function httpPlugin(policy: HttpPolicy): Plugin {
  return definePlugin({
    name: 'http',
    description: 'HTTP requests',
    activities: [httpRequest(policy)],
  });
}
