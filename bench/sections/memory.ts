import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Side } from '../bundles';
import type { MemorySample } from '../memory/child';
import { median, ratio, round } from '../stats';

export interface MemoryResult {
  /** Flows blocked on a signal, all in the worker's cache, measured after `base` others. */
  blocked: number;
  base: number;
  runs: number;
  /** Median RSS growth per cached flow, in KiB. */
  rssKiBPerFlow: Record<Side, number>;
  /** Median V8 heap growth per cached flow, in KiB (RSS without the native side). */
  heapKiBPerFlow: Record<Side, number>;
  /** Median growth of the committed V8 heap per flow, in KiB. */
  heapTotalKiBPerFlow: Record<Side, number>;
  /** Median growth of memory outside the V8 heap that V8 knows of (buffers), in KiB. */
  externalKiBPerFlow: Record<Side, number>;
  /**
   * Median V8 heap growth per cached flow with the workflows on the main thread (debugMode), in
   * KiB: the workflows' own objects, exactly, where RSS also counts garbage not yet collected in
   * the workflow threads and pages the allocator keeps.
   */
  workflowHeapKiBPerFlow: Record<Side, number>;
  /**
   * RSS growth per cached flow with the workflows on the main thread (debugMode), in KiB. Only
   * there can the bench collect the workflows' garbage before sampling (`gc()` reaches this
   * thread alone), so this is the memory cached flows hold. The threaded figure (`rssKiBPerFlow`)
   * also counts garbage still uncollected in the workflow threads.
   */
  retainedRssKiBPerFlow: Record<Side, number>;
  /** Threaded RSS ratio (garbage included). */
  ratio: number;
  heapRatio: number;
  workflowHeapRatio: number;
  /** RSS ratio with the workflows on the main thread, after GC: the target's measure. */
  retainedRatio: number;
}

const CHILD = fileURLToPath(new URL('../memory/child.ts', import.meta.url));

function measure(
  side: Side,
  blocked: number,
  server: { address: string; namespace: string },
  base: number,
  debugMode = false,
): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        WEFT_BENCH_MEMORY: JSON.stringify({ side, blocked, base, debugMode, ...server }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) {
        reject(new Error(`memory bench (${side}) exited with code ${code}`));
        return;
      }
      resolve(JSON.parse(line) as MemorySample);
    });
  });
}

/**
 * Each side in fresh processes, alternately. Per-flow growth = (after - before) / blocked, where
 * `before` is sampled with `base` flows already blocked: the marginal cost of a cached flow.
 */
export async function benchMemory(
  server: { address: string; namespace: string },
  blocked: number,
  runs: number,
  base = blocked,
): Promise<MemoryResult> {
  type Series = {
    rss: number[];
    heap: number[];
    heapTotal: number[];
    external: number[];
    workflowHeap: number[];
    retainedRss: number[];
  };
  const empty = (): Series => ({
    rss: [],
    heap: [],
    heapTotal: [],
    external: [],
    workflowHeap: [],
    retainedRss: [],
  });
  const per: Record<Side, Series> = { interpreter: empty(), handwritten: empty() };
  const kib = (a: number, b: number) => (a - b) / 1024 / blocked;
  for (let i = 0; i < runs; i++) {
    const order: Side[] =
      i % 2 === 0 ? ['interpreter', 'handwritten'] : ['handwritten', 'interpreter'];
    for (const side of order) {
      const s = await measure(side, blocked, server, base);
      per[side].rss.push(kib(s.rssAfter, s.rssBefore));
      per[side].heap.push(kib(s.heapAfter, s.heapBefore));
      per[side].heapTotal.push(kib(s.heapTotalAfter, s.heapTotalBefore));
      per[side].external.push(kib(s.externalAfter, s.externalBefore));
      // The V8 heap of workflows on the main thread hardly varies between runs: once is enough.
      if (i === 0) {
        const d = await measure(side, blocked, server, base, true);
        per[side].workflowHeap.push(kib(d.heapAfter, d.heapBefore));
        per[side].retainedRss.push(kib(d.rssAfter, d.rssBefore));
      }
    }
  }
  const both = (key: keyof Series) => ({
    interpreter: round(median(per.interpreter[key]), 1),
    handwritten: round(median(per.handwritten[key]), 1),
  });
  const rssKiBPerFlow = both('rss');
  const heapKiBPerFlow = both('heap');
  const workflowHeapKiBPerFlow = both('workflowHeap');
  const retainedRssKiBPerFlow = both('retainedRss');
  return {
    blocked,
    base,
    runs,
    rssKiBPerFlow,
    heapKiBPerFlow,
    heapTotalKiBPerFlow: both('heapTotal'),
    externalKiBPerFlow: both('external'),
    workflowHeapKiBPerFlow,
    retainedRssKiBPerFlow,
    ratio: ratio(rssKiBPerFlow.interpreter, rssKiBPerFlow.handwritten),
    heapRatio: ratio(heapKiBPerFlow.interpreter, heapKiBPerFlow.handwritten),
    workflowHeapRatio: ratio(
      workflowHeapKiBPerFlow.interpreter,
      workflowHeapKiBPerFlow.handwritten,
    ),
    retainedRatio: ratio(retainedRssKiBPerFlow.interpreter, retainedRssKiBPerFlow.handwritten),
  };
}
