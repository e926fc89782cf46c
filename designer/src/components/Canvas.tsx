import {
  Background,
  Controls,
  Position,
  ReactFlow,
  type ReactFlowInstance,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { FlowGraph, GraphNode } from '../graph/graph';
import { type Box, type Layout, structuredLayout } from '../layout';
import { markLaidOut, perf, recordStage } from '../perf';
import { childFlows, useDesigner } from '../store';
import { allowDrop, dropStep, MOVE_TYPE, onRefusal } from './drag';
import { EDGE_TYPES, type WeftEdge } from './edges';
import { Minimap } from './Minimap';
import { NODE_TYPES, type WeftNode } from './nodes';
import { OwsBanner } from './OwsBanner';
import { PanSnapshot } from './PanSnapshot';
import { DND_TYPE } from './templates';

/**
 * Above this many nodes, only visible elements are rendered: with every node of a 300-step flow
 * in the DOM, an edit that renumbers the steps after it re-rendered all of them. Below it every
 * step is in the DOM, which tests rely on.
 */
const BIG_GRAPH = 250;

/**
 * The smallest zoom a flow opens at: canvas text is at least 12px (styles.css), so no label
 * renders below 11 CSS px. A flow that does not fit at this zoom opens at its start.
 */
export const READABLE_ZOOM = 11 / 12;

/**
 * Below this zoom a flow of more than FAR_NODES nodes draws boxes without their text
 * (styles.css, `data-far`): 12px text renders under 4 CSS px there, unreadable, and painting
 * thousands of labels made panning drop frames. Small flows keep their text at every zoom.
 */
const FAR_ZOOM = 0.3;
const FAR_NODES = 300;
const FIT = { maxZoom: 1, minZoom: READABLE_ZOOM, padding: 0.05 };

/** Fits the flow into view when it fits at a readable zoom; else shows its start at that zoom. */
function openView(instance: ReactFlowInstance<WeftNode, WeftEdge>, nodes: WeftNode[]): void {
  const pane = document.querySelector('.weft-canvas .react-flow')?.getBoundingClientRect();
  const top = nodes.filter((n) => n.parentId === undefined);
  const start = top.find((n) => n.id === '#start');
  if (!pane || !start || top.length === 0) {
    void instance.fitView(FIT);
    return;
  }
  const bounds = instance.getNodesBounds(top);
  const margin = 24;
  const fits = Math.min(
    (pane.width - 2 * margin) / bounds.width,
    (pane.height - 2 * margin) / bounds.height,
  );
  if (fits >= READABLE_ZOOM) {
    void instance.fitView(FIT);
    return;
  }
  const zoom = READABLE_ZOOM;
  const centre = start.position.x + (start.width ?? 0) / 2;
  void instance.setViewport({
    x: pane.width / 2 - centre * zoom,
    y: margin - start.position.y * zoom,
    zoom,
  });
}

/** Half the side of React Flow's handle (6 px): every node's handles sit at its top and bottom centre. */
const HANDLE = 3;

/** The handles as React Flow measures them in the DOM (nodes.tsx, Handles). */
function handlesOf(box: Box): NonNullable<WeftNode['handles']> {
  const x = box.width / 2 - HANDLE;
  const size = { width: 2 * HANDLE, height: 2 * HANDLE };
  return [
    { id: null, type: 'target', position: Position.Top, x, y: -HANDLE, ...size },
    { id: null, type: 'source', position: Position.Bottom, x, y: box.height - HANDLE, ...size },
  ];
}

const GRAPH_NODE_KEYS = [
  'id',
  'type',
  'parent',
  'pointer',
  'label',
  'kind',
  'stepId',
  'detail',
  'container',
  'sequence',
  'depth',
] as const;

function sameGraphNode(a: GraphNode, b: GraphNode): boolean {
  return GRAPH_NODE_KEYS.every((k) => a[k] === b[k]);
}

/**
 * The graph as React Flow's nodes and edges. A node or edge that did not change keeps the
 * object it had (`prev`): React Flow then keeps its internals and its component does not
 * re-render, so a keystroke repaints the one node it changed, not all of them.
 */
function toFlow(
  graph: FlowGraph,
  layout: Layout,
  prev: { nodes: WeftNode[]; edges: WeftEdge[] },
): { nodes: WeftNode[]; edges: WeftEdge[] } {
  const oldNodes = new Map(prev.nodes.map((n) => [n.id, n]));
  const oldEdges = new Map(prev.edges.map((e) => [e.id, e]));
  const nodes: WeftNode[] = [];
  for (const g of graph.nodes) {
    const box = layout.get(g.id);
    if (!box) continue;
    const old = oldNodes.get(g.id);
    if (
      old &&
      old.position.x === box.x &&
      old.position.y === box.y &&
      old.width === box.width &&
      old.height === box.height &&
      sameGraphNode(old.data.g, g)
    ) {
      nodes.push(old);
      continue;
    }
    const n: WeftNode = {
      id: g.id,
      type: g.type,
      position: { x: box.x, y: box.y },
      data: { g },
      width: box.width,
      height: box.height,
      // Known sizes and handles: React Flow otherwise renders every new node once to measure it,
      // even off screen, which on a 1,000-step flow put all of them in the DOM on each edit.
      measured: { width: box.width, height: box.height },
      handles: handlesOf(box),
      style: { width: box.width, height: box.height },
      draggable: false,
      connectable: false,
      selectable: false,
      focusable: g.type === 'step',
      ariaLabel: g.type === 'step' ? `${g.kind ?? 'step'} ${g.label}` : undefined,
      zIndex: g.depth,
    };
    if (g.parent !== undefined) n.parentId = g.parent;
    nodes.push(n);
  }
  const edges: WeftEdge[] = graph.edges.map((e) => {
    const data: WeftEdge['data'] = e.insert
      ? { insert: e.insert }
      : e.target.endsWith('#join')
        ? { toJoin: true }
        : {};
    const old = oldEdges.get(e.id);
    if (
      old &&
      old.source === e.source &&
      old.target === e.target &&
      old.data?.insert?.list === data.insert?.list &&
      old.data?.insert?.index === data.insert?.index &&
      old.data?.toJoin === data.toJoin
    ) {
      return old;
    }
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      type: 'insert',
      data,
      focusable: false,
    };
  });
  return { nodes, edges };
}

/** Follows the selection: keeps the selected node in view (problems panel, arrow keys). */
function FollowSelection({ layoutSeq }: { layoutSeq: number }) {
  const selected = useDesigner((s) => s.selected);
  const flow = useReactFlow();
  useEffect(() => {
    if (selected === undefined || layoutSeq === 0) return;
    const node = flow.getInternalNode(selected);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? 0;
    const h = node.measured.height ?? 0;
    const view = flow.getViewport();
    const el = document.querySelector('.react-flow');
    const rect = el?.getBoundingClientRect();
    if (!rect) return;
    const sx = x * view.zoom + view.x;
    const sy = y * view.zoom + view.y;
    const inside =
      sx >= 0 && sy >= 0 && sx + w * view.zoom <= rect.width && sy + h * view.zoom <= rect.height;
    if (!inside) void flow.setCenter(x + w / 2, y + h / 2, { zoom: view.zoom, duration: 0 });
  }, [selected, flow, layoutSeq]);
  return null;
}

/** Shows a child flow (`flows:`) on the canvas instead of the main one. */
function BodyPicker() {
  const names = useDesigner(useShallow((s) => childFlows(s.value)));
  const body = useDesigner((s) => s.body);
  if (names.length === 0) return null;
  return (
    <select
      className="weft-body-picker"
      aria-label="Flow shown on the canvas"
      value={body ?? ''}
      onChange={(e) =>
        useDesigner.getState().setBody(e.target.value === '' ? undefined : e.target.value)
      }
    >
      <option value="">main flow</option>
      {names.map((n) => (
        <option key={n} value={n}>
          child flow: {n}
        </option>
      ))}
    </select>
  );
}

export function Canvas() {
  const graph = useDesigner((s) => s.graph);
  const stale = useDesigner((s) => s.stale);
  const ows = useDesigner((s) => s.ows);
  const dark = useDesigner((s) => s.dark);
  const select = useDesigner((s) => s.select);
  const [flow, setFlow] = useState<{
    nodes: WeftNode[];
    edges: WeftEdge[];
    seq: number;
    loadSeq: number;
  }>({ nodes: [], edges: [], seq: 0, loadSeq: -1 });
  const instance = useRef<ReactFlowInstance<WeftNode, WeftEdge> | null>(null);
  const fitted = useRef(-1);
  /** What the canvas shows (or is about to): the next layout keeps its unchanged objects. */
  const shown = useRef<{ nodes: WeftNode[]; edges: WeftEdge[] }>({ nodes: [], edges: [] });

  // Synchronously, before the browser paints: the structured layout is linear and cheap, and
  // waiting a task for it (as an asynchronous layout did) put an edit's graph a frame or more
  // behind its text, longer when other tasks were queued.
  useLayoutEffect(() => {
    const started = performance.now();
    const layout = structuredLayout(graph);
    recordStage('layoutMs', performance.now() - started);
    const next = toFlow(graph, layout, shown.current);
    shown.current = next;
    const loadSeq = useDesigner.getState().loadSeq;
    setFlow((prev) => ({ ...next, seq: prev.seq + 1, loadSeq }));
    // The placeholder graph drawn before any flow is opened is not the first paint that counts.
    markLaidOut(started, next.nodes.length, loadSeq > 0);
  }, [graph]);

  // A newly opened flow is fitted into view once, or shown from its start when it does not fit
  // at a readable zoom (and above BIG_GRAPH React Flow then renders only what is visible).
  useEffect(() => {
    if (flow.seq === 0 || fitted.current === flow.loadSeq || !instance.current) return;
    fitted.current = flow.loadSeq;
    openView(instance.current, flow.nodes);
  }, [flow]);

  // While a step is dragged, every drop target is highlighted.
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    const start = (e: DragEvent) => {
      const types = e.dataTransfer?.types ?? [];
      if (types.includes(DND_TYPE) || types.includes(MOVE_TYPE)) setDragging(true);
    };
    const stop = () => setDragging(false);
    // dragstart bubbles (the data is set by then); the ends are caught on the way down, since
    // targets stop the drop and a moved step's element may be gone by dragend.
    window.addEventListener('dragstart', start);
    window.addEventListener('dragend', stop, true);
    window.addEventListener('drop', stop, true);
    return () => {
      window.removeEventListener('dragstart', start);
      window.removeEventListener('dragend', stop, true);
      window.removeEventListener('drop', stop, true);
    };
  }, []);

  // While a step hovers over a place inside itself, the canvas says why it cannot go there.
  const [refused, setRefused] = useState<string | undefined>();
  useEffect(() => onRefusal(setRefused), []);

  const big = flow.nodes.length > BIG_GRAPH;
  const zoomedOut = useStore((s) => s.transform[2] < FAR_ZOOM);
  const far = zoomedOut && flow.nodes.length > FAR_NODES;
  // A pan or zoom by the user (not fitView or following the selection, which have no event).
  const [moving, setMoving] = useState(false);

  return (
    <section
      className={`weft-canvas${stale ? ' stale' : ''}`}
      aria-label="Flow canvas"
      data-stale={stale ? 'true' : undefined}
      data-read-only={ows ? 'true' : undefined}
      data-layout-seq={flow.seq}
      data-node-count={flow.nodes.length}
      data-dragging={dragging ? 'true' : undefined}
      data-drop-refused={refused ? 'true' : undefined}
      data-far={far ? 'true' : undefined}
      data-panning={far && moving ? 'true' : undefined}
    >
      <BodyPicker />
      <OwsBanner />
      {stale && (
        <div className="weft-stale" role="status">
          {ows
            ? 'The document does not convert: showing the last good graph.'
            : 'The YAML does not parse: showing the last good graph.'}
        </div>
      )}
      {refused && (
        <div className="weft-stale weft-drop-refused" role="status">
          {refused}
        </div>
      )}
      <ReactFlow<WeftNode, WeftEdge>
        nodes={flow.nodes}
        edges={flow.edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onInit={(i) => {
          instance.current = i;
          // Tests pan to what they click through it.
          perf().flow = i;
        }}
        onNodeClick={(e, node) => {
          if (node.type !== 'step') return;
          // Shift+click selects the run of steps from the selected one to this one.
          if (e.shiftKey && useDesigner.getState().selected !== undefined)
            useDesigner.getState().extendSelection(node.id);
          else select(node.id);
        }}
        onPaneClick={() => select(undefined)}
        onMoveStart={(e) => {
          if (e) setMoving(true);
        }}
        onMoveEnd={() => setMoving(false)}
        // Anywhere else on the pane, a dragged step goes to the end of the flow.
        onDragOver={(e) => allowDrop(e, '')}
        onDrop={(e) => dropStep(e, undefined)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        disableKeyboardA11y={false}
        onlyRenderVisibleElements={big}
        minZoom={0.05}
        maxZoom={2}
        colorMode={dark ? 'dark' : 'light'}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Minimap nodes={flow.nodes} dark={dark} />
        {flow.nodes.length > FAR_NODES && <PanSnapshot nodes={flow.nodes} active={far && moving} />}
        <Controls aria-label="Zoom controls" showInteractive={false} fitViewOptions={FIT} />
        <FollowSelection layoutSeq={flow.seq} />
      </ReactFlow>
    </section>
  );
}
