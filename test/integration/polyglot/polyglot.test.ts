import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient, testServer, uniqueWorkflowId } from '../../helpers';
import { findPythonWorkerSdk } from '../../helpers/python';
import { weft, weftEnv } from '../cli/weft';

/**
 * Issue 15 §1: one run, two languages. The Python worker of examples/polyglot (the temporalio
 * package from PyPI) serves the activities that weft.activities.yaml declares; `weft run` serves
 * the TypeScript plugin activity and the flow. Skipped, saying why, when no Python with temporalio
 * is installed (.ci/run installs one).
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));
const sdk = findPythonWorkerSdk();
if ('missing' in sdk) console.warn(`[polyglot] skipped: ${sdk.missing}`);

describe.skipIf('missing' in sdk)('the polyglot example', () => {
  let worker: ChildProcess;
  let output = '';
  beforeAll(async () => {
    const { address, namespace } = testServer();
    worker = spawn((sdk as { python: string }).python, ['examples/polyglot/worker.py'], {
      cwd: root,
      env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const seen = (d: Buffer) => {
        output += d.toString();
        if (output.includes('python worker: polling polyglot-python')) resolve();
      };
      worker.stdout?.on('data', seen);
      worker.stderr?.on('data', seen);
      worker.on('exit', (code) =>
        reject(new Error(`the Python worker exited (${code}):\n${output}`)),
      );
    });
  });
  afterAll(async () => {
    if (!worker || worker.exitCode !== null) return;
    const exited = new Promise((resolve) => worker.on('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  });

  it('runs Python and TypeScript activities in one flow', async () => {
    const workflowId = uniqueWorkflowId('polyglot');
    const r = await weft(
      [
        'run',
        'examples/polyglot/polyglot.flow.yaml',
        '--plugins',
        'examples/plugins/words.ts',
        '--input',
        '{"name":"Ada"}',
        '--workflow-id',
        workflowId,
        '--json',
      ],
      { cwd: root, env: weftEnv() },
    );
    expect([r.code, r.last()], r.stderr).toEqual([
      0,
      {
        status: 'completed',
        output: {
          greeting: 'Hello, Ada!',
          loud: 'HELLO, ADA!',
          ls: 2,
          languages: ['python', 'typescript'],
        },
      },
    ]);

    // The activity types are the declared names exactly; the Python ones ran on their queue,
    // count_letter with two positional arguments, compose_greeting with one object.
    const history = await (await testClient()).workflow.getHandle(workflowId).fetchHistory();
    const scheduled = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes)
      .filter((a) => a !== null && a !== undefined)
      .map((a) => [a.activityType?.name, a.taskQueue?.name, a.input?.payloads?.length]);
    expect(scheduled).toEqual([
      ['compose_greeting', 'polyglot-python', 1],
      ['words.shout', expect.stringMatching(/^weft-run-[0-9a-f]{12}$/), 1],
      ['count_letter', 'polyglot-python', 2],
    ]);
  });

  it('weft doctor --flows sees the Python worker polling its queue', async () => {
    const r = await weft(['doctor', '--flows', 'examples/polyglot'], {
      cwd: root,
      env: weftEnv(),
    });
    const line = r.stdout.split('\n').find((l) => l.startsWith('queue polyglot-python'));
    expect(line, r.stdout).toMatch(
      /^queue polyglot-python +ok \(activity, external: compose_greeting, count_letter\): 1 polling \(/,
    );
  });
});
