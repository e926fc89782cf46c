import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpawnedWeft } from '../integration/cli/weft';
import {
  checkLedger,
  cluster,
  clusterClient,
  compiled,
  ids,
  newLedger,
  recorded,
  removeLedgers,
  resultsOf,
  startSafely,
  startWorker,
  until,
} from './helpers';
import { service } from './stack';

/**
 * Temporal's own services fail under Weft's flows: history is SIGKILLed while flows sleep and
 * wait for a signal, matching and frontend restart while flows start and run. Every flow
 * completes, and each of its marks is recorded by exactly one run.
 */
let conn: Awaited<ReturnType<typeof clusterClient>>;
const workers: SpawnedWeft[] = [];
let queue: string;
let ledger: string;

beforeAll(async () => {
  conn = await clusterClient();
  queue = `svc-${randomUUID().slice(0, 8)}`;
  ledger = newLedger();
  workers.push(await startWorker(queue, ledger));
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await conn?.connection.close();
  removeLedgers();
});

/** Starts `n` flows of `file` while `disrupt` runs, then checks every one of them. */
async function underLoad(prefix: string, n: number, disrupt: () => Promise<void>) {
  const flow = await compiled('steps.flow.yaml');
  const scope = `${queue}-${prefix}`;
  const flowIds = ids(scope, n);
  const half = flowIds.slice(0, n / 2);
  const rest = flowIds.slice(n / 2);
  await Promise.all(half.map((id) => startSafely(conn.client, flow, { workMs: 100 }, id, queue)));
  // The second half starts while the service is away and back: the client retries with the
  // same ids.
  await Promise.all([
    disrupt(),
    (async () => {
      for (const id of rest) {
        await startSafely(conn.client, flow, { workMs: 100 }, id, queue);
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
  ]);
  const results = await resultsOf(conn.client, flowIds);
  const check = checkLedger(ledger, flowIds, ['a', 'b', 'c'], scope);
  expect([...results.values()].filter((s) => s !== 'completed')).toEqual([]);
  expect(check.lost).toEqual([]);
  expect(check.duplicated).toEqual([]);
}

describe('Temporal services fail under Weft flows', () => {
  it('flows in a durable sleep, in a signal wait, and started during the outage survive a SIGKILL of history', async () => {
    const sleepFlow = await compiled('sleep.flow.yaml');
    const signalFlow = await compiled('signal.flow.yaml');
    const sleepers = ids(`${queue}-hist-sleep`, 20);
    const waiters = ids(`${queue}-hist-wait`, 20);
    await Promise.all([
      ...sleepers.map((id) => startSafely(conn.client, sleepFlow, {}, id, queue)),
      ...waiters.map((id) => startSafely(conn.client, signalFlow, {}, id, queue)),
    ]);
    await until(
      'every flow in its sleep or wait',
      240_000,
      () => recorded(ledger, 'before') === 40,
    );

    const history = service(cluster(), 'history');
    await history.kill();
    expect(history.pid()).toBeUndefined();
    // Flows started during the outage: the client retries each with its id until history is back.
    const stepsFlow = await compiled('steps.flow.yaml');
    const lateIds = ids(`${queue}-hist-late`, 20);
    const late = Promise.all(
      lateIds.map((id) => startSafely(conn.client, stepsFlow, { workMs: 0 }, id, queue)),
    );
    await new Promise((r) => setTimeout(r, 10_000));
    await history.start();
    await late;

    // Signals go out once history is back; a signal the server refuses while its shards move
    // is sent again (a signal is not deduplicated, but the flow's handler only sets a flag).
    await Promise.all(
      waiters.map(async (id) => {
        const deadline = Date.now() + 180_000;
        for (;;) {
          try {
            await conn.client.workflow.getHandle(id).signal('go', {});
            return;
          } catch (err) {
            if (Date.now() > deadline) throw err;
            await new Promise((r) => setTimeout(r, 1_000));
          }
        }
      }),
    );
    const all = [...sleepers, ...waiters];
    const results = await resultsOf(conn.client, [...all, ...lateIds]);
    expect([...results.values()].filter((s) => s !== 'completed')).toEqual([]);
    for (const [group, marks] of [
      [sleepers, ['before', 'after']],
      [waiters, ['before', 'after']],
      [lateIds, ['a', 'b', 'c']],
    ] as const) {
      const check = checkLedger(ledger, [...group], [...marks], group[0]?.replace(/-\d+$/, ''));
      expect(check.lost).toEqual([]);
      expect(check.duplicated).toEqual([]);
    }
  });

  it('a matching restart under load: every flow completes once', async () => {
    await underLoad('matching', 60, () => service(cluster(), 'matching').restart());
  });

  it('a frontend restart under load: every flow completes once', async () => {
    await underLoad('frontend', 60, () => service(cluster(), 'frontend').restart());
  });
});
