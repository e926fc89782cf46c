import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { flowTaskQueues, isolateTaskQueues } from '../../../interpreter/client';
import { formatDiagnostic } from '../../../interpreter/dsl';
import { parseActivitiesText } from '../../../interpreter/dsl/activities-file';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import type { ActivityManifest, CompiledStep } from '../../../interpreter/model';

/**
 * Issue 15 §1: activities that workers of other SDKs provide, declared in weft.activities.yaml
 * beside the flows, are checked, listed and compiled exactly like plugin activities.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = 'test/fixtures/external';
const plugin = 'test/fixtures/plugins/fixtures.mjs';

function weft(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/weft.mjs', ...args], { cwd: root }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const lines = (text: string) => text.trim().split('\n');

let plugins: ActivityManifest;
beforeAll(async () => {
  plugins = (await loadPlugins([`${root}${plugin}`])).manifest();
});

describe('the activities file', () => {
  it('declares external activities with their queue, convention, schemas and merged defaults', () => {
    const file = `${fixtures}/declared/weft.activities.yaml`;
    const { activities, diagnostics } = parseActivitiesText(
      readFileSync(`${root}${file}`, 'utf8'),
      file,
    );
    expect(diagnostics).toEqual([]);
    expect(activities.map((a) => [a.name, a.taskQueue, a.external])).toEqual([
      ['compose_greeting', 'py-queue', { file }],
      ['count_letter', 'go-queue', { file, args: ['text', 'letter'] }],
    ]);
    expect(activities[0]?.description).toBe('Compose a greeting (Python).');
    // The file's defaults, then the activity's own, key by key.
    expect(activities[1]?.defaults).toEqual({
      timeouts: { startToClose: '20s', scheduleToStart: '1m' },
      retry: { maximumAttempts: 4 },
    });
  });

  it('reports every problem at its line and column, and declares nothing then', () => {
    const file = `${fixtures}/broken/weft.activities.yaml`;
    const { activities, diagnostics } = parseActivitiesText(
      readFileSync(`${root}${file}`, 'utf8'),
      file,
    );
    expect(activities).toEqual([]);
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      `${file}:1:1  error  WEFT070  unknown key "taskQeue" in the file. Did you mean "taskQueue"?`,
      `${file}:3:3  error  WEFT071  external activity "no_schema" declares no input schema: add \`input:\` with the JSON Schema of its input (\`{}\` accepts anything)`,
      `${file}:5:3  error  WEFT072  external activity "no_queue" has no task queue: set \`taskQueue:\` (where its worker polls) on it or at the top of the file`,
      `${file}:9:18  error  WEFT073  argument "leter" of "bad_args" is not a property of its input schema. Did you mean "letter"?`,
      expect.stringMatching(
        new RegExp(
          `^${file}:15:12  error  WEFT073  the input schema of "bad_schema" does not compile: `,
        ),
      ),
      `${file}:17:33  error  WEFT070  activities.bad_schema.defaults.timeouts.startToClose must be a duration: 500ms, 30s, 5m, 2h, 7d or a number of milliseconds`,
    ]);
  });

  it.each([
    ['syntax', 'activities: [unclosed', 'WEFT001'],
    ['not a mapping', '- a\n- b\n', 'WEFT005'],
    ['no activities', 'taskQueue: q\n', 'WEFT070'],
    ['a bad name', 'taskQueue: q\nactivities:\n  "9lives": { input: {} }\n', 'WEFT070'],
    [
      'args without properties',
      'taskQueue: q\nactivities:\n  a: { args: [x], input: {} }\n',
      'WEFT073',
    ],
  ])('%s is a positioned error', (_what, text, code) => {
    const { activities, diagnostics } = parseActivitiesText(text, 'x/weft.activities.yaml');
    expect(activities).toEqual([]);
    expect(diagnostics[0]).toMatchObject({
      code,
      severity: 'error',
      file: 'x/weft.activities.yaml',
    });
    expect(diagnostics[0]?.line).toBeGreaterThanOrEqual(1);
  });
});

describe('flows beside an activities file', () => {
  const compiled = () => {
    const r = loadFlowFile(`${root}${fixtures}/declared/mixed.flow.yaml`, { manifest: plugins });
    expect(r.diagnostics).toEqual([]);
    return r.compiled!;
  };
  const step = (id: string) =>
    compiled().steps.find((s) => s.id === id) as Extract<CompiledStep, { kind: 'activity' }>;

  it('compile external calls onto their declared queue, over the flow default queue', () => {
    const greet = step('greet');
    expect(greet).toMatchObject({ activity: 'compose_greeting', external: true });
    expect(greet.args).toBeUndefined();
    expect(greet.options).toEqual({
      taskQueue: 'py-queue',
      timeouts: { startToClose: '20s' },
      retry: { maximumAttempts: 4 },
    });
    expect(greet.compensate).toMatchObject({
      activity: 'count_letter',
      external: true,
      args: ['text', 'letter'],
      options: { taskQueue: 'go-queue' },
    });
    // A plugin activity keeps the flow's default queue; a step's own queue wins over all.
    expect(step('reserve').options.taskQueue).toBe('orders');
    expect(step('reserve').external).toBeUndefined();
    expect(step('count').options.taskQueue).toBe('go-queue-2');
  });

  it("are never served by Weft's workers: their queues are not Weft's, and keep their name", () => {
    const flow = compiled();
    expect(flowTaskQueues(flow, 'weft').sort()).toEqual(['orders', 'weft']);
    const isolated = isolateTaskQueues(flow, 'weft-run-1').flow;
    const queues = isolated.steps.map((s) => (s.kind === 'activity' ? s.options.taskQueue : ''));
    expect(queues).toEqual(['py-queue', 'weft-run-1/orders', 'go-queue-2']);
  });
});

describe('weft validate with external activities', () => {
  it('suggests the declared name for a typo, as for plugin names', async () => {
    const r = await weft('validate', `${fixtures}/declared/typo.flow.yaml`, '--plugins', plugin);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      `${fixtures}/declared/typo.flow.yaml:3:15  error  WEFT023  unknown activity "compose_greting": no loaded plugin provides it. Did you mean "compose_greeting"? (load the plugin that defines it with --plugins <module>, or declare an activity of another worker in weft.activities.yaml beside the flow)`,
    ]);
  });

  it('checks literal inputs against the declared schema, with or without --plugins', async () => {
    for (const extra of [[], ['--plugins', plugin]]) {
      const r = await weft('validate', `${fixtures}/declared/mismatch.flow.yaml`, ...extra);
      expect(r.code).toBe(1);
      expect(lines(r.stdout)).toEqual([
        `${fixtures}/declared/mismatch.flow.yaml:4:12  error  WEFT024  input of "compose_greeting" does not match the schema declared in weft.activities.yaml: input must have required property 'name'`,
        `${fixtures}/declared/mismatch.flow.yaml:4:26  error  WEFT024  input of "compose_greeting" does not match the schema declared in weft.activities.yaml: input.salutation must be string`,
      ]);
    }
  });

  it('without --plugins does not call plugin activities unknown (the manifest is partial)', async () => {
    const r = await weft('validate', `${fixtures}/declared/mixed.flow.yaml`);
    expect([r.code, r.stdout]).toEqual([0, '']);
  });

  it("reports a broken activities file once for all the folder's flows", async () => {
    const r = await weft(
      'validate',
      `${fixtures}/broken/a.flow.yaml`,
      `${fixtures}/broken/b.flow.yaml`,
    );
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toHaveLength(6);
    expect(
      lines(r.stdout).every((l) => l.startsWith(`${fixtures}/broken/weft.activities.yaml:`)),
    ).toBe(true);
  });

  it('refuses an external activity named like a plugin activity, at its name', async () => {
    const r = await weft('validate', `${fixtures}/clash/uses.flow.yaml`, '--plugins', plugin);
    expect(r.code).toBe(1);
    expect(lines(r.stdout)).toEqual([
      `${fixtures}/clash/weft.activities.yaml:3:3  error  WEFT074  external activity "orders.reserve" has the name of a loaded plugin activity: rename one of them (the plugin's is used)`,
    ]);
  });
});

describe('weft manifest --external', () => {
  it('prints what the flows need from other workers, per task queue', async () => {
    const r = await weft('manifest', '--external', `${fixtures}/declared/mixed.flow.yaml`);
    expect(r.code).toBe(0);
    const input = (props: string[]) => expect.objectContaining({ required: props });
    expect(JSON.parse(r.stdout)).toEqual({
      taskQueues: [
        {
          taskQueue: 'go-queue',
          activities: [
            {
              name: 'count_letter',
              args: ['text', 'letter'],
              input: input(['text', 'letter']),
              calledBy: [`${fixtures}/declared/mixed.flow.yaml#greet:compensate`],
            },
          ],
        },
        {
          taskQueue: 'go-queue-2',
          activities: [
            {
              name: 'count_letter',
              args: ['text', 'letter'],
              input: input(['text', 'letter']),
              calledBy: [`${fixtures}/declared/mixed.flow.yaml#count`],
            },
          ],
        },
        {
          taskQueue: 'py-queue',
          activities: [
            {
              name: 'compose_greeting',
              description: 'Compose a greeting (Python).',
              input: input(['salutation', 'name']),
              calledBy: [`${fixtures}/declared/mixed.flow.yaml#greet`],
            },
          ],
        },
      ],
    });
  });

  it('prints an invalid flow’s diagnostics and exits 1; without flows it is a usage error', async () => {
    const bad = await weft(
      'manifest',
      '--external',
      `${fixtures}/declared/typo.flow.yaml`,
      '--plugins',
      plugin,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('WEFT023');
    const none = await weft('manifest', '--external');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--external needs the flow files');
  });
});
