import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let copy: string;
let cache: string;

/** Runs the copy's `weft` with its own CLI cache. */
function weft(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(copy, 'bin', 'weft.mjs'), ...args],
      { cwd: copy, env: { ...process.env, WEFT_CLI_CACHE: cache } },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

// A copy of the sources (node_modules linked), so editing one cannot disturb other tests.
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'weft-cli-copy-'));
  cache = join(copy, 'cli-cache');
  // The designer's graph and layout too: `weft graph` and `weft diff` bundle them.
  for (const part of [
    'bin',
    'interpreter',
    'schema',
    'examples',
    'test/fixtures/plugins',
    'designer/src/graph',
    'designer/src/layout',
  ])
    cpSync(join(REPO, part), join(copy, part), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the compiled CLI', () => {
  it('never runs a stale build: an edited source is compiled before the next call', async () => {
    expect(await weft(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const main = join(copy, 'interpreter', 'cli', 'main.ts');
    const text = readFileSync(main, 'utf8');
    expect(text).toContain('console.log(version());');
    writeFileSync(
      main,
      text.replace('console.log(version());', 'console.log(`${version()} edited`);'),
    );
    expect(await weft(['--version'])).toMatchObject({ code: 0, stdout: '0.1.0 edited\n' });
    expect(readdirSync(cache).filter((d) => !d.includes('.tmp-'))).toHaveLength(2);
  });

  it('validates a flow and loads a TypeScript plugin without tsx in front', async () => {
    const valid = await weft(['validate', 'examples/approval.flow.yaml']);
    expect(valid.code).toBe(0);
    const manifest = await weft([
      'manifest',
      '--plugins',
      'test/fixtures/plugins/test-activities.ts',
    ]);
    expect(manifest.code).toBe(0);
    const names = (JSON.parse(manifest.stdout) as { activities: { name: string }[] }).activities;
    expect(names.map((a) => a.name)).toContain('test.echo');
  });
});
