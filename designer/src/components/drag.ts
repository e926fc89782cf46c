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
}

/** A step may go anywhere but into itself. */
function accepts(list: string): boolean {
  return moving === undefined || (list !== moving && !list.startsWith(`${moving}/`));
}

/** Whether a drag carries something a drop target takes (a palette item or a step). */
export function carriesStep(e: DragEvent): boolean {
  return e.dataTransfer.types.includes(DND_TYPE) || e.dataTransfer.types.includes(MOVE_TYPE);
}

/** dragover on a target for `list`: accepts the drop when it may go there. */
export function allowDrop(e: DragEvent, list: string): boolean {
  if (!carriesStep(e) || !accepts(list)) return false;
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
  endMove();
  const s = useDesigner.getState();
  const { list, index } = point ?? endOfFlow(s);
  if (move) {
    if (list === move || list.startsWith(`${move}/`)) return;
    s.edit((doc) => moveStepTo(doc, move, list, index));
  } else {
    s.edit((doc) => insertStep(doc, list, index, JSON.parse(raw) as unknown));
  }
}
