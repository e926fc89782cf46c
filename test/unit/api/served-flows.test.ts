import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../../interpreter/activities';
import { blockedWarning, compileAll, compileForRun } from '../../../interpreter/api/dsl';
import { FlowsDir } from '../../../interpreter/api/flows-dir';
import { flowTaskQueues } from '../../../interpreter/client';
import { manifestWithActivitiesFile } from '../../../interpreter/dsl/node';
import type { ActivityManifest } from '../../../interpreter/model';

/**
 * `weft serve` polls the task queues of the flows it could run. It used to ignore the root
 * activities file's errors there (and so polled for flows whose runs it refuses) and to drop the
 * flows of a subfolder with a broken activities file without a word.
 */

const GOOD = 'taskQueue: py\nactivities:\n  greet:\n    input: {}\n';
const TEAM = 'taskQueue: go\nactivities:\n  team_only:\n    input: {}\n';
// No input schema: WEFT071 at 3:3.
const BROKEN = 'taskQueue: py\nactivities:\n  greet: {}\n';
const flow = (name: string, queue: string) =>
  `flow: ${name}\nsteps:\n  - id: get\n    activity: http.request\n    taskQueue: ${queue}\n    input: { url: "http://127.0.0.1/" }\n`;

let plugins: ActivityManifest;
beforeAll(async () => {
  plugins = (await loadPlugins([])).manifest();
});

/** A flows folder, and the deps `weft serve` checks it with (as interpreter/api/stack.ts does). */
function folder(rootFile: string, teamFile: string) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-served-'));
  mkdirSync(join(dir, 'team'));
  writeFileSync(join(dir, 'weft.activities.yaml'), rootFile);
  writeFileSync(join(dir, 'team', 'weft.activities.yaml'), teamFile);
  writeFileSync(join(dir, 'top.flow.yaml'), flow('top', 'top-q'));
  writeFileSync(join(dir, 'team', 'a.flow.yaml'), flow('a', 'team-a-q'));
  writeFileSync(join(dir, 'team', 'b.flow.yaml'), flow('b', 'team-b-q'));
  return {
    flows: new FlowsDir(dir),
    manifest: () => manifestWithActivitiesFile(plugins, dir).manifest ?? plugins,
    activitiesFileDiagnostics: () => manifestWithActivitiesFile(plugins, dir).diagnostics,
  };
}

const queues = (compiled: Awaited<ReturnType<typeof compileAll>>['compiled']) =>
  compiled.flatMap((f) => flowTaskQueues(f, 'main')).filter((q) => q !== 'main');

const runRefused = async (deps: ReturnType<typeof folder>, file: string) =>
  compileForRun(deps, { file }).then(
    () => false,
    (err: { code?: string }) => err.code === 'WEFT_API_INVALID_FLOW',
  );

describe('the flows weft serve polls for, beside broken activities files', () => {
  it('serves every flow when the activities files are sound', async () => {
    const served = await compileAll(folder(GOOD, TEAM));
    expect(queues(served.compiled).sort()).toEqual(['team-a-q', 'team-b-q', 'top-q']);
    expect(served.blocked).toEqual([]);
  });

  it("leaves out a subfolder's flows while its file has errors, and names the file and its error", async () => {
    const deps = folder(GOOD, BROKEN);
    const served = await compileAll(deps);
    expect(queues(served.compiled)).toEqual(['top-q']);
    expect(served.blocked).toHaveLength(1);
    const [blocked] = served.blocked;
    expect(blocked).toMatchObject({
      file: 'team/weft.activities.yaml',
      flows: ['team/a.flow.yaml', 'team/b.flow.yaml'],
      diagnostic: { code: 'WEFT071', line: 3, col: 3 },
    });
    expect(blockedWarning(blocked!)).toMatch(
      /^team\/weft\.activities\.yaml has errors, so 2 flows \(team\/a\.flow\.yaml, team\/b\.flow\.yaml\) are not served: runs are refused and their task queues are not polled until it is fixed: team\/weft\.activities\.yaml:3:3 {2}error {2}WEFT071 {2}external activity "greet" declares no input schema/,
    );
    // The same flows as a run refuses.
    expect(await runRefused(deps, 'team/a.flow.yaml')).toBe(true);
    expect(await runRefused(deps, 'top.flow.yaml')).toBe(false);
  });

  it("leaves out every flow while the root's file has errors, as runs are refused", async () => {
    const deps = folder(BROKEN, TEAM);
    const served = await compileAll(deps);
    expect(served.compiled).toEqual([]);
    expect(served.blocked.map((b) => [b.file, b.diagnostic.code, b.flows.length])).toEqual([
      ['weft.activities.yaml', 'WEFT071', 3],
    ]);
    expect(await runRefused(deps, 'top.flow.yaml')).toBe(true);
  });
});
