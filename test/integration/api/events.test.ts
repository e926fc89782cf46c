import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { testClient, testServer, uniqueTaskQueue } from '../../helpers';
import { flowsFolder, PLUGIN, quietLogger } from './helpers';
import { readSse, type SseMessage } from './sse';

let api: RunningServe;

interface StepData {
  stepId: string;
  status: string;
  attempt: number;
  error?: { type: string };
}

beforeAll(async () => {
  const { dir } = flowsFolder();
  const taskQueue = uniqueTaskQueue('sse');
  api = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    plugins: [PLUGIN, TEST_ACTIVITIES],
    taskQueue,
    taskQueues: [taskQueue],
    logger: quietLogger(),
    sse: { heartbeatMs: 100, pollMs: 100 },
  });
});

afterAll(async () => {
  await api?.close();
});

async function start(
  file: string,
  input?: unknown,
): Promise<{ workflowId: string; runId: string }> {
  const res = await fetch(`${api.url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file, input }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { workflowId: string; runId: string };
}

const eventsUrl = (workflowId: string) =>
  `${api.url}/api/runs/${encodeURIComponent(workflowId)}/events`;

/** Events that come from the history: ids without the `.n` suffix of live attempt events. */
const fromHistory = (events: SseMessage[]) => events.filter((e) => !e.id?.includes('.'));

/** The statuses a step went through; live attempt events may add `started`/`retrying` in between. */
const steps = (events: SseMessage[], stepId: string) =>
  events
    .filter((e) => e.event === 'step' && (e.data as StepData).stepId === stepId)
    .map((e) => (e.data as StepData).status);

function isFinal(events: SseMessage[]): boolean {
  const last = events.at(-1);
  return last?.event === 'run' && (last.data as { status: string }).status !== 'running';
}

/** Waits until the run sits at its `wait: {signal: go}` with the first step done. */
async function waitForGate(workflowId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const res = await fetch(`${api.url}/api/runs/${encodeURIComponent(workflowId)}`);
      const body = (await res.json()) as { progress?: { steps: { id: string; status: string }[] } };
      expect(body.progress?.steps.find((s) => s.id === 'first')?.status).toBe('completed');
    },
    { timeout: 30_000, interval: 100 },
  );
}

describe('GET /api/runs/:id/events', () => {
  it('streams a flow from start to its final run event', async () => {
    const { workflowId, runId } = await start('hello.flow.yaml', { name: 'lin' });
    const read = await readSse(eventsUrl(workflowId));
    expect(read.status).toBe(200);
    expect(read.contentType).toMatch(/^text\/event-stream/);
    expect(read.ended).toBe(true);
    const first = read.events[0]!;
    expect(first).toMatchObject({
      id: `${runId}:1`,
      event: 'run',
      data: { status: 'running', flow: 'api-hello' },
    });
    expect(steps(fromHistory(read.events), 'hello')).toEqual(['scheduled', 'started', 'completed']);
    expect(steps(fromHistory(read.events), 'shout')).toEqual(['scheduled', 'started', 'completed']);
    const hello = read.events.find(
      (e) => e.event === 'step' && (e.data as StepData).stepId === 'hello',
    );
    expect(hello?.data).toMatchObject({ name: 'Say hello', activity: 'greet.hello', attempt: 1 });
    expect(read.events.at(-1)).toMatchObject({
      event: 'run',
      data: { status: 'completed', output: 'HELLO LIN' },
    });
    // Ids are unique and resumable.
    const ids = read.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a client that connects mid-run misses nothing, and sees retries end in success', async () => {
    const { workflowId } = await start('nested/gated.flow.yaml');
    await waitForGate(workflowId);
    const client = await testClient();
    let signalled = false;
    const late = await readSse(eventsUrl(workflowId), {
      stop: (events) => {
        // Once the replayed state has arrived, open the gate; the rest must stream live.
        if (!signalled && steps(events, 'first').includes('completed')) {
          signalled = true;
          void client.workflow.getHandle(workflowId).signal('go');
        }
        return false;
      },
    });
    expect(late.ended).toBe(true);
    expect(steps(fromHistory(late.events), 'first')).toEqual(['scheduled', 'started', 'completed']);
    const flaky = late.events
      .filter((e) => e.event === 'step' && (e.data as StepData).stepId === 'flaky')
      .map((e) => e.data as StepData);
    expect(flaky[0]?.status).toBe('scheduled');
    expect(flaky.at(-1)).toMatchObject({ status: 'completed', attempt: 3 });
    // Live attempt events, when the poll saw them, carry the failure of the previous attempt.
    for (const r of flaky.filter((s) => s.status === 'retrying'))
      expect(r.error?.type).toBe('TestFailure');
    expect(steps(fromHistory(late.events), 'last')).toEqual(['scheduled', 'started', 'completed']);
    expect(late.events.at(-1)).toMatchObject({
      event: 'run',
      data: { status: 'completed', output: { step: 3 } },
    });

    // The late stream holds every history event a stream from the very start would have had.
    const full = await readSse(eventsUrl(workflowId));
    expect(fromHistory(late.events).map((e) => e.id)).toEqual(
      fromHistory(full.events).map((e) => e.id),
    );
    expect(fromHistory(late.events)).toEqual(fromHistory(full.events));
  });

  it('sends keep-alive comments while a run waits', async () => {
    const { workflowId } = await start('nested/gated.flow.yaml');
    await waitForGate(workflowId);
    const res = await fetch(eventsUrl(workflowId));
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keep-alive')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    expect(text).toContain(': keep-alive');
    const client = await testClient();
    await client.workflow.getHandle(workflowId).signal('go');
    await client.workflow.getHandle(workflowId).result();
  });

  it('a client that reconnects with Last-Event-ID resumes right after it', async () => {
    const { workflowId } = await start('nested/gated.flow.yaml');
    await waitForGate(workflowId);
    // Drop the connection after three events, while the run is still waiting.
    const before = await readSse(eventsUrl(workflowId), { stop: (events) => events.length === 3 });
    expect(before.events).toHaveLength(3);
    const lastId = before.events.at(-1)!.id!;
    const client = await testClient();
    await client.workflow.getHandle(workflowId).signal('go');
    const after = await readSse(eventsUrl(workflowId), { headers: { 'last-event-id': lastId } });
    expect(after.ended).toBe(true);
    expect(isFinal(after.events)).toBe(true);

    const full = await readSse(eventsUrl(workflowId));
    const joined = fromHistory([...before.events, ...after.events]).map((e) => e.id);
    expect(joined).toEqual(fromHistory(full.events).map((e) => e.id));

    // Resuming a finished run from the middle gives exactly the rest, also via ?lastEventId=.
    const cut = fromHistory(full.events)[4]!.id!;
    const rest = await readSse(`${eventsUrl(workflowId)}?lastEventId=${encodeURIComponent(cut)}`);
    expect(fromHistory(rest.events)).toEqual(fromHistory(full.events).slice(5));
    // The progress query's events (the wait, here) come again: they sit just before the end.
    expect(rest.events).toEqual(full.events.slice(full.events.findIndex((e) => e.id === cut) + 1));
  });

  it('streams heartbeat progress of a running step, then its cancellation', async () => {
    const res = await fetch(`${api.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        definition: [
          'flow: api-beats',
          'steps:',
          '  - id: nap',
          '    activity: test.sleep',
          '    input: { duration: 10m, heartbeatEvery: 100ms }',
          '    timeouts: { startToClose: 15m, heartbeat: 2s }',
          '',
        ].join('\n'),
      }),
    });
    const { workflowId } = (await res.json()) as { workflowId: string };
    const live = await readSse(eventsUrl(workflowId), {
      stop: (events) => events.some((e) => (e.data as { progress?: unknown }).progress),
    });
    const beat = live.events.find((e) => (e.data as { progress?: unknown }).progress)!;
    expect(beat.data).toMatchObject({
      stepId: 'nap',
      status: 'started',
      progress: { of: 600_000 },
    });
    expect(beat.id).toMatch(/:\d+\.\d+$/);

    const cancel = await fetch(`${api.url}/api/runs/${encodeURIComponent(workflowId)}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(cancel.status).toBe(202);
    const rest = await readSse(eventsUrl(workflowId), { headers: { 'last-event-id': beat.id! } });
    expect(rest.ended).toBe(true);
    expect(steps(rest.events, 'nap')).toContain('cancelled');
    expect(rest.events.at(-1)).toMatchObject({ event: 'run', data: { status: 'cancelled' } });
  });

  it('streams child flow steps of the parent', async () => {
    const res = await fetch(`${api.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        definition: [
          'flow: api-parent',
          'flows:',
          '  kid:',
          '    steps:',
          '      - id: inner',
          '        activity: test.echo',
          '        input: { x: 1 }',
          'steps:',
          '  - id: child',
          '    flow: kid',
          '',
        ].join('\n'),
      }),
    });
    expect(res.status).toBe(201);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const read = await readSse(eventsUrl(workflowId));
    expect(steps(read.events, 'child')).toEqual(['scheduled', 'started', 'completed']);
    expect(read.events.find((e) => e.event === 'step')?.data).toMatchObject({
      stepId: 'child',
      activity: 'kid',
    });
    expect(isFinal(read.events)).toBe(true);
  });

  it('reports a failed run and unknown runs', async () => {
    const res = await fetch(`${api.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        definition:
          'flow: api-fails\nsteps:\n  - id: boom\n    activity: test.fail\n    input: { type: Boom, nonRetryable: true }\n',
      }),
    });
    const { workflowId } = (await res.json()) as { workflowId: string };
    const read = await readSse(eventsUrl(workflowId));
    const boom = read.events.filter((e) => e.event === 'step').map((e) => e.data as StepData);
    expect(boom.at(-1)).toMatchObject({
      stepId: 'boom',
      status: 'failed',
      error: { type: 'Boom' },
    });
    expect(read.events.at(-1)).toMatchObject({
      event: 'run',
      data: { status: 'failed', error: { type: 'Boom' } },
    });

    const missing = await fetch(eventsUrl('no-such-run-anywhere'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'WEFT_API_NOT_FOUND',
    );
    const badId = await fetch(eventsUrl(workflowId), { headers: { 'last-event-id': 'garbage' } });
    expect(badId.status).toBe(400);
  });
});

/** A saga with every kind the history does not record: set, if (else taken), a timed-out wait. */
const SAGA_KINDS = `flow: api-saga-kinds
signals:
  approve: {}
steps:
  - id: init
    set: { country: "\${ input.country }" }
  - id: route
    if: "\${ vars.country = 'NL' }"
    then:
      - id: domestic
        log: "domestic"
    else:
      - id: abroad
        log: "abroad"
  - id: approve
    wait:
      signal: approve
      timeout: 200ms
      onTimeout:
        - id: escalate
          set: { escalated: true }
  - id: reserve
    activity: test.echo
    input: { reserved: true }
    compensate: { activity: test.echo, input: { released: true } }
  - id: charge
    activity: test.echo
    input: { charged: true }
    compensate: { activity: test.echo, input: { refunded: true } }
  - id: ship
    activity: test.fail
    input: { type: NoCourier, nonRetryable: true }
`;

describe('GET /api/runs/:id/events: every step kind', () => {
  it('sends control steps, the branch taken, skipped and timed-out steps and compensations', async () => {
    const res = await fetch(`${api.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ definition: SAGA_KINDS, input: { country: 'XX' } }),
    });
    expect(res.status).toBe(201);
    const { workflowId } = (await res.json()) as { workflowId: string };
    const read = await readSse(eventsUrl(workflowId));
    expect(read.ended).toBe(true);
    const last = (stepId: string) =>
      read.events.filter((e) => e.event === 'step' && (e.data as StepData).stepId === stepId).at(-1)
        ?.data as (StepData & { branch?: string; compensates?: string; kind?: string }) | undefined;
    expect(last('init')).toMatchObject({ status: 'completed', kind: 'set' });
    expect(last('route')).toMatchObject({ status: 'completed', kind: 'if', branch: 'else' });
    expect(last('domestic')).toMatchObject({ status: 'skipped', kind: 'log' });
    expect(last('abroad')).toMatchObject({ status: 'completed', kind: 'log' });
    expect(last('approve')).toMatchObject({ status: 'timedOut', kind: 'wait' });
    expect(last('escalate')).toMatchObject({ status: 'completed', kind: 'set' });
    expect(last('ship')).toMatchObject({ status: 'failed', error: { type: 'NoCourier' } });
    expect(last('charge:compensate')).toMatchObject({ status: 'completed', compensates: 'charge' });
    expect(last('reserve:compensate')).toMatchObject({
      status: 'completed',
      compensates: 'reserve',
    });
    // The undo runs newest first, after the failure, and all of it comes before the run's end.
    const order = read.events.map((e) =>
      e.event === 'run'
        ? `run ${(e.data as { status: string }).status}`
        : `${(e.data as StepData).stepId} ${(e.data as StepData).status}`,
    );
    const at = (line: string) => order.indexOf(line);
    expect(at('ship failed')).toBeLessThan(at('charge:compensate completed'));
    expect(at('charge:compensate completed')).toBeLessThan(at('reserve:compensate completed'));
    expect(at('reserve:compensate completed')).toBeLessThan(at('run failed'));
    expect(order.at(-1)).toBe('run failed');
    const ids = read.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
