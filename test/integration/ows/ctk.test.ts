import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { type FlowOutcome, flowOutcome, startFlow } from '../../../interpreter/client';
import { formatDiagnostic } from '../../../interpreter/dsl';
import { compileOwsText, readOpenApiDocuments } from '../../../interpreter/ows/node';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { parseFeature, type Scenario } from './gherkin';

/**
 * The Serverless Workflow conformance kit (CTK): every scenario of its `features/` folder runs
 * its own document with its own input, converted on load as `weft run` does, on the real dev
 * server, and is checked against the expectations written in the scenario. The pet store and
 * httpbin the scenarios call are a loopback stand-in (below), reached by rewriting their
 * origins (`WEFT_OWS_ENDPOINTS` for users; an option here).
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KIT = resolve(ROOT, process.env.WEFT_OWS_CTK ?? '../shared/ows-ctk/features');

/** Scenarios that pass today; a scenario dropping out of this list is a regression. */
const EXPECTED_PASSING = [
  'Fork Task With Competing Concurrent Sub Tasks',
  'Call HTTP With Content Output',
  'Call HTTP With Response Output',
  'Call HTTP Using Basic Authentication',
  'Call OpenAPI With Content Output',
  'Call OpenAPI With Response Output',
  'Input Filtering',
  'Output Filtering',
  'Use Non-object Output',
  'Task With Sequential Sub Tasks',
  'Emit Task',
  'Implicit Sequence Flow',
  'Explicit Sequence Flow',
  'For Task',
  'Raise task with inline error',
  'Set Task',
  'Switch task with matching case',
  'Switch task with implicit default case',
  'Switch task with explicit default case',
  'Try Handle Caught Error',
  'Try Raise Uncaught Error',
];

/** Scenarios that do not pass yet, with the reason. */
const EXPECTED_FAILING: Record<string, string> = {};

// ---- the stand-in for petstore.swagger.io and httpbin.org ----------------------------------------

const PETS = [
  { id: 1, name: 'Milou', status: 'available', photoUrls: [] },
  { id: 2, name: 'Rantanplan', status: 'available', photoUrls: [] },
  { id: 3, name: 'Idefix', status: 'sold', photoUrls: [] },
];

/** A Swagger 2.0 description of the two pet store operations the kit calls by operationId. */
const SWAGGER = {
  swagger: '2.0',
  info: { title: 'Pet store stand-in', version: '1.0.0' },
  host: 'petstore.swagger.io',
  basePath: '/v2',
  schemes: ['https', 'http'],
  paths: {
    '/pet/findByStatus': {
      get: {
        operationId: 'findPetsByStatus',
        parameters: [{ name: 'status', in: 'query', required: true, type: 'array' }],
        responses: { '200': { description: 'the pets' } },
      },
    },
    '/pet/{petId}': {
      get: {
        operationId: 'getPetById',
        parameters: [{ name: 'petId', in: 'path', required: true, type: 'integer' }],
        responses: { '200': { description: 'the pet' } },
      },
    },
  },
};

function standIn(req: IncomingMessage, res: ServerResponse): undefined {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const json = (status: number, body: unknown): undefined => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/v2/swagger.json') return json(200, SWAGGER);
  if (url.pathname === '/v2/pet/findByStatus') {
    const wanted = url.searchParams.getAll('status');
    return json(
      200,
      PETS.filter((p) => wanted.includes(p.status)),
    );
  }
  const pet = /^\/v2\/pet\/(\d+)$/.exec(url.pathname);
  if (pet) {
    const found = PETS.find((p) => p.id === Number(pet[1]));
    return found
      ? json(200, found)
      : json(404, { code: 1, type: 'error', message: 'Pet not found' });
  }
  if (url.pathname.startsWith('/v2/pet/')) {
    return json(404, { code: 404, type: 'unknown', message: 'java.lang.NumberFormatException' });
  }
  const auth = /^\/basic-auth\/([^/]+)\/([^/]+)$/.exec(url.pathname);
  if (auth) {
    const expected = `Basic ${Buffer.from(`${auth[1]}:${auth[2]}`).toString('base64')}`;
    if (req.headers.authorization === expected) {
      return json(200, { authenticated: true, user: auth[1] });
    }
    res.writeHead(401, { 'www-authenticate': 'Basic realm="Fake Realm"' });
    res.end();
    return;
  }
  return json(404, { message: `no route ${url.pathname}` });
}

// ---- running a scenario ------------------------------------------------------------------------

let server: Server;
let endpoints: Record<string, string> = {};
let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('ows-ctk');
const results = new Map<string, string[]>();

function at(value: unknown, path: string): { found: boolean; value?: unknown } {
  let v: unknown = value;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !(key in v)) return { found: false };
    v = (v as Record<string, unknown>)[key];
  }
  return { found: true, value: v };
}

const quoted = (text: string) => [...text.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);

/** Runs one scenario; returns the expectations it missed (empty when it passes). */
async function runScenario(s: Scenario): Promise<string[]> {
  let definition: string | undefined;
  let input: unknown;
  let outcome: FlowOutcome | undefined;
  let trace: string[] = [];
  const missed: string[] = [];
  const need = (): FlowOutcome => {
    if (!outcome) throw new Error('the scenario checks a result before "the workflow is executed"');
    return outcome;
  };
  for (const step of s.steps) {
    const t = step.text;
    if (/^a workflow with definition:$/.test(t)) definition = step.docString;
    else if (/^given the workflow input is:$/.test(t)) input = parse(step.docString ?? '');
    else if (t === 'the workflow is executed') {
      if (!definition) throw new Error('no workflow definition');
      await readOpenApiDocuments(definition, ROOT, endpoints);
      const file = `${s.file}:${s.line}.sw.yaml`;
      const { compiled, diagnostics } = compileOwsText(definition, file, {
        endpoints,
        trace: true,
        manifest: registry.manifest(),
      });
      if (!compiled) {
        return [`does not convert:\n${diagnostics.map((d) => formatDiagnostic(d)).join('\n')}`];
      }
      const client = await testClient();
      const { handle } = await startFlow(client, compiled, input, {
        taskQueue,
        workflowId: uniqueWorkflowId(compiled.flow),
      });
      outcome = await flowOutcome(handle);
      trace = (await handle.query<string[]>('owsTrace')) ?? [];
    } else if (t === 'the workflow should complete') {
      if (need().status !== 'completed')
        missed.push(`did not complete: ${JSON.stringify(outcome)}`);
    } else if (t === 'the workflow should complete with output:') {
      const o = need();
      const expected = parse(step.docString ?? '');
      if (o.status !== 'completed' || !isDeepStrictEqual(o.output, expected)) {
        missed.push(`output ${JSON.stringify(o)} is not ${JSON.stringify(expected)}`);
      }
    } else if (/^the workflow should fault( with error:)?$/.test(t)) {
      const o = need();
      if (o.status !== 'failed') missed.push(`did not fault: ${JSON.stringify(o)}`);
      else if (step.docString !== undefined) {
        const expected = parse(step.docString) as Record<string, unknown>;
        const details = (o.error.details ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(expected)) {
          if (!isDeepStrictEqual(details[k], v)) {
            missed.push(`error ${k} is ${JSON.stringify(details[k])}, not ${JSON.stringify(v)}`);
          }
        }
      }
    } else if (/^the workflow output should have propert(y|ies) /.test(t)) {
      const o = need();
      const output = o.status === 'completed' ? o.output : undefined;
      for (const p of quoted(t)) {
        if (!at(output, p).found) missed.push(`output has no "${p}": ${JSON.stringify(output)}`);
      }
    } else if (/^the workflow output should have a '[^']+' property with value:$/.test(t)) {
      const o = need();
      const [p] = quoted(t) as [string];
      const got = at(o.status === 'completed' ? o.output : undefined, p);
      const expected = parse(step.docString ?? '');
      if (!got.found || !isDeepStrictEqual(got.value, expected)) {
        missed.push(
          `output "${p}" is ${JSON.stringify(got.value)}, not ${JSON.stringify(expected)}`,
        );
      }
    } else if (
      /^the workflow output should have a '[^']+' property containing \d+ items?$/.test(t)
    ) {
      const o = need();
      const [p] = quoted(t) as [string];
      const n = Number(/(\d+) items?$/.exec(t)?.[1]);
      const got = at(o.status === 'completed' ? o.output : undefined, p);
      if (!Array.isArray(got.value) || got.value.length !== n) {
        missed.push(`output "${p}" is ${JSON.stringify(got.value)}, not ${n} items`);
      }
    } else if (/^(\S+) should run (first|last)$/.test(t)) {
      const [, task, where] = /^(\S+) should run (first|last)$/.exec(t) as unknown as [
        string,
        string,
        string,
      ];
      const actual = where === 'first' ? trace[0] : trace[trace.length - 1];
      if (actual !== task) missed.push(`${task} did not run ${where}: ran ${trace.join(', ')}`);
    } else if (/^(\S+) should run after (\S+)$/.test(t)) {
      const [, task, before] = /^(\S+) should run after (\S+)$/.exec(t) as unknown as [
        string,
        string,
        string,
      ];
      const i = trace.indexOf(before);
      if (i < 0 || trace[i + 1] !== task) {
        missed.push(`${task} did not run right after ${before}: ran ${trace.join(', ')}`);
      }
    } else {
      missed.push(
        `the runner does not know the step "${step.keyword} ${t}" (${s.file}:${step.line})`,
      );
    }
  }
  return missed;
}

// ---- the suite ---------------------------------------------------------------------------------

const kitFound = existsSync(KIT);
if (!kitFound) {
  console.warn(
    `CTK skipped: ${KIT} is missing. Point WEFT_OWS_CTK at a copy of the \`ctk/features\` folder of the serverlessworkflow/specification repository.`,
  );
}

const scenarios: Scenario[] = kitFound
  ? readdirSync(KIT)
      .filter((f) => f.endsWith('.feature'))
      .sort()
      .flatMap((f) => parseFeature(readFileSync(join(KIT, f), 'utf8'), f))
  : [];

describe.skipIf(!kitFound)('Serverless Workflow conformance kit (CTK)', () => {
  beforeAll(async () => {
    server = createServer(standIn);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    endpoints = { 'https://petstore.swagger.io': base, 'https://httpbin.org': base };
    registry = await loadPlugins([], ROOT, { allowHttp: ['127.0.0.1'] });
    workers = await runTestWorkers(registry, [taskQueue]);
  });

  afterAll(async () => {
    await workers?.shutdown();
    await registry?.close();
    server?.closeAllConnections();
    server?.close();
    const passing = [...results].filter(([, m]) => m.length === 0).map(([n]) => n);
    console.log(`CTK: ${passing.length} of ${scenarios.length} pass`);
    for (const [name, missed] of results) {
      if (missed.length > 0) console.log(`  ✗ ${name}: ${missed.join('; ')}`);
    }
  });

  it('reads every scenario of the kit, each listed as passing or failing with its reason', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const listed = [...EXPECTED_PASSING, ...Object.keys(EXPECTED_FAILING)].sort();
    expect(scenarios.map((s) => s.name).sort()).toEqual(listed);
  });

  for (const s of scenarios) {
    it(`${s.feature}: ${s.name}`, async () => {
      const missed = await runScenario(s);
      results.set(s.name, missed);
      if (EXPECTED_PASSING.includes(s.name)) expect(missed).toEqual([]);
    });
  }
});
