/**
 * Flow -> graph: the designer's picture of a flow, as plain data (its view-model). Pure (no
 * React, no Node), so the conversion is unit-tested on fixtures; it lives with the designer, its
 * only user, and reads the step-kind table (interpreter/model/step-kinds.ts) for each kind's
 * nested lists and their labels.
 *
 * The picture: every step list (the flow's `steps`, an `if`'s `then`, a parallel branch, a loop
 * body, ...) is a chain `in -> step -> step -> out`, where `in`/`out` are small anchors (the
 * flow's Start and End at the top). Every edge of a chain is an insertion point: dropping a step
 * on it inserts at `{list, index}`. A step with nested lists is a group that holds a fork, one
 * branch group per list and a join, so if/switch/parallel/loops/try read as scopes.
 *
 * Node ids are JSON pointers into the flow (plus `#in`, `#out`, `#fork`, `#join` suffixes for
 * the synthetic nodes), so a diagnostic's pointer finds its node by prefix and a canvas action
 * knows where in the YAML document it applies. Layout is not here: it is computed, never stored.
 */
import {
  bodyStepLists,
  childListsOf,
  escapeSegment,
  listLabel,
  parsePointer,
  type StepKind,
  stepIdOf,
  stepKindOf,
  stepSummary,
  toPointer,
} from '../../../interpreter/model';
import { stepLabel } from './labels';

/** How the graph names a step: (the step as written, its JSON pointer) -> step id. */
export type StepIdFn = (step: unknown, pointer: string) => string;

export type GraphNodeType = 'step' | 'branch' | 'terminal' | 'anchor' | 'fork' | 'join';

export interface GraphNode {
  /** Unique within the graph: a JSON pointer, plus a `#suffix` for synthetic nodes. */
  id: string;
  type: GraphNodeType;
  /** The group (step or branch) this node sits in; absent at the top level. */
  parent?: string;
  /** The JSON pointer of the step (step nodes) or the step list (branches and anchors). */
  pointer: string;
  label: string;
  /** Step nodes only. */
  kind?: StepKind;
  /** Step nodes only: the step's id as the interpreter and progress report it. */
  stepId?: string;
  /** Step nodes only: a short summary (activity name, expression, duration...). */
  detail?: string;
  /** True for steps that hold branches (drawn as groups). */
  container?: boolean;
  /** Containers only: branches run one after another (try, catch, finally), drawn stacked. */
  sequence?: boolean;
  /** Nesting depth: 0 at the top level. */
  depth: number;
}

/** Where a step dropped on an edge goes: index `index` of the list at pointer `list`. */
export interface InsertionPoint {
  list: string;
  index: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** The group both ends sit in; absent at the top level. */
  parent?: string;
  insert?: InsertionPoint;
  /** A label for fork edges (branch name) or loop back edges. */
  label?: string;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Step pointer -> step id. */
  stepIds: Map<string, string>;
  /** Step id -> step pointer. */
  pointers: Map<string, string>;
}

export interface ToGraphOptions {
  /** How a step gets its id (from its pointer relative to its flow body); default: `defaultStepId`. */
  stepId?: StepIdFn;
  /** Draw the child flow `flows.<name>` instead of the top-level body. */
  body?: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function joinPointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => `/${escapeSegment(t)}`).join('');
}

/** The pointer's last token as a list index, or undefined when it is not one. */
export function pointerIndex(pointer: string): number | undefined {
  const last = pointer.slice(pointer.lastIndexOf('/') + 1);
  return /^\d+$/.test(last) ? Number(last) : undefined;
}

/** The pointer of the list that holds the step at `pointer`. */
export function parentListPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/** The id of a step of the top-level flow body: explicit, else derived from its pointer. */
/** One nested step list of a container step: where it sits and how the canvas names it. */
export interface GraphBranch {
  /** Tokens from the step to the list (`['then']`, `['parallel', 'branches', 'email']`). */
  path: (string | number)[];
  label: string;
  /** The list as written; undefined when the key is absent (drawn as an empty branch). */
  list: unknown;
}

/**
 * The nested lists of a container step, in drawing order. Optional lists (`else`, `default`,
 * `finally`) are drawn even when absent, so a step can be dropped into them; `onTimeout` only
 * when written (the step table says which).
 */
export function graphBranches(kind: StepKind, step: Record<string, unknown>): GraphBranch[] {
  return childListsOf(kind, step).map((f) => ({ path: f.path, label: listLabel(f), list: f.list }));
}

export function defaultStepId(step: unknown, pointer: string): string {
  return stepIdOf(step, parsePointer(pointer));
}

export function flowToGraph(flow: unknown, options: ToGraphOptions = {}): FlowGraph {
  const stepId = options.stepId ?? defaultStepId;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const stepIds = new Map<string, string>();
  const pointers = new Map<string, string>();
  const top = isRecord(flow) ? flow : {};
  const children = isRecord(top.flows) ? top.flows : {};
  const chosen = options.body === undefined ? top : children[options.body];
  const root = isRecord(chosen) ? chosen : {};
  // Pointers are absolute in the document; ids are relative to the body, as ids.ts makes them.
  const base = options.body === undefined ? '' : toPointer(['flows', options.body]);

  function edge(source: string, target: string, parent: string | undefined, extra = {}): void {
    const e: GraphEdge = { id: `${source}->${target}`, source, target, ...extra };
    if (parent !== undefined) e.parent = parent;
    edges.push(e);
  }

  function node(n: GraphNode): void {
    nodes.push(n);
  }

  /** Draws one list as a chain between `first` and `last`, which already exist. */
  function chain(
    list: unknown,
    listPointer: string,
    first: string,
    last: string,
    parent: string | undefined,
    depth: number,
  ): void {
    const steps = Array.isArray(list) ? list : [];
    let prev = first;
    steps.forEach((step, index) => {
      const id = drawStep(step, joinPointer(listPointer, index), parent, depth);
      edge(prev, id, parent, { insert: { list: listPointer, index } });
      prev = id;
    });
    edge(prev, last, parent, { insert: { list: listPointer, index: steps.length } });
  }

  function drawStep(
    step: unknown,
    pointer: string,
    parent: string | undefined,
    depth: number,
  ): string {
    const kind = stepKindOf(step);
    const id = stepId(step, pointer.slice(base.length));
    stepIds.set(pointer, id);
    pointers.set(id, pointer);
    const rec = isRecord(step) ? step : {};
    const branches = kind ? graphBranches(kind, rec) : [];
    const n: GraphNode = {
      id: pointer,
      type: 'step',
      pointer,
      label: stepLabel(kind, rec, id),
      stepId: id,
      depth,
      container: branches.length > 0,
    };
    if (kind) n.kind = kind;
    if (kind === 'try') n.sequence = true;
    const detail = kind ? stepSummary(kind, rec) : undefined;
    // No second line that repeats the label: an unnamed step's label already carries its key
    // argument (`set x`, `sleep 5s`, an activity's name), unless it is the bare kind.
    const named = typeof rec.name === 'string' && rec.name.trim() !== '';
    if (detail !== undefined && (named || n.label === kind)) n.detail = detail;
    if (parent !== undefined) n.parent = parent;
    node(n);
    if (branches.length === 0) return pointer;

    const fork = `${pointer}#fork`;
    const join = `${pointer}#join`;
    node({ id: fork, type: 'fork', parent: pointer, pointer, label: kind ?? '', depth: depth + 1 });
    // A try's regions run one after another (try, then a catch if it failed, then finally), so
    // they are drawn as a sequence; every other container's branches are alternatives or
    // concurrent, drawn side by side. Either way in source order.
    const sequence = kind === 'try';
    let previous = fork;
    for (const branch of branches) {
      const listPointer = joinPointer(pointer, ...branch.path);
      const inId = `${listPointer}#in`;
      const outId = `${listPointer}#out`;
      node({
        id: listPointer,
        type: 'branch',
        parent: pointer,
        pointer: listPointer,
        label: branch.label,
        depth: depth + 1,
      });
      node({
        id: inId,
        type: 'anchor',
        parent: listPointer,
        pointer: listPointer,
        label: '',
        depth: depth + 2,
      });
      node({
        id: outId,
        type: 'anchor',
        parent: listPointer,
        pointer: listPointer,
        label: '',
        depth: depth + 2,
      });
      if (sequence) edge(previous, listPointer, pointer);
      else edge(fork, listPointer, pointer, { label: branch.label });
      chain(branch.list, listPointer, inId, outId, listPointer, depth + 2);
      if (!sequence) edge(listPointer, join, pointer);
      previous = listPointer;
    }
    if (sequence) edge(previous, join, pointer);
    node({ id: join, type: 'join', parent: pointer, pointer, label: '', depth: depth + 1 });
    return pointer;
  }

  node({ id: '#start', type: 'terminal', pointer: `${base}/steps`, label: 'Start', depth: 0 });
  node({ id: '#end', type: 'terminal', pointer: `${base}/steps`, label: 'End', depth: 0 });
  chain(root.steps, `${base}/steps`, '#start', '#end', undefined, 0);

  // The other top-level step lists (as ids.ts's bodyStepLists names them), one lane each.
  for (const lane of bodyStepLists(root)) {
    const [first] = lane.segments;
    if (first === 'steps') continue;
    const listPointer = base + toPointer(lane.segments);
    const label =
      first === 'onCancel'
        ? 'onCancel'
        : `${first === 'signals' ? 'signal' : 'update'} ${lane.segments[1]}`;
    const inId = `${listPointer}#in`;
    const outId = `${listPointer}#out`;
    node({ id: listPointer, type: 'branch', pointer: listPointer, label, depth: 0 });
    node({
      id: inId,
      type: 'anchor',
      parent: listPointer,
      pointer: listPointer,
      label: '',
      depth: 1,
    });
    node({
      id: outId,
      type: 'anchor',
      parent: listPointer,
      pointer: listPointer,
      label: '',
      depth: 1,
    });
    chain(lane.steps, listPointer, inId, outId, listPointer, 1);
  }

  return { nodes, edges, stepIds, pointers };
}

/** The pointer of the step that `pointer` points into (or is), if any: a diagnostic's node. */
export function stepPointerFor(graph: FlowGraph, pointer: string): string | undefined {
  let p = pointer;
  for (;;) {
    if (graph.stepIds.has(p)) return p;
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
