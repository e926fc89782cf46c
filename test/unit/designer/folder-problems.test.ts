import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchFolderProblems } from '../../../designer/src/hooks/useFolderProblems';
import { type FolderProblem, selectFolderProblems, useDesigner } from '../../../designer/src/store';

/**
 * The Problems pane shows the problems of the server folder's activities files beside the
 * text's: asked for when a flow of the folder opens, after a save and when the manifest loads,
 * and only ever shown for the flow they were asked for.
 */

const FLOW = 'flow: t\nsteps:\n  - id: a\n    log: hi\n';
const broken = (file: string): FolderProblem => ({
  code: 'WEFT071',
  pointer: '/activities/x',
  severity: 'error',
  message: 'external activity "x" declares no input schema',
  file,
  line: 4,
  col: 3,
});

/** Answers per flow path, each released when the test says so. */
let answers: Map<string, { release(): void }>;
let asked: string[];
let unwatch: () => void;

beforeEach(() => {
  answers = new Map();
  asked = [];
  vi.stubGlobal('fetch', (url: string) => {
    const path = new URL(url, 'http://x/').searchParams.get('flow') ?? '';
    asked.push(path);
    return new Promise<Response>((resolve) => {
      answers.set(path, {
        release: () =>
          resolve(
            new Response(
              JSON.stringify({
                ok: false,
                diagnostics: [broken(`${path.split('/')[0]}/weft.activities.yaml`)],
              }),
            ),
          ),
      });
    });
  });
  useDesigner.getState().open(FLOW, { name: 'start.flow.yaml' });
  unwatch = watchFolderProblems();
});

afterEach(() => {
  unwatch();
  vi.unstubAllGlobals();
});

const settle = () => new Promise((r) => setTimeout(r, 0));
const shown = () => selectFolderProblems(useDesigner.getState()).map((d) => d.file);

describe("the activities files' problems of the open flow", () => {
  it('are asked for when a flow of the folder opens, and again after it is saved', async () => {
    useDesigner.getState().open(FLOW, { path: 'team/a.flow.yaml', name: 'a.flow.yaml' });
    expect(asked).toEqual(['team/a.flow.yaml']);
    answers.get('team/a.flow.yaml')?.release();
    await settle();
    expect(shown()).toEqual(['team/weft.activities.yaml']);
    useDesigner.getState().markSaved(FLOW, { path: 'team/a.flow.yaml', name: 'a.flow.yaml' });
    expect(asked).toEqual(['team/a.flow.yaml', 'team/a.flow.yaml']);
  });

  it('are asked for again when the manifest loads', () => {
    useDesigner.getState().open(FLOW, { path: 'team/a.flow.yaml', name: 'a.flow.yaml' });
    useDesigner.getState().setManifest({ activities: [] });
    expect(asked).toEqual(['team/a.flow.yaml', 'team/a.flow.yaml']);
  });

  it('are none for a file opened from disk, which has no folder on the server', async () => {
    useDesigner.getState().open(FLOW, { path: 'team/a.flow.yaml', name: 'a.flow.yaml' });
    answers.get('team/a.flow.yaml')?.release();
    await settle();
    useDesigner.getState().open(FLOW, { name: 'mine.flow.yaml' });
    expect(shown()).toEqual([]);
    expect(asked).toEqual(['team/a.flow.yaml']);
  });

  it('never come from the answer for a flow opened before, however late it arrives', async () => {
    useDesigner.getState().open(FLOW, { path: 'team/a.flow.yaml', name: 'a.flow.yaml' });
    useDesigner.getState().open(FLOW, { path: 'ops/b.flow.yaml', name: 'b.flow.yaml' });
    answers.get('ops/b.flow.yaml')?.release();
    answers.get('team/a.flow.yaml')?.release();
    await settle();
    expect(shown()).toEqual(['ops/weft.activities.yaml']);
  });
});
