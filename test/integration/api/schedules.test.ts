import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { testClient, testServer, uniqueTaskQueue } from '../../helpers';
import { quietLogger } from './helpers';

// The schedule routes of `weft serve`, with its own worker serving the scheduled runs.
const taskQueue = uniqueTaskQueue('api-sched');
const flow = `api-${taskQueue.slice(-8)}`;
let api: RunningServe;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-api-sched-'));
  writeFileSync(
    join(dir, 'ticker.flow.yaml'),
    `flow: ${flow}\nschedules:\n  - id: tick\n    every: 1s\n    input: { n: 1 }\nsteps:\n  - return: "\${ input.n + 1 }"\n`,
  );
  writeFileSync(
    join(dir, 'bad.flow.yaml'),
    `flow: ${flow}-bad\nschedules:\n  - id: typo\n    cron: "0 2 * *"\nsteps:\n  - return: 1\n`,
  );
  api = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    taskQueue,
    taskQueues: [taskQueue],
    logger: quietLogger(),
  });
});
afterAll(async () => {
  const client = await testClient();
  await client.schedule
    .getHandle(`weft:${flow}:tick`)
    .delete()
    .catch(() => undefined);
  await api?.close();
});

async function call(path: string, method = 'GET', json?: unknown) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    ...(json === undefined
      ? {}
      : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Listed {
  schedules: { scheduleId: string; paused: boolean; recentRuns: { workflowId: string }[] }[];
}

describe('/api/schedules', () => {
  it('applies a flow file, lists, pauses, triggers and deletes its schedules', async () => {
    const applied = await call('/api/schedules/apply', 'POST', { file: 'ticker.flow.yaml' });
    expect(applied).toEqual({
      status: 200,
      body: { applied: [{ scheduleId: `weft:${flow}:tick`, flow, change: 'created' }] },
    });

    let listed: Listed;
    for (;;) {
      listed = (await call(`/api/schedules?flow=${flow}`)).body as unknown as Listed;
      if ((listed.schedules[0]?.recentRuns.length ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const runId = listed.schedules[0]!.recentRuns[0]!.workflowId;
    expect(await (await testClient()).workflow.getHandle(runId).result()).toBe(2);

    expect((await call(`/api/schedules/${flow}:tick/pause`, 'POST', {})).body).toEqual({
      scheduleId: `weft:${flow}:tick`,
      action: 'pause',
    });
    expect((await call(`/api/schedules/${flow}:tick/trigger`, 'POST', {})).status).toBe(200);
    const described = await (await testClient()).schedule.getHandle(`weft:${flow}:tick`).describe();
    expect(described.state.paused).toBe(true);

    expect((await call(`/api/schedules/weft:${flow}:tick`, 'DELETE', {})).status).toBe(200);
    const gone = await call(`/api/schedules/${flow}:tick`, 'DELETE', {});
    expect([gone.status, (gone.body.error as { code: string }).code]).toEqual([
      404,
      'WEFT_API_NOT_FOUND',
    ]);
  });

  it('refuses a flow whose cron does not parse, with the positioned diagnostic', async () => {
    const res = await call('/api/schedules/apply', 'POST', { file: 'bad.flow.yaml' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'WEFT_API_INVALID_FLOW',
      details: { diagnostics: [{ code: 'WEFT096', line: 4, col: 11 }] },
    });
  });
});
