import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFile, interpreterBundle } from '../helpers/bundle';
import { historyFromObject } from '../helpers/flows';

/**
 * Every history in test/histories was recorded from a real run (WEFT_RECORD_HISTORIES=1 with the
 * integration tests). Replaying them against this build proves the interpreter still makes the
 * same decisions; a change that does not is caught here, unless it is guarded with patched().
 */
const dir = fileURLToPath(new URL('../histories/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string) => historyFromObject(JSON.parse(readFileSync(`${dir}${file}`, 'utf8')));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));

describe('recorded histories', () => {
  it('exist for every step kind', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it('all replay against the current interpreter', async () => {
    const workflowBundle = await interpreterBundle();
    // The recorded run's workflow id is the file name: child ids derive from it.
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: load(file),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('patched() guards', () => {
  let unguarded: { codePath: string };
  let guarded: { codePath: string };
  beforeAll(async () => {
    unguarded = await buildBundleFile(fixture('unguarded'));
    guarded = await buildBundleFile(fixture('guarded'));
  }, 120_000);

  it('an unguarded behaviour change fails replay with a determinism violation', async () => {
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: unguarded },
        load('activity-sequence.json'),
        'unguarded',
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it('the same change behind patched() replays cleanly', async () => {
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: guarded },
        load('activity-sequence.json'),
        'guarded',
      ),
    ).resolves.toBeUndefined();
  });
});
