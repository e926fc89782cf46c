import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { FlowsDir } from '../../../interpreter/api/flows-dir';
import { QueueFollower, servedQueues } from '../../../interpreter/api/queue-follower';
import { manifestWithActivitiesFile } from '../../../interpreter/dsl/node';
import type { ActivityManifest } from '../../../interpreter/model';
import { JsonLogger } from '../../../interpreter/observability';
import type { WorkerGroup } from '../../../interpreter/worker';

/**
 * The worker `weft serve` runs follows its flows folder: queues the flows name later get a
 * worker of their own, and the running workers are never stopped (an activity in flight on them
 * would be retried only after its timeouts).
 */

const GOOD = 'taskQueue: py\nactivities:\n  greet:\n    input: {}\n';
// No input schema: WEFT071.
const BROKEN = 'taskQueue: py\nactivities:\n  greet: {}\n';
const flow = (name: string, queue: string) =>
  `flow: ${name}\nsteps:\n  - id: get\n    activity: http.request\n    taskQueue: ${queue}\n    input: { url: "http://127.0.0.1/" }\n`;

let plugins: ActivityManifest;
beforeAll(async () => {
  plugins = (await loadPlugins([])).manifest();
});

/** A worker group that only records that it was started and stopped. */
function fakeGroup(taskQueues: string[], stopped: string[][]): WorkerGroup {
  let stop!: () => void;
  const done = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    workers: [],
    taskQueues,
    done,
    async shutdown() {
      stopped.push(taskQueues);
      stop();
    },
  };
}

/** A follower over a real flows folder, as interpreter/api/stack.ts builds it. */
function follow(dir: string) {
  const started: string[][] = [];
  const stopped: string[][] = [];
  const lines: { level: string; msg: string }[] = [];
  const deps = {
    flows: new FlowsDir(dir),
    manifest: () => manifestWithActivitiesFile(plugins, dir).manifest ?? plugins,
    activitiesFileDiagnostics: () => manifestWithActivitiesFile(plugins, dir).diagnostics,
  };
  const follower = new QueueFollower({
    polled: fakeGroup(['main'], stopped),
    compute: () => servedQueues(deps, 'main'),
    async startWorkers(queues) {
      started.push(queues);
      return fakeGroup(queues, stopped);
    },
    log: new JsonLogger('INFO', (line) => lines.push(JSON.parse(line))),
  });
  return { follower, started, stopped, lines };
}

describe('the queue follower of weft serve', () => {
  it('starts a worker for just the new queues, and says which flows need each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    writeFileSync(join(dir, 'a.flow.yaml'), flow('a', 'q1'));
    const { follower, started, stopped, lines } = follow(dir);
    await follower.refresh();
    expect(started).toEqual([['q1']]);
    writeFileSync(join(dir, 'b.flow.yaml'), flow('b', 'q1'));
    writeFileSync(join(dir, 'c.flow.yaml'), flow('c', 'q2'));
    await follower.refresh();
    expect(started).toEqual([['q1'], ['q2']]);
    expect(lines.filter((l) => l.level === 'info').map((l) => l.msg)).toEqual([
      'now polling task queue q1 for flows a',
      'now polling task queue q2 for flows c',
    ]);
    expect(follower.taskQueues).toEqual(['main', 'q1', 'q2']);
    // Nothing was stopped to get there.
    expect(stopped).toEqual([]);
    await follower.shutdown();
    expect(stopped).toEqual([['main'], ['q1'], ['q2']]);
  });

  it('keeps polling a queue no flow names any more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    writeFileSync(join(dir, 'a.flow.yaml'), flow('a', 'q1'));
    const { follower, stopped } = follow(dir);
    await follower.refresh();
    writeFileSync(join(dir, 'a.flow.yaml'), flow('a', 'q2'));
    await follower.refresh();
    expect(follower.taskQueues).toEqual(['main', 'q1', 'q2']);
    expect(stopped).toEqual([]);
    await follower.shutdown();
  });

  it('polls the flows a fixed activities file had kept out, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    writeFileSync(join(dir, 'weft.activities.yaml'), BROKEN);
    writeFileSync(join(dir, 'a.flow.yaml'), flow('a', 'q1'));
    const { follower, started, lines } = follow(dir);
    await follower.refresh();
    expect(started).toEqual([]);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      expect.stringMatching(/^weft\.activities\.yaml has errors, so 1 flow \(a\.flow\.yaml\)/),
    ]);
    writeFileSync(join(dir, 'weft.activities.yaml'), GOOD);
    await follower.refresh();
    expect(started).toEqual([['q1']]);
    await follower.shutdown();
  });

  it('folds refreshes asked for while one runs into one more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    writeFileSync(join(dir, 'a.flow.yaml'), flow('a', 'q1'));
    const { follower, started } = follow(dir);
    const first = follower.refresh();
    writeFileSync(join(dir, 'b.flow.yaml'), flow('b', 'q2'));
    await Promise.all([first, follower.refresh(), follower.refresh()]);
    // The first run may or may not have listed b already; either way q2 is polled, once.
    expect(started.flat().sort()).toEqual(['q1', 'q2']);
    await follower.shutdown();
  });

  it('follows the folder on disk, into subfolders made after it started watching', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-follow-'));
    const { follower, started } = follow(dir);
    follower.watch(dir);
    mkdirSync(join(dir, 'team'));
    writeFileSync(join(dir, 'team', 'a.flow.yaml'), flow('a', 'q1'));
    await vi.waitFor(() => expect(started).toEqual([['q1']]), { timeout: 30_000 });
    // A change inside the new subfolder alone: seen only if that folder is watched too.
    writeFileSync(join(dir, 'team', 'b.flow.yaml'), flow('b', 'q2'));
    await vi.waitFor(() => expect(started).toEqual([['q1'], ['q2']]), { timeout: 30_000 });
    await follower.shutdown();
  });
});
