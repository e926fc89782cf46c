/**
 * A selection is one step, or a run of consecutive steps of one list: the selected step (the
 * anchor, which the inspector shows) and the other end, set by Shift+click or Shift+arrow.
 */
import { parentListPointer, pointerIndex } from '../graph/graph';

export interface SelectedRun {
  /** The first step of the run. */
  pointer: string;
  count: number;
}

type Selection = { selected: string | undefined; selectionEnd: string | undefined };

/** The selected steps as a run of their list, or undefined with nothing selected. */
export function selectedRun(s: Selection): SelectedRun | undefined {
  const { selected, selectionEnd } = s;
  if (selected === undefined) return undefined;
  const list = parentListPointer(selected);
  const a = pointerIndex(selected);
  const b = selectionEnd === undefined ? undefined : pointerIndex(selectionEnd);
  if (a === undefined || b === undefined || selectionEnd === undefined) {
    return { pointer: selected, count: 1 };
  }
  if (parentListPointer(selectionEnd) !== list) return { pointer: selected, count: 1 };
  const from = Math.min(a, b);
  return { pointer: `${list}/${from}`, count: Math.abs(a - b) + 1 };
}

/** Whether the step at `pointer` is one of a run of two or more selected steps. */
export function inSelectedRun(s: Selection, pointer: string): boolean {
  if (s.selectionEnd === undefined || s.selected === undefined) return false;
  const run = selectedRun(s);
  if (!run || run.count < 2) return false;
  const list = parentListPointer(run.pointer);
  const i = pointerIndex(pointer);
  const from = pointerIndex(run.pointer) ?? 0;
  return (
    i !== undefined && parentListPointer(pointer) === list && i >= from && i < from + run.count
  );
}
