/**
 * Regression (issue 14 §7): on a fresh clone, after `npm install`, `weft serve` answered `/` with
 * "The designer has not been built yet". It now builds the designer first, as `weft dev` does.
 * The clone is the checkout's tracked files copied to a temp folder, sharing its node_modules.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../e2e/serve';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const clone = mkdtempSync(join(tmpdir(), 'weft-clone-'));

afterAll(() => rmSync(clone, { recursive: true, force: true }));

function freshClone(): void {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const file of tracked) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
}

describe('weft serve on a fresh clone', () => {
  it('builds the designer before serving it', async () => {
    freshClone();
    expect(existsSync(join(clone, 'designer/dist'))).toBe(false);
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      ['bin/weft.mjs', 'serve', '--port', String(port), '--flows', 'examples', '--no-worker'],
      { cwd: clone, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const deadline = Date.now() + 240_000;
      while (!/weft serve: http/.test(out)) {
        if (child.exitCode !== null) throw new Error(`weft serve exited:\n${out}`);
        if (Date.now() > deadline) throw new Error(`weft serve did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(out).toContain('weft serve: building the designer');
      const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(page).not.toContain('has not been built');
      expect(page).toContain('<div id="root">');
      expect(existsSync(join(clone, 'designer/dist/index.html'))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    }
  }, 300_000);
});
