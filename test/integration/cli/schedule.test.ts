import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, ScheduleDescription } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins, type Registry } from '../../../interpreter/activities';
import type { WorkerGroup } from '../../../interpreter/worker';
import { runTestWorkers, testClient, uniqueTaskQueue } from '../../helpers';
import { weft } from './weft';

// `weft schedule` against the dev server: Temporal runs the schedules, a worker runs the flows.
let registry: Registry;
let workers: WorkerGroup;
let client: Client;
const taskQueue = uniqueTaskQueue('sched');
const flow = `sched-${taskQueue.slice(-8)}`;
const dir = mkdtempSync(join(tmpdir(), 'weft-schedule-'));
const file = join(dir, 'ticker.flow.yaml');

beforeAll(async () => {
  registry = await loadPlugins([]);
  workers = await runTestWorkers(registry, [taskQueue]);
  client = await testClient();
});
afterAll(async () => {
  // A failed test must not leave a schedule starting runs for the rest of the suite.
  for (const id of [`${flow}:tick`, `${flow}:nightly`, `${flow}-bad:wrong`]) {
    await client.schedule
      .getHandle(`weft:${id}`)
      .delete()
      .catch(() => undefined);
  }
  await workers?.shutdown();
  await registry?.close();
});

const flowText = (schedules: string, name = flow) => `flow: ${name}
input:
  type: object
  properties: { who: { type: string } }
schedules:
${schedules}steps:
  - return: "\${ 'hello ' & input.who }"
`;
const TICK = '  - id: tick\n    every: 1s\n    input: { who: tick }\n';
const NIGHTLY =
  '  - id: nightly\n    cron: "0 2 * * *"\n    timezone: Europe/Paris\n    paused: true\n';

const apply = () => weft(['schedule', 'apply', file, '--task-queue', taskQueue, '--json']);
const describeTick = () => client.schedule.getHandle(`weft:${flow}:tick`).describe();

/** Polls until `done` holds; the test's own timeout bounds the wait. */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const runIds = (d: ScheduleDescription) =>
  d.info.recentActions.map((a) => a.action.workflow.workflowId);

describe('weft schedule', () => {
  it('applies, runs, pauses, triggers and deletes the schedules a flow declares', async () => {
    writeFileSync(file, flowText(TICK + NIGHTLY));
    const created = await apply();
    expect([created.code, created.stderr]).toEqual([0, '']);
    expect(created.last()).toEqual([
      { scheduleId: `weft:${flow}:tick`, flow, change: 'created' },
      { scheduleId: `weft:${flow}:nightly`, flow, change: 'created' },
    ]);
    const again = await apply();
    expect(again.last()).toEqual([
      { scheduleId: `weft:${flow}:tick`, flow, change: 'unchanged' },
      { scheduleId: `weft:${flow}:nightly`, flow, change: 'unchanged' },
    ]);

    // Every second the schedule starts the flow, as `weft start` would, and the runs complete.
    const running = await until(describeTick, (d) => d.info.recentActions.length >= 2);
    for (const id of runIds(running).slice(0, 2)) {
      expect(id.startsWith(`${flow}-tick-`)).toBe(true);
      expect(await client.workflow.getHandle(id).result()).toBe('hello tick');
      const described = await client.workflow.getHandle(id).describe();
      expect(described.memo).toMatchObject({ weftSchedule: `weft:${flow}:tick` });
    }

    const paused = await weft(['schedule', 'pause', `${flow}:tick`, '--note', 'maintenance']);
    expect([paused.code, paused.stdout]).toEqual([0, `paused\tweft:${flow}:tick\n`]);
    const stopped = await describeTick();
    expect([stopped.state.paused, stopped.state.note]).toEqual([true, 'maintenance']);

    // Paused, it takes only the action a trigger asks for: none in two intervals, then one.
    const before = stopped.info.numActionsTaken;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await describeTick()).info.numActionsTaken).toBe(before);
    const triggered = await weft(['schedule', 'trigger', `${flow}:tick`]);
    expect(triggered.code).toBe(0);
    const after = await until(describeTick, (d) => d.info.numActionsTaken > before);
    expect(after.info.numActionsTaken).toBe(before + 1);
    const last = runIds(after).at(-1)!;
    expect(await client.workflow.getHandle(last).result()).toBe('hello tick');

    const listed = await until(
      () => weft(['schedule', 'list', '--flow', flow, '--json']),
      (r) => (r.last() as unknown[]).length === 2,
    );
    expect(listed.last()).toMatchObject([
      { scheduleId: `weft:${flow}:nightly`, flow, id: 'nightly', paused: true },
      { scheduleId: `weft:${flow}:tick`, flow, id: 'tick', paused: true, note: 'maintenance' },
    ]);

    // A schedule the flow no longer declares is deleted; the other one is left as it is.
    writeFileSync(file, flowText(NIGHTLY));
    const removed = await apply();
    expect(removed.last()).toEqual([
      { scheduleId: `weft:${flow}:nightly`, flow, change: 'unchanged' },
      { scheduleId: `weft:${flow}:tick`, flow, change: 'deleted' },
    ]);
    await expect(describeTick()).rejects.toThrow(/not found/i);

    // A changed schedule is updated in place.
    writeFileSync(file, flowText(NIGHTLY.replace('0 2 * * *', '0 3 * * *')));
    expect((await apply()).last()).toEqual([
      { scheduleId: `weft:${flow}:nightly`, flow, change: 'updated' },
    ]);

    const deleted = await weft(['schedule', 'delete', `weft:${flow}:nightly`]);
    expect([deleted.code, deleted.stdout]).toEqual([0, `deleted\tweft:${flow}:nightly\n`]);
    const gone = await weft(['schedule', 'delete', `${flow}:nightly`]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`WEFT_SCHEDULE_NOT_FOUND no schedule weft:${flow}:nightly`);
  });

  it('refuses bad schedules with a positioned error before changing anything', async () => {
    const bad = join(dir, 'bad.flow.yaml');
    writeFileSync(bad, flowText('  - id: typo\n    cron: "0 2 * *"\n'));
    const refused = await weft(['schedule', 'apply', bad, '--task-queue', taskQueue]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}:7:11  error  WEFT096  cron "0 2 * *" does not parse`);

    writeFileSync(
      bad,
      flowText('  - id: wrong\n    every: 1h\n    input: { who: 7 }\n', `${flow}-bad`),
    );
    const input = await weft(['schedule', 'apply', bad, '--task-queue', taskQueue]);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(
      new RegExp(
        `^${bad.replaceAll('.', '\\.')}:8:12  error  WEFT_SCHEDULE_INPUT  schedule "wrong": `,
      ),
    );
    await expect(client.schedule.getHandle(`weft:${flow}-bad:wrong`).describe()).rejects.toThrow(
      /not found/i,
    );
  });
});
