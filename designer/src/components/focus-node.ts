import { stepOrder } from './actions';

/** The canvas element of a step's node (React Flow's wrapper, the one that takes focus). */
function nodeElement(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(
    `.weft-canvas .react-flow__node[data-id="${CSS.escape(id)}"]`,
  );
}

/** Moves keyboard focus to a step's node, so focus and selection stay on the same step. */
export function focusStep(id: string | undefined): boolean {
  const el = id === undefined ? null : nodeElement(id);
  el?.focus();
  return el !== null;
}

/** The skip link's target: the first step of the flow, or the canvas itself when it has none. */
export function focusCanvas(): void {
  if (focusStep(stepOrder()[0])) return;
  const canvas = document.querySelector<HTMLElement>('.weft-canvas');
  if (!canvas) return;
  canvas.tabIndex = -1; // focusable by script only: no extra tab stop
  canvas.focus();
}
