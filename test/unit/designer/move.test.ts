import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { moveStepTo } from '../../../designer/src/components/drag';

const flow = `flow: move
steps:
  - log: a # A
  - log: b # B
  - if: \${ true }
    then:
      - log: t
  - log: c # C
`;

function move(from: string, list: string, index: number) {
  const doc = parseDocument(flow);
  const at = moveStepTo(doc, from, list, index);
  return { at, text: doc.toString(), value: doc.toJS() as { steps: Record<string, unknown>[] } };
}

describe('moving a step by drag and drop', () => {
  it('moves down its own list, to the index the drop point stood for', () => {
    const r = move('/steps/0', '/steps', 2);
    expect(r.value.steps.map((s) => s.log ?? 'if')).toEqual(['b', 'a', 'if', 'c']);
    expect(r.at).toBe('/steps/1');
    expect(r.text).toContain('- log: a # A');
  });

  it('moves up its own list', () => {
    const r = move('/steps/3', '/steps', 0);
    expect(r.value.steps.map((s) => s.log ?? 'if')).toEqual(['c', 'a', 'b', 'if']);
    expect(r.at).toBe('/steps/0');
  });

  it('moves into a later branch, whose pointer shifts up by one', () => {
    const r = move('/steps/1', '/steps/2/then', 1);
    expect(r.value.steps.map((s) => s.log ?? 'if')).toEqual(['a', 'if', 'c']);
    expect(r.value.steps[1]!.then).toEqual([{ log: 't' }, { log: 'b' }]);
    expect(r.at).toBe('/steps/1/then/1');
    expect(r.text).toContain('- log: b # B');
  });

  it('moves out of a branch to the end of the flow', () => {
    const r = move('/steps/2/then/0', '/steps', 4);
    expect(r.value.steps.at(-1)).toEqual({ log: 't' });
    expect(r.value.steps[2]!.then).toEqual([]);
    expect(r.at).toBe('/steps/4');
  });
});
