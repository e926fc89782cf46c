/**
 * One side of the memory bench, in a process of its own so RSS belongs to that side alone.
 * Reads {side, blocked, base?, debugMode?, address, namespace} from WEFT_BENCH_MEMORY, keeps `blocked` flows
 * waiting on a signal in the worker cache, and prints one JSON line with the memory it measured.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from '@temporalio/worker';
import { connectClient, connectWorker } from '../../interpreter/temporal';
import type { Side } from '../bundles';
import { builtinRegistry, quietRuntime, workerOptions } from '../env';
import { blockedFlowText, compileText } from '../flows';
import { startSide, type Workload } from '../runs';

interface Job {
  side: Side;
  blocked: number;
  /**
   * Flows blocked before the first sample. Memory per flow is then the marginal cost of one more
   * cached flow: fixed costs (young-generation garbage in the workflow threads, allocator
   * pages) are already paid, and do not get divided among a few hundred flows.
   */
  base?: number;
  /** Workflows on the main thread, where process.memoryUsage() sees their V8 heap. */
  debugMode?: boolean;
  address: string;
  namespace: string;
}

export interface MemorySample {
  side: Side;
  blocked: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  /** V8 heap committed (used + free pages kept): RSS the heap holds beyond live objects. */
  heapTotalBefore: number;
  heapTotalAfter: number;
  externalBefore: number;
  externalAfter: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function settled(): Promise<{
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
}> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(200);
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.WEFT_BENCH_MEMORY ?? '{}') as Job;
  quietRuntime();
  const settings = { address: job.address, namespace: job.namespace };
  const { client, connection } = await connectClient(settings);
  const native = await connectWorker(settings);
  const taskQueue = `bench-memory-${job.side}-${process.pid}`;
  const options = await workerOptions(
    job.side,
    native,
    job.namespace,
    taskQueue,
    builtinRegistry(),
  );
  const worker = await Worker.create({
    ...options,
    maxCachedWorkflows: (job.base ?? 0) + job.blocked + 10,
    debugMode: job.debugMode ?? false,
  });
  const running = worker.run();
  const start = () => startSide(client, taskQueue, job.side, work);
  const work: Workload = {
    flow: compileText(blockedFlowText()),
    handwritten: { type: 'blocked', args: [] },
  };
  const release = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map(async (id) => {
          const handle = client.workflow.getHandle(id);
          await handle.signal('release');
          await handle.result();
        }),
      );
    }
  };
  try {
    // Warm up: the bundle's context and the code paths exist before the first sample.
    const warm = await start();
    await release([warm.workflowId]);
    const ids: string[] = [];
    const block = async (count: number) => {
      for (let i = 0; i < count; i += 50) {
        const batch = Math.min(50, count - i);
        const handles = await Promise.all(Array.from({ length: batch }, start));
        ids.push(...handles.map((h) => h.workflowId));
      }
      // Cached and idle: every flow has run its first task and now waits for the signal.
      for (;;) {
        const status = worker.getStatus();
        if (status.numCachedWorkflows >= ids.length && status.numInFlightWorkflowActivations === 0)
          break;
        await sleep(100);
      }
    };
    await block(job.base ?? 0);
    const before = await settled();
    await block(job.blocked);
    const after = await settled();
    const sample: MemorySample = {
      side: job.side,
      blocked: job.blocked,
      rssBefore: before.rss,
      rssAfter: after.rss,
      heapBefore: before.heap,
      heapAfter: after.heap,
      heapTotalBefore: before.heapTotal,
      heapTotalAfter: after.heapTotal,
      externalBefore: before.external,
      externalAfter: after.external,
    };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
    await release(ids);
  } finally {
    worker.shutdown();
    await Promise.race([running, sleep(15_000)]);
    await native.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

// Exit on purpose: native handles can keep a finished worker's process alive, and the bench
// waits for this process to end.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
