import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { inject } from 'vitest';
import { loadPlugins } from '../../interpreter/activities';
import { startFlow } from '../../interpreter/client';
import { loadFlowFile } from '../../interpreter/dsl/node';
import type { CompiledFlow } from '../../interpreter/model';
import { connectClient, connectionOptionsFromEnv } from '../../interpreter/temporal';
import { spawnWeft } from '../integration/cli/weft';
import { type ClusterState, clusterEnv } from './stack';

export const LEDGER_PLUGIN = fileURLToPath(new URL('./fixtures/ledger.mjs', import.meta.url));
export const fixture = (name: string) =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function cluster(): ClusterState {
  return inject('cluster');
}

/** A client over mTLS, configured by the README's TEMPORAL_* variables only. */
export async function clusterClient(env: Record<string, string> = clusterEnv(cluster())) {
  const settings = connectionOptionsFromEnv(env);
  if (!settings) throw new Error('no TEMPORAL_ADDRESS');
  return connectClient(settings);
}

export async function compiled(file: string): Promise<CompiledFlow> {
  const registry = await loadPlugins([LEDGER_PLUGIN]);
  const { compiled: flow, diagnostics } = loadFlowFile(fixture(file), {
    manifest: registry.manifest(),
  });
  if (!flow) throw new Error(`${file} does not compile: ${JSON.stringify(diagnostics)}`);
  return flow;
}

const ledgers: string[] = [];

/** A fresh folder for one test's side effects; removeLedgers() clears them all. */
export function newLedger(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-ledger-'));
  ledgers.push(dir);
  return dir;
}

export function removeLedgers(): void {
  for (const dir of ledgers.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A `weft worker` process on the cluster with the ledger plugin: the unit the tests SIGKILL and
 * restart. Resolves once it serves.
 */
export async function startWorker(taskQueue: string, ledger: string, extra: string[] = []) {
  const worker = spawnWeft(
    ['worker', '--plugins', LEDGER_PLUGIN, '--task-queue', taskQueue, ...extra],
    { ...process.env, ...clusterEnv(cluster()), WEFT_LEDGER_DIR: ledger },
  );
  await worker.waitFor('weft worker: serving', 'stderr', 180_000);
  return worker;
}

/**
 * Starts a flow, retrying through an outage with the same workflow id: a retry whose first
 * attempt did reach the server meets "already started", which is the start we wanted, so an
 * outage can neither lose nor duplicate it.
 */
export async function startSafely(
  client: Client,
  flow: CompiledFlow,
  input: unknown,
  workflowId: string,
  taskQueue: string,
): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await startFlow(client, flow, input, { workflowId, taskQueue });
      return;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Waits for each flow's result, retrying through an outage (the result call is read-only). */
export async function resultsOf(client: Client, ids: string[]): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const deadline = Date.now() + 300_000;
      for (;;) {
        try {
          await client.workflow.getHandle(id).result();
          statuses.set(id, 'completed');
          return;
        } catch (err) {
          const name = (err as Error).name;
          if (name === 'WorkflowFailedError') {
            statuses.set(id, `failed: ${(err as Error).message}`);
            return;
          }
          if (Date.now() > deadline) {
            statuses.set(id, `unknown: ${(err as Error).message}`);
            return;
          }
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    }),
  );
  return statuses;
}

export interface LedgerCheck {
  /** Started flows missing one of their marks. */
  lost: string[];
  /** Marks written by a second run of the same id, or by a flow nobody started. */
  duplicated: string[];
  /** Attempts beyond the first (retries after a kill): allowed, and reported. */
  retries: number;
  /** Distinct worker processes that recorded marks. */
  pids: Set<string>;
}

/**
 * What the ledger says of the flows `ids`: `scope` is the id prefix they share (a ledger may hold
 * other tests' flows too), and a record in scope that nobody started is a duplicate.
 */
export function checkLedger(dir: string, ids: string[], marks: string[], scope = ''): LedgerCheck {
  const started = new Set(ids);
  const inScope = (line: string) => line.startsWith(scope);
  const lines = (file: string) =>
    existsSync(join(dir, file))
      ? readFileSync(join(dir, file), 'utf8').trim().split('\n').filter(inScope)
      : [];
  const lost = ids.filter((id) => marks.some((m) => !existsSync(join(dir, `${id}~${m}`))));
  const duplicated = lines('duplicates.log');
  for (const file of readdirSync(dir)) {
    const id = file.split('~')[0] ?? '';
    if (file.includes('~') && inScope(file) && !started.has(id)) {
      duplicated.push(`${file} (not started)`);
    }
  }
  const attempts = lines('attempts.log');
  const pids = new Set(attempts.map((line) => line.split(' ')[3] ?? ''));
  const retries = attempts.filter((line) => line.split(' ')[2] !== '1').length;
  return { lost, duplicated, retries, pids };
}

/** How many `mark` records the ledger holds so far. */
export function recorded(dir: string, mark: string): number {
  return readdirSync(dir).filter((f) => f.endsWith(`~${mark}`)).length;
}

export async function until(what: string, ms: number, check: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
