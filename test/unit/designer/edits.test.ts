import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Document, parseDocument } from 'yaml';
import {
  copyStep,
  deleteStep,
  duplicateStep,
  EditError,
  insertStep,
  moveStep,
  pasteSteps,
  setField,
  wrapSteps,
} from '../../../designer/src/convert';

const source = readFileSync(new URL('./fixtures/commented.flow.yaml', import.meta.url), 'utf8');
const COMMENTS = source.match(/C-[A-Z]+/g) ?? [];

function edit(fn: (doc: Document) => void): { text: string; value: Record<string, unknown> } {
  const doc = parseDocument(source);
  fn(doc);
  const text = doc.toString();
  const reparsed = parseDocument(text);
  expect(reparsed.errors).toEqual([]);
  return { text, value: reparsed.toJS() as Record<string, unknown> };
}

/** Golden round trip: every comment of the original survives, except those listed. */
function expectComments(text: string, gone: string[] = []): void {
  for (const c of COMMENTS) {
    if (gone.includes(c)) expect(text).not.toContain(c);
    else expect(text, `comment ${c} lost`).toContain(c);
  }
  expect(text.startsWith('# yaml-language-server: $schema=')).toBe(true);
}

function stepsOf(value: Record<string, unknown>): Record<string, unknown>[] {
  return value.steps as Record<string, unknown>[];
}

describe('structural YAML edits keep comments', () => {
  it('parses and prints the fixture unchanged with no edit', () => {
    expect(parseDocument(source).toString()).toBe(source);
    expect(COMMENTS.length).toBeGreaterThanOrEqual(10);
  });

  it('inserts a step into the top-level list', () => {
    const { text, value } = edit((doc) => {
      expect(insertStep(doc, '/steps', 1, { activity: 'pay.charge', input: { amount: 3 } })).toBe(
        '/steps/1',
      );
    });
    expectComments(text);
    expect(stepsOf(value).map((s) => s.activity ?? Object.keys(s)[0])).toEqual([
      'inventory.reserve',
      'pay.charge',
      'if',
      'parallel',
      'shipping.ship',
    ]);
  });

  it('inserts into an empty flow-style branch and into a missing one', () => {
    const { text, value } = edit((doc) => {
      insertStep(doc, '/steps/1/else', 0, { log: 'cheap' });
      insertStep(doc, '/steps/2/parallel/branches/push', 0, { activity: 'notify.push' });
    });
    expectComments(text);
    const [, ifStep, par] = stepsOf(value);
    expect(ifStep?.else).toEqual([{ log: 'cheap' }]);
    expect(
      (par?.parallel as { branches: Record<string, unknown> } | undefined)?.branches.push,
    ).toEqual([{ activity: 'notify.push' }]);
  });

  it('deletes a step, taking only its own comments', () => {
    const { text, value } = edit((doc) => deleteStep(doc, '/steps/1/then/0'));
    // C-THEN sits before the list's first item, so yaml keeps it on the (now empty) list.
    expectComments(text);
    expect(stepsOf(value)[1]?.then).toEqual([]);
    const top = edit((doc) => deleteStep(doc, '/steps/0'));
    expectComments(top.text, ['C-ACTIVITY', 'C-TIMEOUT']);
    expect(stepsOf(top.value)).toHaveLength(3);
    const mid = edit((doc) => deleteStep(doc, '/steps/1'));
    expectComments(mid.text, ['C-IF', 'C-THEN', 'C-ELSE']);
  });

  it('moves a step up and down with its comments', () => {
    const { text, value } = edit((doc) => {
      expect(moveStep(doc, '/steps/3', -1)).toBe('/steps/2');
      expect(moveStep(doc, '/steps/0', -1)).toBe('/steps/0');
    });
    expectComments(text);
    expect(stepsOf(value).map((s) => s.id ?? null)).toEqual(['reserve', null, 'ship', null]);
    // The comment before `ship` moved with it, ahead of the parallel step.
    expect(text.indexOf('C-TAIL')).toBeLessThan(text.indexOf('parallel:'));
  });

  it('duplicates a step with a fresh id, nested ids included', () => {
    const { text, value } = edit((doc) => {
      expect(duplicateStep(doc, '/steps/0')).toBe('/steps/1');
      duplicateStep(doc, '/steps/0');
      duplicateStep(doc, '/steps/3');
    });
    expectComments(text);
    const s = stepsOf(value);
    expect(s.map((x) => x.id ?? null)).toEqual([
      'reserve',
      'reserve-copy2',
      'reserve-copy',
      null,
      null,
      null,
      'ship',
    ]);
    expect((s[4]?.then as { id: string }[] | undefined)?.[0]?.id).toBe('review-copy');
  });

  it('copies a step as YAML text and pastes it into another flow', () => {
    const clip = copyStep(parseDocument(source), '/steps/0');
    expect(clip).toContain('C-TIMEOUT');
    const other = parseDocument('flow: other # keep\nsteps:\n  - log: hi # mine\n');
    expect(pasteSteps(other, '/steps', 1, clip)).toBe('/steps/1');
    const text = other.toString();
    expect(text).toContain('# keep');
    expect(text).toContain('# mine');
    expect(text).toContain('C-TIMEOUT');
    expect((other.toJS() as { steps: { id?: string }[] }).steps[1]?.id).toBe('reserve');
    expect(() => pasteSteps(other, '/steps', 0, 'just text')).toThrow(EditError);
  });

  it('sets a timeout in place, keeping the comment on the value', () => {
    const { text, value } = edit((doc) =>
      setField(doc, '/steps/0', ['timeouts', 'startToClose'], '45s'),
    );
    expectComments(text);
    expect(text).toContain('startToClose: 45s # C-TIMEOUT');
    expect(stepsOf(value)[0]?.timeouts).toEqual({ startToClose: '45s' });
  });

  it('adds new keys, objects included, and removes keys and emptied maps', () => {
    const { text, value } = edit((doc) => {
      setField(doc, '/steps/3', ['retry'], { maximumAttempts: 3, initialInterval: '1s' });
      setField(doc, '/steps/3', ['timeouts', 'heartbeat'], '5s');
      setField(doc, '/steps/0', ['timeouts', 'startToClose'], undefined);
      setField(doc, '/steps/0', ['result'], undefined);
    });
    expectComments(text, ['C-TIMEOUT']);
    const s = stepsOf(value);
    expect(s[3]?.retry).toEqual({ maximumAttempts: 3, initialInterval: '1s' });
    expect(s[3]?.timeouts).toEqual({ heartbeat: '5s' });
    expect(s[0]).not.toHaveProperty('timeouts');
    expect(s[0]).not.toHaveProperty('result');
  });

  it('wraps steps in a parallel or a try, their comments going with them', () => {
    const par = edit((doc) => expect(wrapSteps(doc, '/steps/0', 2, 'parallel')).toBe('/steps/0'));
    expectComments(par.text);
    const [wrapper] = stepsOf(par.value);
    const branch = (wrapper?.parallel as { branches: Record<string, unknown[]> } | undefined)
      ?.branches.a;
    expect(branch?.map((s) => (s as { id?: string }).id ?? Object.keys(s as object)[0])).toEqual([
      'reserve',
      'if',
    ]);
    expect(stepsOf(par.value)).toHaveLength(3);

    const t = edit((doc) => wrapSteps(doc, '/steps/3', 1, 'try'));
    expectComments(t.text);
    expect(stepsOf(t.value)[3]).toEqual({
      try: [stepsOf(parseDocument(source).toJS() as Record<string, unknown>)[3]],
      catch: [{ steps: [] }],
    });
  });

  it('refuses edits on what is not a step or a list', () => {
    const doc = parseDocument(source);
    expect(() => deleteStep(doc, '/steps/9')).toThrow(EditError);
    expect(() => insertStep(doc, '/flow', 0, { log: 1 })).toThrow(EditError);
    expect(doc.toString()).toBe(source);
  });
});
