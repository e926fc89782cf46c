import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../interpreter/temporal';
import { round } from '../stats';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeRssResult {
  flows: number;
  /** RSS of the serve process once it has run one flow (worker and bundle loaded), MiB. */
  beforeMiB: number;
  /** RSS of the same process after `flows` more flows have completed, MiB. */
  afterMiB: number;
  ratio: number;
  /** Wall time to start and finish the flows through the API, ms. */
  wallMs: number;
}

/** A short flow with no plugin: one `set` and an output. */
const FLOW = `flow: bench-short
steps:
  - set: { n: "\${ input.n }" }
output: "\${ vars.n }"
`;

/** VmRSS of a process, in MiB (Linux). */
function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) / 1024;
}

/** Starts one flow through the API; its workflow id. */
async function start(url: string, n: number): Promise<string> {
  const res = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file: 'short.flow.yaml', input: { n } }),
  });
  if (res.status !== 201)
    throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { workflowId: string }).workflowId;
}

/**
 * `weft serve` (API and in-process worker) as its own process on the bench's Temporal server:
 * its RSS once warm, then after `flows` short flows started through the API (20 at a time) and
 * completed. The ratio is what 300 flows leave behind in a long-lived server.
 */
export async function benchServeRss(
  server: { address: string; namespace: string },
  flows: number,
): Promise<ServeRssResult> {
  if (!process.platform.startsWith('linux')) throw new Error('serve RSS reads /proc: Linux only');
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-rss-'));
  writeFileSync(join(dir, 'short.flow.yaml'), FLOW);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'weft.mjs'),
      'serve',
      '--flows',
      dir,
      '--port',
      String(port),
      '--task-queue',
      `bench-rss-${randomUUID().slice(0, 8)}`,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: server.namespace,
        WEFT_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`weft serve exited (${child.exitCode}): ${stderr}`);
      if ((await fetch(`${url}/api/health`).catch(() => undefined))?.ok) break;
      if (Date.now() > deadline) throw new Error(`weft serve did not answer: ${stderr}`);
      await sleep(250);
    }
    const pid = child.pid ?? 0;
    // One flow first, so the workflow bundle and the worker's caches count as the baseline.
    await client.workflow.getHandle(await start(url, -1)).result();
    await sleep(1000);
    const beforeMiB = rssMiB(pid);
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < flows; i += 20) {
      const batch = Array.from({ length: Math.min(20, flows - i) }, (_, k) => start(url, i + k));
      ids.push(...(await Promise.all(batch)));
    }
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).result()));
    const wallMs = performance.now() - t0;
    await sleep(1000);
    const afterMiB = rssMiB(pid);
    return {
      flows,
      beforeMiB: round(beforeMiB, 1),
      afterMiB: round(afterMiB, 1),
      ratio: round(afterMiB / beforeMiB, 2),
      wallMs: round(wallMs, 0),
    };
  } finally {
    await connection.close();
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('close', done));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
