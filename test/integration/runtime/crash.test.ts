import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { describeFlow, flowOutcome, startFlow } from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { testClient, uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';
import { spawnWeft } from '../cli/weft';

const FLOW = new URL('./fixtures/crash.flow.yaml', import.meta.url).pathname;

function counts(file: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    out[line] = (out[line] ?? 0) + 1;
  }
  return out;
}

describe('worker crash', () => {
  it('a SIGKILLed worker is replaced, the flow completes with the same output, and no completed activity runs twice', async () => {
    const client = await testClient();
    const taskQueue = uniqueTaskQueue('crash');
    const log = join(mkdtempSync(join(tmpdir(), 'weft-crash-')), 'effects.log');
    const registry = await loadPlugins([TEST_ACTIVITIES]);
    const { compiled } = loadFlowFile(FLOW, { manifest: registry.manifest() });
    if (!compiled) throw new Error('crash.flow.yaml does not compile');

    // A short sticky timeout, so the dead worker's sticky queue is given up quickly.
    const args = [
      'worker',
      '--plugins',
      TEST_ACTIVITIES,
      '--task-queue',
      taskQueue,
      '--sticky-timeout',
      '1s',
    ];
    const first = spawnWeft(args);
    await first.waitFor('weft worker: serving');
    const { handle, workflowId } = await startFlow(
      client,
      compiled,
      { log },
      {
        taskQueue,
        workflowId: uniqueWorkflowId('crash'),
      },
    );

    // Kill the worker while the long step runs: `before` and `middle` are done by then.
    for (;;) {
      const d = await describeFlow(client, workflowId);
      const nap = d.pendingActivities.find((p) => p.activityId === 'nap');
      if (nap?.heartbeatDetails !== undefined) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    expect(counts(log)).toEqual({ before: 1, middle: 1 });

    const second = spawnWeft(args);
    try {
      await second.waitFor('weft worker: serving');
      expect(await flowOutcome(handle)).toEqual({
        status: 'completed',
        output: { before: 1, middle: 1, after: 1 },
      });
      // Each side effect happened exactly once across both workers.
      expect(counts(log)).toEqual({ before: 1, middle: 1, after: 1 });
    } finally {
      second.child.kill('SIGTERM');
      // A graceful stop: in-flight work drains, the process exits 0.
      expect(await second.exited).toBe(0);
      expect(second.stderr()).toContain('weft worker: stopped');
    }
  });
});
