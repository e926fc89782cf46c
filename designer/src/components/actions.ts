/** Step actions shared by the inspector buttons and the keyboard shortcuts. */

import {
  copyStep,
  deleteStep,
  duplicateStep,
  moveStep,
  pasteSteps,
  WRAP_BRANCH,
  type WrapKind,
  wrapSteps,
} from '../convert';
import { parentListPointer, pointerIndex } from '../graph/graph';
import { endOfFlow, selectedRun, useDesigner } from '../store';

const CLIPBOARD_KEY = 'weft.clipboard';

export function deleteSelected(): void {
  const s = useDesigner.getState();
  const p = s.selected;
  if (p === undefined) return;
  s.edit((doc) => {
    deleteStep(doc, p);
    return undefined;
  });
  useDesigner.getState().select(undefined);
}

export function duplicateSelected(): void {
  const s = useDesigner.getState();
  const p = s.selected;
  if (p !== undefined) s.edit((doc) => duplicateStep(doc, p));
}

export function moveSelected(delta: -1 | 1): void {
  const s = useDesigner.getState();
  const p = s.selected;
  if (p !== undefined) s.edit((doc) => moveStep(doc, p, delta));
}

/** Copies the step as YAML: to localStorage (shared by every open flow) and the system clipboard. */
export function copySelected(): void {
  const s = useDesigner.getState();
  const p = s.selected;
  if (p === undefined) return;
  s.edit((doc) => {
    const text = copyStep(doc, p);
    localStorage.setItem(CLIPBOARD_KEY, text);
    void navigator.clipboard?.writeText(text).catch(() => undefined);
    return p;
  });
  s.setNotice({ kind: 'info', text: 'Step copied.' });
}

/** Pastes after the selection (or at the end of the flow). */
export function paste(): void {
  const text = localStorage.getItem(CLIPBOARD_KEY);
  if (!text) return;
  const s = useDesigner.getState();
  const end = endOfFlow(s);
  const list = s.selected === undefined ? end.list : parentListPointer(s.selected);
  const index = s.selected === undefined ? end.index : (pointerIndex(s.selected) ?? -1) + 1;
  s.edit((doc) => pasteSteps(doc, list, index, text));
}

/** Steps in reading order, for arrow-key navigation. */
export function stepOrder(): string[] {
  return useDesigner
    .getState()
    .graph.nodes.filter((n) => n.type === 'step')
    .map((n) => n.id);
}

export function selectNeighbour(delta: -1 | 1): void {
  const order = stepOrder();
  const s = useDesigner.getState();
  if (order.length === 0) return;
  const at = s.selected === undefined ? -1 : order.indexOf(s.selected);
  const next = order[Math.max(0, Math.min(order.length - 1, at + delta))];
  s.select(next);
}

/** Wraps the selected step, or the selected run of steps, in a parallel or a try. */
export function wrapSelected(kind: WrapKind): void {
  const s = useDesigner.getState();
  const run = selectedRun(s);
  if (run === undefined) return;
  s.edit((doc) => wrapSteps(doc, run.pointer, run.count, kind));
  if (useDesigner.getState().text === s.text) return;
  const what = run.count === 1 ? 'the step' : `${run.count} steps`;
  s.setNotice({
    kind: 'info',
    text:
      kind === 'parallel'
        ? `Wrapped ${what} in a parallel, as its branch "${WRAP_BRANCH}".`
        : `Wrapped ${what} in a try: its catch has no steps yet.`,
  });
}

/** Extends the selection to the step before or after its far end, in the same list. */
export function extendSelection(delta: -1 | 1): void {
  const s = useDesigner.getState();
  if (s.selected === undefined) return;
  const end = s.selectionEnd ?? s.selected;
  const index = pointerIndex(end);
  if (index === undefined) return;
  const next = `${parentListPointer(end)}/${index + delta}`;
  if (s.graph.stepIds.has(next)) s.extendSelection(next);
}
