import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { testClient, testServer, uniqueTaskQueue } from '../../helpers';
import { type SpawnedWeft, spawnWeft } from '../cli/weft';
import { PLUGIN, quietLogger } from './helpers';

/**
 * `weft serve` polled the task queues its flows named when it started, and never again: a flow
 * saved later whose step names a new `taskQueue` started, then sat on a queue nobody polled
 * until its timeouts. The served worker now follows the folder, through the API and on disk.
 */

const flow = (name: string, queue?: string) =>
  [
    `flow: ${name}`,
    'steps:',
    '  - id: hello',
    '    activity: greet.hello',
    ...(queue === undefined ? [] : [`    taskQueue: ${queue}`]),
    '    input: { name: "${ input.name }" }',
    '    result: hello',
    'output: "${ vars.hello.greeting }"',
    '',
  ].join('\n');

let serve: SpawnedWeft;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
  writeFileSync(join(dir, 'first.flow.yaml'), flow('follow-first'));
  // Its own flow queue: other test files' workers poll the default one.
  serve = spawnWeft([
    'serve',
    '--port',
    '0',
    '--flows',
    dir,
    '--plugins',
    PLUGIN,
    '--task-queue',
    uniqueTaskQueue('follow'),
  ]);
  await serve.waitFor('weft serve: http', 'stdout');
  url = /weft serve: (http:\/\/\S+)/.exec(serve.stdout())?.[1] ?? '';
});

afterAll(async () => {
  await serve?.stop();
});

/** Saves a flow through the API, as the designer does. */
async function save(base: string, file: string, text: string): Promise<number> {
  const res = await fetch(`${base}/api/flows/${file}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/yaml', origin: base },
    body: text,
  });
  return res.status;
}

/** Starts the flow in `file` through the API and waits for its result. */
async function run(file: string, base = url): Promise<unknown> {
  const res = await fetch(`${base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ file, input: { name: 'bo' } }),
  });
  expect(res.status).toBe(201);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return (await testClient()).workflow.getHandle(workflowId).result();
}

describe('weft serve follows its flows folder', () => {
  it('polls the new task queue of a flow saved through the API', async () => {
    const queue = uniqueTaskQueue('follow-api');
    expect(await save(url, 'saved.flow.yaml', flow('follow-saved', queue))).toBe(201);
    expect(await run('saved.flow.yaml')).toBe('hello bo');
    await serve.waitFor(`now polling task queue ${queue} for flows follow-saved`);
  });

  it('polls the new task queue of a flow written to the folder on disk', async () => {
    const queue = uniqueTaskQueue('follow-disk');
    writeFileSync(join(dir, 'written.flow.yaml'), flow('follow-written', queue));
    await serve.waitFor(`now polling task queue ${queue} for flows follow-written`);
    expect(await run('written.flow.yaml')).toBe('hello bo');
  });
});

describe('startServe with its worker in this process follows its flows folder', () => {
  let api: RunningServe | undefined;
  afterAll(async () => {
    await api?.close();
  });

  it('polls the new task queue of a flow saved through the API', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    writeFileSync(join(folder, 'first.flow.yaml'), flow('follow-first'));
    api = await startServe({
      temporal: testServer(),
      port: 0,
      flowsDir: folder,
      plugins: [PLUGIN],
      taskQueue: uniqueTaskQueue('follow-in'),
      logger: quietLogger(),
    });
    const queue = uniqueTaskQueue('follow-in-api');
    expect(api.workers?.taskQueues).not.toContain(queue);
    expect(await save(api.url, 'saved.flow.yaml', flow('follow-in-saved', queue))).toBe(201);
    expect(await run('saved.flow.yaml', api.url)).toBe('hello bo');
    expect(api.workers?.taskQueues).toContain(queue);
  });
});
