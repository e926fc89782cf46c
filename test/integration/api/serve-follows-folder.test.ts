import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient, uniqueTaskQueue } from '../../helpers';
import { type SpawnedWeft, spawnWeft } from '../cli/weft';
import { PLUGIN } from './helpers';

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

/** Starts the flow in `file` through the API and waits for its result. */
async function run(file: string): Promise<unknown> {
  const res = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ file, input: { name: 'bo' } }),
  });
  expect(res.status).toBe(201);
  const { workflowId } = (await res.json()) as { workflowId: string };
  return (await testClient()).workflow.getHandle(workflowId).result();
}

describe('weft serve follows its flows folder', () => {
  it('polls the new task queue of a flow saved through the API', async () => {
    const queue = uniqueTaskQueue('follow-api');
    const saved = await fetch(`${url}/api/flows/saved.flow.yaml`, {
      method: 'PUT',
      headers: { 'content-type': 'text/yaml', origin: url },
      body: flow('follow-saved', queue),
    });
    expect(saved.status).toBe(201);
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
