/**
 * `weft serve` as a process on loopback, the way an attacker meets it: a free port, a temp copy
 * of the fixture flows, the suite's own plugin, a private task queue.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ServeHandle, startServe } from '../e2e/serve';

export const SEC_PLUGIN = fileURLToPath(new URL('./fixtures/plugin.mjs', import.meta.url));
const FLOWS = fileURLToPath(new URL('./fixtures/flows', import.meta.url));

export interface Served extends ServeHandle {
  /** A scratch folder for marker files that attacks try to create. */
  scratch: string;
}

export async function serve(extra: string[] = []): Promise<Served> {
  const scratch = mkdtempSync(join(tmpdir(), 'weft-sec-'));
  const served = await startServe({
    fixtures: FLOWS,
    plugins: [SEC_PLUGIN],
    args: extra,
    env: { WEFT_LOG_LEVEL: 'ERROR' },
  });
  return {
    ...served,
    scratch,
    async stop() {
      await served.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): { error?: { code: string; message: string } } & Record<string, unknown>;
}

/**
 * A request with exactly the headers given (fetch would set Host and Origin itself): the Host
 * header of a DNS-rebinding page, a foreign Origin, a missing Content-Type.
 */
export function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Uint8Array,
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers, setHost: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: () => JSON.parse(text),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The Host header a same-machine client sends. */
export const hostOf = (s: Served) => `127.0.0.1:${s.port}`;

/**
 * The server still answers a plain health check and runs a flow to its end. Since the worker
 * takes runs from one queue, a run an attack had started would have run by then too.
 */
export async function expectHealthy(s: Served): Promise<void> {
  const health = await fetch(`${s.url}/api/health`);
  if (health.status !== 200) throw new Error(`health answered ${health.status}`);
  const started = await fetch(`${s.url}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ file: 'hello.flow.yaml', input: { say: 'still here' } }),
  });
  if (started.status !== 201) throw new Error(`a healthy run answered ${started.status}`);
  const { workflowId } = (await started.json()) as { workflowId: string };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = (await (
      await fetch(`${s.url}/api/runs/${encodeURIComponent(workflowId)}`)
    ).json()) as { status: string; output?: unknown };
    if (run.status === 'completed') {
      if (JSON.stringify(run.output) !== JSON.stringify({ said: 'still here' }))
        throw new Error(`the healthy run returned ${JSON.stringify(run.output)}`);
      return;
    }
    if (run.status !== 'running') throw new Error(`the healthy run ended ${run.status}`);
    if (Date.now() > deadline) throw new Error('the healthy run did not finish in 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs of one flow, as the API lists them. */
export async function runsOf(s: Served, flow: string): Promise<unknown[]> {
  const res = await fetch(`${s.url}/api/runs?flow=${encodeURIComponent(flow)}`);
  return ((await res.json()) as { runs: unknown[] }).runs;
}

/** Files in the scratch folder: a run that an attack started would leave one. */
export const scratchFiles = (s: Served) => readdirSync(s.scratch);

/** A flow definition that, if it ever ran, would append to `file`. */
export const touchDefinition = (file: string, flow = 'sec-attack') =>
  `flow: ${flow}\nsteps:\n  - activity: sec.touch\n    input: { file: ${JSON.stringify(file)}, tag: pwned }\n`;
