import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { flowOutcome, startFlow } from '../../../interpreter/client';
import { loadFlowFile } from '../../../interpreter/dsl/node';
import { findTemporalCli, freePort, startDevServer } from '../../../interpreter/temporal';
import { runWorkers } from '../../../interpreter/worker';
import { TEST_ACTIVITIES } from '../../fixtures/plugins/test-activities';
import { uniqueTaskQueue, uniqueWorkflowId } from '../../helpers';

const FLOW = new URL('./fixtures/restart.flow.yaml', import.meta.url).pathname;

describe('server restart', () => {
  it('with a persisted --db, a flow sleeping through a server restart completes', async () => {
    const cli = await findTemporalCli({ build: false });
    if (!cli)
      throw new Error('this test needs the Temporal CLI (the same one the test server uses)');
    const dbFile = join(mkdtempSync(join(tmpdir(), 'weft-restart-')), 'temporal.db');
    const port = await freePort();
    const start = () => startDevServer({ binary: cli.path, port, dbFile });

    let server = await start();
    const registry = await loadPlugins([TEST_ACTIVITIES]);
    const native = await NativeConnection.connect({ address: server.address });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    const taskQueue = uniqueTaskQueue('restart');
    const workers = await runWorkers({ connection: native, taskQueues: [taskQueue], registry });
    try {
      const { compiled } = loadFlowFile(FLOW, { manifest: registry.manifest() });
      if (!compiled) throw new Error('restart.flow.yaml does not compile');
      const { handle } = await startFlow(
        client,
        compiled,
        { who: 'db' },
        {
          taskQueue,
          workflowId: uniqueWorkflowId('restart'),
        },
      );

      // Wait until the durable timer exists, then take the server down under it.
      for (;;) {
        const history = await handle.fetchHistory();
        if (history.events?.some((e) => e.timerStartedEventAttributes)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await server.stop();
      server = await start();

      expect(await flowOutcome(handle)).toEqual({
        status: 'completed',
        output: { before: 'before db', after: 'after db' },
      });
    } finally {
      await workers.shutdown();
      await native.close();
      await connection.close();
      await registry.close();
      await server.stop();
    }
  });
});
