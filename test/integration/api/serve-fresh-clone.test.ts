/**
 * Regression (issue 14 §7): on a fresh clone, after `npm install`, `weft serve` answered `/` with
 * "The designer has not been built yet". It now builds the designer first, as `weft dev` does.
 * The clone is the checkout copied without its build output, sharing its node_modules.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../e2e/serve';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const clone = mkdtempSync(join(tmpdir(), 'weft-clone-'));

afterAll(() => rmSync(clone, { recursive: true, force: true }));

/** What a clone holds: the checkout without what installs and builds add (see .gitignore). */
const NOT_IN_A_CLONE = ['node_modules', 'designer/dist', 'dist', '.git', '.weft', 'coverage'];

function freshClone(): void {
  cpSync(ROOT, clone, {
    recursive: true,
    filter: (src) => !NOT_IN_A_CLONE.includes(relative(ROOT, src).split(sep).join('/')),
  });
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
