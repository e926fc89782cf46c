import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../interpreter/temporal';
import { uniqueTaskQueue } from '../../helpers';
import { flowsFolder, PLUGIN } from './helpers';
import { readSse } from './sse';

const BIN = fileURLToPath(new URL('../../../bin/weft.mjs', import.meta.url));

let child: ChildProcess;
let url: string;
let exited: Promise<number | null>;
let metrics: string;
let collector: Server;
/** Span names the fake OTLP collector received. */
const spans: string[] = [];

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON on /v1/traces. */
function startCollector(): Promise<string> {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as {
          resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
        };
        for (const r of parsed.resourceSpans)
          for (const s of r.scopeSpans) for (const span of s.spans) spans.push(span.name);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) => {
    collector.listen(0, '127.0.0.1', () => {
      const address = collector.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

/**
 * The acceptance check, as an outsider runs it: `weft serve` as a process (it finds the test
 * server through TEMPORAL_ADDRESS, set by global setup), spoken to over HTTP.
 */
beforeAll(async () => {
  const { dir } = flowsFolder();
  metrics = `127.0.0.1:${await freePort()}`;
  const otlp = await startCollector();
  child = spawn(
    process.execPath,
    // Its own task queue: other test files' workers poll the default one, and a workflow task
    // taken by them would count this run's metrics in their process.
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--flows',
      dir,
      '--plugins',
      PLUGIN,
      '--metrics',
      metrics,
      '--task-queue',
      uniqueTaskQueue('serve-cli'),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WEFT_LOG_LEVEL: 'ERROR', OTEL_EXPORTER_OTLP_ENDPOINT: otlp },
    },
  );
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /weft serve: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`weft serve exited ${code}: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await exited;
  collector?.close();
});

describe('weft serve (process)', () => {
  it('answers health and lists the plugin activities', async () => {
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    const activities = (await (await fetch(`${url}/api/activities`)).json()) as {
      activities: { name: string }[];
    };
    expect(activities.activities.map((a) => a.name)).toEqual(
      expect.arrayContaining(['greet.hello', 'greet.shout']),
    );
  });

  it('starts a flow from a file and streams it to completion', async () => {
    const res = await fetch(`${url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ file: 'hello.flow.yaml', input: { name: 'bo' } }),
    });
    expect(res.status).toBe(201);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const read = await readSse(`${url}/api/runs/${encodeURIComponent(workflowId)}/events`);
    const completed = read.events
      .filter((e) => e.event === 'step' && (e.data as { status: string }).status === 'completed')
      .map((e) => (e.data as { stepId: string }).stepId);
    expect(completed).toEqual(['hello', 'shout']);
    expect(read.events.at(-1)).toMatchObject({
      event: 'run',
      data: { status: 'completed', output: 'HELLO BO' },
    });
  });

  it('exports worker and Weft metrics for Prometheus on --metrics', async () => {
    // Workflow metrics reach the exporter after the activation that records them is processed,
    // which can trail the run's completion event on a busy machine: scrape until they show up.
    let text = '';
    for (let i = 0; i < 40; i++) {
      text = await (await fetch(`http://${metrics}/metrics`)).text();
      if (/^weft_flows_completed_total\{/m.test(text)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toMatch(/^temporal_worker_start/m);
    expect(text).toMatch(/^weft_flows_started_total\{[^}]*flow="api-hello"[^}]*\} 1$/m);
    expect(text).toMatch(/^weft_flows_completed_total\{[^}]*flow="api-hello"[^}]*\} 1$/m);
    expect(text).toMatch(/^weft_step_duration_seconds_bucket\{[^}]*le="0.005"/m);
    expect(text).toMatch(
      /^weft_step_duration_seconds_count\{[^}]*activity="greet.hello"[^}]*\} 1$/m,
    );
  });

  it('sends OpenTelemetry spans to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    await vi.waitFor(
      () => {
        expect(spans).toEqual(
          expect.arrayContaining(['StartWorkflow:api-hello', 'RunActivity:greet.hello']),
        );
      },
      { timeout: 20_000, interval: 200 },
    );
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a public bind without a token (exit 2)', async () => {
    const refused = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    refused.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => refused.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--token/);
  });
});
