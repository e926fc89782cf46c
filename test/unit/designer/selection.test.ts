/**
 * A run of selected steps: consecutive steps of one list, from the selected step to the one
 * Shift+click or Shift+arrow reached; any change to the text ends it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { inSelectedRun, selectedRun, useDesigner } from '../../../designer/src/store';

const FLOW = `flow: s
steps:
  - log: a
  - log: b
  - if: \${ true }
    then:
      - log: t
  - log: c
`;

describe('selecting a run of steps', () => {
  beforeEach(() => useDesigner.getState().open(FLOW, { name: 's.flow.yaml' }));
  const s = useDesigner.getState;

  it('is one step until it is extended, in either direction', () => {
    expect(selectedRun(s())).toBeUndefined();
    s().select('/steps/1');
    expect(selectedRun(s())).toEqual({ pointer: '/steps/1', count: 1 });
    s().extendSelection('/steps/3');
    expect(selectedRun(s())).toEqual({ pointer: '/steps/1', count: 3 });
    expect(
      ['/steps/0', '/steps/1', '/steps/2', '/steps/3'].map((p) => inSelectedRun(s(), p)),
    ).toEqual([false, true, true, true]);
    // Nested steps of a step in the run are not themselves in it.
    expect(inSelectedRun(s(), '/steps/2/then/0')).toBe(false);
    s().extendSelection('/steps/0');
    expect(selectedRun(s())).toEqual({ pointer: '/steps/0', count: 2 });
    expect(s().selected).toBe('/steps/1');
  });

  it('starts over on a step of another list, a plain select, or any edit', () => {
    s().select('/steps/0');
    s().extendSelection('/steps/2/then/0');
    expect(s().selected).toBe('/steps/2/then/0');
    expect(selectedRun(s())).toEqual({ pointer: '/steps/2/then/0', count: 1 });
    s().select('/steps/0');
    s().extendSelection('/steps/1');
    s().select('/steps/3');
    expect(selectedRun(s())?.count).toBe(1);
    s().extendSelection('/steps/2');
    s().setText(FLOW.replace('log: c', 'log: d'), 'editor');
    expect(s().selectionEnd).toBeUndefined();
    expect(selectedRun(s())).toEqual({ pointer: '/steps/3', count: 1 });
  });
});
