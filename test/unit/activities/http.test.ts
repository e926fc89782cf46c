import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';

const fns = (await loadPlugins([])).activities();
const request = fns['http.request']!;
let server: Server;
let base = '';

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => {
      text += c.toString();
    });
    req.on('end', () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            contentType: req.headers['content-type'] ?? null,
            token: req.headers['x-token'] ?? null,
            body: await body(req),
          }),
        );
      } else if (url.pathname === '/text') {
        res.setHeader('content-type', 'text/plain');
        res.end('hello');
      } else if (url.pathname === '/status') {
        res.statusCode = Number(url.searchParams.get('code'));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ reason: 'because' }));
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.end('late'), 2000);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function failure(input: unknown): Promise<ApplicationFailure> {
  const err = await new MockActivityEnvironment().run(request, input).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('http.request', () => {
  it('sends method, headers and a JSON body, and parses a JSON answer', async () => {
    const input: unknown = {
      method: 'post',
      url: `${base}/echo`,
      headers: { 'x-token': 't1' },
      body: { a: 1 },
    };
    const result: unknown = await new MockActivityEnvironment().run(request, input);
    const out = result as {
      status: number;
      body: unknown;
    };
    expect(out.status).toBe(200);
    expect(out.body).toEqual({
      method: 'POST',
      contentType: 'application/json',
      token: 't1',
      body: '{"a":1}',
    });
  });

  it('returns text bodies as text', async () => {
    const input: unknown = { url: `${base}/text` };
    const result: unknown = await new MockActivityEnvironment().run(request, input);
    const out = result as {
      body: unknown;
      headers: Record<string, string>;
    };
    expect(out.body).toBe('hello');
    expect(out.headers['content-type']).toBe('text/plain');
  });

  it('fails a 4xx answer with non-retryable HttpError carrying the status', async () => {
    const f = await failure({ url: `${base}/status?code=404` });
    expect([f.type, f.nonRetryable]).toEqual(['HttpError', true]);
    expect(f.message).toBe(`HTTP 404 Not Found from GET ${base}/status?code=404`);
    expect(f.details).toEqual([{ status: 404, body: { reason: 'because' } }]);
  });

  it('fails a 5xx answer with retryable HttpError', async () => {
    const f = await failure({ url: `${base}/status?code=503` });
    expect([
      f.type,
      f.nonRetryable,
      (f.details?.[0] as { status?: number } | undefined)?.status,
    ]).toEqual(['HttpError', false, 503]);
  });

  it('types a per-request timeout and a refused connection as retryable failures', async () => {
    const slow = await failure({ url: `${base}/slow`, timeout: 50 });
    expect([slow.type, slow.nonRetryable]).toEqual(['HttpTimeout', false]);
    const refused = await failure({ url: 'http://127.0.0.1:1/' });
    expect([refused.type, refused.nonRetryable]).toEqual(['HttpNetworkError', false]);
  });

  it('rejects an input without url as InvalidInput', async () => {
    const f = await failure({ method: 'GET' });
    expect([f.type, f.nonRetryable]).toEqual(['InvalidInput', true]);
  });
});
