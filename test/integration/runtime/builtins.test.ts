import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { flowOutcome, startFlow } from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue } from '../../helpers';

const FLOW = new URL('./fixtures/http.flow.yaml', import.meta.url).pathname;
const FORBIDDEN = new URL('./fixtures/http-forbidden.flow.yaml', import.meta.url).pathname;

// A local server: /stream sends three events and breaks the connection on the first request;
// /missing answers 404. It records what each request carried, and how often /missing was asked.
let server: Server;
let base = '';
const streamRequests: (string | null)[] = [];
let missingRequests = 0;

let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('builtins');
// A worker as `weft worker` starts it without --allow-http.
let strictRegistry: Registry;
let strictWorkers: WorkerGroup;
const strictQueue = uniqueTaskQueue('builtins-strict');

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/missing') {
      missingRequests++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"no such thing"}');
      return;
    }
    const last = req.headers['last-event-id'];
    streamRequests.push(typeof last === 'string' ? last : null);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const from = last ? Number(last) + 1 : 1;
    for (let i = from; i <= 3; i++) {
      res.write(`id: ${i}\ndata: part${i};\n\n`);
      if (!last && i === 2) {
        // Let the events (and their heartbeats) through, then drop the connection.
        setTimeout(() => res.destroy(), 300);
        return;
      }
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The test server is on loopback, which flows reach only where the worker allows it.
  registry = await loadPlugins([], process.cwd(), { allowHttp: ['127.0.0.1'] });
  workers = await runTestWorkers(registry, [taskQueue]);
  strictRegistry = await loadPlugins([], process.cwd(), { allowHttp: [] });
  strictWorkers = await runTestWorkers(strictRegistry, [strictQueue]);
});

afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
  await strictWorkers?.shutdown();
  await strictRegistry?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('built-in plugins on a real worker', () => {
  it('sse.consume resumes from its last heartbeat on a retry; a 404 is a non-retryable HttpError', async () => {
    const { compiled } = loadFlowFile(FLOW, { manifest: registry.manifest() });
    if (!compiled) throw new Error('http.flow.yaml does not compile');
    const { handle } = await startFlow(await testClient(), compiled, { base }, { taskQueue });
    expect(await flowOutcome(handle)).toEqual({
      status: 'completed',
      output: { streamed: 'part1;part2;part3;', status: 404 },
    });
    // The retry asked only for what came after the last heartbeat.
    expect(streamRequests).toEqual([null, '2']);
    // 4xx is not retried, although the step allowed three attempts.
    expect(missingRequests).toBe(1);
  });

  it('a worker without --allow-http refuses loopback and the metadata endpoint at once, as HttpForbidden', async () => {
    const { compiled } = loadFlowFile(FORBIDDEN, { manifest: strictRegistry.manifest() });
    if (!compiled) throw new Error('http-forbidden.flow.yaml does not compile');
    const before = missingRequests;
    for (const url of [`${base}/missing`, 'http://169.254.169.254/latest/meta-data/']) {
      const { handle } = await startFlow(
        await testClient(),
        compiled,
        { url },
        {
          taskQueue: strictQueue,
        },
      );
      const outcome = await flowOutcome(handle);
      expect(outcome).toMatchObject({ status: 'completed', output: { refused: 'HttpForbidden' } });
      expect((outcome as { output: { message: string } }).output.message).toContain('--allow-http');
      // Not retried: one attempt, refused before any connection.
      const history = await handle.fetchHistory();
      const started = history.events?.filter((e) => e.activityTaskStartedEventAttributes) ?? [];
      expect(started.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1]);
    }
    expect(missingRequests).toBe(before);
  });
});
