import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpawnedWeft } from '../integration/cli/weft';
import {
  checkLedger,
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

/**
 * Weft workers come and go while flows run on a multi-service cluster: one is SIGKILLed, then
 * all are restarted one by one. Every flow completes, and each of its marks is recorded by
 * exactly one run.
 */
let conn: Awaited<ReturnType<typeof clusterClient>>;
const workers: SpawnedWeft[] = [];

beforeAll(async () => {
  conn = await clusterClient();
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await conn?.connection.close();
  removeLedgers();
});

async function worker(queue: string, ledger: string) {
  // A short sticky timeout: a killed worker's cached flows move to the others after 2 s. Few
  // activity slots, so that the flows are still running when a worker goes away.
  const w = await startWorker(queue, ledger, [
    '--sticky-timeout',
    '2s',
    '--max-concurrent-activities',
    '10',
  ]);
  workers.push(w);
  return w;
}

describe('Weft workers on the cluster', () => {
  it('100 flows on two workers, one SIGKILLed midway: 100 completed, none lost or duplicated', async () => {
    const queue = `kill-${randomUUID().slice(0, 8)}`;
    const ledger = newLedger();
    const [a] = await Promise.all([worker(queue, ledger), worker(queue, ledger)]);
    const flow = await compiled('steps.flow.yaml');
    const flowIds = ids(queue, 100);
    await Promise.all(
      flowIds.map((id) => startSafely(conn.client, flow, { workMs: 300 }, id, queue)),
    );
    await until('a third of the flows done', 240_000, () => recorded(ledger, 'c') >= 30);
    a?.child.kill('SIGKILL');

    const results = await resultsOf(conn.client, flowIds);
    const check = checkLedger(ledger, flowIds, ['a', 'b', 'c']);
    expect([...results.values()].filter((s) => s !== 'completed')).toEqual([]);
    expect(check.lost).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.pids.size).toBe(2);
  });

  it('a rolling restart of both workers while 200 flows run: 200 completed, none lost or duplicated', async () => {
    const queue = `roll-${randomUUID().slice(0, 8)}`;
    const ledger = newLedger();
    const first = await Promise.all([worker(queue, ledger), worker(queue, ledger)]);
    const flow = await compiled('steps.flow.yaml');
    const flowIds = ids(queue, 200);
    await Promise.all(
      flowIds.map((id) => startSafely(conn.client, flow, { workMs: 500 }, id, queue)),
    );
    // One at a time, as a deployment replaces instances: stop gracefully (SIGTERM lets in-flight
    // tasks finish), start the new one, move on.
    for (const old of first) {
      await until(
        'some progress before the next restart',
        240_000,
        () => recorded(ledger, 'a') >= 20,
      );
      old.child.kill('SIGTERM');
      expect(await old.exitWithin(120_000)).toBe(0);
      await worker(queue, ledger);
    }

    const results = await resultsOf(conn.client, flowIds);
    const check = checkLedger(ledger, flowIds, ['a', 'b', 'c']);
    expect([...results.values()].filter((s) => s !== 'completed')).toEqual([]);
    expect(check.lost).toEqual([]);
    expect(check.duplicated).toEqual([]);
    // Two generations of workers did the work.
    expect(check.pids.size).toBeGreaterThanOrEqual(3);
  });
});
