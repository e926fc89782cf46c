import { childListsOf, compiledListsOf } from './step-kinds';
import { type CompiledFlow, type CompiledStep, STEP_KINDS, type StepKind } from './types';

/**
 * Step ids and JSON pointers.
 *
 * A step's id is its explicit `id`, otherwise one derived from its JSON pointer *relative to the
 * flow body that holds it*: the pointer's segments joined with dots, e.g. `/steps/0/then/1`
 * becomes `steps.0.then.1`, and a child flow's first step (at `/flows/ship/steps/0` in the file)
 * is `steps.0` inside that child. Ids are stable while the structure is unchanged, and they are
 * what Temporal sees as the activityId and what progress reports name.
 */

export type Segment = string | number;

/** `~` and `/` escaped as RFC 6901 says. */
export function escapeSegment(segment: Segment): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `['steps', 0]` -> `/steps/0`; the root is the empty string. */
export function toPointer(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) out += `/${escapeSegment(s)}`;
  return out;
}

/** `/steps/0` -> `['steps', '0']`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}

/** The derived id of a step from its segments relative to its flow body: `steps.0.then.1`. */
export function derivedStepId(relative: readonly Segment[]): string {
  return relative.map(escapeSegment).join('.');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The explicit id when it is a non-empty string, else the derived one. */
export function stepIdOf(step: unknown, relative: readonly Segment[]): string {
  if (isRecord(step) && typeof step.id === 'string' && step.id !== '') return step.id;
  return derivedStepId(relative);
}

/** Every step-kind key present on a raw step (a valid step has exactly one). */
export function stepKindsOf(step: unknown): StepKind[] {
  if (!isRecord(step)) return [];
  return STEP_KINDS.filter((k) => k in step);
}

/** The step's kind: the first kind key it carries, or undefined. */
export function stepKindOf(step: unknown): StepKind | undefined {
  if (!isRecord(step)) return undefined;
  for (const k of STEP_KINDS) if (k in step) return k;
  return undefined;
}

/** A list of steps in a flow body, with its path relative to the body. */
export interface ChildList {
  segments: Segment[];
  steps: unknown[];
}

function pushList(out: ChildList[], segments: Segment[], v: unknown): void {
  if (Array.isArray(v)) out.push({ segments, steps: v });
}

/** The top-level step lists of a flow body: steps, onCancel, signal and update handlers. */
export function bodyStepLists(body: unknown): ChildList[] {
  const out: ChildList[] = [];
  if (!isRecord(body)) return out;
  pushList(out, ['steps'], body.steps);
  pushList(out, ['onCancel'], body.onCancel);
  for (const key of ['signals', 'updates'] as const) {
    const handlers = body[key];
    if (!isRecord(handlers)) continue;
    for (const [name, h] of Object.entries(handlers)) {
      if (isRecord(h)) pushList(out, [key, name, 'steps'], h.steps);
    }
  }
  return out;
}

export interface StepVisit {
  /** The raw step (not necessarily valid: walkers run before and after validation). */
  step: unknown;
  /** Its id: explicit, or derived from its pointer relative to its flow body. */
  id: string;
  kind: StepKind | undefined;
  /** Absolute JSON pointer in the document (for diagnostics). */
  pointer: string;
  /** JSON pointer relative to the flow body that owns the step (`/steps/0/then/1`). */
  relativePointer: string;
  /** The list holding the step and its index in it. */
  list: unknown[];
  index: number;
  /** Nesting depth: 0 for a step in a top-level list of its flow body. */
  depth: number;
}

/**
 * Visits every step of one flow body in document order (pre-order), with an explicit stack so
 * deep nesting cannot overflow the call stack. Pointers are built by appending to the parent's,
 * so the walk costs the size of the output. Does not enter `flows:`; see walkFlowDocument.
 * `base` is the body's own position in the document (`['flows', 'ship']` for a child).
 */
export function walkFlowSteps(
  body: unknown,
  visit: (v: StepVisit) => void,
  base: readonly Segment[] = [],
): void {
  const basePointer = toPointer(base);
  // Each stack entry is one step; pushing children reversed keeps document order.
  type Item = { step: unknown; list: unknown[]; index: number; rel: string; depth: number };
  const stack: Item[] = [];
  const pushSteps = (list: unknown[], rel: string, depth: number) => {
    for (let i = list.length - 1; i >= 0; i--) {
      stack.push({ step: list[i], list, index: i, rel: `${rel}/${i}`, depth });
    }
  };
  const top = bodyStepLists(body);
  for (let l = top.length - 1; l >= 0; l--) {
    const list = top[l]!;
    pushSteps(list.steps, toPointer(list.segments), 0);
  }
  while (stack.length > 0) {
    const item = stack.pop()!;
    const step = item.step;
    const record = isRecord(step) ? step : undefined;
    const explicit = record !== undefined && typeof record.id === 'string' && record.id !== '';
    const kind = stepKindOf(step);
    visit({
      step,
      id: explicit ? (record.id as string) : pointerToId(item.rel),
      kind,
      pointer: basePointer + item.rel,
      relativePointer: item.rel,
      list: item.list,
      index: item.index,
      depth: item.depth,
    });
    if (record === undefined || kind === undefined) continue;
    const children = childListsOf(kind, record);
    for (let c = children.length - 1; c >= 0; c--) {
      const child = children[c]!;
      if (Array.isArray(child.list))
        pushSteps(child.list, item.rel + toPointer(child.path), item.depth + 1);
    }
  }
}

/** `/steps/0/then/1` -> `steps.0.then.1` (the derived id of the step at that relative pointer). */
export function pointerToId(relativePointer: string): string {
  return relativePointer.slice(1).replace(/\//g, '.');
}

/** Visits the steps of the root flow, then of each child under `flows:`; `flowKey` is '' for the root. */
export function walkFlowDocument(
  doc: unknown,
  visit: (v: StepVisit & { flowKey: string }) => void,
): void {
  walkFlowSteps(doc, (v) => visit({ ...v, flowKey: '' }));
  if (!isRecord(doc) || !isRecord(doc.flows)) return;
  for (const [key, child] of Object.entries(doc.flows)) {
    walkFlowSteps(child, (v) => visit({ ...v, flowKey: key }), ['flows', key]);
  }
}

/** The step lists nested directly inside a compiled step, in document order. */
export function compiledChildLists(step: CompiledStep): CompiledStep[][] {
  return compiledListsOf(step) as CompiledStep[][];
}

/**
 * Visits every step of a compiled flow and of its child flows in `flows` (each flow once, even
 * when several parents share it), pre-order within each flow.
 */
export function walkFlowTreeSteps(flow: CompiledFlow, visit: (step: CompiledStep) => void): void {
  const seen = new Set<CompiledFlow>();
  const pending = [flow];
  while (pending.length > 0) {
    const f = pending.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    walkCompiledSteps(f, visit);
    pending.push(...Object.values(f.flows).reverse());
  }
}

/** Visits every step of a compiled flow (not its children in `flows`), pre-order. */
export function walkCompiledSteps(flow: CompiledFlow, visit: (step: CompiledStep) => void): void {
  const lists: CompiledStep[][] = [
    flow.steps,
    flow.onCancel,
    ...Object.values(flow.signals).map((s) => s.steps),
    ...Object.values(flow.updates).map((u) => u.steps),
  ];
  const stack: CompiledStep[] = [];
  for (let l = lists.length - 1; l >= 0; l--) {
    const list = lists[l]!;
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
  }
  while (stack.length > 0) {
    const step = stack.pop()!;
    visit(step);
    const children = compiledChildLists(step);
    for (let c = children.length - 1; c >= 0; c--) {
      const list = children[c]!;
      for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]!);
    }
  }
}
