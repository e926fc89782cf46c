import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import { flowOutcome, startFlow } from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue } from '../../helpers';

const FLOW = new URL('./fixtures/http.flow.yaml', import.meta.url).pathname;

// A local server: /stream sends three events and breaks the connection on the first request;
// /missing answers 404. It records what each request carried, and how often /missing was asked.
let server: Server;
let base = '';
const streamRequests: (string | null)[] = [];
let missingRequests = 0;

let registry: Registry;
let workers: WorkerGroup;
const taskQueue = uniqueTaskQueue('builtins');

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
  registry = await loadPlugins([]);
  workers = await runTestWorkers(registry, [taskQueue]);
});

afterAll(async () => {
  await workers?.shutdown();
  await registry?.close();
  server?.closeAllConnections();
  server?.close();
});

describe('built-in plugins on a real worker', () => {
  it('sse.consume resumes from its last heartbeat on a retry; a 404 is a non-retryable HttpError', async () => {
    const { compiled } = await loadFlowFile(FLOW, { manifest: registry.manifest() });
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
});
