/**
 * Dragging on the canvas: a palette item (a new step) or an existing step (a move) onto a "+"
 * (insert there), a branch box (append to the branch) or anywhere else on the pane (append to
 * the flow). One place decides what a drop does, so every target behaves the same.
 */
import type { DragEvent } from 'react';
import { type Document, isSeq, type Node } from 'yaml';
import { insertStep, yamlPath } from '../convert';
import { type InsertionPoint, parentListPointer, pointerIndex } from '../graph/graph';
import { endOfFlow, useDesigner } from '../store';
import { DND_TYPE } from './templates';

/** The drag data of a step being moved: its JSON pointer. */
export const MOVE_TYPE = 'application/x-weft-move';

/** The step being dragged, if any: drag events other than drop cannot read the data. */
let moving: string | undefined;

export function startMove(e: DragEvent, pointer: string): void {
  moving = pointer;
  e.dataTransfer.setData(MOVE_TYPE, pointer);
  e.dataTransfer.effectAllowed = 'move';
}

export function endMove(): void {
  moving = undefined;
  // Let go over a refused place: nothing moved, and the message says why.
  if (refused !== undefined) useDesigner.getState().setNotice({ kind: 'warning', text: refused });
  setRefused(undefined);
}

/** Whether `id` (a list's or a node's pointer, maybe with a `#suffix`) lies inside `step`. */
function inside(step: string, id: string): boolean {
  return id === step || id.startsWith(`${step}/`) || id.startsWith(`${step}#`);
}

/**
 * Where a dragged step may not go: 'into' itself (one of its own lists, or a node inside it),
 * 'onto' its own box (nodes are not nested in the DOM, so a drop there would reach the pane and
 * append: it stays where it is instead), else undefined.
 */
function intoItself(e: DragEvent, list: string, step: string): 'into' | 'onto' | undefined {
  if (list !== '' && inside(step, list)) return 'into';
  const node = (e.target as Element | null)?.closest?.('.react-flow__node');
  const id = node?.getAttribute('data-id');
  if (id == null || !inside(step, id)) return undefined;
  return id === step ? 'onto' : 'into';
}

/** The message shown while a step hovers over a place inside itself. */
let refused: string | undefined;
const refusalListeners = new Set<(message: string | undefined) => void>();

function setRefused(message: string | undefined): void {
  if (message === refused) return;
  refused = message;
  for (const l of refusalListeners) l(message);
}

/** Called with the refusal message whenever it changes (undefined: the drop is allowed). */
export function onRefusal(listener: (message: string | undefined) => void): () => void {
  refusalListeners.add(listener);
  return () => refusalListeners.delete(listener);
}

function refusal(step: string): string {
  const id = useDesigner.getState().graph.stepIds.get(step) ?? step;
  return `A step cannot be moved into itself: drop "${id}" outside it.`;
}

/** Whether a drag carries something a drop target takes (a palette item or a step). */
export function carriesStep(e: DragEvent): boolean {
  return e.dataTransfer.types.includes(DND_TYPE) || e.dataTransfer.types.includes(MOVE_TYPE);
}

/** dragover on a target for `list`: accepts the drop when it may go there. */
export function allowDrop(e: DragEvent, list: string): boolean {
  if (!carriesStep(e)) return false;
  const where = moving === undefined ? undefined : intoItself(e, list, moving);
  if (moving !== undefined && where !== undefined) {
    // Refused here, and not passed on to the pane behind, which would take it.
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'none';
    setRefused(where === 'into' ? refusal(moving) : undefined);
    return false;
  }
  setRefused(undefined);
  e.preventDefault();
  e.stopPropagation();
  e.dataTransfer.dropEffect = e.dataTransfer.types.includes(MOVE_TYPE) ? 'move' : 'copy';
  return true;
}

/**
 * Moves the step at `from` to index `index` of the list at `list` (which may be the same list);
 * returns its new pointer. The yaml node itself moves, so its comments go with it.
 */
export function moveStepTo(doc: Document, from: string, list: string, index: number): string {
  const fromList = parentListPointer(from);
  const fromIndex = pointerIndex(from) ?? 0;
  const source = doc.getIn(yamlPath(fromList), true);
  if (!isSeq(source)) return from;
  const node = source.items[fromIndex] as Node | undefined;
  if (node === undefined) return from;
  const at = pointerIndex(insertStep(doc, list, index, node)) ?? index;
  // The node is now in two places: drop the original (in the same list, the one not just put).
  const twice = source.items.flatMap((item, i) => (item === node ? [i] : []));
  const sameList = list === fromList;
  const original = sameList ? (twice.find((i) => i !== at) ?? fromIndex) : fromIndex;
  source.items.splice(original, 1);
  // Removing it shifts the later items of its list, and so pointers that go through them.
  if (sameList) return `${list}/${original < at ? at - 1 : at}`;
  let target = list;
  const prefix = `${fromList}/`;
  if (list.startsWith(prefix)) {
    const rest = list.slice(prefix.length);
    const slash = rest.indexOf('/');
    const k = Number(slash < 0 ? rest : rest.slice(0, slash));
    if (k > fromIndex) target = `${prefix}${k - 1}${slash < 0 ? '' : rest.slice(slash)}`;
  }
  return `${target}/${at}`;
}

/** A drop at `point` (or, without one, at the end of the flow): inserts or moves the step. */
export function dropStep(e: DragEvent, point: InsertionPoint | undefined): void {
  const move = e.dataTransfer.getData(MOVE_TYPE);
  const raw = e.dataTransfer.getData(DND_TYPE);
  if (!move && !raw) return;
  e.preventDefault();
  e.stopPropagation();
  const s = useDesigner.getState();
  const { list, index } = point ?? endOfFlow(s);
  if (move) {
    const where = intoItself(e, point?.list ?? '', move);
    endMove();
    if (where !== undefined) {
      if (where === 'into') s.setNotice({ kind: 'warning', text: refusal(move) });
      return;
    }
    s.edit((doc) => moveStepTo(doc, move, list, index));
  } else {
    endMove();
    s.edit((doc) => insertStep(doc, list, index, JSON.parse(raw) as unknown));
  }
}
