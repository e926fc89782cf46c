import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { testClient, testServer, uniqueTaskQueue } from '../../helpers';
import {
  flowsFolder,
  HELLO_DEFINITION,
  PLUGIN,
  quietLogger,
  rawRequest,
  UPDATES_DEFINITION,
} from './helpers';

let api: RunningServe;
let locked: RunningServe;
let dir: string;
let outside: string;
const TOKEN = 'correct-horse-battery-staple';

/** The fields the assertions read from JSON answers (each answer has some of them). */
interface Body {
  error: {
    code: string;
    message: string;
    details: { diagnostics: { code: string; line: number }[]; etag: string };
  };
  ok: boolean;
  activities: { name: string; input: { required: string[] } }[];
  properties: { steps: unknown };
  flows: { path: string }[];
  created: boolean;
  etag: string;
  diagnostics: { code: string }[];
  runs: { workflowId: string }[];
  workflowId: string;
  runId: string;
  status: string;
  progress: { status: string; flow: string; steps: { id: string }[] };
  searchAttributes: Record<string, unknown>;
  events: { eventType: string }[];
  result: unknown;
}

async function call(
  path: string,
  init: RequestInit & { json?: unknown } = {},
  base = api.url,
): Promise<{ status: number; body: Body; headers: Headers }> {
  const { json, ...rest } = init;
  const res = await fetch(`${base}${path}`, {
    ...rest,
    ...(json === undefined
      ? {}
      : {
          body: JSON.stringify(json),
          headers: { 'content-type': 'application/json', ...rest.headers },
        }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as Body, headers: res.headers };
}

/** Every error answer is `{error: {code, message}}` and never carries a stack trace. */
function expectError(res: { status: number; body: Body }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

beforeAll(async () => {
  ({ dir, outside } = flowsFolder());
  const taskQueue = uniqueTaskQueue('api');
  api = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    plugins: [PLUGIN, TEST_ACTIVITIES],
    taskQueue,
    taskQueues: [taskQueue],
    bodyLimit: 64 * 1024,
    logger: quietLogger(),
  });
  locked = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    plugins: [PLUGIN, TEST_ACTIVITIES],
    worker: false,
    token: TOKEN,
    corsOrigins: ['http://allowed.example'],
    logger: quietLogger(),
  });
});

afterAll(async () => {
  await locked?.close();
  await api?.close();
});

describe('read-only routes', () => {
  it('GET /api/health names the Temporal server', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      temporal: { address: testServer().address, namespace: testServer().namespace },
      eventStreams: 0,
      abandonedActivities: { total: 0, byActivity: {} },
    });
  });

  it("GET /api/activities lists the plugin's activities and the built-ins", async () => {
    const res = await call('/api/activities');
    expect(res.status).toBe(200);
    const names = (res.body.activities as { name: string }[]).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['greet.hello', 'greet.shout', 'test.echo']));
    const hello = res.body.activities.find((a) => a.name === 'greet.hello');
    expect(hello?.input.required).toEqual(['name']);
  });

  it('GET /api/schema is the flow JSON Schema', async () => {
    const res = await call('/api/schema');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/schema\+json/);
    expect(res.body.properties.steps).toBeDefined();
  });

  it('GET / serves a page (the designer, or the placeholder)', async () => {
    const res = await fetch(`${api.url}/?flow=hello.flow.yaml`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('unknown /api routes are JSON 404s', async () => {
    expectError(await call('/api/nope'), 404, 'WEFT_API_NOT_FOUND');
  });
});

describe('flow files', () => {
  it('GET /api/flows lists flow files recursively, not symlinks that lead out', async () => {
    const res = await call('/api/flows');
    expect(res.status).toBe(200);
    const paths = (res.body.flows as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(['broken.flow.yaml', 'hello.flow.yaml', 'nested/gated.flow.yaml']);
  });

  it('GET /api/flows/<path> returns the text with an ETag, and 304 when unchanged', async () => {
    const res = await call('/api/flows/nested/gated.flow.yaml');
    expect(res.status).toBe(200);
    expect(res.body).toBe(readFileSync(join(dir, 'nested/gated.flow.yaml'), 'utf8'));
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${api.url}/api/flows/nested/gated.flow.yaml`, {
      headers: { 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expectError(await call('/api/flows/missing.flow.yaml'), 404, 'WEFT_API_NOT_FOUND');
  });

  it.each([
    ['GET', '/api/flows/..%2F..%2Fetc%2Fpasswd'],
    ['GET', '/api/flows/..%2Foutside%2Fsecret.flow.yaml'],
    ['GET', '/api/flows/%2Fetc%2Fpasswd'],
    ['GET', '/api/flows/../outside/secret.flow.yaml'],
    ['GET', '/api/flows/nested/%2e%2e/%2e%2e/outside/secret.flow.yaml'],
    ['GET', '/api/flows/escape.flow.yaml'],
    ['GET', '/api/flows/out/secret.flow.yaml'],
    ['GET', '/api/flows/package.json'],
    ['PUT', '/api/flows/..%2Fplanted.flow.yaml'],
    ['PUT', '/api/flows/../planted.flow.yaml'],
    ['PUT', '/api/flows/%2Ftmp%2Fplanted.flow.yaml'],
    ['PUT', '/api/flows/out/planted.flow.yaml'],
    ['PUT', '/api/flows/escape.flow.yaml'],
  ])('%s %s is refused with 400', async (method, path) => {
    const body = method === 'PUT' ? 'flow: planted\nsteps: []\n' : undefined;
    const res = await rawRequest(api.url, method, path, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('WEFT_API_BAD_PATH');
    expect(readdirSync(outside)).toEqual(['secret.flow.yaml']);
    expect(readFileSync(join(outside, 'secret.flow.yaml'), 'utf8')).toBe(
      'flow: secret\nsteps: []\n',
    );
    expect(existsSync(join(dir, '..', 'planted.flow.yaml'))).toBe(false);
  });

  it('PUT creates a file atomically and returns its ETag', async () => {
    const text = '# a new flow\nflow: made-here\nsteps:\n  - activity: test.echo\n';
    const res = await call('/api/flows/new/made.flow.yaml', {
      method: 'PUT',
      body: text,
      headers: { 'content-type': 'text/yaml' },
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(true);
    expect(res.headers.get('etag')).toBe(res.body.etag);
    expect(readFileSync(join(dir, 'new/made.flow.yaml'), 'utf8')).toBe(text);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'new'))).toEqual(['made.flow.yaml']);
  });

  it('PUT with the ETag it read overwrites; with a stale one it is a 409', async () => {
    const path = '/api/flows/hello.flow.yaml';
    const read = await call(path);
    const etag = read.headers.get('etag')!;
    const edited = `${read.body}# edited in the designer\n`;
    const ok = await call(path, {
      method: 'PUT',
      json: { text: edited },
      headers: { 'if-match': etag },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.created).toBe(false);
    expect(readFileSync(join(dir, 'hello.flow.yaml'), 'utf8')).toBe(edited);
    // A second save from the same stale read must not clobber the first.
    const stale = await call(path, {
      method: 'PUT',
      json: { text: `${read.body}# other edit\n` },
      headers: { 'if-match': etag },
    });
    expectError(stale, 409, 'WEFT_API_CONFLICT');
    expect(stale.body.error.details.etag).toBe(ok.body.etag);
    expect(readFileSync(join(dir, 'hello.flow.yaml'), 'utf8')).toBe(edited);
  });

  it('PUT refuses an invalid flow with its diagnostics and writes nothing', async () => {
    const before = readFileSync(join(dir, 'hello.flow.yaml'), 'utf8');
    const res = await call('/api/flows/hello.flow.yaml', {
      method: 'PUT',
      body: 'flow: api-hello\nsteps:\n  - activity: no.such.thing\n',
      headers: { 'content-type': 'text/yaml' },
    });
    expectError(res, 400, 'WEFT_API_INVALID_FLOW');
    const codes = res.body.error.details.diagnostics.map((d: { code: string }) => d.code);
    expect(codes).toContain('WEFT023');
    expect(res.body.error.details.diagnostics[0]).toMatchObject({ line: 3 });
    expect(readFileSync(join(dir, 'hello.flow.yaml'), 'utf8')).toBe(before);
  });
});

describe('validate and request hygiene', () => {
  it('POST /api/validate returns diagnostics with positions', async () => {
    const good = await call('/api/validate', { method: 'POST', json: { text: HELLO_DEFINITION } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ ok: true, diagnostics: [] });
    const bad = await call('/api/validate', {
      method: 'POST',
      json: { text: readFileSync(join(dir, 'broken.flow.yaml'), 'utf8'), file: 'broken.flow.yaml' },
    });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.diagnostics[0]).toMatchObject({ code: 'WEFT023', severity: 'error', line: 4 });
  });

  it('refuses malformed bodies with clear 4xx JSON errors', async () => {
    expectError(
      await call('/api/validate', {
        method: 'POST',
        body: '{"text": ',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'WEFT_API_BAD_REQUEST',
    );
    expectError(
      await call('/api/validate', { method: 'POST', json: {} }),
      400,
      'WEFT_API_BAD_REQUEST',
    );
    expectError(
      await call('/api/validate', { method: 'POST', json: { text: 1 } }),
      400,
      'WEFT_API_BAD_REQUEST',
    );
    expectError(
      await call('/api/validate', { method: 'POST', json: { text: 'x', extra: true } }),
      400,
      'WEFT_API_BAD_REQUEST',
    );
    expectError(
      await call('/api/validate', {
        method: 'POST',
        body: 'text',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'WEFT_API_UNSUPPORTED_MEDIA',
    );
  });

  it('refuses oversized bodies with 413, with or without Content-Length', async () => {
    const big = 'x'.repeat(100 * 1024);
    expectError(
      await call('/api/validate', { method: 'POST', json: { text: big } }),
      413,
      'WEFT_API_TOO_LARGE',
    );
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++)
          controller.enqueue(new TextEncoder().encode(big.slice(0, 10 * 1024)));
        controller.close();
      },
    });
    const res = await fetch(`${api.url}/api/flows/big.flow.yaml`, {
      method: 'PUT',
      body: chunked,
      headers: { 'content-type': 'text/yaml' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(existsSync(join(dir, 'big.flow.yaml'))).toBe(false);
  });
});

describe('bearer token', () => {
  it('every /api route needs the token; a wrong or missing one is a 401', async () => {
    for (const path of ['/api/health', '/api/activities', '/api/flows', '/api/runs']) {
      const missing = await call(path, {}, locked.url);
      expectError(missing, 401, 'WEFT_API_UNAUTHORIZED');
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await call(
        path,
        { headers: { authorization: `Bearer ${TOKEN}x` } },
        locked.url,
      );
      expectError(wrong, 401, 'WEFT_API_UNAUTHORIZED');
    }
    const basic = await call(
      '/api/health',
      { headers: { authorization: `Basic ${TOKEN}` } },
      locked.url,
    );
    expectError(basic, 401, 'WEFT_API_UNAUTHORIZED');
    const ok = await call(
      '/api/health',
      { headers: { authorization: `Bearer ${TOKEN}` } },
      locked.url,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
  });

  it('CORS, when enabled, allows only the listed origins, and preflight needs no token', async () => {
    const preflight = await fetch(`${locked.url}/api/runs`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://allowed.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    const other = await fetch(`${locked.url}/api/health`, {
      headers: { origin: 'http://evil.example', authorization: `Bearer ${TOKEN}` },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS is off by default: no Access-Control headers', async () => {
    const res = await fetch(`${api.url}/api/health`, {
      headers: { origin: 'http://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('runs', () => {
  it('POST /api/runs {file} starts a flow; GET shows it finished, in the list and its history', async () => {
    const res = await call('/api/runs', {
      method: 'POST',
      json: { file: 'nested/../hello.flow.yaml'.replace('nested/../', ''), input: { name: 'ada' } },
    });
    expect(res.status).toBe(201);
    const { workflowId, runId } = res.body;
    expect(typeof workflowId).toBe('string');
    const client = await testClient();
    expect(await client.workflow.getHandle(workflowId).result()).toBe('HELLO ADA');

    const described = await call(`/api/runs/${encodeURIComponent(workflowId)}`);
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({
      workflowId,
      runId,
      flow: 'api-hello',
      status: 'completed',
      output: 'HELLO ADA',
      pendingActivities: [],
    });
    expect(described.body.progress.status).toBe('completed');
    expect(described.body.progress.steps.map((s: { id: string }) => s.id)).toEqual([
      'hello',
      'shout',
    ]);
    expect(described.body.searchAttributes.WeftFlow).toBe('api-hello');

    await vi.waitFor(
      async () => {
        const list = await call('/api/runs?flow=api-hello&status=completed');
        expect(list.status).toBe(200);
        expect(list.body.runs.map((r: { workflowId: string }) => r.workflowId)).toContain(
          workflowId,
        );
      },
      { timeout: 30_000, interval: 250 },
    );

    const history = await call(`/api/runs/${encodeURIComponent(workflowId)}/history`);
    expect(history.status).toBe(200);
    expect(history.body.events[0]?.eventType).toMatch(
      /WORKFLOW_EXECUTION_STARTED|WorkflowExecutionStarted/,
    );
    expect(history.body.events.length).toBe(6 * 2 + 5);
  });

  it('POST /api/runs {definition} starts flow text', async () => {
    const res = await call('/api/runs', {
      method: 'POST',
      json: {
        definition: HELLO_DEFINITION,
        input: { who: 'grace' },
        workflowId: `inline-${Date.now()}`,
      },
    });
    expect(res.status).toBe(201);
    const client = await testClient();
    expect(await client.workflow.getHandle(res.body.workflowId).result()).toBe('hello grace');
  });

  it('refuses invalid flows, invalid input and bad requests', async () => {
    const broken = await call('/api/runs', { method: 'POST', json: { file: 'broken.flow.yaml' } });
    expectError(broken, 400, 'WEFT_API_INVALID_FLOW');
    expect(broken.body.error.details.diagnostics[0]?.code).toBe('WEFT023');
    const invalidText = await call('/api/runs', {
      method: 'POST',
      json: { definition: 'flow: [' },
    });
    expectError(invalidText, 400, 'WEFT_API_INVALID_FLOW');
    const noInput = await call('/api/runs', {
      method: 'POST',
      json: { file: 'hello.flow.yaml', input: {} },
    });
    expectError(noInput, 400, 'WEFT_API_BAD_REQUEST');
    const both = await call('/api/runs', {
      method: 'POST',
      json: { file: 'hello.flow.yaml', definition: HELLO_DEFINITION },
    });
    expectError(both, 400, 'WEFT_API_BAD_REQUEST');
    const outsideFile = await call('/api/runs', {
      method: 'POST',
      json: { file: '../outside/secret.flow.yaml' },
    });
    expectError(outsideFile, 400, 'WEFT_API_BAD_PATH');
    expectError(
      await call('/api/runs', { method: 'POST', json: { file: 'gone.flow.yaml' } }),
      404,
      'WEFT_API_NOT_FOUND',
    );
    expectError(await call('/api/runs?status=sleeping'), 400, 'WEFT_API_BAD_REQUEST');
    expectError(await call('/api/runs?limit=0'), 400, 'WEFT_API_BAD_REQUEST');
    expectError(await call('/api/runs/no-such-run-anywhere'), 404, 'WEFT_API_NOT_FOUND');
    expectError(await call('/api/runs/no-such-run-anywhere/history'), 404, 'WEFT_API_NOT_FOUND');
  });

  it('signal, update, query and cancel act on a run', async () => {
    const started = await call('/api/runs', {
      method: 'POST',
      json: { definition: UPDATES_DEFINITION },
    });
    expect(started.status).toBe(201);
    const id = encodeURIComponent(started.body.workflowId);

    const added = await call(`/api/runs/${id}/update/add`, { method: 'POST', json: { qty: 2 } });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ result: 1 });
    const rejected = await call(`/api/runs/${id}/update/add`, { method: 'POST', json: { qty: 0 } });
    expectError(rejected, 422, 'WEFT_API_REJECTED');
    const count = await call(`/api/runs/${id}/query/count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(count.body).toEqual({ result: 1 });
    const progress = await call(`/api/runs/${id}/query/weft.progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(progress.body.result).toMatchObject({ status: 'running' });
    const live = await call(`/api/runs/${id}`);
    expect(live.body.status).toBe('running');
    expect(live.body.progress.flow).toBe('api-updates');

    const signalled = await call(`/api/runs/${id}/signal/done`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(signalled.status).toBe(202);
    const client = await testClient();
    expect(await client.workflow.getHandle(started.body.workflowId).result()).toEqual([{ qty: 2 }]);

    const gated = await call('/api/runs', {
      method: 'POST',
      json: { file: 'nested/gated.flow.yaml' },
    });
    const gid = encodeURIComponent(gated.body.workflowId);
    expect(
      (
        await call(`/api/runs/${gid}/cancel`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(202);
    await vi.waitFor(
      async () => {
        const res = await call(`/api/runs/${gid}`);
        expect(res.body.status).toBe('cancelled');
      },
      { timeout: 30_000, interval: 250 },
    );
  });
});
