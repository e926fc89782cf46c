/**
 * Weft as a dependency: the package is packed, installed from its tarball into a project outside
 * the checkout (fixtures/project: a TypeScript plugin, two flows, an application), and used there
 * as a team would: types, the CLI through npx, a worker and a client in the application's own
 * process, and the designer from `npx weft serve`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../e2e/browser';
import { freePort } from '../../e2e/serve';
import { testServer } from '../../helpers';
import { installTarball, packWeft, type Ran, run } from '../../helpers/package';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROJECT_FIXTURE = fileURLToPath(new URL('./fixtures/project', import.meta.url));

/** The project's environment: the test run's Temporal server, never a server of its own. */
function projectEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { address, namespace } = testServer();
  return { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, ...extra };
}

const lastJsonLine = (out: string) => JSON.parse(out.trim().split('\n').at(-1) ?? 'null');

let packDir: string;
let project: string;
let installed: string;

beforeAll(async () => {
  const packed = await packWeft();
  packDir = dirname(packed.tarball);
  project = mkdtempSync(join(tmpdir(), 'weft-project-'));
  cpSync(PROJECT_FIXTURE, project, { recursive: true });
  await installTarball(project, packed.tarball);
  installed = join(project, 'node_modules/weft');
}, 900_000);

afterAll(() => {
  for (const dir of [packDir, project]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

let compiled: Promise<Ran> | undefined;
/** `tsc` over the project (src/app.ts and plugins/greet.ts), emitting into out/. */
function compileProject(): Promise<Ran> {
  compiled ??= run(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      '.',
      '--typeRoots',
      join(ROOT, 'node_modules/@types'),
    ],
    project,
  );
  return compiled;
}

describe('weft installed from its tarball into another project', () => {
  it('ships compiled JavaScript, declarations, the designer and the workflow bundle, no TypeScript', () => {
    const shipped = files(installed);
    expect(shipped.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    for (const f of [
      'bin/weft.mjs',
      'dist/cli.js',
      'dist/index.js',
      'dist/worker.js',
      'dist/client.js',
      'dist/dsl.js',
      'dist/workflow-bundle.json',
      'dist/types/interpreter/package/index.d.ts',
      'designer/dist/index.html',
      'schema/flow.schema.json',
      'CHANGELOG.md',
    ])
      expect(shipped).toContain(f);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(pkg.private).toBeUndefined();
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './worker',
      './client',
      './dsl',
      './schema.json',
      './package.json',
    ]);
  });

  it('weft/dsl reaches no Node module, so a browser bundle can take it', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)) {
        if (spec?.startsWith('.')) walk(join(dirname(file), spec));
        else if (spec) packages.add(spec);
      }
    };
    walk(join(installed, 'dist/dsl.js'));
    expect([...packages].filter((p) => p.startsWith('node:') || isBuiltin(p))).toEqual([]);
    expect([...packages].sort()).toEqual(['ajv-formats', 'ajv/dist/2020.js', 'jsonata', 'yaml']);
  });

  it('type-checks and compiles an application importing weft, weft/worker, weft/client and weft/dsl', async () => {
    const r = await compileProject();
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(join(project, 'out/src/app.js'))).toBe(true);
  });

  it('validates and runs a flow with a TypeScript plugin through npx weft', async () => {
    const env = projectEnv();
    const plugin = ['--plugins', 'plugins/greet.ts'];
    const valid = await run(
      'npx',
      ['weft', 'validate', 'flows/hello.flow.yaml', ...plugin],
      project,
      env,
    );
    expect(valid.code).toBe(0);
    const ran = await run(
      'npx',
      [
        'weft',
        'run',
        'flows/hello.flow.yaml',
        ...plugin,
        '--input',
        '{"name":"Ada"}',
        '--json',
        '--task-queue',
        `pkg-run-${randomUUID().slice(0, 8)}`,
      ],
      project,
      env,
    );
    expect(ran.code, ran.stderr).toBe(0);
    expect(lastJsonLine(ran.stdout)).toEqual({ status: 'completed', output: 'Hello, Ada!' });
    const version = await run('npx', ['weft', '--version'], project, env);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    );
  });

  it('draws a flow with npx weft graph (the designer modules ship bundled in the CLI)', async () => {
    const drawn = await run(
      'npx',
      ['weft', 'graph', 'flows/hello.flow.yaml'],
      project,
      projectEnv(),
    );
    expect(drawn.code, drawn.stderr).toBe(0);
    expect(drawn.stdout).toMatch(/^flowchart TD\n/);
    expect(drawn.stdout).toContain('greet.hello');
  });

  it('runs a worker and starts a flow from its own code', async () => {
    expect((await compileProject()).code).toBe(0);
    const app = await run(
      process.execPath,
      ['out/src/app.js'],
      project,
      projectEnv({ APP_TASK_QUEUE: `pkg-app-${randomUUID().slice(0, 8)}` }),
    );
    expect(app.code, app.stderr).toBe(0);
    expect(lastJsonLine(app.stdout)).toEqual({
      outcome: { status: 'completed', output: { text: 'HELLO, ADA!', letters: 8 } },
      version: 1,
      intercepted: ['greet.hello', 'app.shout', 'count.letters'],
      servedBy: 'app',
      schemaTitle: 'Weft flow',
      stepless: ['WEFT011'],
      steplessHasErrors: true,
    });
  });

  it.skipIf(!chromiumAvailable())(
    'serves the prebuilt designer through npx weft serve',
    async () => {
      const port = await freePort();
      const args = ['weft', 'serve', '--port', String(port), '--flows', 'flows'];
      args.push(
        '--plugins',
        'plugins/greet.ts',
        '--task-queue',
        `pkg-serve-${randomUUID().slice(0, 8)}`,
      );
      // Its own process group, so npx, weft serve and its worker stop together.
      const serve: ChildProcess = spawn('npx', args, {
        cwd: project,
        env: projectEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let log = '';
      serve.stdout?.on('data', (d: Buffer) => {
        log += d.toString();
      });
      serve.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
      });
      const exited = new Promise((resolve) => serve.on('exit', resolve));
      const base = `http://127.0.0.1:${port}`;
      const browser = await launchChromium();
      try {
        const deadline = Date.now() + 120_000;
        for (;;) {
          if (serve.exitCode !== null) throw new Error(`weft serve exited:\n${log}`);
          const ok = await fetch(`${base}/api/health`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) break;
          if (Date.now() > deadline) throw new Error(`weft serve did not answer:\n${log}`);
          await new Promise((r) => setTimeout(r, 250));
        }
        const page = await browser.newPage();
        await page.goto(`${base}/?flow=hello.flow.yaml`);
        await page.waitForSelector('[data-step-id="greet"]', { timeout: 60_000 });
        expect(await page.textContent('body')).not.toContain('has not been built');
      } finally {
        await browser.close();
        if (serve.pid !== undefined && serve.exitCode === null) process.kill(-serve.pid, 'SIGTERM');
        await exited;
      }
    },
  );
});
