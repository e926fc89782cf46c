import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { testClient, uniqueWorkflowId } from '../helpers';
import { type SpawnedWeft, spawnWeft, weft } from '../integration/cli/weft';

// Issue 12, item 9: SIGTERM during `weft run` hung 95 s and more and left the flow running with
// no worker. Now SIGTERM is SIGINT: cancel the flow, wait for onCancel and the compensations,
// print the outcome, exit non-zero; a second signal exits at once.
const FIXTURES = fileURLToPath(new URL('./fixtures/cli/', import.meta.url));
const PLUGIN = join(FIXTURES, 'cli-faults.plugin.mjs');
const running: SpawnedWeft[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

function startRun(flow: string, input: unknown, workflowId: string): SpawnedWeft {
  const p = spawnWeft([
    'run',
    join(FIXTURES, flow),
    '--plugins',
    PLUGIN,
    '--input',
    JSON.stringify(input),
    '--workflow-id',
    workflowId,
    '--json',
  ]);
  running.push(p);
  return p;
}

const lastLine = (p: SpawnedWeft) => JSON.parse(p.stdout().trim().split('\n').at(-1) ?? 'null');

/** The check every fault test ends with: a plain flow still runs to completion. */
async function expectHealthy() {
  const r = await weft(['run', join(FIXTURES, 'healthy.flow.yaml'), '--plugins', PLUGIN, '--json']);
  expect([r.code, r.last()]).toEqual([0, { status: 'completed', output: 42 }]);
}

describe('weft run under SIGTERM and SIGINT', () => {
  it('SIGTERM cancels the flow, runs onCancel and the compensations, prints the outcome, exits 1', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weft-sigterm-')), 'cancel.log');
    const id = uniqueWorkflowId('cli-sigterm');
    const p = startRun('cancel.flow.yaml', { log }, id);
    await p.waitFor('▶ wait  running');
    p.child.kill('SIGTERM');
    expect(await p.exitWithin(60_000)).toBe(1);
    expect(p.stderr()).toContain('SIGTERM: cancelling the flow');
    expect(lastLine(p)).toMatchObject({ status: 'failed', error: { type: 'Cancelled' } });
    expect(readFileSync(log, 'utf8')).toBe('reserve\nonCancel\nrelease\n');
    const d = await (await testClient()).workflow.getHandle(id).describe();
    expect(d.status.name).toBe('CANCELLED');
    await expectHealthy();
  });

  it('SIGINT does the same', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weft-sigint-')), 'cancel.log');
    const id = uniqueWorkflowId('cli-sigint');
    const p = startRun('cancel.flow.yaml', { log }, id);
    await p.waitFor('▶ wait  running');
    p.child.kill('SIGINT');
    expect(await p.exitWithin(60_000)).toBe(1);
    expect(lastLine(p)).toMatchObject({ status: 'failed', error: { type: 'Cancelled' } });
    expect(readFileSync(log, 'utf8')).toBe('reserve\nonCancel\nrelease\n');
  });

  it('a second signal exits at once, and terminates the run nothing else could serve', async () => {
    const id = uniqueWorkflowId('cli-twice');
    const p = startRun('slow-cleanup.flow.yaml', {}, id);
    await p.waitFor('▶ wait  running');
    p.child.kill('SIGTERM');
    // The cleanup has started: onCancel's five-minute step runs.
    await p.waitFor('▶ cleanup  running');
    p.child.kill('SIGINT');
    expect(await p.exitWithin(10_000)).toBe(130);
    expect(p.stderr()).toContain(`SIGINT: quitting; terminating ${id}`);
    const d = await (await testClient()).workflow.getHandle(id).describe();
    expect(d.status.name).toBe('TERMINATED');
    await expectHealthy();
  });

  it('a signal before the flow starts starts nothing and exits 128 + signo', async () => {
    const id = uniqueWorkflowId('cli-early');
    const p = spawnWeft([
      'run',
      join(FIXTURES, 'healthy.flow.yaml'),
      '--plugins',
      PLUGIN,
      join(FIXTURES, 'slow-import.plugin.mjs'),
      '--workflow-id',
      id,
    ]);
    running.push(p);
    await p.waitFor('clif-slow: importing');
    p.child.kill('SIGTERM');
    expect(await p.exitWithin(30_000)).toBe(143);
    expect(p.stderr()).toContain('SIGTERM: the flow was not started');
    await expect((await testClient()).workflow.getHandle(id).describe()).rejects.toThrow(
      /not found/i,
    );
  });
});
