import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Side } from '../bundles';
import type { MemoryPoint, MemorySample } from '../memory/child';
import { median, ratio, round, slope } from '../stats';

export interface MemoryPlan {
  /** Flows blocked before the first sample: their fixed costs are paid before measuring. */
  base: number;
  /** Flows blocked per step; a sample follows each step. */
  blocked: number;
  steps: number;
  /** Processes per side, each giving one slope. */
  runs: number;
}

export interface MemoryResult extends MemoryPlan {
  /**
   * Median RSS per cached flow, in KiB, with the workflows in worker threads as a Weft worker
   * runs them: the slope of RSS over flows blocked, each sample taken after a full GC in the
   * main thread and in the workflow thread (bench/workflows/gc-probe.ts). The target's measure.
   */
  rssKiBPerFlow: Record<Side, number>;
  /** Median main-thread V8 heap per flow, same runs (the worker's bookkeeping of each run). */
  heapKiBPerFlow: Record<Side, number>;
  /** Median growth of the committed main-thread V8 heap per flow, in KiB. */
  heapTotalKiBPerFlow: Record<Side, number>;
  /** Median growth of memory outside the V8 heap that V8 knows of (buffers), in KiB. */
  externalKiBPerFlow: Record<Side, number>;
  /**
   * V8 heap per cached flow with the workflows on the main thread (debugMode), in KiB: the
   * workflows' own objects and the worker's, exactly, where RSS also counts native memory and
   * pages the allocators keep.
   */
  workflowHeapKiBPerFlow: Record<Side, number>;
  /** RSS per cached flow in the same debugMode run, in KiB. */
  debugRssKiBPerFlow: Record<Side, number>;
  /** RSS ratio in worker threads, after GC: the target. */
  ratio: number;
  heapRatio: number;
  workflowHeapRatio: number;
  debugRssRatio: number;
}

const CHILD = fileURLToPath(new URL('../memory/child.ts', import.meta.url));

function measure(
  side: Side,
  plan: MemoryPlan,
  server: { address: string; namespace: string },
  mode: { debugMode: boolean; collect: boolean },
): Promise<MemorySample> {
  const job = { side, base: plan.base, blocked: plan.blocked, steps: plan.steps, ...mode };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD], {
      env: { ...process.env, WEFT_BENCH_MEMORY: JSON.stringify({ ...job, ...server }) },
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

/** KiB per flow: the slope of one measure over the flows blocked. */
function perFlow(series: MemoryPoint[], key: Exclude<keyof MemoryPoint, 'flows'>): number {
  return slope(series.map((p) => ({ x: p.flows, y: p[key] }))) / 1024;
}

/**
 * Each side in fresh processes, alternately: `runs` threaded processes with GC forced in every
 * thread, then one debugMode process, where the bench sees the workflows' V8 heap itself.
 */
export async function benchMemory(
  server: { address: string; namespace: string },
  plan: MemoryPlan,
): Promise<MemoryResult> {
  const keys = ['rss', 'heap', 'heapTotal', 'external', 'workflowHeap', 'debugRss'] as const;
  type Series = Record<(typeof keys)[number], number[]>;
  const empty = (): Series => ({
    rss: [],
    heap: [],
    heapTotal: [],
    external: [],
    workflowHeap: [],
    debugRss: [],
  });
  const per: Record<Side, Series> = { interpreter: empty(), handwritten: empty() };
  for (let i = 0; i < plan.runs; i++) {
    const order: Side[] =
      i % 2 === 0 ? ['interpreter', 'handwritten'] : ['handwritten', 'interpreter'];
    for (const side of order) {
      const { series } = await measure(side, plan, server, { debugMode: false, collect: true });
      per[side].rss.push(perFlow(series, 'rss'));
      per[side].heap.push(perFlow(series, 'heap'));
      per[side].heapTotal.push(perFlow(series, 'heapTotal'));
      per[side].external.push(perFlow(series, 'external'));
    }
  }
  // The V8 heap of workflows on the main thread hardly varies between runs: once is enough.
  for (const side of ['interpreter', 'handwritten'] as const) {
    const { series } = await measure(side, plan, server, { debugMode: true, collect: false });
    per[side].workflowHeap.push(perFlow(series, 'heap'));
    per[side].debugRss.push(perFlow(series, 'rss'));
  }
  const both = (key: keyof Series) => ({
    interpreter: round(median(per.interpreter[key]), 1),
    handwritten: round(median(per.handwritten[key]), 1),
  });
  const of = (r: Record<Side, number>) => ratio(r.interpreter, r.handwritten);
  const result = {
    ...plan,
    rssKiBPerFlow: both('rss'),
    heapKiBPerFlow: both('heap'),
    heapTotalKiBPerFlow: both('heapTotal'),
    externalKiBPerFlow: both('external'),
    workflowHeapKiBPerFlow: both('workflowHeap'),
    debugRssKiBPerFlow: both('debugRss'),
  };
  return {
    ...result,
    ratio: of(result.rssKiBPerFlow),
    heapRatio: of(result.heapKiBPerFlow),
    workflowHeapRatio: of(result.workflowHeapKiBPerFlow),
    debugRssRatio: of(result.debugRssKiBPerFlow),
  };
}
