import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { testClient, testServer, uniqueTaskQueue } from '../../helpers';
import { flowsFolder, PLUGIN, quietLogger, rawRequest } from './helpers';

/**
 * Serverless Workflow (OWS) documents in the flows folder (`*.sw.yaml`, `*.sw.yml`,
 * `*.sw.json`) are flow files to the API as they are to the CLI: listed, read, saved, validated
 * and run (converted on load, their OpenAPI documents read beside them), with the same path
 * checks. And the problems of the folder's activities files reach /api/validate and the runs, as
 * they reach `weft validate` and `weft run`.
 */

const GREET = fileURLToPath(new URL('../ows/fixtures/greet.sw.yaml', import.meta.url));

const owsDoc = (name: string, body: string) =>
  `document: { dsl: '1.0.3', namespace: test, name: ${name}, version: '1.0.0' }\n${body}`;

/** Calls `getPet` of the OpenAPI document beside it, and answers with the pet's name. */
const PETS = owsDoc(
  'pets',
  `do:
  - find:
      call: openapi
      with:
        document: { endpoint: ./petstore.json }
        operationId: getPet
        parameters:
          petId: \${ .id }
      output:
        as: .name
`,
);

const petstore = (base: string) =>
  JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'pets', version: '1' },
    servers: [{ url: `${base}/v1` }],
    paths: {
      '/pets/{petId}': {
        get: { operationId: 'getPet', parameters: [{ name: 'petId', in: 'path', required: true }] },
      },
    },
  });

let api: RunningServe;
let dir: string;
let outside: string;
let pets: Server;

interface Diag {
  code: string;
  severity: string;
  message: string;
  line: number;
  file?: string;
}

/** The fields the assertions read from answers (each has some; a file's text is a string). */
interface Body {
  flows: { path: string }[];
  document: { name: string };
  ok: boolean;
  diagnostics: Diag[];
  activities: { name: string; taskQueue?: string }[];
  workflowId: string;
  error: { code: string; details: { diagnostics: Diag[] } };
}

async function call(
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<{ status: number; body: Body; headers: Headers }> {
  const { json, ...rest } = init;
  const res = await fetch(`${api.url}${path}`, {
    ...rest,
    ...(json === undefined
      ? {}
      : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the file's text
  }
  return { status: res.status, body: body as Body, headers: res.headers };
}

const validate = async (text: string, file?: string) =>
  (
    await call('/api/validate', {
      method: 'POST',
      json: file === undefined ? { text } : { text, file },
    })
  ).body as { ok: boolean; diagnostics: Diag[] };

async function runToEnd(file: string, input: unknown): Promise<unknown> {
  const started = await call('/api/runs', { method: 'POST', json: { file, input } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return (await testClient()).workflow.getHandle(started.body.workflowId).result();
}

beforeAll(async () => {
  pets = createServer((req, res) => {
    const id = /^\/v1\/pets\/(\w+)$/.exec(req.url ?? '')?.[1];
    res.writeHead(id ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(id ? { id, name: `pet ${id}` } : { error: 'no such pet' }));
  });
  await new Promise<void>((resolve) => pets.listen(0, '127.0.0.1', resolve));
  const petsUrl = `http://127.0.0.1:${(pets.address() as AddressInfo).port}`;

  ({ dir, outside } = flowsFolder());
  cpSync(GREET, join(dir, 'greet.sw.yaml'));
  mkdirSync(join(dir, 'ows'));
  writeFileSync(join(dir, 'ows', 'pets.sw.yml'), PETS);
  writeFileSync(join(dir, 'ows', 'petstore.json'), petstore(petsUrl));
  writeFileSync(join(dir, 'ows', 'notes.sw.txt'), 'not a flow file name\n');
  // The same document as JSON, the third OWS name.
  writeFileSync(
    join(dir, 'ows', 'set.sw.json'),
    JSON.stringify({
      document: { dsl: '1.0.3', namespace: 'test', name: 'set-json', version: '1.0.0' },
      do: [{ answer: { set: { answer: 42 } } }],
    }),
  );
  // An OpenAPI document outside the folder, which a flow inside must not get read.
  writeFileSync(join(outside, 'petstore.json'), petstore(petsUrl));

  // The folder's own activities file, and a team subfolder whose file redeclares its name.
  writeFileSync(
    join(dir, 'weft.activities.yaml'),
    'taskQueue: root-go\nactivities:\n  fetch_invoice:\n    input: { type: object }\n',
  );
  mkdirSync(join(dir, 'team'));
  writeFileSync(
    join(dir, 'team', 'weft.activities.yaml'),
    'taskQueue: team-go\nactivities:\n  fetch_invoice:\n    input: { type: object }\n  team_only:\n    input: { type: object }\n',
  );
  // A subfolder whose activities file is broken (no task queue anywhere: WEFT072).
  mkdirSync(join(dir, 'broken-decl'));
  writeFileSync(
    join(dir, 'broken-decl', 'weft.activities.yaml'),
    'activities:\n  lost:\n    input: { type: object }\n',
  );
  writeFileSync(
    join(dir, 'broken-decl', 'plain.flow.yaml'),
    'flow: plain\nsteps:\n  - id: hi\n    log: hi\n',
  );

  const taskQueue = uniqueTaskQueue('api-ows');
  api = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    plugins: [PLUGIN],
    taskQueue,
    taskQueues: [taskQueue],
    allowHttp: ['127.0.0.1'],
    logger: quietLogger(),
  });
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => pets?.close(resolve));
});

describe('OWS documents in the flows folder', () => {
  it('GET /api/flows lists *.sw.yaml, *.sw.yml and *.sw.json beside the flow files, nothing else', async () => {
    const res = await call('/api/flows');
    expect(res.status).toBe(200);
    expect(res.body.flows.map((f) => f.path)).toEqual([
      'broken-decl/plain.flow.yaml',
      'broken.flow.yaml',
      'greet.sw.yaml',
      'hello.flow.yaml',
      'nested/gated.flow.yaml',
      'ows/pets.sw.yml',
      'ows/set.sw.json',
    ]);
  });

  it('GET /api/flows/<path> returns the document as it is, with an ETag', async () => {
    const res = await call('/api/flows/greet.sw.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/yaml');
    expect(res.body).toBe(readFileSync(GREET, 'utf8'));
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    const json = await call('/api/flows/ows/set.sw.json');
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.body.document.name).toBe('set-json');
  });

  it('POST /api/validate checks a document as `weft validate` does: converted, positioned in the OWS text', async () => {
    const text = readFileSync(GREET, 'utf8');
    expect(await validate(text, 'greet.sw.yaml')).toEqual({ ok: true, diagnostics: [] });
    // The OpenAPI document is read beside the file the text belongs to.
    expect(await validate(PETS, 'ows/pets.sw.yml')).toEqual({ ok: true, diagnostics: [] });
    const broken = await validate(
      owsDoc('broken', 'do:\n  - pick:\n      set: { a: "${ .. }" }\n'),
      'ows/broken.sw.yaml',
    );
    expect(broken.ok).toBe(false);
    expect(broken.diagnostics.map((d) => [d.code, d.line, d.file])).toEqual([
      ['WEFT081', 4, 'ows/broken.sw.yaml'],
    ]);
  });

  it('reads an OpenAPI document only from inside the folder, and never over the network', async () => {
    const escaped = await validate(
      PETS.replace('./petstore.json', '../../outside/petstore.json'),
      'ows/pets.sw.yml',
    );
    expect(escaped.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'WEFT083',
        'the OpenAPI document ../../outside/petstore.json could not be read: no such file in the flows folder',
      ],
    ]);
    const remote = await validate(
      PETS.replace('./petstore.json', 'http://169.254.169.254/openapi.json'),
      'ows/pets.sw.yml',
    );
    expect(remote.diagnostics[0]?.message).toContain(
      'the API reads OpenAPI documents only from its flows folder, never over the network',
    );
    // Nor a folder the listing hides.
    mkdirSync(join(dir, 'ows', '.cache'));
    cpSync(join(dir, 'ows', 'petstore.json'), join(dir, 'ows', '.cache', 'petstore.json'));
    const hidden = await validate(
      PETS.replace('./petstore.json', './.cache/petstore.json'),
      'ows/pets.sw.yml',
    );
    expect(hidden.diagnostics.map((d) => d.code)).toEqual(['WEFT083']);
  });

  it('POST /api/runs {file} runs a document converted, as `weft run x.sw.yaml` does', async () => {
    expect(await runToEnd('greet.sw.yaml', { name: 'Ann', formal: true })).toBe('Good day, Ann.');
    expect(await runToEnd('ows/set.sw.json', {})).toEqual({ answer: 42 });
  });

  it('POST /api/runs {file} calls the OpenAPI operation of the document beside the file', async () => {
    expect(await runToEnd('ows/pets.sw.yml', { id: 'rex' })).toBe('pet rex');
  });

  it('PUT saves a document as it is, with the same ETag and conflict rules as a flow', async () => {
    const read = await call('/api/flows/greet.sw.yaml');
    const etag = read.headers.get('etag')!;
    const edited = `${read.body}# edited in the YAML pane\n`;
    const saved = await call('/api/flows/greet.sw.yaml', {
      method: 'PUT',
      body: edited,
      headers: { 'content-type': 'text/yaml', 'if-match': etag },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.diagnostics).toEqual([]);
    expect(readFileSync(join(dir, 'greet.sw.yaml'), 'utf8')).toBe(edited);
    const stale = await call('/api/flows/greet.sw.yaml', {
      method: 'PUT',
      body: `${read.body}# another edit\n`,
      headers: { 'content-type': 'text/yaml', 'if-match': etag },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('WEFT_API_CONFLICT');
    const blind = await call('/api/flows/greet.sw.yaml', {
      method: 'PUT',
      body: edited,
      headers: { 'content-type': 'text/yaml' },
    });
    expect(blind.status).toBe(428);
    // A document with errors is refused, as a flow is, unless the designer says allowErrors.
    const invalid = owsDoc('bad', 'do:\n  - pick:\n      set: { a: "${ .. }" }\n');
    const refused = await call('/api/flows/ows/new.sw.yaml', {
      method: 'PUT',
      body: invalid,
      headers: { 'content-type': 'text/yaml' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.diagnostics.map((d) => d.code)).toEqual(['WEFT081']);
    const draft = await call('/api/flows/ows/new.sw.yaml?allowErrors=true', {
      method: 'PUT',
      body: invalid,
      headers: { 'content-type': 'text/yaml' },
    });
    expect(draft.status).toBe(201);
  });

  it.each([
    ['GET', '/api/flows/../x.sw.yaml'],
    ['GET', '/api/flows/..%2Fx.sw.yaml'],
    ['GET', '/api/flows/ows/notes.sw.txt'],
    ['GET', '/api/flows/ows/petstore.json'],
    ['GET', '/api/flows/ows/x.sw.yaml.bak'],
    ['PUT', '/api/flows/../x.sw.yaml'],
    ['PUT', '/api/flows/%2Ftmp%2Fx.sw.yaml'],
    ['PUT', '/api/flows/out/x.sw.yaml'],
    ['PUT', '/api/flows/ows/petstore.json'],
  ])(
    '%s %s is refused with 400, like any path that is not a flow file inside the folder',
    async (method, path) => {
      const body =
        method === 'PUT' ? owsDoc('planted', 'do:\n  - a: { set: { a: 1 } }\n') : undefined;
      const res = await rawRequest(api.url, method, path, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body).error.code).toBe('WEFT_API_BAD_PATH');
      expect(readFileSync(join(dir, 'ows', 'petstore.json'), 'utf8')).toContain('getPet');
    },
  );

  it('POST /api/runs {file} refuses a hostile path to an OWS name', async () => {
    const res = await call('/api/runs', { method: 'POST', json: { file: '../x.sw.yaml' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('WEFT_API_BAD_PATH');
  });
});

describe('activities-file problems over the API', () => {
  const usesTeamOnly = 'flow: t\nsteps:\n  - activity: team_only\n    input: {}\n';

  it("a subfolder's file that redeclares a name of the root's file is WEFT074 there, and the root's declaration is used", async () => {
    const res = await validate(usesTeamOnly, 'team/draft.flow.yaml');
    expect(res.ok).toBe(false);
    expect(res.diagnostics).toEqual([
      expect.objectContaining({
        code: 'WEFT074',
        severity: 'error',
        file: 'team/weft.activities.yaml',
        line: 3,
        message:
          'external activity "fetch_invoice" is declared in weft.activities.yaml already: rename one of them (that declaration is used)',
      }),
    ]);
    // The file's other declarations still count: team_only is known, not WEFT023.
    const { activities } = (await call('/api/activities')).body;
    expect(activities.find((a) => a.name === 'fetch_invoice')?.taskQueue).toBe('root-go');
  });

  it("reports a broken subfolder file's problems for its flows, and refuses to run them, as `weft run` does", async () => {
    const text = readFileSync(join(dir, 'broken-decl', 'plain.flow.yaml'), 'utf8');
    const res = await validate(text, 'broken-decl/plain.flow.yaml');
    expect(res.ok).toBe(false);
    expect(res.diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['WEFT072', 'broken-decl/weft.activities.yaml'],
    ]);
    // A flow elsewhere does not get that file's problems.
    expect(await validate(text, 'plain.flow.yaml')).toEqual({ ok: true, diagnostics: [] });
    const run = await call('/api/runs', {
      method: 'POST',
      json: { file: 'broken-decl/plain.flow.yaml' },
    });
    expect(run.status).toBe(400);
    expect(run.body.error.details.diagnostics.map((d) => d.code)).toEqual(['WEFT072']);
  });

  it('saves a flow beside a broken activities file, and says why it cannot run yet', async () => {
    const read = await call('/api/flows/broken-decl/plain.flow.yaml');
    const saved = await call('/api/flows/broken-decl/plain.flow.yaml', {
      method: 'PUT',
      body: `${read.body}# edited\n`,
      headers: { 'content-type': 'text/yaml', 'if-match': read.headers.get('etag')! },
    });
    expect(saved.status).toBe(200);
    expect(saved.body.diagnostics.map((d) => d.code)).toEqual(['WEFT072']);
  });

  it("reports the folder's own file's problems too (they used to reach only the server log)", async () => {
    const file = join(dir, 'weft.activities.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}  no_input: {}\n`);
    try {
      const res = await validate('flow: t\nsteps:\n  - id: hi\n    log: hi\n');
      expect(res.diagnostics.map((d) => [d.code, d.file])).toEqual([
        ['WEFT071', 'weft.activities.yaml'],
      ]);
    } finally {
      writeFileSync(file, before);
    }
  });
});
