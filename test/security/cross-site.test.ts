/**
 * Issue 12, item 1: no web page can drive the local server. Each attack class runs against a
 * real `weft serve` on loopback: a real Chromium page served from another origin (a second
 * HTTP server on another port), a DNS-rebinding request (a foreign Host), and requests with
 * content types a browser sends cross-site without a preflight. Each test checks the refusal,
 * that no flow ran (the marker file the flow would write is absent, no run is listed), and that
 * the server still runs a healthy flow.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../e2e/browser';
import {
  expectHealthy,
  hostOf,
  raw,
  runsOf,
  type Served,
  scratchFiles,
  serve,
  touchDefinition,
} from './serve';

let server: Served;
let page: Page;
let browser: Browser | undefined;
let evil: Server;
let evilOrigin: string;
const TRUSTED = 'http://trusted.example:4000';

/** A page on another origin: it only has to exist; the tests run their attacks in it. */
function startEvilSite(): Promise<string> {
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>');
  });
  return new Promise((resolve) => {
    evil.listen(0, '127.0.0.1', () => {
      const a = evil.address();
      resolve(`http://localhost:${typeof a === 'object' && a ? a.port : 0}`);
    });
  });
}

beforeAll(async () => {
  server = await serve(['--cors', TRUSTED, '--allowed-host', 'weft.lan']);
  evilOrigin = await startEvilSite();
  if (chromiumAvailable()) {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${evilOrigin}/`);
  }
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => evil?.close(r));
  await server?.stop();
});

/** After an attack: the marker was never written, no attack run exists, the server is fine. */
async function expectNothingRan(flow = 'sec-attack'): Promise<void> {
  await expectHealthy(server);
  expect(scratchFiles(server)).toEqual([]);
  expect(await runsOf(server, flow)).toEqual([]);
}

describe('a page on another origin (real Chromium)', () => {
  it.skipIf(!chromiumAvailable())(
    "the issue's repro: no-cors fetch of a Blob to POST /api/runs is refused and starts nothing",
    async () => {
      const answers: { url: string; status: number }[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/')) answers.push({ url: r.url(), status: r.status() });
      });
      const marker = join(server.scratch, 'blob.txt');
      const body = JSON.stringify({ definition: touchDefinition(marker) });
      await page.evaluate(
        async ({ target, body }) => {
          // The exact request of the issue: no Content-Type at all.
          await fetch(`${target}/api/runs`, {
            method: 'POST',
            mode: 'no-cors',
            body: new Blob([body]),
          });
          // The same with the one type a no-cors string body gets: text/plain.
          await fetch(`${target}/api/runs`, { method: 'POST', mode: 'no-cors', body });
          // A PUT cannot even leave the browser without a preflight, and the preflight fails.
          await fetch(`${target}/api/flows/planted.flow.yaml`, {
            method: 'PUT',
            headers: { 'content-type': 'text/yaml' },
            body: 'flow: planted\nsteps: []\n',
          }).catch(() => undefined);
        },
        { target: server.url, body },
      );
      const posts = answers.filter((a) => a.url.endsWith('/api/runs'));
      expect(posts.map((a) => a.status)).toEqual([403, 403]);
      expect(scratchFiles(server)).toEqual([]);
      await expectNothingRan();
      const flows = (await (await fetch(`${server.url}/api/flows`)).json()) as {
        flows: { path: string }[];
      };
      expect(flows.flows.map((f) => f.path)).not.toContain('planted.flow.yaml');
    },
  );

  it.skipIf(!chromiumAvailable())(
    'a form POST (urlencoded and text/plain that spells JSON) is refused and starts nothing',
    async () => {
      const marker = join(server.scratch, 'form.txt');
      const definition = touchDefinition(marker);
      for (const enctype of ['text/plain', 'application/x-www-form-urlencoded']) {
        await page.goto(`${evilOrigin}/`);
        await page.setContent(
          `<form id="f" method="POST" enctype="${enctype}" action="${server.url}/api/runs"><input id="i" name="x"></form>`,
        );
        // text/plain forms send `name=value`: split a JSON text at its `=` so the body is JSON.
        const full = JSON.stringify({ definition, pad: '=' });
        await page.evaluate(
          ([name, value]) => {
            const input = document.getElementById('i') as HTMLInputElement;
            input.name = name!;
            input.value = value!;
          },
          [full.slice(0, -3), full.slice(-2)],
        );
        const [response] = await Promise.all([
          page.waitForNavigation(),
          page.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit()),
        ]);
        if (!response) throw new Error('the form submission got no response');
        expect(response.status()).toBe(403);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'WEFT_API_FORBIDDEN_ORIGIN',
        );
      }
      await expectNothingRan();
    },
  );
});

describe('DNS rebinding: a Host that is not this server', () => {
  it.each([
    ['GET', '/api/flows'],
    ['GET', '/api/runs'],
    ['GET', '/api/runs/x/events'],
    ['GET', '/'],
    ['GET', '/assets/index.js'],
    ['POST', '/api/runs'],
  ])('%s %s with Host: evil.example is a 403 naming --allowed-host', async (method, path) => {
    const marker = join(server.scratch, 'rebind.txt');
    const body =
      method === 'POST' ? JSON.stringify({ definition: touchDefinition(marker) }) : undefined;
    const res = await raw(
      server.url,
      method,
      path,
      {
        host: `evil.example:${server.port}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    );
    expect(res.status).toBe(403);
    expect(res.json().error?.code).toBe('WEFT_API_FORBIDDEN_HOST');
    expect(res.json().error?.message).toMatch(/--allowed-host evil\.example/);
    await expectNothingRan();
  });

  it('a rebinding name that looks local is refused too, and no Host at all', async () => {
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', 'weft.lan.evil']) {
      const res = await raw(server.url, 'GET', '/api/flows', { host });
      expect(res.status, host).toBe(403);
      expect(res.json().error?.code).toBe('WEFT_API_FORBIDDEN_HOST');
    }
    // Node's HTTP server answers 400 to an HTTP/1.1 request without Host before the app runs.
    expect((await raw(server.url, 'GET', '/api/flows', {})).status).toBe(400);
    await expectHealthy(server);
  });

  it('loopback names, and names given with --allowed-host, are served', async () => {
    for (const host of [
      hostOf(server),
      `localhost:${server.port}`,
      `127.1.2.3:${server.port}`,
      `[::1]:${server.port}`,
      `weft.lan:${server.port}`,
      'WEFT.LAN',
    ]) {
      const res = await raw(server.url, 'GET', '/api/health', { host });
      expect(res.status, host).toBe(200);
    }
    await expectHealthy(server);
  });
});

describe('Origin', () => {
  it('a foreign or null Origin is refused on every route, with a message naming --cors', async () => {
    const marker = join(server.scratch, 'origin.txt');
    const body = JSON.stringify({ definition: touchDefinition(marker) });
    for (const origin of ['http://evil.example', 'null', `http://localhost:${server.port + 1}`]) {
      const post = await raw(
        server.url,
        'POST',
        '/api/runs',
        { host: hostOf(server), origin, 'content-type': 'application/json' },
        body,
      );
      expect(post.status, origin).toBe(403);
      expect(post.json().error?.code).toBe('WEFT_API_FORBIDDEN_ORIGIN');
      expect(post.json().error?.message).toContain(`--cors ${origin}`);
      const get = await raw(server.url, 'GET', '/', { host: hostOf(server), origin });
      expect(get.status, origin).toBe(403);
    }
    await expectNothingRan();
  });

  it("the server's own origin and the --cors ones are accepted", async () => {
    for (const origin of [`http://127.0.0.1:${server.port}`, TRUSTED]) {
      const res = await raw(
        server.url,
        'POST',
        '/api/validate',
        { host: hostOf(server), origin, 'content-type': 'application/json' },
        JSON.stringify({ text: 'flow: x\nsteps: []\n' }),
      );
      expect(res.status, origin).toBe(200);
    }
    await expectHealthy(server);
  });
});

describe('Content-Type of state-changing requests', () => {
  const marker = () => join(server.scratch, 'media.txt');

  it.each([
    ['none', undefined],
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
  ])('POST /api/runs with %s is a 415 and starts nothing', async (_name, type) => {
    const res = await raw(
      server.url,
      'POST',
      '/api/runs',
      { host: hostOf(server), ...(type === undefined ? {} : { 'content-type': type }) },
      JSON.stringify({ definition: touchDefinition(marker()) }),
    );
    expect(res.status).toBe(415);
    expect(res.json().error?.code).toBe('WEFT_API_UNSUPPORTED_MEDIA');
    await expectNothingRan();
  });

  it('signal, update, query and cancel need JSON too, even with no body', async () => {
    for (const path of [
      '/api/runs/x/signal/go',
      '/api/runs/x/update/add',
      '/api/runs/x/query/q',
      '/api/runs/x/cancel',
      '/api/validate',
    ]) {
      const res = await raw(server.url, 'POST', path, { host: hostOf(server) });
      expect(res.status, path).toBe(415);
    }
    await expectHealthy(server);
  });

  it('PUT /api/flows takes YAML or JSON, never text/plain, a form or no type', async () => {
    const text = 'flow: typed\nsteps:\n  - activity: sec.echo\n';
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await raw(
        server.url,
        'PUT',
        '/api/flows/typed.flow.yaml',
        { host: hostOf(server), ...(type === undefined ? {} : { 'content-type': type }) },
        text,
      );
      expect(res.status, String(type)).toBe(415);
    }
    expect((await fetch(`${server.url}/api/flows/typed.flow.yaml`)).status).toBe(404);
    const ok = await raw(
      server.url,
      'PUT',
      '/api/flows/typed.flow.yaml',
      { host: hostOf(server), 'content-type': 'application/yaml' },
      text,
    );
    expect(ok.status).toBe(201);
    await expectHealthy(server);
  });
});

describe('Schedules: a page on another origin can neither apply, pause, trigger nor delete one', () => {
  const routes: [string, string][] = [
    ['POST', '/api/schedules/apply'],
    ['POST', '/api/schedules/sec:tick/pause'],
    ['POST', '/api/schedules/sec:tick/unpause'],
    ['POST', '/api/schedules/sec:tick/trigger'],
    ['DELETE', '/api/schedules/sec:tick'],
  ];
  // Node's client sends a DELETE body without a length, which the server cannot frame: none.
  const bodyOf = (method: string) =>
    method === 'POST' ? JSON.stringify({ file: 'echo.flow.yaml' }) : undefined;

  it.each(routes)('%s %s from a foreign Origin is a 403', async (method, path) => {
    const headers = {
      host: hostOf(server),
      origin: 'http://evil.example',
      'content-type': 'application/json',
    };
    const res = await raw(server.url, method, path, headers, bodyOf(method));
    expect(res.status).toBe(403);
    expect(res.json().error?.code).toBe('WEFT_API_FORBIDDEN_ORIGIN');
  });

  it.each(routes)(
    '%s %s with Host: evil.example (DNS rebinding) is a 403',
    async (method, path) => {
      const headers = { host: `evil.example:${server.port}`, 'content-type': 'application/json' };
      const res = await raw(server.url, method, path, headers, bodyOf(method));
      expect(res.status).toBe(403);
      expect(res.json().error?.code).toBe('WEFT_API_FORBIDDEN_HOST');
    },
  );

  it.each(routes)(
    '%s %s as text/plain (a form needs no preflight) is a 415',
    async (method, path) => {
      const headers = { host: hostOf(server), 'content-type': 'text/plain' };
      const res = await raw(server.url, method, path, headers, bodyOf(method));
      expect(res.status).toBe(415);
      expect(res.json().error?.code).toBe('WEFT_API_UNSUPPORTED_MEDIA');
      await expectHealthy(server);
    },
  );
});
