import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';

// The test server listens on loopback, which flows may reach only when the worker allows it.
const fns = (await loadPlugins([], process.cwd(), { allowHttp: ['127.0.0.1'] })).activities();
const request = fns['http.request']!;
let server: Server;
let base = '';
let port = 0;

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
      } else if (url.pathname === '/redirect') {
        res.statusCode = Number(url.searchParams.get('code') ?? 302);
        res.setHeader('location', url.searchParams.get('to') ?? '/');
        res.end();
      } else if (url.pathname === '/gzip') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync(JSON.stringify({ zipped: true })));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function ok(fn: typeof request, input: unknown): Promise<{ body: unknown }> {
  const result: unknown = await new MockActivityEnvironment().run(fn, input);
  return result as { body: unknown };
}

async function failure(input: unknown, fn = request): Promise<ApplicationFailure> {
  const err = await new MockActivityEnvironment().run(fn, input).catch((e: unknown) => e);
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

describe('http.request follows fetch', () => {
  it('follows a 303 as GET without the body, and decodes a gzip answer', async () => {
    const to = encodeURIComponent('/echo');
    const out = await ok(request, {
      method: 'POST',
      url: `${base}/redirect?code=303&to=${to}`,
      body: { a: 1 },
    });
    expect(out.body).toEqual({ method: 'GET', contentType: null, token: null, body: '' });
    const zipped = await ok(request, { url: `${base}/gzip` });
    expect(zipped.body).toEqual({ zipped: true });
  });
});

const strict = (await loadPlugins([], process.cwd(), { allowHttp: [] })).activities()[
  'http.request'
]!;

describe('http.request address policy', () => {
  async function refused(url: string, fn = strict): Promise<ApplicationFailure> {
    const f = await failure({ url }, fn);
    expect([f.type, f.nonRetryable]).toEqual(['HttpForbidden', true]);
    expect(f.message).toContain('--allow-http');
    return f;
  }

  it('refuses loopback by default, naming the address and the flag that allows it', async () => {
    const f = await refused(`${base}/text`);
    expect(f.message).toBe(
      `request to ${base}/text refused: 127.0.0.1 is a loopback address, which flows may not reach by default; allow it on the worker with --allow-http 127.0.0.1:${port} (or WEFT_ALLOW_HTTP)`,
    );
    await refused(`http://[::1]:${port}/text`);
    await refused(`http://[::ffff:127.0.0.1]:${port}/text`);
    await refused(`http://0.0.0.0:${port}/text`);
    await refused(`http://2130706433:${port}/text`);
  });

  it('refuses the cloud metadata endpoints and private networks', async () => {
    const f = await refused('http://169.254.169.254/latest/meta-data/');
    expect(f.message).toContain('169.254.169.254 is a link-local address');
    await refused('http://[fd00:ec2::254]/latest/meta-data/');
    await refused('http://10.0.0.1/');
    await refused('http://192.168.1.1/');
  });

  it('checks the resolved address: a name that resolves to loopback is refused', async () => {
    const f = await refused(`http://localhost:${port}/text`);
    expect(f.message).toMatch(
      /(127\.0\.0\.1|::1) is a loopback address \(localhost resolves to it\)/,
    );
  });

  it('checks every redirect hop', async () => {
    // Only this exact host:port is allowed; a redirect from it to loopback elsewhere is not.
    const onePort = (
      await loadPlugins([], process.cwd(), { allowHttp: [`127.0.0.1:${port}`] })
    ).activities()['http.request']!;
    const direct = await ok(onePort, { url: `${base}/text` });
    expect(direct.body).toBe('hello');
    for (const to of [
      `http://127.0.0.1:${port + 1}/`,
      `http://localhost:${port + 1}/text`,
      `http://[::1]:${port}/text`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      await refused(`${base}/redirect?to=${encodeURIComponent(to)}`, onePort);
    }
  });

  it('allows what a rule names: a host name, a CIDR block, WEFT_ALLOW_HTTP', async () => {
    const byName = (
      await loadPlugins([], process.cwd(), { allowHttp: ['localhost'] })
    ).activities();
    const viaName = await ok(byName['http.request']!, {
      url: `http://localhost:${port}/text`,
    });
    expect(viaName.body).toBe('hello');
    // A socket kept alive for a worker that allows the name is never lent to one that does not.
    await refused(`http://localhost:${port}/text`);
    const byBlock = (
      await loadPlugins([], process.cwd(), { allowHttp: ['127.0.0.0/8'] })
    ).activities();
    const viaBlock = await ok(byBlock['http.request']!, {
      url: `${base}/text`,
    });
    expect(viaBlock.body).toBe('hello');
    process.env.WEFT_ALLOW_HTTP = `127.0.0.1:${port}`;
    try {
      const byEnv = (await loadPlugins([])).activities();
      const viaEnv = await ok(byEnv['http.request']!, {
        url: `${base}/text`,
      });
      expect(viaEnv.body).toBe('hello');
    } finally {
      delete process.env.WEFT_ALLOW_HTTP;
    }
  });

  it('refuses sse.consume to loopback the same way', async () => {
    const consume = (await loadPlugins([], process.cwd(), { allowHttp: [] })).activities()[
      'sse.consume'
    ]!;
    await refused(`${base}/text`, consume);
  });

  it('refuses non-http URLs', async () => {
    const f = await failure({ url: 'file:///etc/passwd' }, strict);
    expect([f.type, f.nonRetryable]).toEqual(['HttpForbidden', true]);
  });
});
