import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, SseParser } from '../../../interpreter/activities';

// The test server listens on loopback, which flows may reach only when the worker allows it.
const consume = (await loadPlugins([], process.cwd(), { allowHttp: ['127.0.0.1'] })).activities()[
  'sse.consume'
]!;
let server: Server;
let base = '';
const lastEventIds: (string | null)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (url.pathname === '/count') {
      // Events 1..5 with ids; with ?drop=n the connection breaks after event n.
      const last = req.headers['last-event-id'];
      lastEventIds.push(typeof last === 'string' ? last : null);
      const from = last ? Number(last) + 1 : 1;
      const drop = Number(url.searchParams.get('drop') ?? 0);
      for (let i = from; i <= 5; i++) {
        res.write(`id: ${i}\nevent: tick\ndata: {"n":${i}}\n\n`);
        if (i === drop && !last) {
          // Let the events reach the client, then break the connection mid-stream.
          setTimeout(() => res.destroy(), 100);
          return;
        }
      }
      res.end('event: done\ndata: bye\n\n');
    } else if (url.pathname === '/tokens') {
      res.write(': comment\n\ndata: Hel\n\n');
      res.write('data: lo\r\n\r\n');
      res.end('data: !\n\n');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('SseParser', () => {
  it('parses fields, multi-line data, comments and split chunks', () => {
    const p = new SseParser();
    expect(p.push('event: a\ndata: 1\nda')).toEqual([]);
    expect(p.push('ta: 2\nid: 7\n\n: skip\n\ndata:x\r')).toEqual([
      { event: 'a', data: '1\n2', id: '7' },
    ]);
    expect(p.push('\n\n')).toEqual([{ event: 'message', data: 'x', id: '7' }]);
    expect(p.lastEventId).toBe('7');
  });
});

describe('sse.consume', () => {
  it('collects every event until the stream ends, heartbeating each', async () => {
    const env = new MockActivityEnvironment();
    const beats: { received: number; lastEventId?: string }[] = [];
    env.on('heartbeat', (d: { received: number; lastEventId?: string }) => beats.push(d));
    const out = await env.run(consume, { url: `${base}/count`, json: true });
    expect(out).toEqual([
      { event: 'tick', data: { n: 1 }, id: '1' },
      { event: 'tick', data: { n: 2 }, id: '2' },
      { event: 'tick', data: { n: 3 }, id: '3' },
      { event: 'tick', data: { n: 4 }, id: '4' },
      { event: 'tick', data: { n: 5 }, id: '5' },
      { event: 'done', data: 'bye', id: '5' },
    ]);
    expect(beats.map((b) => [b.received, b.lastEventId])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
      [4, '4'],
      [5, '5'],
      [6, '5'],
    ]);
  });

  it('concatenates data, and stops at maxEvents or at the `until` event', async () => {
    const env = () => new MockActivityEnvironment();
    expect(await env().run(consume, { url: `${base}/tokens`, collect: 'data' })).toBe('Hello!');
    const two = await env().run(consume, { url: `${base}/count`, maxEvents: 2 } as unknown);
    expect(two).toHaveLength(2);
    const done = await env().run(consume, { url: `${base}/count`, until: 'done' } as unknown);
    expect(done).toHaveLength(6);
  });

  it('resumes after the last heartbeat on a retry, with Last-Event-ID', async () => {
    lastEventIds.length = 0;
    const first = new MockActivityEnvironment({ attempt: 1 });
    let details: unknown;
    first.on('heartbeat', (d: unknown) => {
      details = d;
    });
    const err = await first
      .run(consume, { url: `${base}/count?drop=2`, collect: 'data' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect([(err as ApplicationFailure).type, (err as ApplicationFailure).nonRetryable]).toEqual([
      'HttpNetworkError',
      false,
    ]);
    const second = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: details });
    const out = await second.run(consume, { url: `${base}/count?drop=2`, collect: 'data' });
    expect(out).toBe('{"n":1}{"n":2}{"n":3}{"n":4}{"n":5}bye');
    expect(lastEventIds).toEqual([null, '2']);
  });
});
