import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../interpreter/temporal';
import { TEST_ACTIVITIES } from '../fixtures/plugins/test-activities';
import { testClient, uniqueTaskQueue } from '../helpers';
import { weft } from '../integration/cli/weft';
import { startWeft } from './processes';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface RunBody {
  status: string;
  error?: { type: string; message: string; details?: Record<string, unknown> };
  output?: unknown;
}

/** POST /api/runs as the designer sends it, then the run's state once it is no longer running. */
async function runThroughApi(base: string, file: string, input: unknown): Promise<RunBody> {
  const started = await fetch(`${base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file, input }),
  });
  expect(started.status).toBe(201);
  const { workflowId } = (await started.json()) as { workflowId: string };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const body = (await (await fetch(`${base}/api/runs/${workflowId}`)).json()) as RunBody;
    if (body.status !== 'running') return { ...body, workflowId } as RunBody;
    if (Date.now() > deadline) throw new Error(`${file} still running after 90 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Issue 12, item 6: a payload over the server's 2 MB limit used to end the run *terminated*
// (state lost, no compensation) or leave its workflow tasks failing for ever. Now it fails
// that one run with PayloadTooLarge, runs the compensations, and the server goes on.
describe('payload limits through a real weft serve', () => {
  it('a var over 2 MB fails the run with PayloadTooLarge, compensates, and the next flow runs', async () => {
    const port = await freePort();
    const flows = mkdtempSync(join(tmpdir(), 'weft-payload-'));
    for (const name of ['payload-bomb.flow.yaml', 'echo.flow.yaml'])
      copyFileSync(fixture(name), join(flows, name));
    const serve = startWeft([
      'serve',
      '--port',
      String(port),
      '--flows',
      flows,
      '--task-queue',
      uniqueTaskQueue('serve-payload'),
      '--plugins',
      TEST_ACTIVITIES,
    ]);
    const base = `http://127.0.0.1:${port}`;
    try {
      await serve.waitFor('weft serve: http://', 120_000);
      const bomb = await runThroughApi(base, 'payload-bomb.flow.yaml', {});
      expect(bomb.status).toBe('failed');
      expect(bomb.error).toMatchObject({
        type: 'PayloadTooLarge',
        details: expect.objectContaining({ var: 'big' }),
      });
      expect(bomb.error?.message).toMatch(/2 MB/);
      // The compensation of the step that had run went out before the run failed.
      const id = (bomb as RunBody & { workflowId: string }).workflowId;
      const history = await (await testClient()).workflow.getHandle(id).fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => {
        const a = e.activityTaskScheduledEventAttributes;
        return a ? [a.activityId] : [];
      });
      expect(scheduled).toEqual(['reserve', 'reserve:compensate']);

      expect(serve.child.exitCode).toBe(null);
      const healthy = await runThroughApi(base, 'echo.flow.yaml', { ping: 1 });
      expect(healthy).toMatchObject({ status: 'completed', output: { ping: 1 } });
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited(30_000);
    }
  }, 300_000);

  it('weft run refuses an input that would push the start past 2 MB, before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-start-size-'));
    const inputFile = join(dir, 'big.input.json');
    writeFileSync(inputFile, JSON.stringify({ ping: 'x'.repeat(2_500_000) }));
    const refused = await weft([
      'run',
      fixture('echo.flow.yaml'),
      '--input-file',
      inputFile,
      '--plugins',
      TEST_ACTIVITIES,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /the start payload is 2\.\d+ MB; the server accepts 2 MB: it carries the compiled flow/,
    );

    const healthy = await weft([
      'run',
      fixture('echo.flow.yaml'),
      '--input',
      '{"ping":2}',
      '--plugins',
      TEST_ACTIVITIES,
      '--json',
    ]);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout.trim().split('\n').at(-1)).toBe(
      JSON.stringify({ status: 'completed', output: { ping: 2 } }),
    );
  }, 200_000);
});
