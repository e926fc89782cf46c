import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type ListeningServer, listen } from '../../../interpreter/api';
import { designerIsStale, designerMissing } from '../../../interpreter/cli/designer-build';
import { testClient, testServer } from '../../helpers';
import { flowsFolder } from './helpers';

const BIN = fileURLToPath(new URL('../../../bin/weft.mjs', import.meta.url));
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** A built designer stand-in: index.html and one hashed asset. */
function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'weft-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>designer</title>');
  writeFileSync(join(dist, 'assets/app-1234.js'), 'console.log(1)');
  return dist;
}

describe('GET / serves the built designer', () => {
  it('serves files, falls back to index.html for app routes, and 404s missing assets', async () => {
    const { dir } = flowsFolder();
    const app = createApp({
      flowsDir: dir,
      client: await testClient(),
      temporal: testServer(),
      manifest: () => ({ activities: [] }),
      taskQueue: 'unused',
      designerDir: fakeDist(),
    });
    const server: ListeningServer = await listen(app, '127.0.0.1', 0);
    closers.push(() => server.close());
    const index = await fetch(`${server.url}/?flow=hello.flow.yaml`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>designer</title>');
    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await (await fetch(`${server.url}/runs/abc`)).text()).toContain('designer');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it('knows when the designer build is stale', () => {
    const repo = mkdtempSync(join(tmpdir(), 'weft-repo-'));
    mkdirSync(join(repo, 'designer/src'), { recursive: true });
    writeFileSync(join(repo, 'designer/src/main.tsx'), 'export {}');
    expect(designerIsStale(repo)).toBe(true);
    expect(designerMissing(repo)).toBe(true);
    mkdirSync(join(repo, 'designer/dist'));
    writeFileSync(join(repo, 'designer/dist/index.html'), '<!doctype html>');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(repo, 'designer/src/main.tsx'), past, past);
    utimesSync(join(repo, 'designer/src'), past, past);
    expect(designerIsStale(repo)).toBe(false);
    writeFileSync(join(repo, 'designer/src/main.tsx'), 'export const edited = 1');
    expect(designerIsStale(repo)).toBe(true);
    // Stale is not missing: `weft serve` builds only a designer that was never built.
    expect(designerMissing(repo)).toBe(false);
  });
});

describe('weft dev (process)', () => {
  it('starts everything, prints the designer and Temporal UI URLs, keeps state in .weft/', async () => {
    const { dir } = flowsFolder();
    const cwd = mkdtempSync(join(tmpdir(), 'weft-dev-'));
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, 'dev', '--flows', dir, '--port', '0', '--no-build'],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WEFT_LOG_LEVEL: 'ERROR' } },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    closers.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    let out = '';
    const designer = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Temporal Web UI: .*\n/.test(out)) {
          const m = /Designer:\s+(http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`weft dev exited ${code}: ${out}`)));
    });
    expect(out).toMatch(/Temporal Web UI: /);
    const health = await fetch(new URL('/api/health', designer));
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    const page = await fetch(designer);
    expect(page.status).toBe(200);
    const flows = (await (await fetch(new URL('/api/flows', designer))).json()) as {
      flows: { path: string }[];
    };
    expect(flows.flows.map((f) => f.path)).toContain('hello.flow.yaml');
    expect(existsSync(join(cwd, '.weft'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
