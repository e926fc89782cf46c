import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { cacheDir, connectClient, connectionOptionsFromEnv } from '../../interpreter/temporal';
import {
  type ClusterState,
  clusterEnv,
  findPostgresBin,
  SERVICES,
  startCluster,
  stopCluster,
  TEMPORAL_SERVER_VERSION,
} from '../../test/cluster/stack';
import { SIDES, type Side } from '../bundles';
import { compileText, sequentialFlowText } from '../flows';
import { startSide, type Workload } from '../runs';
import { median, ratio, round } from '../stats';

/** What the machine line names as the server when the cluster section ran. */
export const CLUSTER_SERVER = `Temporal server ${TEMPORAL_SERVER_VERSION}: 4 services on PostgreSQL (mTLS)`;

export interface ClusterPlan {
  /** Flows per batch, all started at once. */
  flows: number;
  /** Activities per flow (the sequential flow). */
  steps: number;
  /** Batches per side, interleaved. */
  runs: number;
}

export interface ClusterResult extends ClusterPlan {
  cores: number;
  /** Median over the batches; one worker process per side. */
  flowsPerS: Record<Side, number>;
  activitiesPerS: Record<Side, number>;
  /** interpreter / hand-written flows per second. */
  throughputRatio: number;
  scaling: {
    flowsPerS: { one: number; two: number };
    /** two / one: 2.0 would be linear; on 2 cores shared with the cluster it cannot be. */
    ratio: number;
    /** CPU seconds each process spent in the batch, by process. */
    cpuS: { one: Record<string, number>; two: Record<string, number> };
    /**
     * All those CPU seconds over the batch's wall seconds: the cores the bench's processes got.
     * Well under the machine's cores means other work on the machine took the rest, and the
     * ratio measures that more than Weft.
     */
    coresUsed: { one: number; two: number };
  };
}

/**
 * Why the section cannot run here without being asked (`--only cluster` builds what is
 * missing); undefined when the server is built and PostgreSQL installed.
 */
export function clusterUnavailable(): string | undefined {
  try {
    findPostgresBin();
  } catch (err) {
    return (err as Error).message;
  }
  const dir = cacheDir(`temporal-server-${TEMPORAL_SERVER_VERSION}`);
  if (!existsSync(join(dir, 'temporal-server'))) {
    return `the Temporal server is not built (${dir}); npm run test:cluster or --only cluster builds it`;
  }
  return undefined;
}

const WORKER = fileURLToPath(new URL('../cluster-worker.ts', import.meta.url));

interface BenchWorker {
  child: ChildProcess;
  stop(): Promise<void>;
}

async function spawnWorker(state: ClusterState, side: Side, queue: string): Promise<BenchWorker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, side, queue], {
    env: { ...process.env, ...clusterEnv(state) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited (${code}) before ready`)));
  });
  return {
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

const TICK = 100; // USER_HZ on Linux

/** utime + stime of a process, in seconds; 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid) out.push(Number(entry));
    } catch {}
  }
  return out;
}

/** CPU seconds so far of every process the batch involves, by name. */
function cpuSnapshot(state: ClusterState, workers: BenchWorker[]): Record<string, number> {
  const snap: Record<string, number> = {};
  workers.forEach((w, i) => {
    snap[`weft worker ${i + 1}`] = cpuOf(w.child.pid ?? 0);
  });
  for (const name of SERVICES) {
    const pidFile = join(state.dir, state.services[name].pidFile);
    snap[`temporal ${name}`] = cpuOf(Number(readFileSync(pidFile, 'utf8')));
  }
  const postmaster = Number(
    readFileSync(join(state.postgres.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  snap.postgres = [postmaster, ...childrenOf(postmaster)].reduce((a, p) => a + cpuOf(p), 0);
  const own = process.cpuUsage();
  snap['bench (client)'] = (own.user + own.system) / 1e6;
  return snap;
}

const delta = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.entries(b).map(([k, v]) => [k, round(v - (a[k] ?? 0), 2)]));

/** Starts `flows` flows at once on `queue` and waits for all: flows per second. */
async function batch(client: Client, queue: string, side: Side, work: Workload, flows: number) {
  const t0 = performance.now();
  const handles = await Promise.all(
    Array.from({ length: flows }, () =>
      startSide(client, queue, side, work, `bench-cluster-${side}-${randomUUID()}`),
    ),
  );
  await Promise.all(handles.map((h) => h.result()));
  return flows / ((performance.now() - t0) / 1000);
}

/**
 * Throughput on the cluster of the cluster tier: flows and activities per second, interpreter
 * against hand-written, one worker process per side; then the interpreter with one worker
 * process and with two, with the CPU every process used. Everything shares this machine's cores.
 */
export async function benchCluster(
  p: ClusterPlan,
  log: (line: string) => void,
): Promise<ClusterResult> {
  const state = await startCluster({ onProgress: log });
  const workers: BenchWorker[] = [];
  const settings = connectionOptionsFromEnv(clusterEnv(state));
  if (!settings) throw new Error('no cluster address');
  const { client, connection } = await connectClient(settings);
  try {
    const work: Workload = {
      flow: compileText(sequentialFlowText(p.steps)),
      handwritten: { type: 'sequential', args: [p.steps] },
    };
    const queues = { interpreter: `bc-i-${randomUUID()}`, handwritten: `bc-h-${randomUUID()}` };
    for (const side of SIDES) workers.push(await spawnWorker(state, side, queues[side]));
    // A warm-up batch each: bundles loaded, pollers and connections up, caches filled.
    for (const side of SIDES) await batch(client, queues[side], side, work, 20);
    const rates: Record<Side, number[]> = { interpreter: [], handwritten: [] };
    for (let i = 0; i < p.runs; i++) {
      const order = i % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) {
        log(`cluster: ${side} batch ${i + 1}/${p.runs} (${p.flows} flows x ${p.steps} steps)`);
        rates[side].push(await batch(client, queues[side], side, work, p.flows));
      }
    }
    for (const w of workers.splice(0)) await w.stop();

    const queue = `bc-s-${randomUUID()}`;
    const scaled = async (count: number) => {
      while (workers.length < count) workers.push(await spawnWorker(state, 'interpreter', queue));
      await batch(client, queue, 'interpreter', work, 20);
      log(`cluster: interpreter on ${count} worker process(es), ${p.flows} flows`);
      const before = cpuSnapshot(state, workers);
      const rate = await batch(client, queue, 'interpreter', work, p.flows);
      const cpu = delta(before, cpuSnapshot(state, workers));
      const total = Object.values(cpu).reduce((a, v) => a + v, 0);
      return { rate, cpu, cores: round(total / (p.flows / rate), 2) };
    };
    const one = await scaled(1);
    const two = await scaled(2);

    const flowsPerS = {
      interpreter: round(median(rates.interpreter), 1),
      handwritten: round(median(rates.handwritten), 1),
    };
    return {
      ...p,
      cores: cpus().length,
      flowsPerS,
      activitiesPerS: {
        interpreter: round(flowsPerS.interpreter * p.steps, 1),
        handwritten: round(flowsPerS.handwritten * p.steps, 1),
      },
      throughputRatio: ratio(flowsPerS.interpreter, flowsPerS.handwritten),
      scaling: {
        flowsPerS: { one: round(one.rate, 1), two: round(two.rate, 1) },
        ratio: ratio(two.rate, one.rate),
        cpuS: { one: one.cpu, two: two.cpu },
        coresUsed: { one: one.cores, two: two.cores },
      },
    };
  } finally {
    for (const w of workers) await w.stop().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stopCluster(state);
  }
}
