import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uniqueTaskQueue } from '../helpers';
import { startWeft } from './processes';

const BROKEN = fileURLToPath(new URL('../fixtures/plugins/throws-at-import.mjs', import.meta.url));

// Issue 12, item 10: a plugin that throws at import left `weft worker` and `weft serve` running
// without it (and deaf to the first SIGTERM). Both must print the error and exit non-zero.
describe('a plugin that throws at import', () => {
  it('weft worker prints the error and exits 1 at start', async () => {
    const worker = startWeft([
      'worker',
      '--plugins',
      BROKEN,
      '--task-queue',
      uniqueTaskQueue('bad'),
    ]);
    const r = await worker.exited(30_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `weft worker: WEFT_PLUGIN_LOAD cannot load plugin module ${BROKEN}: this plugin is broken at import`,
    );
  });

  it('weft serve prints the error and exits 1 at start', async () => {
    const flows = mkdtempSync(join(tmpdir(), 'weft-faults-'));
    const serve = startWeft(['serve', '--port', '0', '--flows', flows, '--plugins', BROKEN]);
    const r = await serve.exited(30_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('weft serve: WEFT_PLUGIN_LOAD cannot load plugin module');
    expect(r.stderr).toContain('this plugin is broken at import');
  });

  it('a bad --allow-http rule is a usage error (exit 2), before anything starts', async () => {
    const worker = startWeft(['worker', '--allow-http', 'http://nope/', '--task-queue', 'x']);
    const r = await worker.exited(30_000);
    expect([r.killed, r.code]).toEqual([false, 2]);
    expect(r.stderr).toContain("--allow-http: 'http://nope/' is not a host");
  });
});
