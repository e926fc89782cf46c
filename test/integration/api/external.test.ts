import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../../interpreter/api';
import { testServer, uniqueTaskQueue } from '../../helpers';
import { quietLogger } from './helpers';

/**
 * Issue 15 §1: the API (and so the designer's palette and inspector) sees the external
 * activities of the flows folder's weft.activities.yaml beside the plugin ones, validates them
 * alike, and its in-process worker never polls their queue.
 */

const example = fileURLToPath(new URL('../../../examples/polyglot', import.meta.url));
const words = fileURLToPath(new URL('../../../examples/plugins/words.ts', import.meta.url));
let api: RunningServe;
let dir: string;
let taskQueue: string;

beforeAll(async () => {
  dir = join(mkdtempSync(join(tmpdir(), 'weft-api-external-')), 'flows');
  cpSync(example, dir, { recursive: true });
  taskQueue = uniqueTaskQueue('api-external');
  api = await startServe({
    temporal: testServer(),
    port: 0,
    flowsDir: dir,
    plugins: [words],
    taskQueue,
    logger: quietLogger(),
  });
});

afterAll(async () => {
  await api?.close();
});

interface Entry {
  name: string;
  taskQueue?: string;
  external?: { file: string; args?: string[] };
}

const activities = async () =>
  ((await (await fetch(`${api.url}/api/activities`)).json()) as { activities: Entry[] }).activities;

const validate = async (text: string, file = 'draft.flow.yaml') =>
  (await (
    await fetch(`${api.url}/api/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, file }),
    })
  ).json()) as { ok: boolean; diagnostics: { code: string; message: string; line: number }[] };

describe('external activities in the API', () => {
  it('/api/activities lists them beside the plugin activities, with their queue and convention', async () => {
    const byName = new Map((await activities()).map((a) => [a.name, a]));
    expect(byName.get('words.shout')?.external).toBeUndefined();
    expect(byName.get('compose_greeting')).toMatchObject({
      taskQueue: 'polyglot-python',
      external: { file: join(dir, 'weft.activities.yaml') },
    });
    expect(byName.get('count_letter')?.external?.args).toEqual(['text', 'letter']);
  });

  it('validates their names and literal inputs as it does plugin ones', async () => {
    const typo = await validate('flow: t\nsteps:\n  - activity: count_leter\n    input: {}\n');
    expect(typo.diagnostics.map((d) => [d.code, d.line])).toEqual([['WEFT023', 3]]);
    expect(typo.diagnostics[0]?.message).toContain('Did you mean "count_letter"?');
    const wrong = await validate(
      'flow: t\nsteps:\n  - activity: count_letter\n    input: { text: 1, letter: L }\n',
    );
    expect(wrong.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'WEFT024',
        'input of "count_letter" does not match the schema declared in weft.activities.yaml: input.text must be string',
      ],
    ]);
  });

  it('picks up an edit of the activities file without a restart', async () => {
    appendFileSync(
      join(dir, 'weft.activities.yaml'),
      '  farewell:\n    description: Added while the server runs.\n    input: {}\n',
    );
    expect((await activities()).map((a) => a.name)).toContain('farewell');
  });

  it("checks a flow in a subfolder against that subfolder's activities file too", async () => {
    mkdirSync(join(dir, 'team'));
    writeFileSync(
      join(dir, 'team', 'weft.activities.yaml'),
      'taskQueue: team-go\nactivities:\n  team_only:\n    input: { type: object }\n',
    );
    const flow = 'flow: t\nsteps:\n  - activity: team_only\n    input: {}\n';
    expect((await validate(flow, 'team/draft.flow.yaml')).ok).toBe(true);
    expect((await validate(flow)).diagnostics.map((d) => d.code)).toEqual(['WEFT023']);
    // A path that leaves the flows folder reads nothing outside it.
    expect((await validate(flow, '../team/draft.flow.yaml')).ok).toBe(false);
  });

  it('never polls their queue with its own worker', () => {
    expect(api.workers?.taskQueues).toEqual([taskQueue]);
  });
});
