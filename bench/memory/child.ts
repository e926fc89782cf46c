/**
 * One side of the memory bench, in a process of its own so RSS belongs to that side alone.
 * Reads a Job from WEFT_BENCH_MEMORY, keeps flows waiting on a signal in the worker cache, `steps`
 * times `blocked` more after `base`, and prints one JSON line with the memory after each step.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { connectClient, connectWorker } from '../../interpreter/temporal';
import { probedBundleFor, type Side } from '../bundles';
import { benchRegistry, quietRuntime, workerOptions } from '../env';
import { blockedFlowText, compileText } from '../flows';
import { startSide, type Workload } from '../runs';
import { GC_QUERY } from '../workflows/gc-probe';

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
  /**
   * Collect garbage in the workflow thread too before each sample (bench/workflows/gc-probe.ts), so
   * RSS counts what cached flows hold rather than what V8 has not yet collected.
   */
  collect?: boolean;
  /**
   * How many times `blocked` more flows are blocked, with a sample after each (default 1). The
   * per-flow cost is then the slope through all samples, which one late GC or allocator step
   * moves far less than it moves a single before/after difference.
   */
  steps?: number;
  address: string;
  namespace: string;
}

/** Memory after `flows` flows were blocked (beyond `base`). */
export interface MemoryPoint {
  flows: number;
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
}

export interface MemorySample {
  side: Side;
  /** The first sample (`base` flows blocked, counted as 0) and one after each step. */
  series: MemoryPoint[];
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Memory once garbage is collected in this thread and, through `probe` (a blocked flow whose
 * worker runs the GC probe), in the workflow thread.
 */
async function settled(probe?: WorkflowHandle): Promise<{
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
}> {
  for (let i = 0; i < 3; i++) {
    if (probe) await probe.query(GC_QUERY);
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
  const options = await workerOptions(job.side, native, job.namespace, taskQueue, benchRegistry());
  if (job.collect) options.workflowBundle = await probedBundleFor(job.side);
  const worker = await Worker.create({
    ...options,
    maxCachedWorkflows: (job.base ?? 0) + job.blocked * (job.steps ?? 1) + 10,
    debugMode: job.debugMode ?? false,
    // The SDK's default with reused V8 contexts, pinned: one probe query then reaches every flow.
    workflowThreadPoolSize: 1,
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
    // Blocked first and kept: the probe's queries run in the workflow thread.
    const probe = job.collect ? await start() : undefined;
    if (probe) ids.push(probe.workflowId);
    await block(job.base ?? 0);
    const before = await settled(probe);
    const series: MemoryPoint[] = [{ flows: 0, ...before }];
    for (let step = 1; step <= (job.steps ?? 1); step++) {
      await block(job.blocked);
      series.push({ flows: step * job.blocked, ...(await settled(probe)) });
    }
    const sample: MemorySample = { side: job.side, series };
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
