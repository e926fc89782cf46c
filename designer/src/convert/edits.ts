/**
 * Canvas actions as structural edits on the yaml Document. The Document is the designer's
 * source of truth: editing nodes in place (never re-serialising the value) keeps every comment
 * and every formatting choice outside the edited node. Each function mutates `doc` and returns
 * what the caller needs to select afterwards.
 */
import {
  type Document,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  type YAMLMap,
  YAMLSeq,
} from 'yaml';
import { joinPointer, parentListPointer, pointerIndex } from '../graph/graph';
import { yamlPath } from './path';

export class EditError extends Error {
  override name = 'EditError';
  constructor(
    readonly code: 'WEFT_EDIT_NOT_A_LIST' | 'WEFT_EDIT_NO_STEP' | 'WEFT_EDIT_BAD_PASTE',
    message: string,
  ) {
    super(message);
  }
}

function listAt(doc: Document, listPointer: string, create: boolean): YAMLSeq | undefined {
  const path = yamlPath(listPointer);
  const node = doc.getIn(path, true);
  if (isSeq(node)) return node;
  if (node !== undefined && !(isScalar(node) && node.value === null)) {
    throw new EditError('WEFT_EDIT_NOT_A_LIST', `${listPointer} is not a step list`);
  }
  if (!create) return undefined;
  const seq = new YAMLSeq(doc.schema);
  doc.setIn(path, seq);
  return seq;
}

/** Inserts a step (plain value or a yaml Node) at index `index` of the list at `listPointer`. */
export function insertStep(
  doc: Document,
  listPointer: string,
  index: number,
  step: unknown,
): string {
  const seq = listAt(doc, listPointer, true)!;
  const node = (
    step && typeof step === 'object' && 'clone' in step ? step : doc.createNode(step)
  ) as Node;
  // An empty list written `[]` (a new flow, a fresh branch) becomes a block list: steps are
  // written one key a line, like the rest of the file, never as inline `[ { … } ]`. A list
  // that already holds steps inline stays as it was written.
  if (seq.flow && seq.items.length === 0) seq.flow = false;
  const at = Math.max(0, Math.min(index, seq.items.length));
  seq.items.splice(at, 0, node);
  return joinPointer(listPointer, at);
}

function stepNode(doc: Document, pointer: string): Node {
  const node = doc.getIn(yamlPath(pointer), true);
  if (!isMap(node)) throw new EditError('WEFT_EDIT_NO_STEP', `no step at ${pointer}`);
  return node;
}

/** Removes the step at `pointer`; its comments go with it, the rest stay. */
export function deleteStep(doc: Document, pointer: string): void {
  stepNode(doc, pointer);
  doc.deleteIn(yamlPath(pointer));
}

/** Moves the step one place up (-1) or down (+1) in its list; returns its new pointer. */
export function moveStep(doc: Document, pointer: string, delta: -1 | 1): string {
  const list = parentListPointer(pointer);
  const seq = listAt(doc, list, false);
  const index = pointerIndex(pointer);
  if (!seq || index === undefined)
    throw new EditError('WEFT_EDIT_NO_STEP', `no step at ${pointer}`);
  const to = index + delta;
  if (to < 0 || to >= seq.items.length) return pointer;
  const [item] = seq.items.splice(index, 1);
  seq.items.splice(to, 0, item);
  return joinPointer(list, to);
}

/** Step ids must stay unique: a copy gets `-copy`, `-copy2`, ... until the id is free. */
function freshIds(doc: Document, node: Node): void {
  const taken = new Set<string>();
  const collect = (n: unknown): void => {
    if (isMap(n)) {
      const id = n.get('id');
      if (typeof id === 'string') taken.add(id);
      for (const pair of n.items) collect(pair.value);
    } else if (isSeq(n)) for (const item of n.items) collect(item);
  };
  collect(doc.contents);
  const rename = (n: unknown): void => {
    if (isMap(n)) {
      const id = n.get('id');
      if (typeof id === 'string' && taken.has(id)) {
        let k = 1;
        let next = `${id}-copy`;
        while (taken.has(next)) next = `${id}-copy${++k}`;
        taken.add(next);
        n.set('id', next);
      }
      for (const pair of n.items) rename(pair.value);
    } else if (isSeq(n)) for (const item of n.items) rename(item);
  };
  rename(node);
}

/** Inserts a copy of the step right after it; returns the copy's pointer. */
export function duplicateStep(doc: Document, pointer: string): string {
  const copy = stepNode(doc, pointer).clone() as Node;
  freshIds(doc, copy);
  const index = pointerIndex(pointer) ?? 0;
  return insertStep(doc, parentListPointer(pointer), index + 1, copy);
}

/** The step as standalone YAML text, comments included: what copy puts on the clipboard. */
export function copyStep(doc: Document, pointer: string): string {
  const node = stepNode(doc, pointer).clone() as Node;
  const out = parseDocument('{}');
  out.contents = node as typeof out.contents;
  return out.toString();
}

/** Parses clipboard text as one step (or a list of steps) and inserts it; returns the pointer. */
export function pasteSteps(
  doc: Document,
  listPointer: string,
  index: number,
  text: string,
): string {
  const pasted = parseDocument(text);
  if (pasted.errors.length > 0 || !isCollection(pasted.contents)) {
    throw new EditError('WEFT_EDIT_BAD_PASTE', 'the clipboard does not hold a step');
  }
  const items = isSeq(pasted.contents) ? pasted.contents.items : [pasted.contents];
  let first = joinPointer(listPointer, index);
  items.forEach((item, i) => {
    const node = (item as Node).clone() as Node;
    freshIds(doc, node);
    const p = insertStep(doc, listPointer, index + i, node);
    if (i === 0) first = p;
  });
  return first;
}

/**
 * Sets (or, with `undefined`, removes) a key below a step: `path` is relative to the step, such
 * as `['timeouts', 'startToClose']`. An existing scalar keeps its node, so its comment stays.
 * Removing the last key of a map removes the emptied map too.
 */
export function setField(
  doc: Document,
  pointer: string,
  path: (string | number)[],
  value: unknown,
): void {
  const full = [...yamlPath(pointer), ...path];
  if (value === undefined) {
    if (doc.hasIn(full)) doc.deleteIn(full);
    for (let i = full.length - 1; i > yamlPath(pointer).length; i--) {
      const parent = doc.getIn(full.slice(0, i), true);
      if (isCollection(parent) && parent.items.length === 0) doc.deleteIn(full.slice(0, i));
      else break;
    }
    return;
  }
  const existing = doc.getIn(full, true);
  if (isScalar(existing) && (value === null || typeof value !== 'object')) {
    existing.value = value;
    return;
  }
  doc.setIn(full, doc.createNode(value));
}

/** What a run of steps can be wrapped in. */
export type WrapKind = 'parallel' | 'try';

/** The branch name a step run becomes when wrapped in a parallel: its one branch. */
export const WRAP_BRANCH = 'a';

/**
 * Wraps `count` consecutive steps, starting at `pointer`, in a new step of their list: a
 * `parallel` whose one branch they become, or a `try` with a skeleton `catch` (one handler that
 * catches every error and does nothing yet). The yaml nodes themselves move, so their comments
 * and their formatting go with them; returns the new step's pointer.
 */
export function wrapSteps(doc: Document, pointer: string, count: number, kind: WrapKind): string {
  const list = parentListPointer(pointer);
  const seq = listAt(doc, list, false);
  const index = pointerIndex(pointer);
  if (!seq || index === undefined || count < 1 || index + count > seq.items.length) {
    throw new EditError('WEFT_EDIT_NO_STEP', `no run of ${count} step(s) at ${pointer}`);
  }
  for (let i = index; i < index + count; i++) stepNode(doc, joinPointer(list, i));
  const items = seq.items.slice(index, index + count) as Node[];
  const inner = new YAMLSeq(doc.schema);
  inner.items = items;
  const wrapper = doc.createNode(
    kind === 'parallel'
      ? { parallel: { branches: { [WRAP_BRANCH]: [] } } }
      : { try: [], catch: [{ steps: [] }] },
  ) as YAMLMap;
  if (kind === 'parallel') wrapper.setIn(['parallel', 'branches', WRAP_BRANCH], inner);
  else wrapper.set('try', inner);
  // A blank line before the first step separated it from the steps before: it now separates
  // the wrapper, and the step opens its new list with no gap.
  const first = items[0];
  if (first?.spaceBefore) {
    wrapper.spaceBefore = true;
    first.spaceBefore = false;
  }
  seq.items.splice(index, count, wrapper);
  return joinPointer(list, index);
}
