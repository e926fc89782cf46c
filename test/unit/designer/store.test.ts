import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertStep, setField } from '../../../designer/src/convert';
import {
  pushHistory,
  type RunEvent,
  statusesAt,
  statusesFromProgress,
  useDesigner,
  viewStatuses,
} from '../../../designer/src/store';
import { loadChecker } from '../../../designer/src/validate';

const FLOW = `# keep me
flow: s
steps:
  - id: a # on a
    activity: x.y
`;

describe('designer store', () => {
  // The page loads the validator after its first paint; here it is there from the start.
  beforeAll(loadChecker);
  beforeEach(() => useDesigner.getState().open(FLOW, { name: 's.flow.yaml' }));

  it('canvas edits and text edits share one undo history', () => {
    const s = useDesigner.getState;
    s().edit((doc) => insertStep(doc, '/steps', 1, { log: 'hi' }));
    const afterCanvas = s().text;
    expect(afterCanvas).toContain('- log: hi');
    s().setText(afterCanvas.replace('hi', 'ho'), 'editor');
    expect(s().graph.nodes.filter((n) => n.type === 'step')).toHaveLength(2);
    s().undo();
    expect(s().text).toBe(afterCanvas);
    s().undo();
    expect(s().text).toBe(FLOW);
    s().redo();
    expect(s().text).toBe(afterCanvas);
    expect(s().text).toContain('# on a');
  });

  it('keeps the last good graph, marked stale, while the text does not parse', () => {
    const s = useDesigner.getState;
    const good = s().graph;
    s().setText('flow: s\nsteps: [\n', 'editor');
    expect(s().stale).toBe(true);
    expect(s().graph).toBe(good);
    s().validate();
    expect(s().diagnostics.length).toBeGreaterThan(0);
    s().setText(FLOW.replace('id: a', 'id: b'), 'editor');
    expect(s().stale).toBe(false);
    expect(s().graph.pointers.get('b')).toBe('/steps/0');
  });

  it('maps diagnostics to the step they point into', () => {
    const s = useDesigner.getState;
    s().setManifest({ activities: [{ name: 'other.one' }] });
    expect(s().problems.get('/steps/0')?.[0]).toMatch(/^WEFT023/);
    s().edit((doc) => {
      setField(doc, '/steps/0', ['activity'], 'other.one');
      return '/steps/0';
    });
    s().validate();
    expect(s().problems.size).toBe(0);
    expect(s().selected).toBe('/steps/0');
  });

  it('refuses structural edits while the text does not parse', () => {
    const s = useDesigner.getState;
    s().setText('steps: [', 'editor');
    s().edit((doc) => insertStep(doc, '/steps', 0, { log: 1 }));
    expect(s().text).toBe('steps: [');
    expect(s().notice?.kind).toBe('error');
  });

  it('keeps a JSON flow JSON after a canvas edit', () => {
    const s = useDesigner.getState;
    s().open('{"flow": "j", "steps": [{"log": "a"}]}', { name: 'j.flow.json' });
    s().edit((doc) => insertStep(doc, '/steps', 1, { log: 'b' }));
    expect(JSON.parse(s().text)).toEqual({ flow: 'j', steps: [{ log: 'a' }, { log: 'b' }] });
  });

  it('coalesces typing into one history entry per pause', () => {
    const at = (text: string) => ({ text, selected: undefined });
    let h = pushHistory(
      { past: [], future: [], lastAt: 0, lastOrigin: '' },
      at('a'),
      'editor',
      1000,
    );
    h = pushHistory(h, at('ab'), 'editor', 1100);
    expect(h.past.map((p) => p.text)).toEqual(['a']);
    h = pushHistory(h, at('abc'), 'editor', 5000);
    h = pushHistory(h, at('abcd'), 'canvas', 5001);
    expect(h.past.map((p) => p.text)).toEqual(['a', 'abc', 'abcd']);
  });

  it('selection follows undo and redo: an undone insert is no longer selected', () => {
    const s = useDesigner.getState;
    s().select('/steps/0');
    s().edit((doc) => insertStep(doc, '/steps', 1, { log: 'hi' }));
    expect(s().selected).toBe('/steps/1');
    s().select(undefined);
    s().undo();
    expect(s().selected).toBe('/steps/0');
    s().redo();
    expect(s().selected).toBe('/steps/1');
    s().select('/steps/1');
    s().setText(FLOW, 'editor');
    expect(s().selected).toBeUndefined();
  });
});

describe('run statuses', () => {
  it('follows step events, attempts and errors, up to the scrubber position', () => {
    const events: RunEvent[] = [
      { event: 'step' as const, data: { stepId: 'a', status: 'scheduled', attempt: 1 } },
      {
        event: 'step' as const,
        data: {
          stepId: 'a',
          status: 'retrying',
          attempt: 2,
          error: { type: 'Flaky', message: 'boom' },
        },
      },
      { event: 'step' as const, data: { stepId: 'a', status: 'completed', attempt: 2 } },
      {
        event: 'step' as const,
        data: { stepId: 'b', status: 'failed', attempt: 1, error: { message: 'no' } },
      },
      { event: 'run' as const, data: { status: 'failed' } },
    ];
    expect(statusesAt(events, 1).get('a')).toEqual({ status: 'running', attempt: 1 });
    expect(statusesAt(events, 2).get('a')).toEqual({
      status: 'retrying',
      attempt: 2,
      error: 'Flaky: boom',
    });
    const end = statusesAt(events, events.length);
    expect(end.get('a')?.status).toBe('completed');
    expect(end.get('b')).toEqual({ status: 'failed', attempt: 1, error: 'no' });
  });

  it('adds control and skipped steps from the progress query, except while scrubbing', () => {
    const progress = statusesFromProgress([
      { stepId: 'gate', status: 'completed' },
      { stepId: 'maybe', status: 'skipped' },
      { stepId: 'a', status: 'running' },
      { stepId: 'loop.x', status: 'running' },
      { stepId: 'loop.x', status: 'completed' },
      { stepId: 'later', status: 'pending' },
    ]);
    expect(progress.get('maybe')?.status).toBe('skipped');
    expect(progress.get('loop.x')?.status).toBe('running');
    expect(progress.has('later')).toBe(false);
    const events: RunEvent[] = [
      { event: 'step' as const, data: { stepId: 'a', status: 'completed', attempt: 1 } },
    ];
    const live = viewStatuses({ workflowId: 'w', events, cursor: null, live: true }, progress);
    expect(live.get('a')?.status).toBe('completed');
    expect(live.get('gate')?.status).toBe('completed');
    const scrubbed = viewStatuses({ workflowId: 'w', events, cursor: 0, live: false }, progress);
    expect(scrubbed.size).toBe(0);
  });
});
